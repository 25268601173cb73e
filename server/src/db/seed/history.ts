import crypto from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  ALWAYS, KINDS, addWorkingDuration, dayKind, defaultUrgency, escalationAts, findCategory, isWorkingTime, itemNumber, nextWorkingStart, pauseClock, policiesFor,
  resumeClock, shanghaiDate, shanghaiInstant, startClock, stopClock, tradeOf, workingMinutesBetween,
  type ClockPolicy, type ClockState, type Trade, type Urgency, type WorkItemKind, type WorkingCalendar,
} from '@towerdesk/domain';
import type { Queryable } from '../index.ts';
import { accounts } from '../../modules/accounts/schema.ts';
import { siteCalendar } from '../../modules/calendar/service.ts';
import { companies, occupants, staff } from '../../modules/parties/schema.ts';
import { places } from '../../modules/places/schema.ts';
import { nextFire } from '../../modules/work-items/clocks.ts';
import { isoWeekOf, proposeSpotChecks, weekBounds } from '../../modules/work-items/reports.ts';
import { addDays, makeRng } from './rng.ts';

/**
 * Six months of service-desk history for the demo tower (issue 3 "Done when": the monthly
 * complaint report and the SLA statistics show something real). Repairs, complaints and
 * inquiries are played through the same rules the service applies — the kinds' transitions,
 * the clock policies and the domain's clock arithmetic on the site's working calendar, the
 * sweep's warnings/breaches/escalations, the revisit policy — and written with a few bulk
 * inserts, without audit rows or notifications (like the rest of the seed).
 *
 * Deterministic for a given `today` (one seeded PRNG; only row ids are random). Everything
 * that happened before `now` is recorded; what would happen later has not happened yet, so the
 * last days leave items open in whatever state they have reached, with their clocks running.
 * A handful of open items are placed on purpose so the dispatch board shows each colour: some
 * warned, exactly one breached.
 */

const SEED = 0x4a57_0b1d;
const DAYS = 182;
/** Items of the last days keep their promises, so the only breached running clock is the one placed on purpose. */
const CALM_DAYS = 6;
const MIN = 60_000;

export interface HistorySummary {
  repairs: number;
  complaints: number;
  inquiries: number;
  open: number;
  events: number;
  clocks: number;
  revisits: number;
  spotChecks: number;
}

const plus = (t: Date, minutes: number) => new Date(t.getTime() + Math.round(minutes * MIN));

// ---------------------------------------------------------------------------------------------
// What people write

const REPAIR_TEXT: Record<string, string[]> = {
  'electrical.lighting': ['办公室吸顶灯不亮', '会议室筒灯一直闪烁', '走廊灯管坏了，光线很暗', '前台区域两盏灯不亮', '灯具有嗡嗡声，疑似镇流器故障', '工位上方的灯不亮'],
  'electrical.socket': ['工位插座没电', '会议室墙插松动，接触不良', '开关面板损坏按不下去', '地插盖板破损', '插座冒火花，已停止使用'],
  'electrical.power_outage': ['办公室突然断电，空开跳闸', '半层停电，电脑全部关机', '机房电源跳闸，服务器断电', '茶水间一用电器就跳闸'],
  'plumbing.leak': ['天花板漏水，地面已有积水', '茶水间水槽下方水管漏水', '卫生间隔墙渗水，水流到走廊', '空调冷凝水管漏水滴到工位', '吊顶滴水，已用桶接着'],
  'plumbing.blocked_drain': ['小便池堵塞', '马桶堵了', '茶水间水槽下水很慢', '地漏返味、排水不畅'],
  'plumbing.fixture': ['洗手池龙头关不紧，一直滴水', '感应龙头不出水', '马桶水箱一直流水', '冲水按钮失灵'],
  'plumbing.no_water': ['卫生间停水', '茶水间没有水'],
  'hvac.temperature': ['空调不制冷，办公室很热', '会议室太热，开会受影响', '空调出风是热风', '空调不制热，办公室很冷', '温控面板显示故障代码'],
  'hvac.ventilation': ['新风不足，室内很闷', '卫生间排风扇不转', '会议室换气差'],
  'hvac.noise_drip': ['风机盘管噪音很大', '空调出风口滴水', '空调运行有异响'],
  'lift.entrapment': ['电梯困人，有人被困在轿厢内', '电梯停在两层之间，里面有人'],
  'lift.out_of_service': ['一台电梯停运', '电梯门关不上', '电梯楼层按钮失灵', '电梯运行有异响、有抖动'],
  'doors.lock': ['办公室门锁打不开', '门把手松脱', '闭门器漏油，门关不严', '钥匙插不进锁芯'],
  'doors.access': ['门禁卡刷不开闸机', '员工门禁权限失效', '访客闸机不识别二维码', '车库道闸不抬杆'],
  'doors.window': ['玻璃门合页损坏', '窗户关不严，漏风', '推拉门卡住推不动'],
  'fire.alarm': ['烟感报警，现场没有烟', '火警铃响，疑似误报', '消防报警器一直鸣响'],
  'fire.equipment': ['灭火器压力不足需更换', '安全出口指示灯不亮', '消火栓箱门损坏'],
  cleaning: ['地面湿滑、有污渍', '电梯厅有垃圾未清理', '走廊地毯有大片污渍', '垃圾桶满了没人清'],
  other: ['窗帘轨道脱落', '墙上挂画松动', '墙皮起鼓脱落', '楼层导视牌损坏'],
};

const COMPLAINT_TEXT: Record<string, Array<[complaint: string, improvement: string]>> = {
  attitude: [
    ['前台客服接电话态度生硬', '已对当事客服进行批评教育，组织全员服务礼仪培训'],
    ['保安对来访客户说话不客气', '当事保安书面检讨，保安队增加文明用语考核'],
    ['报修后客服一直没有回电', '客服回电制度写入交接班检查表，主管每日抽查'],
  ],
  repair_quality: [
    ['同一处漏水修了两次还在漏', '更换整段老化水管并复查，维修班组开展质量复盘'],
    ['维修后灯还是闪', '工程主管复查后更换镇流器，完工回检纳入维修标准'],
    ['维修工完工后没有清理现场', '完工清理纳入维修标准并通报班组'],
    ['报修等了很久才有人来', '调整白班派单规则，高峰时段增加一名机动维修工'],
  ],
  sanitation: [
    ['卫生间异味严重', '卫生间巡检加密至每小时一次，更换除臭设备'],
    ['电梯厅地面污渍长时间没人清理', '重新划分保洁责任区，下午增加一个保洁班次'],
    ['垃圾清运不及时', '垃圾清运调整为每日三次，并公示清运时间'],
    ['楼梯间有烟味', '楼梯间增设禁烟标识，保安加强巡查'],
  ],
  security: [
    ['夜间有陌生人进入办公楼层', '加强夜间巡逻并复核楼层门禁权限'],
    ['快递员随意进出办公区', '快递统一在大堂收发区交接，不得上楼'],
    ['非机动车乱停在大门口', '门口划定非机动车停放区，安排保安引导'],
  ],
  parking: [
    ['固定车位被他人占用', '核查占位车辆并张贴告示，固定车位加装地锁'],
    ['车库出口排队时间太长', '高峰时段增加一名车库引导员，道闸识别参数优化'],
    ['车库照明太暗', '车库照明更换为LED灯具'],
    ['月租车位收费有疑问', '向业主说明计费规则，退还多收费用'],
  ],
  noise: [
    ['楼上装修噪音太大，影响办公', '与装修单位约定施工时段，高噪音作业安排在18点后'],
    ['空调机房噪音大', '机房加装隔音棉并调整风机运行参数'],
    ['夜间施工扰民', '夜间施工须提前报备并告知相邻租户'],
  ],
  charges: [
    ['物业费账单金额有误', '核对账单后更正并补发通知'],
    ['加班空调费计费不清楚', '发送加班空调计费说明并提供明细'],
    ['停车费多收', '退还多收费用并修正计费设置'],
  ],
  complaint_other: [
    ['大堂温度太低', '调整大堂空调设定温度并增加门斗风幕'],
    ['早高峰电梯等候时间太长', '优化电梯群控高峰运行模式'],
    ['公共区域网络信号差', '协调运营商在大堂增加无线接入点'],
  ],
};

