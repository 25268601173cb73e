import i18next from 'i18next';

/**
 * Strings of the plan and record screens (desk `pl.*`), zh-CN first. Only these lazy screens use
 * them, so they join the dictionary when the first of them loads; the menu labels stay in
 * ../locales.ts.
 */
export const plZh = {
  period: '时段', needPeriod: '请先选择时段', exportXlsx: '导出 XLSX', exportHint: '按当前筛选导出，每条检查结果一行，漏检另成一页；导出记入审计日志',
  plan: '计划', kind: '类型', place: '位置（含下级）', person: '人员', result: '结果', allKinds: '全部类型',
  results: { all: '全部', findings: '有异常', missed: '有漏检', late: '超时' },
  state: '状态', states: { scheduled: '待执行', in_progress: '执行中', done: '已完成', missed: '漏检' },
  startsAt: '计划时间', window: '时间窗', assignee: '执行人', doneBy: '完成人', progress: '检查点', answers: '检查项', findings: '异常',
  late: '超时', outOfOrder: '未按顺序', proofQr: '扫码', proofManual: '手工', missedCp: '漏检 {{n}} 处', none: '无', allScanned: '全部扫码到位', flags: '到位情况',
  total: '共 {{n}} 条',
  plans: {
    sub: '巡检、巡逻、保洁、绿化等周期性工作：按计划自动生成任务（提前 7 天）', active: '启用', inactive: '已停用', showInactive: '显示已停用',
    schedule: '周期', holiday: '节假日', version: '版本', template: '检查表', view: '查看检查表', deactivate: '停用',
    deactivateConfirm: '停用“{{name}}”？尚未开始的任务将被删除，已有记录保留。', deactivated: '已停用 {{name}}',
    checkpoints: '{{n}} 个检查点', items: '{{n}} 项', staff: '指定人员', trade: '{{trade}}（班组）', duty: '{{trade}}值班人员',
    minutes: '{{d}} 分钟，宽限 {{g}} 分钟', itemKind: '类型', rule: '判定标准', expectYes: '应为“是”', expectNo: '应为“否”', failing: '异常项：{{list}}',
    range: '{{min}} – {{max}} {{unit}}', photoRequired: '必须拍照', rrule: '规则（RRULE）', startsOn: '起始日期',
  },
  today: {
    sub: '{{date}} 共 {{n}} 个任务 · 完成 {{done}} · 超时 {{late}} · 漏检 {{missed}}', refresh: '刷新', date: '日期', empty: '当天没有任务',
    upcoming: '未到时间',
  },
  task: {
    title: '任务记录', plannedAt: '计划时间', started: '开始', finished: '完成', checkpoints: '检查点', scanned: '到达 {{time}}',
    pending: '未到达', missed: '漏检', answer: '结果', judgement: '判定', normal: '正常', abnormal: '异常', noAnswer: '未填写',
    finding: '异常工单', findingsTitle: '发现的问题', yes: '是', no: '否', photos: '照片 {{n}} 张', note: '备注', lateFlag: '超出时间窗',
  },
  records: { sub: '任务与检查点记录：按时段、计划、类型、位置（含下级）、人员和结果查询', open: '点击一行查看任务记录' },
  rates: {
    sub: '已到期任务的完成率与按时率（按时 = 在时间窗及宽限内完成）；检查点漏检一并统计', by: '分组',
    groups: { plan: '按计划', kind: '按类型', person: '按人员', week: '按周' },
    tasks: '任务', done: '完成', onTime: '按时', missed: '漏检任务', completion: '完成率', onTimeRate: '按时率', cps: '检查点', cpMissed: '漏检点', cpRate: '到位率',
    chart: '完成率与按时率', totalRow: '合计', month: '月度巡检报表', monthSub: '按计划（路线）统计当月任务、完成、按时、漏检点、异常与记录数',
    decided: '已到期', answersCol: '记录数', findingsCol: '异常数',
  },
  missed: { sub: '已到期任务中未到达的检查点', checkpoint: '检查点', order: '#{{n}}', taskState: '任务状态' },
  readings: {
    sub: '选择检查点的数值项，查看一段时间内的读数及允许范围', item: '读数项', pick: '选择计划、位置与读数项', band: '允许范围',
    n: '读数 {{n}} 次', min: '最低', max: '最高', mean: '平均', out: '超出范围 {{n}} 次', noPoints: '该时段没有读数', value: '读数',
    noItems: '计划中还没有数值类检查项',
  },
  chem: {
    sub: '绿化病虫害防治的用药记录（GR-2）：药剂、用量、面积、天气，每次施药一行', at: '用药时间', pests: '防治对象', product: '药剂',
    dilution: '稀释倍数', dose: '用量', area: '面积', weather: '天气', by: '施药人', empty: '该时段没有用药记录',
  },
};

