import i18next from 'i18next';

/**
 * Strings of the report screens (desk `rp.*`), zh-CN first. Only these lazy screens use them, so
 * they join the dictionary when the first of them loads (end of this file) and the desk's first
 * load does not carry them; the menu labels stay in ../locales.ts.
 */
export const rpZh = {
  exportXlsx: '导出 XLSX', exported: '已导出 {{name}}', print: '打印', last: '最近 {{n}} 天', thisMonth: '本月', lastMonth: '上月',
  archive: {
    hint: '全部报修、投诉与咨询记录，可按时段、位置、类别、处理人和时限达成情况查询',
    sub: '共 {{n}} 条记录 · 点击一行查看详情',
    kind: '类型', place: '位置（含下级）', category: '类别（含下级）', technician: '处理人', state: '状态', clock: '时限',
    met: '时限达成', kept: '按时', broken: '超时', notJudged: '未判定', limits: '时限',
    search: '单号或标题', reporter: '报修人 / 单位', done: '完成时间',
    needPeriod: '导出前请先选择时段', exportHint: '按当前筛选导出，电话号码已打码，导出记入审计日志',
  },
  monthly: {
    hint: '按月统计投诉：数量、类别、时效、重复投诉、回访满意度与整改措施；可打印或导出',
    title: '{{month}}投诉月报', period: '统计区间：{{from}} 至 {{to}}（按投诉登记时间）', printed: '生成于 {{time}}',
    volume: '一、投诉量', total: '本月投诉', previous: '上月投诉', change: '环比变化', open: '处理中', resolved: '已解决待回访',
    closed: '已关闭', cancelled: '已撤销', aboutRepairs: '由报修引发',
    categories: '二、投诉类别', timeliness: '三、处理时效', acknowledge: '受理及时率', resolution: '解决及时率', update: '进展告知及时率',
    overdueOpen: '当前超时未结',
    repeats: '四、重复投诉（同月 2 次及以上）', byCompany: '按单位', byPlace: '按位置', company: '单位', count: '次数', categoriesCol: '类别',
    noRepeats: '本月无重复投诉',
    revisits: '五、回访满意度', revisitsDone: '已回访', reached: '回访接通', satisfied: '满意', satisfaction: '满意率',
    comment: '不满意原因', followUp: '跟进',
    followUps: { none: '无', reopened: '已重新处理', complaint: '已转投诉跟进' },
    improvements: '六、整改措施', noImprovements: '本月暂无整改记录', categoryCol: '类别', where: '单位 / 位置', responsible: '责任人', resolutionCol: '处理结果与改进措施',
    foot: '数据来源：工单记录与计时记录，时效按项目工作日历计算。',
  },
  sla: {
    sub: '{{from}} 至 {{to}} · 报修 {{n}} 单',
    urgentArrival: '紧急报修 {{n}} 分钟内到场率', urgentArrivalSub: '{{met}}/{{n}} 单 · 中位 {{p50}} · 90% {{p90}}',
    provenShare: '扫码到场占比', provenSub: '扫码 {{proven}} 单（到场率 {{pr}}）· 手动 {{unproven}} 单（{{ur}}）',
    provenHint: '扫位置二维码到场为“已证实”；手动到场未经扫码证实，单独统计',
    firstTimeFix: '一次修复率', firstTimeFixHint: '完工后 7 天内未返修的比例', ofCompleted: '已完工 {{n}} 单中 {{met}} 单',
    reopen: '返修率', reopenSub: '返修 {{k}}/{{n}} 单 · 引发投诉 {{c}} 单',
    byTrade: '各工种响应与完工时长（中位 / 90%）', responseMin: '响应（分钟）', resolutionH: '完工（小时）',
    responseP: '响应', responseP50: '响应 中位', responseP90: '响应 90%', resolutionP: '完工', resolutionP50: '完工 中位', resolutionP90: '完工 90%',
    arrivalTitle: '紧急报修到场（{{n}} 分钟内）', proven: '扫码到场', unproven: '手动到场', inTime: '{{n}} 分钟内', late: '超时',
    tradeTable: '各工种时效明细（中位 / 90% · 按时率）', repairs: '报修', urgentCount: '紧急',
    arrivalCol: '到场', responseCol: '响应', resolutionCol: '完工', urgentResolutionCol: '紧急完工',
    byTechnician: '维修人员', technician: '姓名 / 工种', items: '工单', completed: '完工', onTime: '按时率', reopened: '返修', rating: '评价',
    byResponsible: '投诉责任人', responsible: '责任人', complaints: '投诉', breached: '超时单', toArchive: '在工单档案中查看其工单',
  },
  spot: {
    sub: '每周抽检上周完工的报修：紧急 30%、其他 10%，抽检名单固定；主管记录合格与否',
    proposal: '本周抽检建议', proposalTitle: '抽检建议 · {{week}}（{{from}} 至 {{to}} 完工）',
    rule: '该周完工 {{completed}} 单（紧急 {{urgent}} 单），按紧急 {{su}}%、其他 {{so}}% 抽取 {{n}} 单，已检 {{done}} 单',
    noneProposed: '该周没有完工的报修', reason: '抽取原因', reason_urgent: '紧急', reason_sample: '随机抽样',
    check: '抽检结果', unchecked: '待抽检', pass: '合格', fail: '不合格', passed: '{{number}} 已记录为合格', failed: '{{number}} 已记录为不合格',
    failTitle: '{{number}} 抽检不合格', note: '说明', failHint: '写明问题所在，如 接线未做防水处理', notePlaceholder: '不合格原因', needNote: '不合格须说明问题',
    recorded: '抽检记录', all: '全部', passRate: '合格率', passSub: '合格 {{p}} / 抽检 {{n}}', checked: '已抽检', failedCount: '不合格',
    checkedAt: '抽检时间', result: '结果', checkedBy: '抽检人', week: '抽检周', extra: '计划外',
  },
};