const INQUIRY_TEXT: Record<string, Array<[question: string, answer: string]>> = {
  consultation: [
    ['请问加班空调怎么申请', '已告知可在前台或手机端提交加班空调申请，需提前一个工作日'],
    ['快递收发点在哪里', '已告知快递收发点在1层大堂东侧'],
    ['访客车位如何预约', '已告知访客车位需由接待单位提前登记访客车牌'],
    ['物业费发票怎么开', '已告知开票流程，发票将在3个工作日内寄出'],
    ['装修申请需要哪些材料', '已发送装修申请材料清单及审批流程'],
    ['国庆期间大楼开放时间', '已告知节假日大楼开放时间及加班登记方式'],
  ],
  suggestion: [
    ['建议大堂增加休息座椅', '感谢建议，已提交项目部评估，下月实施'],
    ['建议增加电动车充电桩', '感谢建议，已列入车库改造计划'],
    ['建议卫生间增加挂钩', '感谢建议，已安排工程部统一加装'],
    ['建议电梯厅增加楼层导视', '感谢建议，已安排制作导视牌'],
  ],
  praise: [
    ['表扬电工师傅维修及时', '感谢表扬，已转达并纳入月度表彰'],
    ['保洁阿姨工作认真，特此表扬', '感谢表扬，已转达保洁班组'],
    ['前台客服服务热情', '感谢表扬，已转达客服中心'],
  ],
};

const MANUAL_ARRIVAL = ['二维码标签破损，无法扫描', '现场手机没有信号', '紧急处置后补登记到场', '标签被设备遮挡'];
const DECLINE = ['正在处理另一紧急报修', '不在班，请改派'];
const CANCEL = ['已自行解决', '重复报修', '报修人撤回'];
const REOPEN = ['问题又出现了', '没有修好', '维修后仍有异常'];
const GOOD = ['很快就修好了', '师傅很专业，谢谢', '满意', '响应很快'];
const OK = ['修好了，稍微慢了点', '还可以'];
const BAD = ['等了很久', '还有点问题', '维修不彻底', '现场没有清理'];
const SATISFIED = ['满意，处理及时', '师傅很专业', '问题已解决', '满意', '响应很快，谢谢'];
const DISSATISFIED = ['问题没有彻底解决', '又出现了同样的问题', '处理太慢', '对处理结果不满意'];
const UPDATES = ['已联系相关部门核实情况', '正在协调处理，预计明天给出方案', '已安排现场查看', '处理方案已确定，正在落实'];
const SPOT_FAIL = ['现场未清理，有遗留包装', '材料用量偏大，未登记更换件', '修复不彻底，同一部位仍有渗水痕迹', '完工照片与实际不符'];

// ---------------------------------------------------------------------------------------------
// Categories: how often, where, and in which season

type Where = 'unit' | 'washroom' | 'public' | 'lift' | 'gate' | 'plant' | 'stair' | 'carpark' | 'desk';

const REPAIR_MIX: Array<{ code: string; weight: number; where: Array<[Where, number]>; season?: (month: number) => number }> = [
  { code: 'electrical.lighting', weight: 17, where: [['unit', 65], ['public', 15], ['washroom', 8], ['stair', 6], ['carpark', 6]] },
  { code: 'electrical.socket', weight: 7, where: [['unit', 95], ['public', 5]] },
  { code: 'electrical.power_outage', weight: 2.6, where: [['unit', 90], ['public', 10]] },
  { code: 'plumbing.leak', weight: 6, where: [['unit', 50], ['washroom', 35], ['plant', 15]], season: (m) => (m === 6 || m === 7 ? 1.6 : m === 8 || m === 9 ? 1.25 : 1) },
  { code: 'plumbing.blocked_drain', weight: 8, where: [['washroom', 75], ['unit', 25]] },
  { code: 'plumbing.fixture', weight: 7, where: [['washroom', 75], ['unit', 25]] },
  { code: 'plumbing.no_water', weight: 0.8, where: [['washroom', 70], ['unit', 30]] },
  { code: 'hvac.temperature', weight: 10, where: [['unit', 88], ['public', 12]], season: (m) => [1.3, 1.1, 1, 1, 1, 1.2, 2.2, 2.8, 2.8, 1.8, 0.8, 1.1, 1.3][m]! },
  { code: 'hvac.ventilation', weight: 3.5, where: [['unit', 60], ['washroom', 40]] },
  { code: 'hvac.noise_drip', weight: 4, where: [['unit', 90], ['public', 10]], season: (m) => (m >= 6 && m <= 9 ? 1.7 : 1) },
  { code: 'lift.entrapment', weight: 0.8, where: [['lift', 100]] },
  { code: 'lift.out_of_service', weight: 3, where: [['lift', 100]] },
  { code: 'doors.lock', weight: 6, where: [['unit', 70], ['stair', 15], ['washroom', 15]] },
  { code: 'doors.access', weight: 5, where: [['gate', 100]] },
  { code: 'doors.window', weight: 3, where: [['unit', 60], ['public', 40]] },
  { code: 'fire.alarm', weight: 1.2, where: [['unit', 50], ['public', 30], ['plant', 20]] },
  { code: 'fire.equipment', weight: 2, where: [['stair', 50], ['public', 30], ['carpark', 20]] },
  { code: 'cleaning', weight: 4, where: [['washroom', 45], ['public', 35], ['lift', 20]] },
  { code: 'other', weight: 3, where: [['unit', 60], ['public', 40]] },
];

const COMPLAINT_MIX: Array<[string, number, Where]> = [
  ['attitude', 14, 'desk'], ['repair_quality', 16, 'unit'], ['sanitation', 18, 'washroom'], ['security', 8, 'gate'],
  ['parking', 15, 'carpark'], ['noise', 13, 'unit'], ['charges', 9, 'desk'], ['complaint_other', 7, 'public'],
];
const INQUIRY_MIX: Array<[string, number]> = [['consultation', 62], ['suggestion', 27], ['praise', 11]];

// ---------------------------------------------------------------------------------------------
// One item played through the rules

type Who = { id: string | null; name: string };

interface Ev {
  at: Date; type: string; action: string | null; from: string | null; to: string | null;
  who: Who | null; body: string | null; public: boolean; data: unknown;
}

interface Clock {
  policy: ClockPolicy;
  state: ClockState;
  dueAt: Date;
  warnAts: Date[];
  warningsFired: number;
  breachedAt: Date | null;
  escalationLevel: number;
  met: boolean | null;
  minutesLate: number | null;
}

interface Revisit {
  id: string; reason: string; state: 'pending' | 'done'; createdAt: Date; attempts: number;
  channel: string | null; reached: boolean | null; satisfied: boolean | null; comment: string | null;
  followUp: string | null; followUpItemId: string | null; doneBy: string | null; doneAt: Date | null;
}

interface World {
  siteId: string;
  cal: WorkingCalendar;
  horizon: Date;
}

const CHANNEL_ZH: Record<string, string> = { phone: '电话', email: '邮件', on_site: '上门' };
const hhmm = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

class Item {
  readonly id: string = crypto.randomUUID();
  number = '';
  state: string;
  assignee: string | null = null;
  scheduledFor: Date | null = null;
  arrivedAt: Date | null = null;
  arrivalProof: string | null = null;
  completedAt: Date | null = null;
  closedAt: Date | null = null;
  resolution: string | null = null;
  rating: number | null = null;
  ratingComment: string | null = null;
  reopenCount = 0;
  relatedItemId: string | null = null;
  updatedAt: Date;
  readonly events: Ev[] = [];
  readonly clocks = new Map<string, Clock>();
  readonly revisits: Revisit[] = [];
  /** A step fell after `now`: it and everything after it has not happened yet. */
  frozen = false;

  constructor(
    private readonly w: World,
    readonly kind: WorkItemKind,
    readonly category: string,
    readonly urgency: Urgency,
    readonly fields: {
      placeId: string | null; channel: string; occupantId: string | null; companyId: string | null;
      contactName: string | null; createdBy: string; title: string; description: string;
    },
    readonly createdAt: Date,
    /** In the revisit sample (RP-8): decided once per item, as the service's hash of the id is. */
    readonly sampled: boolean,
  ) {
    this.state = KINDS[kind].initial;
    this.updatedAt = createdAt;
  }

  private policies() {
    return policiesFor(this.kind, this.urgency, this.category);
  }

  private happens(at: Date) {
    if (this.frozen || at.getTime() > this.w.horizon.getTime()) {
      this.frozen = true;
      return false;
    }
    return true;
  }

  private ev(e: Omit<Ev, 'action' | 'from' | 'to' | 'body' | 'data' | 'who'> & Partial<Ev>) {
    this.events.push({ action: null, from: null, to: null, body: null, data: null, who: null, ...e });
  }

  /** Filed (with the off-hours rule: a non-urgent item's clocks count from `startAt`). */
  create(who: Who, startAt?: Date) {
    const at = this.createdAt;
    this.scheduledFor = startAt ?? null;
    this.ev({
      at, type: 'created', to: this.state, who, public: true,
      body: startAt ? `非工作时间受理，将于 ${shanghaiDate(startAt)} ${hhmm(startAt)} 起处理` : null,
      data: { channel: this.fields.channel, urgency: this.urgency, scheduledFor: startAt?.toISOString() ?? null },
    });
    this.clockEvent('create', at, startAt);
  }