export const plEn: typeof plZh = {
  period: 'Period', needPeriod: 'Choose a period first', exportXlsx: 'Export XLSX', exportHint: 'Exports the current search, one row per answer, missed checkpoints on a second sheet; audited',
  plan: 'Plan', kind: 'Kind', place: 'Place (and inside)', person: 'Person', result: 'Result', allKinds: 'All kinds',
  results: { all: 'All', findings: 'With findings', missed: 'With missed', late: 'Late' },
  state: 'State', states: { scheduled: 'Scheduled', in_progress: 'In progress', done: 'Done', missed: 'Missed' },
  startsAt: 'Planned', window: 'Window', assignee: 'Assignee', doneBy: 'Done by', progress: 'Checkpoints', answers: 'Answers', findings: 'Findings',
  late: 'Late', outOfOrder: 'Out of order', proofQr: 'QR', proofManual: 'Manual', missedCp: '{{n}} missed', none: 'None', allScanned: 'All scanned', flags: 'Visits',
  total: '{{n}} in all',
  plans: {
    sub: 'Inspections, patrols, cleaning, greening and other routines: tasks are generated 7 days ahead', active: 'Active', inactive: 'Deactivated', showInactive: 'Show deactivated',
    schedule: 'Schedule', holiday: 'Holidays', version: 'Version', template: 'Checklist', view: 'View checklist', deactivate: 'Deactivate',
    deactivateConfirm: 'Deactivate “{{name}}”? Tasks not started yet are removed; records stay.', deactivated: '{{name}} deactivated',
    checkpoints: '{{n}} checkpoints', items: '{{n}} items', staff: 'Named person', trade: '{{trade}} (team)', duty: '{{trade}} on duty',
    minutes: '{{d}} min, grace {{g}} min', itemKind: 'Type', rule: 'Rule', expectYes: 'Expected “yes”', expectNo: 'Expected “no”', failing: 'Failing: {{list}}',
    range: '{{min}} – {{max}} {{unit}}', photoRequired: 'Photo required', rrule: 'Rule (RRULE)', startsOn: 'Starts on',
  },
  today: {
    sub: '{{date}}: {{n}} tasks · {{done}} done · {{late}} late · {{missed}} missed', refresh: 'Refresh', date: 'Date', empty: 'No tasks that day',
    upcoming: 'Not yet',
  },
  task: {
    title: 'Task record', plannedAt: 'Planned', started: 'Started', finished: 'Finished', checkpoints: 'Checkpoints', scanned: 'Reached {{time}}',
    pending: 'Not reached', missed: 'Missed', answer: 'Answer', judgement: 'Judgement', normal: 'Normal', abnormal: 'Abnormal', noAnswer: 'Not answered',
    finding: 'Finding', findingsTitle: 'Findings raised', yes: 'Yes', no: 'No', photos: '{{n}} photo(s)', note: 'Note', lateFlag: 'Past the window',
  },
  records: { sub: 'Task and checkpoint records by period, plan, kind, place (and inside), person and result', open: 'Click a row for the task record' },
  rates: {
    sub: 'Completion and on-time rates of tasks past their window (on time = finished within the window and grace); missed checkpoints too', by: 'Group by',
    groups: { plan: 'Plan', kind: 'Kind', person: 'Person', week: 'Week' },
    tasks: 'Tasks', done: 'Done', onTime: 'On time', missed: 'Missed tasks', completion: 'Completion', onTimeRate: 'On time', cps: 'Checkpoints', cpMissed: 'Missed points', cpRate: 'Reached',
    chart: 'Completion and on-time rates', totalRow: 'Total', month: 'Monthly route report', monthSub: 'Per plan (route): tasks, done, on time, missed points, findings and answers in the month',
    decided: 'Due', answersCol: 'Answers', findingsCol: 'Findings',
  },
  missed: { sub: 'Checkpoints not reached in tasks past their window', checkpoint: 'Checkpoint', order: '#{{n}}', taskState: 'Task state' },
  readings: {
    sub: 'Pick a checkpoint’s number item to see its readings over a period against the allowed range', item: 'Reading', pick: 'Pick a plan, place and reading', band: 'Allowed range',
    n: '{{n}} readings', min: 'Lowest', max: 'Highest', mean: 'Mean', out: '{{n}} out of range', noPoints: 'No readings in this period', value: 'Reading',
    noItems: 'No number items in the plans yet',
  },
  chem: {
    sub: 'Chemical-use record of pest and disease control (GR-2): product, dose, area and weather, one row per use', at: 'Applied', pests: 'Target', product: 'Product',
    dilution: 'Dilution', dose: 'Dose', area: 'Area', weather: 'Weather', by: 'Applied by', empty: 'No chemical use in this period',
  },
};

i18next.addResourceBundle('zh-CN', 'translation', { pl: plZh }, true, false);
i18next.addResourceBundle('en-US', 'translation', { pl: plEn }, true, false);
