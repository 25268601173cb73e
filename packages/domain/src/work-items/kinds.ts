// Work-item kinds declared as data (DESIGN §2.2): states, transitions, who may take each one and
// what each one needs. The functions below are the whole engine; none of them names a kind, a
// state or an action, so a later kind (finding, rectification, incident) is a new entry in KINDS
// and nothing else.

import type { Role } from '../roles.ts';

export type WorkItemKind = 'repair' | 'complaint' | 'inquiry' | 'finding';
export type Urgency = 'urgent' | 'normal' | 'low';

export const WORK_ITEM_KINDS = ['repair', 'complaint', 'inquiry', 'finding'] as const satisfies readonly WorkItemKind[];
/** What can be filed from a channel (app, phone, walk-in); a finding is raised by a task only (IN-4). */
export const INTAKE_KINDS = ['repair', 'complaint', 'inquiry'] as const satisfies readonly WorkItemKind[];
export const URGENCIES = ['urgent', 'normal', 'low'] as const satisfies readonly Urgency[];
export const URGENCY_LABELS: Record<Urgency, { zh: string; en: string }> = {
  urgent: { zh: '紧急', en: 'Urgent' },
  normal: { zh: '普通', en: 'Normal' },
  low: { zh: '低', en: 'Low' },
};

/** Who may take a transition: a role, or a relation to the item. */
export type Actor = Role | 'assignee' | 'reporter'; // reporter = the occupant who reported (or their company admin)
export type Requirement = 'reason' | 'assignee' | 'afterPhoto' | 'resolution' | 'confirmation' | 'expectedDate' | 'note';
export const REQUIREMENTS: readonly Requirement[] = ['reason', 'assignee', 'afterPhoto', 'resolution', 'confirmation', 'expectedDate', 'note'];

export interface StateDef {
  zh: string;
  en: string;
  terminal?: boolean;
  /** what the occupant sees (RP-4) */
  occupantZh?: string;
  occupantEn?: string;
}

export interface TransitionDef {
  action: string;
  from: string[];
  to: string;
  by: Actor[];
  requires?: Requirement[];
  zh: string;
  en: string;
  /** shown on the occupant's timeline */
  public: boolean;
}

export interface KindDef {
  kind: WorkItemKind;
  prefix: 'BX' | 'TS' | 'ZX' | 'XJ';
  zh: string;
  en: string;
  initial: string;
  states: Record<string, StateDef>;
  /**
   * An action may appear more than once when who may take it depends on the state (a repair's
   * reporter may cancel only before dispatch, the desk also after). Entries of one action must
   * not share a `from` state with the same actor; the first match wins.
   */
  transitions: TransitionDef[];
}

// The service desk. Admin is listed too, and the engine also lets admin take any agent or
// supervisor action, so a kind that forgets to list admin still behaves.
const DESK: Actor[] = ['agent', 'supervisor', 'admin'];

