/** Strings of the revisit screen (回访, RP-8, CP-7), merged into the desk's dictionary. */
const zh = {
  rv: {
    sub: '紧急报修、投诉、评价 ≤ 3 星的工单及抽样工单须在完工后 2 个工作日内回访；不满意将重新打开报修或转为投诉，并通知主管',
    pending: '待回访', done: '已回访', item: '工单', reason: '回访原因', due: '回访时限', reporter: '报修人 / 电话', attempts: '未接通',
    attemptsN: '{{n}} 次', record: '登记回访', doneAt: '回访时间', channel: '回访方式', result: '结果', comment: '回访意见', followUp: '后续处理',
    nonePending: '没有待回访的工单', noneDone: '还没有回访记录',
    why: { urgent: '紧急报修', complaint: '投诉', low_rating: '低评分', sample: '抽样' },
    ch: { phone: '电话', email: '邮件', on_site: '上门' },
    fu: { reopened: '已重新打开', complaint: '已转投诉' },
    recordTitle: '登记回访 {{number}}', reached: '是否联系上', reachedYes: '已联系上', reachedNo: '未接通 / 未联系上',
    opinion: '是否满意', satisfied: '满意', dissatisfied: '不满意', noOpinion: '已回访', needOpinion: '请选择是否满意', needComment: '请填写不满意的原因',
    willReopen: '保存后将重新打开报修 {{number}}，并通知主管', willComplain: '保存后将新建一条与 {{number}} 关联的投诉，并通知主管',
    saved: '回访已登记', attemptSaved: '已记录未接通，回访仍待完成', savedReopened: '回访已登记，报修已重新打开', savedComplaint: '回访已登记，已新建关联投诉',
  },
};

type Dict = typeof zh;

const en: Dict = {
  rv: {
    sub: 'Urgent repairs, complaints, ratings ≤ 3 and a sample of the rest are revisited within 2 working days of completion; dissatisfied reopens the repair or opens a complaint and tells the supervisor',
    pending: 'To revisit', done: 'Revisited', item: 'Work item', reason: 'Reason', due: 'Due', reporter: 'Reporter / phone', attempts: 'Not reached',
    attemptsN: '{{n}}×', record: 'Record', doneAt: 'Revisited', channel: 'Channel', result: 'Result', comment: 'Comment', followUp: 'Follow-up',
    nonePending: 'Nothing to revisit', noneDone: 'No revisits yet',
    why: { urgent: 'Urgent repair', complaint: 'Complaint', low_rating: 'Low rating', sample: 'Sample' },
    ch: { phone: 'Phone', email: 'E-mail', on_site: 'On site' },
    fu: { reopened: 'Reopened', complaint: 'Complaint opened' },
    recordTitle: 'Revisit {{number}}', reached: 'Reached?', reachedYes: 'Reached', reachedNo: 'Not reached',
    opinion: 'Satisfied?', satisfied: 'Satisfied', dissatisfied: 'Dissatisfied', noOpinion: 'Revisited', needOpinion: 'Choose satisfied or not', needComment: 'Say why they are dissatisfied',
    willReopen: 'Saving reopens repair {{number}} and tells the supervisor', willComplain: 'Saving opens a complaint linked to {{number}} and tells the supervisor',
    saved: 'Revisit recorded', attemptSaved: 'Attempt recorded; the revisit stays open', savedReopened: 'Revisit recorded; the repair is reopened', savedComplaint: 'Revisit recorded; a linked complaint is opened',
  },
};

export const revisitStrings = { 'zh-CN': zh, 'en-US': en };