export const rpEn: typeof rpZh = {
  exportXlsx: 'Export XLSX', exported: 'Exported {{name}}', print: 'Print', last: 'Last {{n}} days', thisMonth: 'This month', lastMonth: 'Last month',
  archive: {
    hint: 'Every repair, complaint and inquiry; search by period, place, category, assignee and kept limits',
    sub: '{{n}} records · click a row for details',
    kind: 'Kind', place: 'Place (and inside)', category: 'Category (and below)', technician: 'Assignee', state: 'State', clock: 'Clock',
    met: 'Limits', kept: 'Kept', broken: 'Broken', notJudged: 'Not judged', limits: 'Limits',
    search: 'Number or title', reporter: 'Reporter / company', done: 'Completed',
    needPeriod: 'Choose a period before exporting', exportHint: 'Exports the current search; phones masked; the export is audited',
  },
  monthly: {
    hint: 'Complaints per month: volume, categories, timeliness, repeats, revisit satisfaction and improvements; print or export',
    title: 'Complaint report, {{month}}', period: 'Period: {{from}} to {{to}} (by filing time)', printed: 'Generated {{time}}',
    volume: '1. Volume', total: 'This month', previous: 'Last month', change: 'Change', open: 'In progress', resolved: 'Resolved, revisit due',
    closed: 'Closed', cancelled: 'Cancelled', aboutRepairs: 'About a repair',
    categories: '2. Categories', timeliness: '3. Timeliness', acknowledge: 'Acknowledged in time', resolution: 'Resolved in time', update: 'Updated in time',
    overdueOpen: 'Open and overdue now',
    repeats: '4. Repeat complaints (2+ in the month)', byCompany: 'By company', byPlace: 'By place', company: 'Company', count: 'Count', categoriesCol: 'Categories',
    noRepeats: 'No repeats this month',
    revisits: '5. Revisit satisfaction', revisitsDone: 'Revisited', reached: 'Reached', satisfied: 'Satisfied', satisfaction: 'Satisfaction',
    comment: 'Why not satisfied', followUp: 'Follow-up',
    followUps: { none: 'None', reopened: 'Reopened', complaint: 'Follow-up complaint opened' },
    improvements: '6. Improvements', noImprovements: 'No improvements recorded', categoryCol: 'Category', where: 'Company / place', responsible: 'Owner', resolutionCol: 'Resolution and improvement',
    foot: 'Source: work-item and clock records; limits counted on the site’s working calendar.',
  },
  sla: {
    sub: '{{from}} to {{to}} · {{n}} repairs',
    urgentArrival: 'Urgent repairs reached within {{n}} min', urgentArrivalSub: '{{met}}/{{n}} · median {{p50}} · p90 {{p90}}',
    provenShare: 'Arrivals proven by QR', provenSub: 'QR {{proven}} (in time {{pr}}) · manual {{unproven}} ({{ur}})',
    provenHint: 'Scanning the place’s QR label proves the arrival; a manual arrival is unproven and counted apart',
    firstTimeFix: 'First-time fix', firstTimeFixHint: 'Completed repairs not reopened within 7 days', ofCompleted: '{{met}} of {{n}} completed',
    reopen: 'Reopen rate', reopenSub: '{{k}}/{{n}} reopened · {{c}} led to complaints',
    byTrade: 'Response and completion per trade (median / p90)', responseMin: 'Response (min)', resolutionH: 'Completion (h)',
    responseP: 'Response', responseP50: 'Response p50', responseP90: 'Response p90', resolutionP: 'Completion', resolutionP50: 'Completion p50', resolutionP90: 'Completion p90',
    arrivalTitle: 'Urgent arrivals (within {{n}} min)', proven: 'QR scanned', unproven: 'Manual', inTime: 'Within {{n}} min', late: 'Late',
    tradeTable: 'Per trade (median / p90 · in time)', repairs: 'Repairs', urgentCount: 'Urgent',
    arrivalCol: 'Arrival', responseCol: 'Response', resolutionCol: 'Completion', urgentResolutionCol: 'Urgent completion',
    byTechnician: 'Technicians', technician: 'Name / trades', items: 'Items', completed: 'Done', onTime: 'In time', reopened: 'Reopened', rating: 'Rating',
    byResponsible: 'Complaint owners', responsible: 'Owner', complaints: 'Complaints', breached: 'Late items', toArchive: 'Their items in the archive',
  },
  spot: {
    sub: 'Each week, repairs completed the week before are checked: 30 % of urgent, 10 % of others, a fixed list; supervisors record pass or fail',
    proposal: 'This week’s proposal', proposalTitle: 'Proposal · {{week}} (completed {{from}} to {{to}})',
    rule: '{{completed}} completed ({{urgent}} urgent); {{su}} % of urgent and {{so}} % of others gives {{n}}; {{done}} checked',
    noneProposed: 'No repairs completed that week', reason: 'Why', reason_urgent: 'Urgent', reason_sample: 'Sample',
    check: 'Check', unchecked: 'Not checked', pass: 'Pass', fail: 'Fail', passed: '{{number}} recorded as passed', failed: '{{number}} recorded as failed',
    failTitle: '{{number}} fails the check', note: 'Note', failHint: 'Say what is wrong, e.g. joint not waterproofed', notePlaceholder: 'What is wrong', needNote: 'A failed check needs a note',
    recorded: 'Recorded checks', all: 'All', passRate: 'Pass rate', passSub: '{{p}} passed of {{n}}', checked: 'Checked', failedCount: 'Failed',
    checkedAt: 'Checked', result: 'Result', checkedBy: 'By', week: 'Week', extra: 'Unplanned',
  },
};

i18next.addResourceBundle('zh-CN', 'translation', { rp: rpZh }, true, false);
i18next.addResourceBundle('en-US', 'translation', { rp: rpEn }, true, false);
