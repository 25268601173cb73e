/** Strings of the reception screen (接待记录, CS-4), merged into the desk's dictionary. */
const zh = {
  rc: {
    sub: '每一次来电、来访、留言都是一条记录，关联由此产生的工单；可按时段、渠道、主题、单位查询、统计和导出',
    new: '新建接待', fromCall: '来电登记：{{caller}}（{{time}}）', saved: '已登记接待记录', export: '导出 Excel',
    allChannels: '全部渠道', allTopics: '全部主题', allCompanies: '全部单位', search: '搜索事由、联系人',
    tab: { list: '接待记录', calls: '待登记来电', stats: '统计' },
    channel: '渠道', at: '接待时间', atHint: '不填则为现在；补登时可选更早的时间', who: '来电/来访人', topic: '主题', summary: '事由摘要',
    action: '处理措施', result: '处理结果', items: '关联工单', agent: '接待人', recordedAt: '登记时间',
    link: '关联', linkTitle: '关联工单', linkOther: '关联其他工单', itemHint: '输入单号或标题搜索工单',
    change: '重新选择', openItems: '在办工单（勾选即关联到本次接待）', noMatch: '没有找到登记用户，可在下方填写联系人',
    callerDefault: '来电号码对应 {{name}}；不选择时默认为此人', needSummary: '请填写事由摘要',
    ch: { call: '来电', walk_in: '来访', message: '留言/消息' },
    tp: { repair: '报修', complaint: '投诉', inquiry: '咨询', suggestion: '建议', visitor: '访客', other: '其他' },
    callAt: '来电时间', caller: '来电号码', matched: '匹配用户', unknownCaller: '未登记号码', duration: '通话时长', recording: '录音', listen: '收听',
    recorded: '已登记', recordCall: '登记', noCalls: '最近 24 小时没有来电',
    by: { topic: '按主题', floor: '按楼层', company: '按单位', week: '按周' }, count: '次数', share: '占比', statsTotal: '共 {{n}} 次接待',
  },
};

type Dict = typeof zh;

const en: Dict = {
  rc: {
    sub: 'Every call, walk-in and message is a record, linked to the work items it led to; search, count and export by period, channel, topic and company',
    new: 'New reception', fromCall: 'Record call: {{caller}} ({{time}})', saved: 'Reception recorded', export: 'Export Excel',
    allChannels: 'All channels', allTopics: 'All topics', allCompanies: 'All companies', search: 'Search summary, contact',
    tab: { list: 'Records', calls: 'Calls to record', stats: 'Statistics' },
    channel: 'Channel', at: 'Time', atHint: 'Empty = now; pick an earlier time to record late', who: 'Caller / visitor', topic: 'Topic', summary: 'Summary',
    action: 'Action taken', result: 'Result', items: 'Work items', agent: 'Agent', recordedAt: 'Recorded',
    link: 'Link', linkTitle: 'Link a work item', linkOther: 'Link other work items', itemHint: 'Search by number or title',
    change: 'Change', openItems: 'Open items (tick to link them to this contact)', noMatch: 'No registered user; fill in the contact below',
    callerDefault: 'The number belongs to {{name}}; used when nobody is picked', needSummary: 'Enter a summary',
    ch: { call: 'Call', walk_in: 'Walk-in', message: 'Message' },
    tp: { repair: 'Repair', complaint: 'Complaint', inquiry: 'Inquiry', suggestion: 'Suggestion', visitor: 'Visitor', other: 'Other' },
    callAt: 'Call time', caller: 'Caller', matched: 'Matched', unknownCaller: 'Unknown number', duration: 'Duration', recording: 'Recording', listen: 'Listen',
    recorded: 'Recorded', recordCall: 'Record', noCalls: 'No calls in the last 24 hours',
    by: { topic: 'By topic', floor: 'By floor', company: 'By company', week: 'By week' }, count: 'Count', share: 'Share', statsTotal: '{{n}} contacts',
  },
};

export const receptionStrings = { 'zh-CN': zh, 'en-US': en };
