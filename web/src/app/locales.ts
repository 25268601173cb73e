/** Strings both entries (desk and phone) use. Entry-specific strings live beside the entry. */
export const common = {
  'zh-CN': {
    brand: '金文大厦',
    product: '物业运营平台',
    role: {
      admin: '系统管理员', supervisor: '项目经理/主管', agent: '客服', technician: '维修技工', guard: '保安',
      cleaner: '保洁', gardener: '绿化', occupant: '业主/使用人', owner_rep: '业主代表',
    },
    login: {
      title: '登录', login: '用户名或手机号', password: '密码', submit: '登录',
      loginRequired: '请输入用户名或手机号', passwordRequired: '请输入密码',
      wait: '尝试次数过多，请 {{seconds}} 秒后再试',
    },
    lang: { 'zh-CN': '中文', 'en-US': 'English' },
    action: { logout: '退出登录', retry: '重试', back: '返回', cancel: '取消', save: '保存', close: '关闭' },
    error: { offline: '无法连接服务器，请检查网络', notFound: '未找到', generic: '操作失败' },
    loading: '加载中…',
    wi: {
      left: '剩 {{t}}', late: '超时 {{t}}', paused: '已暂停', met: '按时', missed: '超时完成', ended: '已终止',
      conflict: '工单状态已变化（可能他人已处理），已为你刷新', photoRequired: '请上传完工照片',
      tl: {
        created: '提交{{kind}}', assignTo: '{{action}}给 {{name}}', arriveQr: '扫码到场', arriveManual: '手动到场（未扫码）',
        expected: '预计 {{date}} 到货', confirmed: { code: '报修人凭确认码确认', signature: '报修人现场签字确认', none: '未经报修人确认：{{reason}}' }, comment: '留言', internal: '内部', public: '公开',
        urgency: '紧急程度 {{from}} → {{to}}', channel: { app: '手机报修', phone: '电话', walk_in: '来访', task: '巡检发现' },
        clock: {
          started: '{{clock}}开始计时，{{due}} 截止', met: '{{clock}}按时达成', stopped_late: '{{clock}}超时 {{late}} 后达成', paused: '{{clock}}暂停计时',
          resumed: '{{clock}}恢复计时，{{due}} 截止', abandoned: '{{clock}}终止', warning: '{{clock}}预警：已用去 {{percent}}%',
          breach: '{{clock}}已超时', escalation: '{{clock}}超时，升级到第 {{level}} 级',
        },
      },
    },
  },
  'en-US': {
    brand: 'Jinwen Tower',
    product: 'Property Operations',
    role: {
      admin: 'Administrator', supervisor: 'Supervisor', agent: 'Service agent', technician: 'Technician', guard: 'Guard',
      cleaner: 'Cleaner', gardener: 'Gardener', occupant: 'Occupant', owner_rep: "Owner's representative",
    },
    login: {
      title: 'Sign in', login: 'Username or phone', password: 'Password', submit: 'Sign in',
      loginRequired: 'Enter your username or phone', passwordRequired: 'Enter your password',
      wait: 'Too many attempts; try again in {{seconds}} s',
    },
    lang: { 'zh-CN': '中文', 'en-US': 'English' },
    action: { logout: 'Sign out', retry: 'Retry', back: 'Back', cancel: 'Cancel', save: 'Save', close: 'Close' },
    error: { offline: 'Cannot reach the server; check the network', notFound: 'Not found', generic: 'The action failed' },
    loading: 'Loading…',
    wi: {
      left: '{{t}} left', late: '{{t}} late', paused: 'Paused', met: 'Met', missed: 'Missed', ended: 'Ended',
      conflict: 'The item changed (someone may have acted first); it has been refreshed', photoRequired: 'Add an after-photo',
      tl: {
        created: '{{kind}} filed', assignTo: '{{action}} to {{name}}', arriveQr: 'Arrived (QR scanned)', arriveManual: 'Arrived manually (no scan)',
        expected: 'parts expected {{date}}', confirmed: { code: 'confirmed with the occupant’s code', signature: 'signed by the occupant', none: 'not confirmed by the occupant: {{reason}}' }, comment: 'Comment', internal: 'Internal', public: 'Public',
        urgency: 'Urgency {{from}} → {{to}}', channel: { app: 'phone app', phone: 'phone call', walk_in: 'walk-in', task: 'round finding' },
        clock: {
          started: '{{clock}} clock started, due {{due}}', met: '{{clock}} met', stopped_late: '{{clock}} met {{late}} late', paused: '{{clock}} clock paused',
          resumed: '{{clock}} clock resumed, due {{due}}', abandoned: '{{clock}} clock ended', warning: '{{clock}} warning: {{percent}}% used',
          breach: '{{clock}} breached', escalation: '{{clock}} overdue, escalated to level {{level}}',
        },
      },
    },
  },
};