  /** One transition of the kind, checked against its declaration. */
  act(at: Date, action: string, who: Who, opts: { assignee?: Who & { staffId: string }; body?: string; data?: Record<string, unknown>; proof?: 'qr' | 'manual'; rating?: number; resolution?: string } = {}) {
    if (!this.happens(at)) return false;
    const def = KINDS[this.kind].transitions.find((t) => t.action === action && t.from.includes(this.state));
    if (!def) throw new Error(`history seed: ${this.kind} cannot ${action} from ${this.state}`);
    const from = this.state;
    this.state = def.to;
    this.updatedAt = at;
    const data: Record<string, unknown> = { ...opts.data };
    if (opts.assignee) {
      this.assignee = opts.assignee.staffId;
      data.assignee = { id: opts.assignee.staffId, name: opts.assignee.name };
    }
    if (action === 'decline') this.assignee = null;
    if (action === 'arrive') {
      this.arrivedAt = at;
      this.arrivalProof = opts.proof ?? 'qr';
      data.proof = this.arrivalProof;
    }
    if (action === 'complete') this.completedAt = at;
    if (def.to === 'closed') this.closedAt = at;
    if (opts.resolution) this.resolution = opts.resolution;
    if (action === 'reopen') { this.reopenCount++; this.completedAt = null; }
    if (opts.rating !== undefined) { this.rating = opts.rating; this.ratingComment = opts.body ?? null; data.rating = opts.rating; }
    this.ev({ at, type: 'transition', action, from, to: def.to, who, body: opts.body ?? opts.resolution ?? null, public: def.public, data });
    this.clockEvent(action, at);
    // The revisit policy (revisits.ts): urgent and sampled repairs at completion, complaints at
    // resolution, repairs rated 3 or less at close — one pending revisit at a time.
    if (action === 'complete' && (this.urgency === 'urgent' || this.sampled)) this.scheduleRevisit(at, this.urgency === 'urgent' ? 'urgent' : 'sample');
    if (action === 'resolve' && this.kind === 'complaint') this.scheduleRevisit(at, 'complaint');
    if (action === 'close' && this.kind === 'repair' && this.rating !== null && this.rating <= 3) this.scheduleRevisit(at, 'low_rating');
    return true;
  }

  /** A comment; a public one from staff on a complaint is the progress update that restarts its clock (CP-3). */
  comment(at: Date, who: Who, body: string, isPublic: boolean) {
    if (!this.happens(at)) return false;
    this.updatedAt = at;
    this.ev({ at, type: 'comment', who, body, public: isPublic });
    if (isPublic && this.kind === 'complaint') {
      const c = this.clocks.get('update');
      if (c && !c.state.stoppedAt) {
        this.sweep(at);
        this.clocks.set('update', this.freshClock(c.policy, at));
      }
    }
    return true;
  }

  private scheduleRevisit(at: Date, reason: string) {
    if (this.revisits.some((r) => r.state === 'pending')) return;
    this.revisits.push({
      id: crypto.randomUUID(), reason, state: 'pending', createdAt: at, attempts: 0, channel: null, reached: null, satisfied: null,
      comment: null, followUp: null, followUpItemId: null, doneBy: null, doneAt: null,
    });
    const p = this.policies().find((x) => x.clock === 'revisit');
    if (p) this.startPolicy(p, at, at);
  }

  pendingRevisit() {
    return this.revisits.find((r) => r.state === 'pending') ?? null;
  }

  /**
   * A revisit call (RP-8): not reached is an attempt; reached is the result. Dissatisfied reopens
   * a completed repair, otherwise asks the caller for a linked complaint (`openComplaint`).
   */
  recordRevisit(at: Date, who: Who, r: { channel: string; reached: boolean; satisfied?: boolean; comment?: string }, openComplaint: () => Item | null) {
    const rv = this.pendingRevisit();
    if (!rv || !this.happens(at)) return false;
    rv.attempts++;
    rv.channel = r.channel;
    rv.reached = r.reached;
    rv.comment = r.comment ?? null;
    if (!r.reached) {
      this.ev({ at, type: 'revisit', who, body: `回访未接通（${CHANNEL_ZH[r.channel]}）`, public: false, data: { revisitId: rv.id, reached: false } });
      return true;
    }
    let followUp = 'none';
    if (r.satisfied === false) {
      if (this.kind === 'repair' && this.state === 'completed') {
        const from = this.state;
        this.state = 'new';
        this.reopenCount++;
        this.completedAt = null;
        this.updatedAt = at;
        this.ev({ at, type: 'transition', action: 'reopen', from, to: 'new', who, body: `回访不满意：${r.comment ?? ''}`.trim(), public: true });
        this.clockEvent('reopen', at);
        followUp = 'reopened';
      } else {
        const child = openComplaint();
        if (child) {
          followUp = 'complaint';
          rv.followUpItemId = child.id;
        }
      }
    }
    Object.assign(rv, { satisfied: r.satisfied ?? null, state: 'done', followUp, doneBy: who.id, doneAt: at });
    this.clockEvent('revisit', at);
    this.ev({
      at, type: 'revisit', who, public: false, data: { revisitId: rv.id, satisfied: r.satisfied ?? null, followUp },
      body: `回访（${CHANNEL_ZH[r.channel]}）：${r.satisfied === false ? '不满意' : r.satisfied ? '满意' : '已回访'}${r.comment ? `，${r.comment}` : ''}`,
    });
    return true;
  }

  spotCheck(at: Date, who: Who, result: 'pass' | 'fail', note: string | null) {
    this.ev({ at, type: 'spot_check', who, body: `质量抽检：${result === 'pass' ? '合格' : '不合格'}${note ? `，${note}` : ''}`, public: false, data: { result } });
  }

  // --- clocks: applyClockEvent and the sweep, replayed ------------------------------------------

  private calOf(p: ClockPolicy) {
    return p.calendar === '24x7' ? ALWAYS : this.w.cal;
  }

  private freshClock(policy: ClockPolicy, begin: Date): Clock {
    const r = startClock(policy, begin, this.w.cal);
    return { policy, state: r.state, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0, breachedAt: null, escalationLevel: 0, met: null, minutesLate: null };
  }

  private startPolicy(policy: ClockPolicy, at: Date, begin: Date) {
    const c = this.freshClock(policy, begin);
    this.clocks.set(policy.clock, c);
    this.ev({ at, type: 'clock', action: 'started', body: policy.clock, public: false, data: { dueAt: c.dueAt.toISOString() } });
  }

  /** What the sweep fires on the running clocks before `t` (at the instants it fires them). */
  sweep(t: Date, inclusive = false) {
    const before = (x: Date) => (inclusive ? x.getTime() <= t.getTime() : x.getTime() < t.getTime());
    for (const c of this.clocks.values()) {
      if (c.state.stoppedAt || !c.state.runningSince) continue;
      const p = c.policy;
      for (;;) {
        const warn = c.warnAts[c.warningsFired];
        if (warn && before(warn)) {
          const pct = Math.round(100 * (p.warnAt[p.warnAt.length - c.warnAts.length + c.warningsFired] ?? 0));
          this.ev({ at: warn, type: 'clock', action: 'warning', body: p.clock, public: false, data: { percent: pct, dueAt: c.dueAt.toISOString() } });
          c.warningsFired++;
          continue;
        }
        if (!c.breachedAt && before(c.dueAt)) {
          c.breachedAt = c.dueAt;
          this.ev({ at: c.dueAt, type: 'clock', action: 'breach', body: p.clock, public: false, data: { dueAt: c.dueAt.toISOString() } });
          continue;
        }
        const next = c.breachedAt ? escalationAts(p, c.dueAt, this.w.cal).find((e) => e.level > c.escalationLevel) : undefined;
        if (next && before(next.at)) {
          this.ev({ at: next.at, type: 'clock', action: 'escalation', body: p.clock, public: false, data: { level: next.level, notify: next.notify } });
          c.escalationLevel = next.level;
          continue;
        }
        break;
      }
    }
  }