const REPAIR: KindDef = {
  kind: 'repair',
  prefix: 'BX',
  zh: '报修',
  en: 'Repair',
  initial: 'new',
  states: {
    new: { zh: '待派单', en: 'Awaiting dispatch', occupantZh: '已提交', occupantEn: 'Submitted' },
    assigned: { zh: '已派单', en: 'Dispatched', occupantZh: '已派单', occupantEn: 'Dispatched' },
    accepted: { zh: '已接单', en: 'Accepted', occupantZh: '已接单', occupantEn: 'Accepted' },
    on_the_way: { zh: '在途', en: 'On the way', occupantZh: '师傅在途', occupantEn: 'Technician on the way' },
    on_site: { zh: '已到场', en: 'On site', occupantZh: '师傅已到场', occupantEn: 'Technician on site' },
    in_progress: { zh: '维修中', en: 'In repair', occupantZh: '维修中', occupantEn: 'In repair' },
    waiting_parts: { zh: '待配件', en: 'Waiting for parts', occupantZh: '等待配件', occupantEn: 'Waiting for parts' },
    completed: { zh: '已完成', en: 'Completed', occupantZh: '已完成', occupantEn: 'Completed' },
    closed: { zh: '已关闭', en: 'Closed', terminal: true, occupantZh: '已关闭', occupantEn: 'Closed' },
    cancelled: { zh: '已取消', en: 'Cancelled', terminal: true, occupantZh: '已取消', occupantEn: 'Cancelled' },
  },
  transitions: [
    { action: 'assign', from: ['new'], to: 'assigned', by: DESK, requires: ['assignee'], zh: '派单', en: 'Dispatch', public: true },
    { action: 'accept', from: ['assigned'], to: 'accepted', by: ['assignee'], zh: '接单', en: 'Accept', public: true },
    // A decline goes back to the queue; the occupant's view stays 已提交, so it is internal.
    { action: 'decline', from: ['assigned'], to: 'new', by: ['assignee'], requires: ['reason'], zh: '拒单', en: 'Decline', public: false },
    {
      action: 'reassign', from: ['assigned', 'accepted', 'on_the_way'], to: 'assigned', by: DESK,
      requires: ['assignee', 'reason'], zh: '改派', en: 'Reassign', public: true,
    },
    { action: 'depart', from: ['accepted'], to: 'on_the_way', by: ['assignee'], zh: '出发', en: 'Set out', public: true },
    // Proof of arrival (QR scan, or a reason for a manual arrival) is checked by the server.
    { action: 'arrive', from: ['accepted', 'on_the_way'], to: 'on_site', by: ['assignee'], zh: '到场', en: 'Arrive on site', public: true },
    { action: 'start', from: ['on_site'], to: 'in_progress', by: ['assignee'], zh: '开始维修', en: 'Start repair', public: true },
    {
      action: 'wait_parts', from: ['in_progress'], to: 'waiting_parts', by: ['assignee'],
      requires: ['expectedDate'], zh: '等待配件', en: 'Wait for parts', public: true,
    },
    { action: 'resume', from: ['waiting_parts'], to: 'in_progress', by: ['assignee'], zh: '恢复维修', en: 'Resume repair', public: true },
    // RP-5: the occupant confirms on the technician's phone — their 4-digit code or a signature,
    // or a reason when nobody can (public area, occupant away). The server decides what satisfies
    // 'confirmation' (nothing is asked when no occupant reported the item).
    {
      action: 'complete', from: ['in_progress', 'on_site'], to: 'completed', by: ['assignee'],
      requires: ['afterPhoto', 'confirmation'], zh: '完工', en: 'Complete', public: true,
    },
    // The reporter closes by rating; the desk closes after a revisit or when no rating comes.
    { action: 'close', from: ['completed'], to: 'closed', by: [...DESK, 'reporter'], zh: '关闭', en: 'Close', public: true },
    {
      action: 'reopen', from: ['completed'], to: 'new', by: ['reporter', ...DESK],
      requires: ['reason'], zh: '返修', en: 'Reopen', public: true,
    },
    { action: 'cancel', from: ['new'], to: 'cancelled', by: ['reporter', ...DESK], requires: ['reason'], zh: '取消', en: 'Cancel', public: true },
    { action: 'cancel', from: ['assigned'], to: 'cancelled', by: DESK, requires: ['reason'], zh: '取消', en: 'Cancel', public: true },
  ],
};

