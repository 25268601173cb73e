/** Strings of the duty roster screen (值班表, CS-3), merged into the desk's dictionary. */
const zh = {
  duty: {
    sub: '按周查看各专业白班与夜间/节假日值班及值班电话；主管可点击格子增改值班、按轮换生成、导出 Excel',
    export: '导出 Excel', generate: '按轮换生成', generateOk: '生成', add: '新增值班', prev: '上一周', next: '下一周', thisWeek: '本周',
    byTrade: '按专业', byPerson: '按人员', trade: '专业', person: '值班人', onCall: '值班电话', nextDay: '次日',
    empty: '本周还没有排班', wd: { 0: '周一', 1: '周二', 2: '周三', 3: '周四', 4: '周五', 5: '周六', 6: '周日' },
    kind: { day: '白班', night: '夜班', weekend: '周末', holiday: '节假日' },
    addTitle: '新增值班', editTitle: '修改值班：{{name}}', delete: '删除', confirmDelete: '确定删除这个班次？',
    date: '日期', start: '开始', end: '结束', endHint: '结束早于开始即为次日', kindLabel: '班次', kindHint: '不选则按工作日历自动判断',
    phone: '值班电话', phoneHint: '不填则用本人手机号', phoneOwn: '当前为本人手机号；填写则改用此号码', note: '备注',
    period: '时间段', people: '轮换人员（按顺序）', peopleHint: '按选择顺序每天轮换一人值夜班', includeDay: '同时生成工作日白班',
    generateHint: '为一个专业按顺序轮换生成夜间、周末和节假日值班；与已有班次重叠时整体不生成', generated: '已生成 {{n}} 个班次',
    feed: '日历订阅链接', feedTitle: '{{name}} 的日历订阅链接', feedHint: '把链接发给本人，在手机日历中“添加订阅”；重新生成后旧链接立即失效。',
    copied: '链接已复制',
  },
};

type Dict = typeof zh;

const en: Dict = {
  duty: {
    sub: 'Day shifts and night/holiday on-call per trade with the number to call, by week; managers click a cell to add or edit, fill from a rotation, export Excel',
    export: 'Export Excel', generate: 'Fill from rotation', generateOk: 'Fill', add: 'Add shift', prev: 'Previous week', next: 'Next week', thisWeek: 'This week',
    byTrade: 'By trade', byPerson: 'By person', trade: 'Trade', person: 'On duty', onCall: 'On-call phone', nextDay: '(+1)',
    empty: 'Nothing rostered this week', wd: { 0: 'Mon', 1: 'Tue', 2: 'Wed', 3: 'Thu', 4: 'Fri', 5: 'Sat', 6: 'Sun' },
    kind: { day: 'Day', night: 'Night', weekend: 'Weekend', holiday: 'Holiday' },
    addTitle: 'Add shift', editTitle: 'Edit shift: {{name}}', delete: 'Delete', confirmDelete: 'Delete this shift?',
    date: 'Date', start: 'Start', end: 'End', endHint: 'An end before the start is the next day', kindLabel: 'Kind', kindHint: 'Empty = from the working calendar',
    phone: 'On-call phone', phoneHint: 'Empty = their own mobile', phoneOwn: 'Their own mobile now; type a number to use another', note: 'Note',
    period: 'Period', people: 'People in rotation (in order)', peopleHint: 'One person per night, in the order chosen', includeDay: 'Also create working-day day shifts',
    generateHint: 'Creates night, weekend and holiday on-call for one trade in rotation; nothing is created if any shift would overlap', generated: '{{n}} shifts created',
    feed: 'Calendar feed link', feedTitle: 'Calendar feed of {{name}}', feedHint: 'Send the link to the person to subscribe in their phone calendar; a new link stops the old one at once.',
    copied: 'Link copied',
  },
};

export const dutyStrings = { 'zh-CN': zh, 'en-US': en };