  private clockEvent(event: string, at: Date, startAt?: Date) {
    this.sweep(at);
    for (const c of this.clocks.values()) {
      if (c.state.stoppedAt) continue;
      const p = c.policy;
      const cal = this.calOf(p);
      if (p.abandonIn?.includes(this.state)) {
        c.state = { ...c.state, stoppedAt: at, runningSince: null };
        this.ev({ at, type: 'clock', action: 'abandoned', body: p.clock, public: false, data: {} });
      } else if (p.stopOn.includes(event)) {
        const r = stopClock(c.state, at, cal, c.dueAt);
        c.state = { ...c.state, stoppedAt: at, runningSince: null, consumed: r.consumedMinutes };
        c.met = r.met;
        c.minutesLate = r.minutesLate;
        this.ev({ at, type: 'clock', action: r.met ? 'met' : 'stopped_late', body: p.clock, public: false, data: { minutesLate: r.minutesLate } });
      } else if (p.pauseIn.includes(this.state) && c.state.runningSince) {
        const s = pauseClock(c.state, at, cal);
        c.state = { ...c.state, runningSince: null, consumed: s.consumed };
        this.ev({ at, type: 'clock', action: 'paused', body: p.clock, public: false, data: { consumed: s.consumed } });
      } else if (!p.pauseIn.includes(this.state) && !c.state.runningSince) {
        const r = resumeClock(c.state, at, cal, p);
        Object.assign(c, { state: r.state, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0 });
        this.ev({ at, type: 'clock', action: 'resumed', body: p.clock, public: false, data: { dueAt: r.dueAt.toISOString() } });
      }
    }
    for (const p of this.policies()) {
      if (p.startOn !== event || p.clock === 'revisit') continue;
      this.startPolicy(p, at, startAt && startAt > at ? startAt : at);
    }
  }

