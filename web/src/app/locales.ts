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
  },
};