const COMPLAINT: KindDef = {
  kind: 'complaint',
  prefix: 'TS',
  zh: '投诉',
  en: 'Complaint',
  initial: 'new',
  states: {
    new: { zh: '待分派', en: 'Awaiting assignment', occupantZh: '已提交', occupantEn: 'Submitted' },
    assigned: { zh: '已分派', en: 'Assigned', occupantZh: '已受理', occupantEn: 'Received' },
    in_progress: { zh: '处理中', en: 'In progress', occupantZh: '处理中', occupantEn: 'In progress' },
    resolved: { zh: '已办结', en: 'Resolved', occupantZh: '已办结', occupantEn: 'Resolved' },
    closed: { zh: '已关闭', en: 'Closed', terminal: true, occupantZh: '已关闭', occupantEn: 'Closed' },
    cancelled: { zh: '已撤销', en: 'Withdrawn', terminal: true, occupantZh: '已撤销', occupantEn: 'Withdrawn' },
  },
  transitions: [
    // CP-2: the assignee is the named responsible person.
    { action: 'assign', from: ['new'], to: 'assigned', by: DESK, requires: ['assignee'], zh: '分派', en: 'Assign', public: true },
    {
      action: 'reassign', from: ['assigned', 'in_progress'], to: 'assigned', by: DESK,
      requires: ['assignee', 'reason'], zh: '转派', en: 'Reassign', public: false,
    },
    { action: 'acknowledge', from: ['assigned'], to: 'in_progress', by: ['assignee'], zh: '受理', en: 'Acknowledge', public: true },
    // Progress updates are timeline entries, not transitions (the server restarts the update clock).
    {
      action: 'resolve', from: ['in_progress'], to: 'resolved', by: ['assignee'],
      requires: ['resolution'], zh: '办结', en: 'Resolve', public: true,
    },
    // The server also requires a recorded revisit before the final close (CP-7).
    { action: 'close', from: ['resolved'], to: 'closed', by: DESK, zh: '结案', en: 'Close', public: true },
    {
      action: 'reopen', from: ['resolved'], to: 'in_progress', by: [...DESK, 'reporter'],
      requires: ['reason'], zh: '重新处理', en: 'Reopen', public: true,
    },
    {
      action: 'cancel', from: ['new', 'assigned', 'in_progress'], to: 'cancelled', by: DESK,
      requires: ['reason'], zh: '撤销', en: 'Withdraw', public: true,
    },
  ],
};

const INQUIRY: KindDef = {
  kind: 'inquiry',
  prefix: 'ZX',
  zh: '咨询建议',
  en: 'Inquiry / suggestion',
  initial: 'new',
  states: {
    new: { zh: '待答复', en: 'Awaiting answer', occupantZh: '已提交', occupantEn: 'Submitted' },
    answered: { zh: '已答复', en: 'Answered', occupantZh: '已答复', occupantEn: 'Answered' },
    closed: { zh: '已关闭', en: 'Closed', terminal: true, occupantZh: '已关闭', occupantEn: 'Closed' },
    cancelled: { zh: '已取消', en: 'Cancelled', terminal: true, occupantZh: '已取消', occupantEn: 'Cancelled' },
  },
  transitions: [
    { action: 'answer', from: ['new'], to: 'answered', by: DESK, requires: ['note'], zh: '答复', en: 'Answer', public: true },
    { action: 'close', from: ['answered'], to: 'closed', by: [...DESK, 'reporter'], zh: '关闭', en: 'Close', public: true },
    { action: 'cancel', from: ['new'], to: 'cancelled', by: [...DESK, 'reporter'], requires: ['reason'], zh: '取消', en: 'Cancel', public: true },
  ],
};

// IN-4: an abnormal result on an inspection, patrol or cleaning round (or a problem reported
// there) becomes a finding, worked like a repair of its trade: same states and field steps
// (arrival by scan, after-photo), its own clocks. Nobody outside reported it, so the occupant
// confirmation a repair asks for is never asked (the server asks it only of occupant reports).
const FINDING: KindDef = {
  ...REPAIR,
  kind: 'finding',
  prefix: 'XJ',
  zh: '巡检发现',
  en: 'Finding',
  // The reporter of a finding is staff; the occupant's cancel/reopen rights do not apply.
  transitions: REPAIR.transitions.map((t) => ({ ...t, by: t.by.filter((a) => a !== 'reporter') })).filter((t) => t.by.length > 0),
};

export const KINDS: Record<WorkItemKind, KindDef> = { repair: REPAIR, complaint: COMPLAINT, inquiry: INQUIRY, finding: FINDING };

/** Why a transition was refused: the server maps unknown_action/missing → 400/422, illegal_state → 409, not_allowed → 403. */
export type TransitionRefusal = 'unknown_action' | 'illegal_state' | 'not_allowed' | 'missing';

const REFUSAL_MESSAGES: Record<TransitionRefusal, string> = {
  unknown_action: 'no such action for this kind of work item',
  illegal_state: 'the action is not possible in the current state',
  not_allowed: 'you may not take this action on this item',
  missing: 'required input is missing',
};

export class TransitionError extends Error {
  readonly reason: TransitionRefusal;
  readonly missing: Requirement[];
  constructor(reason: TransitionRefusal, missing: Requirement[] = []) {
    super(missing.length ? `${REFUSAL_MESSAGES[reason]}: ${missing.join(', ')}` : REFUSAL_MESSAGES[reason]);
    this.name = 'TransitionError';
    this.reason = reason;
    this.missing = missing;
  }
}

