/** Phone strings: short, for a glance while walking the building. */
const zh = {
  m: {
    hello: '你好，{{name}}',
    scan: '扫码', scanSub: '扫描位置标签上的二维码',
    today: '今天', workday: '工作日', weekend: '休息日', holiday: '节假日', makeup: '调休上班',
    hoursToday: '工作时间 {{hours}}', restToday: '今天休息',
    nextHoliday: '下一个假期', inDays: '{{n}} 天后', startsToday: '今天开始', makeupSoon: '调休上班',
    myUnits: '我的单元', company: '所在单位', companyAdmin: '单位管理员',
    certs: '我的证书', certExpired: '已过期', certExpiring: '{{n}} 天后到期', certValid: '有效期至 {{date}}', certNoExpiry: '长期有效',
    findPlace: '查找位置', findPlaceHint: '输入编码或名称，如 F12 或 电梯厅', noResults: '没有找到',
    employeeNo: '工号 {{no}}',
    deskLink: '打开电脑版',
    place: {
      code: '编码', kind: '类型', area: '面积', children: '下级位置', notFound: '二维码无效，或该位置已停用', scanAgain: '重新扫码', home: '返回首页',
      inactive: '该位置已停用',
    },
    scanner: {
      title: '扫码', aim: '将二维码放入框内', starting: '正在打开相机…',
      unsupported: '此浏览器不支持网页内扫码。请用手机相机或微信“扫一扫”扫描标签，或在下方输入位置编码。',
      denied: '无法使用相机（未授权或被占用）。可在下方输入位置编码。', notOurs: '这不是本系统的位置二维码', manual: '手动输入编码',
    },
    offline: '网络不可用，请稍后重试',
    weekday: { '1': '周一', '2': '周二', '3': '周三', '4': '周四', '5': '周五', '6': '周六', '7': '周日' },
  },
};

type Dict = typeof zh;

const en: Dict = {
  m: {
    hello: 'Hello, {{name}}',
    scan: 'Scan', scanSub: 'Scan the QR code on a place label',
    today: 'Today', workday: 'Working day', weekend: 'Rest day', holiday: 'Holiday', makeup: 'Make-up working day',
    hoursToday: 'Hours {{hours}}', restToday: 'No working hours today',
    nextHoliday: 'Next holiday', inDays: 'in {{n}} days', startsToday: 'starts today', makeupSoon: 'Make-up working day',
    myUnits: 'My units', company: 'Company', companyAdmin: 'Company admin',
    certs: 'My certificates', certExpired: 'Expired', certExpiring: 'Expires in {{n}} days', certValid: 'Valid until {{date}}', certNoExpiry: 'No expiry',
    findPlace: 'Find a place', findPlaceHint: 'Type a code or name, e.g. F12 or lobby', noResults: 'Nothing found',
    employeeNo: 'No. {{no}}',
    deskLink: 'Open the desktop app',
    place: {
      code: 'Code', kind: 'Kind', area: 'Area', children: 'Places inside', notFound: 'Unknown QR code, or the place is deactivated', scanAgain: 'Scan again', home: 'Home',
      inactive: 'This place is deactivated',
    },
    scanner: {
      title: 'Scan', aim: 'Fit the QR code in the frame', starting: 'Opening the camera…',
      unsupported: 'This browser cannot scan in the page. Use the phone camera or WeChat Scan on the label, or type the place code below.',
      denied: 'The camera is not available (not allowed or busy). Type the place code below.', notOurs: 'This is not a towerdesk place code', manual: 'Type a code',
    },
    offline: 'No network; try again shortly',
    weekday: { '1': 'Mon', '2': 'Tue', '3': 'Wed', '4': 'Thu', '5': 'Fri', '6': 'Sat', '7': 'Sun' },
  },
};

export const mobileStrings = { 'zh-CN': zh, 'en-US': en };