  /** Row values of the clocks as the service and the sweep leave them at `now`. */
  clockRows() {
    this.sweep(this.w.horizon, true);
    return [...this.clocks.values()].map((c) => {
      const row = {
        warnAts: c.warnAts, warningsFired: c.warningsFired, dueAt: c.dueAt, breachedAt: c.breachedAt,
        escalationLevel: c.escalationLevel, runningSince: c.state.runningSince, stoppedAt: c.state.stoppedAt,
      };
      return { c, nextFireAt: nextFire(row, c.policy, this.w.cal) };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The seed

interface Person { id: string; name: string; companyId: string | null; unitIds: string[] }
interface StaffRow { id: string; name: string; position: string; trades: string[] }

/**
 * Seeds ~6 months of history before `today` (Asia/Shanghai). `now` is when the story stops; the
 * caller (seedIfEmpty) passes the same instant to every seed so they agree on what has happened.
 */
export async function seedDemoHistory(db: Queryable, siteId: string, today: string, now: Date): Promise<HistorySummary> {
  const horizon = now;
  const cal = await siteCalendar(db, siteId);
  const w: World = { siteId, cal, horizon };
  const rng = makeRng(SEED);

  // --- the tower as seeded (ordered by stable keys: ids are random)
  const placeRows = await db.select({ id: places.id, code: places.code, name: places.name, kind: places.kind }).from(places)
    .where(eq(places.siteId, siteId)).orderBy(asc(places.code));
  const companyRows = await db.select({ id: companies.id, name: companies.name, unitIds: companies.unitIds }).from(companies)
    .where(eq(companies.siteId, siteId)).orderBy(asc(companies.name));
  const occupantRows: Person[] = await db.select({ id: occupants.id, name: occupants.name, companyId: occupants.companyId, unitIds: occupants.unitIds }).from(occupants)
    .where(and(eq(occupants.siteId, siteId), eq(occupants.active, true))).orderBy(asc(occupants.phone));
  const staffRows: StaffRow[] = await db.select({ id: staff.id, name: staff.name, position: staff.position, trades: staff.trades }).from(staff)
    .where(and(eq(staff.siteId, siteId), eq(staff.active, true))).orderBy(asc(staff.employeeNo));
  const accountRows = await db.select({ id: accounts.id, username: accounts.username, name: accounts.displayName, staffId: accounts.staffId, occupantId: accounts.occupantId })
    .from(accounts).where(eq(accounts.siteId, siteId));
  if (!occupantRows.length || !staffRows.length) return empty();

  const account = (u: string) => accountRows.find((a) => a.username === u);
  const agentAcc = account('agent') ?? accountRows[0]!;
  const supervisorAcc = account('supervisor') ?? agentAcc;
  const occupantAcc = account('occupant');
  const accountOfStaff = new Map(accountRows.filter((a) => a.staffId).map((a) => [a.staffId!, a]));
  const asWho = (s: StaffRow): Who => ({ id: accountOfStaff.get(s.id)?.id ?? null, name: accountOfStaff.get(s.id)?.name ?? s.name });
  const agent: Who = { id: agentAcc.id, name: agentAcc.name };
  const supervisor: Who = { id: supervisorAcc.id, name: supervisorAcc.name };
  const deskPeople = staffRows.filter((s) => s.position === '客服专员').map(asWho);
  const desk = () => (rng.chance(0.5) || deskPeople.length === 0 ? agent : rng.pick(deskPeople));
  const SYSTEM: Who = { id: null, name: '系统（值班自动派单）' };

  const byKind = (...kinds: string[]) => placeRows.filter((p) => kinds.includes(p.kind));
  const placesOf: Record<Where, typeof placeRows> = {
    unit: byKind('office_unit'),
    washroom: byKind('washroom'),
    public: byKind('public_area', 'lift_lobby'),
    lift: byKind('lift_lobby'),
    gate: byKind('door'),
    plant: byKind('plant_room', 'water_pump_room', 'electrical_room'),
    stair: byKind('stairwell'),
    carpark: byKind('carpark_zone'),
    desk: byKind('desk'),
  };
  const unitIds = new Set(placesOf.unit.map((u) => u.id));

  // Technicians by trade; the engineering supervisor and team leaders take fewer jobs.
  const LEAD = new Set(['项目经理', '工程主管', '保洁领班', '保安队长', '客服主管']);
  const crew = (trade: Trade) => staffRows.filter((s) => s.trades.includes(trade)).map((s) => [s, LEAD.has(s.position) ? 0.15 : 1] as const);
  const techOf = (trade: Trade | null) => {
    const pool = crew(trade ?? 'general');
    return pool.length ? rng.weighted(pool) : rng.pick(staffRows);
  };
  /** Who is on call at night for a trade: the rotation moves one person per day. */
  const onCall = (trade: Trade | null, t: Date) => {
    const pool = crew(trade ?? 'general').filter(([, wgt]) => wgt === 1).map(([s]) => s);
    if (!pool.length) return techOf(trade);
    const day = Math.floor((t.getTime() + 8 * 3_600_000 - 9 * 3_600_000) / 86_400_000);
    return pool[day % pool.length]!;
  };
  const RESPONSIBLE: Record<string, Array<[string, number]>> = {
    customer_service: [['客服主管', 3], ['客服专员', 1], ['项目经理', 0.5]],
    general: [['工程主管', 3], ['项目经理', 1]],
    cleaning: [['保洁领班', 1]],
    security: [['保安队长', 1]],
  };
  const responsibleFor = (category: string) => {
    const spec = RESPONSIBLE[tradeOf(category) ?? 'customer_service'] ?? RESPONSIBLE.customer_service!;
    const pool = spec.flatMap(([pos, wgt]) => staffRows.filter((s) => s.position === pos).map((s) => [s, wgt] as const));
    return pool.length ? rng.weighted(pool) : rng.pick(staffRows);
  };

  // A few tenants who call often, and a few places that keep causing complaints (CP-6 repeats).
  const demanding = new Set([...companyRows].sort((a, b) => a.name.localeCompare(b.name)).filter((_, i) => i % 17 === 3).map((c) => c.id));
  const occupantsByCompany = new Map<string, Person[]>();
  for (const o of occupantRows) if (o.companyId) occupantsByCompany.set(o.companyId, [...(occupantsByCompany.get(o.companyId) ?? []), o]);
  const demoOccupant = occupantAcc?.occupantId ? occupantRows.find((o) => o.id === occupantAcc.occupantId) : undefined;
  const reporter = (complaint = false): Person => {
    if (demoOccupant && rng.chance(0.03)) return demoOccupant;
    if (complaint && demanding.size && rng.chance(0.3)) return rng.pick(occupantsByCompany.get(rng.pick([...demanding]))!);
    return rng.pick(occupantRows);
  };
  const hotPlaces = { washroom: placesOf.washroom.slice(0, 2), carpark: placesOf.carpark.slice(0, 1) };

  const placeFor = (where: Where, who: Person | null) => {
    if (where === 'unit') {
      const mine = who?.unitIds.filter((u) => unitIds.has(u)) ?? [];
      return mine.length ? rng.pick(mine) : rng.pick(placesOf.unit).id;
    }
    if ((where === 'washroom' || where === 'carpark') && rng.chance(0.35) && hotPlaces[where].length) return rng.pick(hotPlaces[where]).id;
    const list = placesOf[where].length ? placesOf[where] : placesOf.public;
    return list.length ? rng.pick(list).id : null;
  };

  const occupantWho = (p: Person): Who => (demoOccupant && p.id === demoOccupant.id && occupantAcc ? { id: occupantAcc.id, name: occupantAcc.name } : { id: null, name: p.name });
  const items: Item[] = [];
  /** Occupants without an app account call the desk, which acts for them. */
  const reporterOrDesk = (p: Person) => (occupantWho(p).id ? occupantWho(p) : desk());
  const newItem = (kind: WorkItemKind, category: string, urgency: Urgency, at: Date, who: Person | null, placeId: string | null, description: string, extra: { channel?: string; byDesk?: boolean } = {}) => {
    const fromApp = !extra.byDesk && !!(who && demoOccupant && who.id === demoOccupant.id && occupantAcc && rng.chance(0.8));
    const channel = extra.channel ?? (fromApp ? 'app' : rng.chance(0.82) ? 'phone' : 'walk_in');
    const item = new Item(w, kind, category, urgency, {
      placeId, channel, occupantId: who?.id ?? null, companyId: who?.companyId ?? null,
      contactName: who ? null : rng.pick(['保安巡查', '保洁员', '工程巡检']),
      createdBy: fromApp ? occupantAcc!.id : agentAcc.id,
      title: categoryTitle(category), description,
    }, at, rng.chance(0.2));
    items.push(item);
    return item;
  };

  // --- working-time helpers on the site calendar
  const wadd = (t: Date, minutes: number) => addWorkingDuration(cal, t, Math.max(0, minutes));
  const month = (t: Date) => Number(shanghaiDate(t).slice(5, 7));
  const isWorkday = (day: string) => ['workday', 'makeup'].includes(dayKind(cal, day).kind);

  /** When in a day people call: office hours mostly; evenings, nights and rest days less. */
  const timeOfDay = (day: string, workday: boolean) => {
    const h = workday
      ? rng.weighted<[number, number]>([[[8, 9], 3], [[9, 12], 40], [[12, 13], 6], [[13, 17], 36], [[17, 20], 9], [[20, 24], 4], [[0, 8], 2]])
      : rng.weighted<[number, number]>([[[8, 12], 30], [[12, 18], 40], [[18, 23], 20], [[23, 24], 3], [[0, 8], 7]]);
    return new Date(shanghaiInstant(day).getTime() + Math.floor(rng.real(h[0] * 60, h[1] * 60)) * MIN);
  };

  // --- story of a repair
  const repairStory = (at: Date, calm: boolean) => {
    const offHours = !isWorkingTime(cal, at);
    const m = month(at);
    // At night and on rest days mostly what cannot wait gets reported (CS-2).
    const cat = rng.weighted(REPAIR_MIX.map((c) => [c, c.weight * (c.season?.(m) ?? 1) * (offHours ? (defaultUrgency(c.code) === 'urgent' ? 3 : 0.6) : 1)] as const));
    const code = cat.code;
    let urgency: Urgency = defaultUrgency(code);
    if (urgency === 'normal' && ['doors.window', 'other', 'fire.equipment'].includes(code) && rng.chance(0.25)) urgency = 'low';
    const where = rng.weighted(cat.where);
    const who = where === 'unit' || rng.chance(0.65) ? reporter() : null;
    const item = newItem('repair', code, urgency, at, who, placeFor(where, who), rng.pick(REPAIR_TEXT[code]!));
    const trade = tradeOf(code);
    const startAt = offHours && urgency !== 'urgent' ? nextWorkingStart(cal, at) : undefined;
    item.create(who ? (item.fields.createdBy === agentAcc.id ? agent : occupantWho(who)) : agent, startAt);
    const begin = startAt ?? at;

    if (rng.chance(0.015)) {
      // Cancelled before anyone went: the clocks are abandoned, not scored.
      if (urgency === 'urgent') item.act(at, 'assign', SYSTEM, { assignee: { ...asWho(onCall(trade, at)), staffId: onCall(trade, at).id }, data: { onCall: true } });
      item.act(plus(begin, rng.int(5, 50)), 'cancel', urgency === 'urgent' || !who ? desk() : reporterOrDesk(who), { body: rng.pick(CANCEL) });
      return item;
    }

    let tech = urgency === 'urgent' ? onCall(trade, at) : techOf(trade);
    const lateBias = !calm;
    let arriveAt: Date;
    let cursor: Date;
    if (urgency === 'urgent') {
      // RP-2: the on-call technician of the trade is paged at once (the desk dispatches when the roster had a gap).
      const auto = offHours || rng.chance(0.95);
      const assignAt = auto ? at : plus(at, rng.int(1, 4));
      item.act(assignAt, 'assign', auto ? SYSTEM : desk(), { assignee: { ...asWho(tech), staffId: tech.id }, data: auto ? { onCall: true } : {} });
      const acceptAt = plus(assignAt, rng.int(1, 3));
      item.act(acceptAt, 'accept', asWho(tech));
      item.act(plus(acceptAt, rng.int(0, 2)), 'depart', asWho(tech));
      const manual = rng.chance(0.14);
      const late = lateBias && rng.chance(manual ? 0.17 : 0.06);
      const minutes = late ? rng.real(31, 58) : code === 'lift.entrapment' ? rng.tri(6, 11, 24) : rng.tri(7, 15, 29.5);
      arriveAt = plus(at, Math.max(minutes, (acceptAt.getTime() - at.getTime()) / MIN + 2));
      item.act(arriveAt, 'arrive', asWho(tech), manual ? { proof: 'manual', body: rng.pick(MANUAL_ARRIVAL) } : { proof: 'qr' });
      cursor = arriveAt;
    } else {
      // RP-10: answered within 2 working hours, most much sooner; a few slip.
      const response = lateBias && rng.chance(0.065) ? rng.real(125, 300) : rng.weighted<[number, number]>([[[4, 45], 60], [[45, 90], 27], [[90, 118], 13]]);
      const r = typeof response === 'number' ? response : rng.real(response[0], response[1]);
      let assignAt = wadd(begin, r * rng.real(0.25, 0.7));
      item.act(assignAt, 'assign', desk(), { assignee: { ...asWho(tech), staffId: tech.id } });
      if (rng.chance(0.025)) {
        item.act(plus(assignAt, rng.int(3, 15)), 'decline', asWho(tech), { body: rng.pick(DECLINE) });
        const other = techOf(trade);
        tech = other.id === tech.id ? techOf(trade) : other;
        assignAt = plus(assignAt, rng.int(16, 25));
        item.act(assignAt, 'assign', desk(), { assignee: { ...asWho(tech), staffId: tech.id } });
      }
      const acceptAt = new Date(Math.max(wadd(begin, r).getTime(), plus(assignAt, 1).getTime()));
      item.act(acceptAt, 'accept', asWho(tech));
      const departAt = plus(acceptAt, rng.int(2, 25));
      item.act(departAt, 'depart', asWho(tech));
      arriveAt = plus(departAt, rng.int(3, 15));
      item.act(arriveAt, 'arrive', asWho(tech), rng.chance(0.08) ? { proof: 'manual', body: rng.pick(MANUAL_ARRIVAL) } : { proof: 'qr' });
      cursor = arriveAt;
    }
    const startAt2 = plus(cursor, rng.int(1, 8));
    item.act(startAt2, 'start', asWho(tech));
    let completeAt: Date;
    if (rng.chance(0.05)) {
      // Waiting for parts pauses the resolution clock (DESIGN §2.3).
      const waitAt = plus(startAt2, rng.int(15, 40));
      const days = rng.int(1, 3);
      item.act(waitAt, 'wait_parts', asWho(tech), { data: { expectedDate: shanghaiDate(wadd(waitAt, days * 480)) }, body: '需更换配件，已下单采购' });
      const resumeAt = wadd(waitAt, days * 480 - rng.int(0, 120));
      item.act(resumeAt, 'resume', asWho(tech));
      completeAt = plus(resumeAt, rng.int(30, 120));
    } else if (urgency === 'urgent') {
      const slow = lateBias && rng.chance(0.04);
      completeAt = plus(at, slow ? rng.real(250, 420) : Math.max((startAt2.getTime() - at.getTime()) / MIN + rng.tri(15, 50, 200), 20));
    } else {
      const slow = rng.chance(0.09);
      const breach = lateBias && rng.chance(0.035);
      const limit = urgency === 'low' ? 2400 : 1440;
      const target = breach ? rng.real(limit + 20, limit + 1000) : slow ? rng.real(400, limit - 60) : 0;
      completeAt = new Date(Math.max(plus(startAt2, rng.tri(15, 45, 180)).getTime(), target ? wadd(begin, target).getTime() : 0));
    }
    item.act(completeAt, 'complete', asWho(tech), { body: '已修复，现场已清理' });

    /** Closed; a rating of 3 or less asks for one more revisit (RP-8), which the desk makes. */
    const closeAndFollowUp = (closeAt: Date, rated: boolean) => {
      closeRepair(item, closeAt, rated, who);
      const rv2 = item.pendingRevisit();
      if (!rv2) return;
      const t = wadd(new Date(Math.max(rv2.createdAt.getTime(), closeAt.getTime())), rng.tri(30, 240, 900));
      const satisfied = !rng.chance(item.rating !== null && item.rating <= 3 ? 0.3 : 0.04);
      item.recordRevisit(t, desk(), { channel: 'phone', reached: true, satisfied, comment: rng.pick(satisfied ? SATISFIED : DISSATISFIED) }, () => (
        complaintStory(t, { parent: item, calm, text: `回访不满意（{{number}} 已关闭）：${rng.pick(DISSATISFIED)}` })
      ));
    };

    // Afterwards: the occupant rates (and closes), the desk closes unrated items, revisits run.
    let cycle = 0;
    for (;;) {
      const done = item.completedAt ?? completeAt;
      const rated = who !== null && rng.chance(0.62);
      const closeAt = rated ? plus(done, rng.tri(10, 90, 1500)) : wadd(done, rng.int(240, 900));
      const rv = item.pendingRevisit();
      const revisitAt = rv ? wadd(rv.createdAt, calm || rng.chance(0.95) ? rng.tri(30, 240, 900) : rng.real(970, 1400)) : null;
      const reopenAt = who && cycle === 0 && rng.chance(0.02) ? plus(done, rng.int(60, 1800)) : null;
      if (reopenAt && reopenAt < closeAt && (!revisitAt || reopenAt < revisitAt)) {
        if (!item.act(reopenAt, 'reopen', reporterOrDesk(who!), { body: rng.pick(REOPEN) })) return item;
      } else if (revisitAt && revisitAt < closeAt) {
        const reached = rng.chance(0.9);
        if (!reached) item.recordRevisit(revisitAt, desk(), { channel: 'phone', reached: false }, () => null);
        const at2 = reached ? revisitAt : plus(revisitAt, rng.int(60, 240));
        const satisfied = !rng.chance(cycle === 0 ? 0.05 : 0);
        if (!item.recordRevisit(at2, desk(), { channel: rng.chance(0.9) ? 'phone' : 'on_site', reached: true, satisfied, comment: rng.pick(satisfied ? SATISFIED : DISSATISFIED) }, () => null)) return item;
        if (satisfied) {
          closeAndFollowUp(closeAt > at2 ? closeAt : plus(at2, 30), rated);
          break;
        }
      } else {
        closeAndFollowUp(closeAt, rated);
        break;
      }
      if (item.frozen) return item;
      // Reopened: back in the queue, done again.
      cycle++;
      const again = plus(item.updatedAt, rng.int(10, 60));
      const t2 = techOf(trade);
      item.act(again, 'assign', desk(), { assignee: { ...asWho(t2), staffId: t2.id } });
      item.act(plus(again, rng.int(3, 20)), 'accept', asWho(t2));
      item.act(plus(again, rng.int(21, 40)), 'depart', asWho(t2));
      item.act(plus(again, rng.int(41, 60)), 'arrive', asWho(t2), { proof: 'qr' });
      item.act(plus(again, rng.int(61, 65)), 'start', asWho(t2));
      if (!item.act(plus(again, rng.int(90, 200)), 'complete', asWho(t2), { body: '返修完成' })) return item;
      if (cycle > 1) break;
    }
    return item;
  };

  const closeRepair = (item: Item, at: Date, rated: boolean, who: Person | null) => {
    if (!rated || !who) return item.act(at, 'close', desk());
    const rating = rng.weighted<number>([[5, 62], [4, 25], [3, 7], [2, 4], [1, 2]]);
    const comment = rng.chance(0.5) ? rng.pick(rating >= 5 ? GOOD : rating === 4 ? OK : BAD) : undefined;
    // Occupants without an app account rate by phone; the desk records it.
    const by = occupantWho(who).id ? occupantWho(who) : desk();
    return item.act(at, 'close', by, { rating, body: comment });
  };

  // --- story of a complaint
  const complaintStory = (at: Date, opts: { calm: boolean; parent?: Item; text?: string }): Item | null => {
    const parent = opts.parent;
    const category = parent ? (parent.kind === 'repair' ? 'repair_quality' : parent.category) : rng.weighted(COMPLAINT_MIX.map(([c, wgt]) => [c, wgt] as const));
    const spec = COMPLAINT_MIX.find(([c]) => c === category)!;
    const [text, improvement] = rng.pick(COMPLAINT_TEXT[category]!);
    const who = parent ? (occupantRows.find((o) => o.id === parent.fields.occupantId) ?? null) : reporter(true);
    const placeId = parent ? parent.fields.placeId : placeFor(spec[2], who);
    const item = newItem('complaint', category, 'normal', at, who, placeId, opts.text ?? text, parent ? { channel: 'phone', byDesk: true } : {});
    if (parent) item.relatedItemId = parent.id;
    const offHours = !isWorkingTime(cal, at);
    const startAt = offHours ? nextWorkingStart(cal, at) : undefined;
    item.create(parent ? agent : who ? (item.fields.createdBy === agentAcc.id ? agent : occupantWho(who)) : agent, startAt);
    const begin = startAt ?? at;
    if (rng.chance(0.02)) {
      item.act(plus(begin, rng.int(10, 60)), 'cancel', desk(), { body: '投诉人撤回' });
      return item;
    }
    const owner = responsibleFor(category);
    const ack = !opts.calm && rng.chance(0.1) ? rng.real(62, 200) : rng.tri(5, 20, 58);
    const assignAt = wadd(begin, ack * rng.real(0.2, 0.6));
    item.act(assignAt, 'assign', desk(), { assignee: { ...asWho(owner), staffId: owner.id } });
    const ackAt = new Date(Math.max(wadd(begin, ack).getTime(), plus(assignAt, 2).getTime()));
    item.act(ackAt, 'acknowledge', asWho(owner));
    item.comment(plus(ackAt, 1), asWho(owner), '已受理，正在核实情况', true);
    const resolveIn = !opts.calm && rng.chance(0.14) ? rng.real(1460, 2800) : rng.tri(120, 500, 1400);
    const resolveAt = new Date(Math.max(wadd(begin, resolveIn).getTime(), wadd(ackAt, 30).getTime()));
    let t = plus(ackAt, 1);
    for (;;) {
      const gap = !opts.calm && rng.chance(0.08) ? rng.real(485, 700) : rng.real(280, 470);
      const next = wadd(t, gap);
      if (next >= resolveAt) break;
      if (!item.comment(next, asWho(owner), rng.pick(UPDATES), true)) return item;
      t = next;
    }
    if (!item.act(resolveAt, 'resolve', asWho(owner), { resolution: improvement })) return item;
    const revisitAt = wadd(resolveAt, opts.calm || rng.chance(0.95) ? rng.tri(30, 200, 900) : rng.real(970, 1300));
    // A complaint opened from a dissatisfied revisit is followed through until the occupant is satisfied.
    const satisfied = parent ? true : !rng.chance(0.15);
    const recorded = item.recordRevisit(revisitAt, desk(), { channel: rng.chance(0.85) ? 'phone' : 'email', reached: true, satisfied, comment: rng.pick(satisfied ? SATISFIED : DISSATISFIED) }, () => (
      parent ? null : complaintStory(revisitAt, { parent: item, calm: opts.calm, text: `回访不满意（{{number}} 已办结）：${rng.pick(DISSATISFIED)}` })
    ));
    if (!recorded) return item;
    // CP-7: closed only after the revisit.
    item.act(plus(revisitAt, rng.int(5, 90)), 'close', desk());
    return item;
  };

  // --- story of an inquiry
  const inquiryStory = (at: Date, calm: boolean) => {
    const category = rng.weighted(INQUIRY_MIX);
    const [q, a] = rng.pick(INQUIRY_TEXT[category]!);
    const who = reporter();
    const item = newItem('inquiry', category, category === 'praise' ? 'low' : 'normal', at, who, rng.chance(0.5) ? placeFor('unit', who) : null, q);
    const startAt = !isWorkingTime(cal, at) ? nextWorkingStart(cal, at) : undefined;
    item.create(item.fields.createdBy === agentAcc.id ? agent : occupantWho(who), startAt);
    const begin = startAt ?? at;
    const response = !calm && rng.chance(0.04) ? rng.real(490, 900) : rng.tri(5, 60, 470);
    const answerAt = wadd(begin, response);
    if (!item.act(answerAt, 'answer', desk(), { body: a })) return item;
    const byReporter = rng.chance(0.25);
    item.act(byReporter ? plus(answerAt, rng.int(30, 1800)) : wadd(answerAt, rng.int(120, 900)), 'close', byReporter ? reporterOrDesk(who) : desk());
    return item;
  };

  // --- six months, day by day
  const first = addDays(today, -DAYS);
  const calmFrom = shanghaiInstant(addDays(today, -CALM_DAYS));
  for (let day = first; day <= today; day = addDays(day, 1)) {
    const workday = isWorkday(day);
    const m = Number(day.slice(5, 7));
    const summer = m >= 7 && m <= 8 ? 1.15 : 1;
    const repairs = rng.poisson((workday ? 9.8 : 3) * summer);
    const complaints = rng.poisson(workday ? 0.72 : 0.22);
    const inquiries = rng.poisson(workday ? 1.45 : 0.4);
    const todo: Array<[Date, 'repair' | 'complaint' | 'inquiry']> = [];
    for (let i = 0; i < repairs; i++) todo.push([timeOfDay(day, workday), 'repair']);
    for (let i = 0; i < complaints; i++) todo.push([timeOfDay(day, workday), 'complaint']);
    for (let i = 0; i < inquiries; i++) todo.push([timeOfDay(day, workday), 'inquiry']);
    todo.sort((a, b) => a[0].getTime() - b[0].getTime());
    for (const [at, kind] of todo) {
      // Today only up to a while before now; the hand-placed open items below fill the rest.
      if (at.getTime() > horizon.getTime() - 90 * MIN) break;
      const calm = at >= calmFrom;
      if (kind === 'repair') repairStory(at, calm);
      else if (kind === 'complaint') complaintStory(at, { calm });
      else inquiryStory(at, calm);
    }
  }

  // --- open items placed on purpose, relative to now, so the dispatch board shows every colour
  const ago = (minutes: number) => plus(horizon, -minutes);
  /** The instant `minutes` working minutes before now (working clocks stand still off-hours). */
  const workingAgo = (minutes: number) => {
    let lo = horizon.getTime() - 60 * 86_400_000;
    let hi = horizon.getTime();
    // The latest instant with that much working time before now (at a window start, not in the gap before it).
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (workingMinutesBetween(cal, new Date(mid), horizon) >= minutes) lo = mid; else hi = mid;
    }
    return new Date(Math.floor(lo / 1000) * 1000);
  };
  const placed = (kind: WorkItemKind, category: string, at: Date) => {
    const code = category;
    const mix = REPAIR_MIX.find((c) => c.code === code);
    const urgency: Urgency = kind === 'repair' ? defaultUrgency(code) : 'normal';
    const where = mix ? rng.weighted(mix.where) : 'unit';
    const who = reporter();
    const text = kind === 'repair' ? rng.pick(REPAIR_TEXT[code]!) : kind === 'complaint' ? rng.pick(COMPLAINT_TEXT[code]!)[0] : rng.pick(INQUIRY_TEXT[code]!)[0];
    const item = newItem(kind, code, urgency, at, who, placeFor(kind === 'complaint' ? COMPLAINT_MIX.find(([c]) => c === code)![2] : where, who), text);
    const startAt = !isWorkingTime(cal, at) && urgency !== 'urgent' ? nextWorkingStart(cal, at) : undefined;
    item.create(agent, startAt);
    const tech = urgency === 'urgent' ? onCall(tradeOf(code), at) : kind === 'complaint' ? responsibleFor(code) : techOf(tradeOf(code));
    return { item, tech, who: asWho(tech), assignee: { ...asWho(tech), staffId: tech.id }, begin: startAt ?? at };
  };
  {
    // Urgent, 24×7: en route (no warning yet), accepted past half the 30 minutes (warned), just paged.
    const a = placed('repair', 'plumbing.leak', ago(9));
    a.item.act(a.item.createdAt, 'assign', SYSTEM, { assignee: a.assignee, data: { onCall: true } });
    a.item.act(ago(7), 'accept', a.who);
    a.item.act(ago(6), 'depart', a.who);
    const b = placed('repair', 'electrical.power_outage', ago(19));
    b.item.act(ago(17), 'assign', agent, { assignee: b.assignee });
    b.item.act(ago(15), 'accept', b.who);
    const c = placed('repair', 'lift.entrapment', ago(3));
    c.item.act(c.item.createdAt, 'assign', SYSTEM, { assignee: c.assignee, data: { onCall: true } });
    // Arrived by scan, repairing: the arrival promise kept, resolution running.
    const d = placed('repair', 'fire.alarm', ago(48));
    d.item.act(ago(47), 'assign', SYSTEM, { assignee: d.assignee, data: { onCall: true } });
    d.item.act(ago(45), 'accept', d.who);
    d.item.act(ago(44), 'depart', d.who);
    d.item.act(ago(31), 'arrive', d.who, { proof: 'qr' });
    d.item.act(ago(29), 'start', d.who);
    // Normal, working time: response clock at 33 %, 63 % (one warning), 85 % (two), 125 % (breached).
    placed('repair', 'electrical.lighting', workingAgo(40));
    placed('repair', 'plumbing.blocked_drain', workingAgo(75));
    const g = placed('repair', 'hvac.temperature', workingAgo(102));
    g.item.act(wadd(g.begin, 20), 'assign', agent, { assignee: g.assignee });
    placed('repair', 'electrical.socket', workingAgo(150));
    // In repair and waiting for parts (resolution paused).
    const i = placed('repair', 'hvac.noise_drip', workingAgo(600));
    i.item.act(wadd(i.begin, 15), 'assign', agent, { assignee: i.assignee });
    i.item.act(wadd(i.begin, 40), 'accept', i.who);
    i.item.act(wadd(i.begin, 50), 'depart', i.who);
    i.item.act(wadd(i.begin, 58), 'arrive', i.who, { proof: 'qr' });
    i.item.act(wadd(i.begin, 60), 'start', i.who);
    const j = placed('repair', 'plumbing.fixture', workingAgo(1000));
    j.item.act(wadd(j.begin, 10), 'assign', agent, { assignee: j.assignee });
    j.item.act(wadd(j.begin, 30), 'accept', j.who);
    j.item.act(wadd(j.begin, 40), 'depart', j.who);
    j.item.act(wadd(j.begin, 50), 'arrive', j.who, { proof: 'qr' });
    j.item.act(wadd(j.begin, 55), 'start', j.who);
    j.item.act(wadd(j.begin, 90), 'wait_parts', j.who, { data: { expectedDate: shanghaiDate(wadd(horizon, 480)) }, body: '感应器需更换，已下单采购' });
    // Complaints: one in progress with a recent update, one new with its acknowledgement warned.
    const k = placed('complaint', 'parking', workingAgo(300));
    k.item.act(wadd(k.begin, 10), 'assign', agent, { assignee: k.assignee });
    k.item.act(wadd(k.begin, 40), 'acknowledge', k.who);
    k.item.comment(wadd(k.begin, 41), k.who, '已受理，正在核实情况', true);
    k.item.comment(workingAgo(100), k.who, rng.pick(UPDATES), true);
    placed('complaint', 'sanitation', workingAgo(35));
    placed('inquiry', 'consultation', workingAgo(60));
    placed('inquiry', 'suggestion', workingAgo(200));
    // Urgent, fixed two hours ago: completed, its revisit pending (RP-8) whatever the hour the demo
    // is seeded at — the desk's revisit queue always has a repair to call about.
    const e = placed('repair', 'plumbing.leak', ago(200));
    e.item.act(e.item.createdAt, 'assign', SYSTEM, { assignee: e.assignee, data: { onCall: true } });
    e.item.act(ago(198), 'accept', e.who);
    e.item.act(ago(197), 'depart', e.who);
    e.item.act(ago(180), 'arrive', e.who, { proof: 'qr' });
    e.item.act(ago(178), 'start', e.who);
    e.item.act(ago(120), 'complete', e.who, { body: '已修复，现场已清理' });
  }

  // --- numbers: per prefix and Shanghai day, in order of filing
  const counters = new Map<string, number>();
  const ordered = [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const it of ordered) {
    const day = shanghaiDate(it.createdAt);
    const key = `${KINDS[it.kind].prefix}:${day}`;
    const seq = (counters.get(key) ?? 0) + 1;
    counters.set(key, seq);
    it.number = itemNumber(KINDS[it.kind].prefix, day, seq);
  }
  const byId = new Map(items.map((it) => [it.id, it]));
  for (const it of items) {
    if (it.relatedItemId && it.fields.description.includes('{{number}}')) it.fields.description = it.fields.description.replace('{{number}}', byId.get(it.relatedItemId)!.number);
  }

  // --- quality spot-checks (RP-7): the supervisor works through each past week's proposal
  const checks: Array<{ item: Item; week: string; result: 'pass' | 'fail'; note: string | null; at: Date }> = [];
  const thisWeek = isoWeekOf(shanghaiDate(horizon));
  const doneRepairs = items.filter((it) => it.kind === 'repair' && it.completedAt && (it.state === 'completed' || it.state === 'closed'));
  const weeks = new Map<string, Item[]>();
  for (const it of doneRepairs) {
    const wk = isoWeekOf(shanghaiDate(it.completedAt!));
    weeks.set(wk, [...(weeks.get(wk) ?? []), it]);
  }
  for (const [wk, list] of [...weeks].sort(([a], [b]) => a.localeCompare(b))) {
    const { to } = weekBounds(wk);
    // Last week's proposal is this week's work: left for the supervisor.
    if (isoWeekOf(shanghaiDate(to)) >= thisWeek) continue;
    for (const p of proposeSpotChecks(wk, list)) {
      if (!rng.chance(0.85)) continue;
      const it = byId.get(p.id)!;
      const fail = rng.chance(0.07);
      const at = wadd(to, rng.int(30, 1400));
      if (at > horizon) continue;
      const note = fail ? rng.pick(SPOT_FAIL) : rng.chance(0.3) ? '符合维修标准' : null;
      checks.push({ item: it, week: wk, result: fail ? 'fail' : 'pass', note, at });
      it.spotCheck(at, supervisor, fail ? 'fail' : 'pass', note);
    }
  }

  // --- rows
  const itemRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  const clockRows: unknown[][] = [];
  const revisitRows: unknown[][] = [];
  let open = 0;
  for (const it of ordered) {
    const terminal = KINDS[it.kind].states[it.state]?.terminal === true;
    if (!terminal) open++;
    itemRows.push([
      it.id, siteId, it.number, it.kind, it.category, it.urgency, it.state, it.fields.title, it.fields.description, it.fields.placeId,
      it.fields.channel, it.fields.occupantId, it.fields.companyId, it.fields.contactName, null, it.fields.createdBy, it.assignee,
      iso(it.scheduledFor), iso(it.arrivedAt), it.arrivalProof, iso(it.completedAt), iso(it.closedAt), it.resolution, it.rating, it.ratingComment,
      it.reopenCount, it.relatedItemId, iso(it.createdAt), iso(it.updatedAt),
    ]);
    for (const { c, nextFireAt } of it.clockRows()) {
      clockRows.push([
        crypto.randomUUID(), siteId, it.id, c.policy.clock, JSON.stringify(c.policy), iso(c.state.startedAt), iso(c.state.runningSince), c.state.consumed,
        iso(c.dueAt), pgArray(c.warnAts.map((d) => d.toISOString())), c.warningsFired, iso(c.breachedAt), c.escalationLevel, iso(nextFireAt),
        iso(c.state.stoppedAt), c.met, c.minutesLate,
      ]);
    }
    // Stable by time: entries written in one transaction keep the order they were written in.
    const evs = it.events.map((e, i) => [e, i] as const).sort((a, b) => a[0].at.getTime() - b[0].at.getTime() || a[1] - b[1]);
    for (const [e] of evs) {
      eventRows.push([siteId, it.id, iso(e.at), e.who?.id ?? null, e.who?.name ?? null, e.type, e.action, e.from, e.to, e.body, e.public, e.data === null ? null : JSON.stringify(e.data)]);
    }
    for (const r of it.revisits) {
      revisitRows.push([r.id, siteId, it.id, r.reason, r.state, iso(r.createdAt), r.attempts, r.channel, r.reached, r.satisfied, r.comment, r.followUp, r.followUpItemId, r.doneBy, iso(r.doneAt)]);
    }
  }

  await bulk(db, 'work_items', [
    ['id', 'uuid'], ['site_id', 'uuid'], ['number', 'text'], ['kind', 'text'], ['category', 'text'], ['urgency', 'text'], ['state', 'text'],
    ['title', 'text'], ['description', 'text'], ['place_id', 'uuid'], ['channel', 'text'], ['occupant_id', 'uuid'], ['company_id', 'uuid'],
    ['contact_name', 'text'], ['contact_phone', 'text'], ['created_by', 'uuid'], ['assignee_staff_id', 'uuid'], ['scheduled_for', 'timestamptz'],
    ['arrived_at', 'timestamptz'], ['arrival_proof', 'text'], ['completed_at', 'timestamptz'], ['closed_at', 'timestamptz'], ['resolution', 'text'],
    ['rating', 'int4'], ['rating_comment', 'text'], ['reopen_count', 'int4'], ['related_item_id', 'uuid'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ], itemRows);
  await bulk(db, 'work_item_events', [
    ['site_id', 'uuid'], ['item_id', 'uuid'], ['at', 'timestamptz'], ['actor_id', 'uuid'], ['actor_name', 'text'], ['type', 'text'], ['action', 'text'],
    ['from_state', 'text'], ['to_state', 'text'], ['body', 'text'], ['public', 'bool'], ['data', 'text', 'jsonb'],
  ], eventRows);
  await bulk(db, 'work_item_clocks', [
    ['id', 'uuid'], ['site_id', 'uuid'], ['item_id', 'uuid'], ['clock', 'text'], ['policy', 'text', 'jsonb'], ['started_at', 'timestamptz'],
    ['running_since', 'timestamptz'], ['consumed', 'float4'], ['due_at', 'timestamptz'], ['warn_ats', 'text', 'timestamptz[]'], ['warnings_fired', 'int4'],
    ['breached_at', 'timestamptz'], ['escalation_level', 'int4'], ['next_fire_at', 'timestamptz'], ['stopped_at', 'timestamptz'], ['met', 'bool'], ['minutes_late', 'int4'],
  ], clockRows);
  await bulk(db, 'revisits', [
    ['id', 'uuid'], ['site_id', 'uuid'], ['item_id', 'uuid'], ['reason', 'text'], ['state', 'text'], ['created_at', 'timestamptz'], ['attempts', 'int4'],
    ['channel', 'text'], ['reached', 'bool'], ['satisfied', 'bool'], ['comment', 'text'], ['follow_up', 'text'], ['follow_up_item_id', 'uuid'],
    ['done_by', 'uuid'], ['done_at', 'timestamptz'],
  ], revisitRows);
  await bulk(db, 'quality_spot_checks', [
    ['site_id', 'uuid'], ['item_id', 'uuid'], ['result', 'text'], ['note', 'text'], ['proposed_week', 'text'], ['checked_by', 'uuid'],
    ['checked_by_name', 'text'], ['checked_at', 'timestamptz'],
  ], checks.map((c) => [siteId, c.item.id, c.result, c.note, c.week, supervisor.id, supervisor.name, iso(c.at)]));
  // The counters carry on from the seeded numbers, so the next item filed today does not collide.
  const counterRows = [...counters].map(([key, last]) => {
    const [prefix, day] = key.split(':') as [string, string];
    return [siteId, prefix, day.replaceAll('-', ''), last];
  });
  if (counterRows.length) {
    await db.execute(sql`
      insert into work_item_counters (site_id, prefix, day, last)
      select * from unnest(${sql.param(counterRows.map((r) => r[0]))}::uuid[], ${sql.param(counterRows.map((r) => r[1]))}::text[],
                           ${sql.param(counterRows.map((r) => r[2]))}::text[], ${sql.param(counterRows.map((r) => r[3]))}::int4[])
      on conflict (site_id, prefix, day) do update set last = greatest(work_item_counters.last, excluded.last)`);
  }

  return {
    repairs: items.filter((i) => i.kind === 'repair').length,
    complaints: items.filter((i) => i.kind === 'complaint').length,
    inquiries: items.filter((i) => i.kind === 'inquiry').length,
    open,
    events: eventRows.length,
    clocks: clockRows.length,
    revisits: revisitRows.length,
    spotChecks: checks.length,
  };
}

function empty(): HistorySummary {
  return { repairs: 0, complaints: 0, inquiries: 0, open: 0, events: 0, clocks: 0, revisits: 0, spotChecks: 0 };
}

const categoryTitle = (code: string) => findCategory(code)?.zh ?? code;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A PostgreSQL array literal of quoted strings (array columns cannot go through unnest as arrays). */
const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;

/**
 * One INSERT … SELECT FROM unnest(…) per 10 000 rows: one parameter per column, not per value.
 * A column given as [name, type, cast] travels as `type[]` and is cast per row (jsonb, arrays).
 */
async function bulk(db: Queryable, table: string, cols: Array<[string, string, string?]>, rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000);
    const names = sql.raw(cols.map(([n]) => `"${n}"`).join(', '));
    const selects = sql.raw(cols.map(([, , cast], k) => (cast ? `c${k}::${cast}` : `c${k}`)).join(', '));
    const arrays = sql.join(cols.map(([, type], k) => sql`${sql.param(chunk.map((r) => r[k] ?? null))}::${sql.raw(type)}[]`), sql`, `);
    const aliases = sql.raw(cols.map((_, k) => `c${k}`).join(', '));
    await db.execute(sql`insert into ${sql.identifier(table)} (${names}) select ${selects}
      from unnest(${arrays}) as u(${aliases})`);
  }
}