export interface TransitionActor {
  roles: readonly Role[];
  isAssignee: boolean;
  isReporter: boolean;
}

function kindDef(kind: WorkItemKind): KindDef {
  const def = KINDS[kind];
  if (!def) throw new RangeError(`unknown work-item kind "${String(kind)}"`);
  return def;
}

/** Whether the actor is one of `by`. Admin may take whatever an agent or supervisor may. */
export function actorMatches(by: readonly Actor[], who: TransitionActor): boolean {
  return by.some((a) => {
    if (a === 'assignee') return who.isAssignee;
    if (a === 'reporter') return who.isReporter;
    if (who.roles.includes(a)) return true;
    return (a === 'agent' || a === 'supervisor') && who.roles.includes('admin');
  });
}

/**
 * Pure check: may these roles/relations take `action` on an item of `kind` in `state` with these
 * inputs? Returns the target state. Refusals are checked in the order unknown action → wrong
 * state → not allowed → missing input, so a caller never learns which inputs an action needs
 * from a state or role it could not use anyway.
 */
export function planTransition(
  kind: WorkItemKind,
  state: string,
  action: string,
  who: TransitionActor,
  provided: Partial<Record<Requirement, boolean>>,
): { to: string; def: TransitionDef } {
  const defs = kindDef(kind).transitions.filter((t) => t.action === action);
  if (!defs.length) throw new TransitionError('unknown_action');
  const inState = defs.filter((t) => t.from.includes(state));
  if (!inState.length) throw new TransitionError('illegal_state');
  const allowed = inState.filter((t) => actorMatches(t.by, who));
  if (!allowed.length) throw new TransitionError('not_allowed');
  let firstMissing: Requirement[] | null = null;
  for (const def of allowed) {
    const missing = (def.requires ?? []).filter((r) => !provided[r]);
    if (!missing.length) return { to: def.to, def };
    firstMissing ??= missing;
  }
  throw new TransitionError('missing', firstMissing ?? []);
}

/** Actions the actor may take now (for `can` flags in views), one entry per action. */
export function availableActions(kind: WorkItemKind, state: string, who: TransitionActor): TransitionDef[] {
  const seen = new Set<string>();
  const out: TransitionDef[] = [];
  for (const t of kindDef(kind).transitions) {
    if (seen.has(t.action) || !t.from.includes(state) || !actorMatches(t.by, who)) continue;
    seen.add(t.action);
    out.push(t);
  }
  return out;
}

/** Every action name a kind knows (for request validation). */
export function actionsOf(kind: WorkItemKind): string[] {
  return [...new Set(kindDef(kind).transitions.map((t) => t.action))];
}

export function isTerminal(kind: WorkItemKind, state: string): boolean {
  const s = kindDef(kind).states[state];
  if (!s) throw new RangeError(`unknown state "${state}" for ${kind}`);
  return s.terminal === true;
}

/** The states an item is still open in (not terminal), e.g. for the dispatch board's query. */
export function openStates(kind: WorkItemKind): string[] {
  return Object.entries(kindDef(kind).states).filter(([, s]) => !s.terminal).map(([name]) => name);
}

/** The kind whose numbers carry this prefix (BX → repair). */
export function kindOfPrefix(prefix: string): WorkItemKind | undefined {
  return (Object.values(KINDS) as KindDef[]).find((k) => k.prefix === prefix)?.kind;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Human-readable number per site and Shanghai day: itemNumber('BX', '2026-11-24', 7) →
 * 'BX-20261124-0007'. The sequence is padded to 4 digits and simply grows past 9999.
 */
export function itemNumber(prefix: string, shanghaiDay: string, seq: number): string {
  if (!/^[A-Z]{2,4}$/.test(prefix)) throw new RangeError(`not a number prefix: "${prefix}"`);
  if (!DAY.test(shanghaiDay)) throw new RangeError(`not a date YYYY-MM-DD: "${shanghaiDay}"`);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`sequence must be an integer >= 1, not ${seq}`);
  return `${prefix}-${shanghaiDay.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}
