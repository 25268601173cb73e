/**
 * Work items (工单) as the web reads them, and the pure rules both entries show them with: which
 * clock is pressing, how late, in what order a technician sees their list, how far along the
 * occupant's progress bar is. No React here, so the rules are unit-tested without a browser.
 * The server's zod schemas (server/src/modules/work-items/routes.ts) are the contract.
 */
import { KINDS, type TransitionDef, type Urgency, type WorkItemKind } from '@towerdesk/domain';

export interface ClockView {
  clock: string;
  dueAt: string;
  running: boolean;
  stoppedAt: string | null;
  met: boolean | null;
  minutesLate: number | null;
  warned: boolean;
  breached: boolean;
  escalationLevel: number;
}

export interface WorkItem {
  id: string;
  number: string;
  kind: WorkItemKind;
  category: string;
  urgency: Urgency;
  state: string;
  /** Localised by the server; occupant wording for occupants. */
  stateName: string;
  title: string;
  description: string;
  channel: string;
  place: { id: string; code: string; name: string } | null;
  occupantId: string | null;
  companyId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  assignee: { id: string; name: string } | null;
  scheduledFor: string | null;
  arrivedAt: string | null;
  arrivalProof: 'qr' | 'manual' | string | null;
  completedAt: string | null;
  closedAt: string | null;
  resolution: string | null;
  /** RP-5: materials used (free text) and labour minutes, given at completion. */
  materials: string | null;
  labourMinutes: number | null;
  rating: number | null;
  reopenCount: number;
  /** RP-5: the 4-digit code, for the reporting occupant and the desk only (null for anyone else). */
  confirmationCode: string | null;
  /** How completion was confirmed: code, signature, or null (unconfirmed, with the reason). */
  confirmedBy: 'code' | 'signature' | null;
  confirmationReason: string | null;
  createdAt: string;
  updatedAt: string;
  clocks: ClockView[];
  /** Actions this user may take now (the server decides; the web only shows them). */
  can: string[];
}

export interface Attachment {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
  /** before (reported with the item), after (completion), comment, photo */
  role: string | null;
  uploadedAt: string;
}

export interface TimelineEntry {
  id: number;
  at: string;
  actorName: string | null;
  type: 'created' | 'transition' | 'comment' | 'urgency' | 'clock' | string;
  action: string | null;
  fromState: string | null;
  toState: string | null;
  body: string | null;
  public: boolean;
  data: unknown;
}

export interface WorkItemDetail extends WorkItem {
  attachments?: Attachment[];
  timeline: TimelineEntry[];
  /** IN-4: the round a finding was raised on. */
  task?: { id: string; planName: string; startsAt: string; checkpoint: number | null } | null;
  /** RP-9 AR-2: parts issued from stock and the item's cost (staff only; fen). */
  parts?: Array<{ movementId: string; code: string; name: string; unit: string; qty: number; costFen: number }>;
  cost?: { partsFen: number; labourMinutes: number; labourFen: number; ratePerHourFen: number; totalFen: number };
}

export interface Upload {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

export interface NotificationItem {
  id: string;
  at: string;
  kind: string;
  title: string;
  body: string | null;
  entityType: string | null;
  entityId: string | null;
  read: boolean;
}

export interface Inbox {
  items: NotificationItem[];
  total: number;
  unread: number;
}

/** Photos per item / comment / completion (server: MAX_FILES). */
export const MAX_PHOTOS = 6;

export const URGENCY_RANK: Record<Urgency, number> = { urgent: 0, normal: 1, low: 2 };

/** The transition of this kind named `action` (the first entry: labels and requirements agree across entries). */
export function transitionOf(kind: WorkItemKind, action: string): TransitionDef | undefined {
  return KINDS[kind]?.transitions.find((t) => t.action === action);
}

export function isTerminalState(kind: WorkItemKind, state: string): boolean {
  return KINDS[kind]?.states[state]?.terminal === true;
}

export const minutesUntil = (iso: string, now: number): number => Math.floor((Date.parse(iso) - now) / 60_000);

export type ClockStatus = 'ok' | 'warned' | 'breached' | 'paused' | 'met' | 'missed' | 'ended';

/**
 * Where one clock stands. A running clock past its due time is breached even before the sweep
 * has marked it (the board must not look green for the seconds between due and sweep).
 */
export function clockStatus(c: ClockView, now: number): ClockStatus {
  if (c.stoppedAt) {
    if (c.met === true) return 'met';
    if (c.met === false) return 'missed';
    return 'ended'; // abandoned (e.g. the item was cancelled)
  }
  if (!c.running) return 'paused';
  if (c.breached || Date.parse(c.dueAt) <= now) return 'breached';
  return c.warned ? 'warned' : 'ok';
}

/** The running clock due first: the promise that is at stake right now. */
export function pressingClock(item: Pick<WorkItem, 'clocks'>): ClockView | undefined {
  return item.clocks.filter((c) => c.running && !c.stoppedAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

const SEVERITY: Record<ClockStatus, number> = { breached: 3, warned: 2, ok: 1, paused: 0, met: 0, missed: 0, ended: 0 };

/** The worst state of the item's open clocks (for row colours): breached > warned > ok, else none. */
export function itemClockStatus(item: Pick<WorkItem, 'clocks'>, now: number): 'ok' | 'warned' | 'breached' | 'none' {
  let worst: ClockStatus | null = null;
  for (const c of item.clocks) {
    if (c.stoppedAt) continue;
    const s = clockStatus(c, now);
    if (!worst || SEVERITY[s] > SEVERITY[worst]) worst = s;
  }
  return worst === 'breached' || worst === 'warned' || worst === 'ok' ? worst : 'none';
}

/**
 * A technician's list order: urgent first, then whichever promise runs out first; items without
 * a running clock (paused, waiting for parts) after those with one, oldest first.
 */
export function sortForWork<T extends Pick<WorkItem, 'urgency' | 'clocks' | 'createdAt'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const u = URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
    if (u) return u;
    const da = pressingClock(a)?.dueAt;
    const db = pressingClock(b)?.dueAt;
    if (da && db && da !== db) return da.localeCompare(db);
    if (da && !db) return -1;
    if (!da && db) return 1;
    return a.createdAt.localeCompare(b.createdAt);
  });
}

/**
 * Minutes as people say them: 45 分 · 1 小时 5 分 · 2 天 3 小时 (en: 45 min · 1 h 5 min · 2 d 3 h).
 * Negative values are formatted by their size; the caller says "left" or "late".
 */
export function formatMinutes(minutes: number, lang: string): string {
  const m = Math.abs(Math.trunc(minutes));
  const en = lang === 'en-US';
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  if (d > 0) return en ? `${d} d${h ? ` ${h} h` : ''}` : `${d} 天${h ? ` ${h} 小时` : ''}`;
  if (h > 0) return en ? `${h} h${mm ? ` ${mm} min` : ''}` : `${h} 小时${mm ? ` ${mm} 分` : ''}`;
  return en ? `${mm} min` : `${mm} 分`;
}

/**
 * The steps of the occupant's progress bar per kind (RP-4): each step is a group of states; the
 * bar shows how far the item got and when it entered each step.
 */
export const PROGRESS_STEPS: Record<WorkItemKind, string[][]> = {
  repair: [['new', 'assigned'], ['accepted'], ['on_the_way', 'on_site'], ['in_progress', 'waiting_parts'], ['completed', 'closed']],
  complaint: [['new'], ['assigned'], ['in_progress'], ['resolved', 'closed']],
  inquiry: [['new'], ['answered', 'closed']],
  finding: [['new', 'assigned'], ['accepted'], ['on_the_way', 'on_site'], ['in_progress', 'waiting_parts'], ['completed', 'closed']],
};

export interface ProgressStep {
  /** The state the step is named after: the latest one reached in the group, else its first. */
  state: string;
  /** When the item entered this step (since the last time it went back to an earlier one). */
  at: string | null;
  done: boolean;
  current: boolean;
}

export interface Progress {
  steps: ProgressStep[];
  cancelled: boolean;
  cancelledAt: string | null;
}

/** The progress bar of an item from its state and timeline (RP-4: accepted → on the way → on site → in repair → completed). */
export function progressOf(item: Pick<WorkItemDetail, 'kind' | 'state' | 'timeline' | 'createdAt'>): Progress {
  const groups = PROGRESS_STEPS[item.kind] ?? [[item.state]];
  const groupOf = (s: string | null) => (s ? groups.findIndex((g) => g.includes(s)) : -1);
  const at: (string | null)[] = groups.map(() => null);
  const named: (string | null)[] = groups.map(() => null);
  let cancelledAt: string | null = null;
  at[0] = item.createdAt;
  for (const e of item.timeline) {
    if (e.type !== 'created' && e.type !== 'transition') continue;
    const g = groupOf(e.toState);
    if (g < 0) {
      if (e.toState && isTerminalState(item.kind, e.toState)) cancelledAt = e.at;
      continue;
    }
    // Going back (a reopen, a declined dispatch) clears what came after.
    for (let i = g + 1; i < groups.length; i++) { at[i] = null; named[i] = null; }
    if (g > 0 || e.type === 'created') at[g] ??= e.at;
    if (g > 0) named[g] = e.toState;
  }
  const current = groupOf(item.state);
  const cancelled = current < 0 && isTerminalState(item.kind, item.state);
  return {
    cancelled,
    cancelledAt: cancelled ? cancelledAt : null,
    steps: groups.map((g, i) => ({
      // The first step stays 已提交 and the last 已完成 (closing is shown by the state badge).
      state: i === 0 || i === groups.length - 1 ? g[0]! : i === current ? item.state : named[i] ?? g[0]!,
      at: current >= 0 && i <= current ? at[i] : cancelled ? at[i] : null,
      done: current >= 0 && i < current || (current === groups.length - 1 && i === current),
      current: i === current,
    })),
  };
}

const STATUS_RANK = { breached: 0, warned: 1, ok: 2, none: 3 } as const;

/**
 * The dispatch board's order: late first, then warned, then as a technician would work them
 * (urgent, soonest due). Items waiting for dispatch come before others of the same standing.
 */
export function boardOrder<T extends Pick<WorkItem, 'urgency' | 'clocks' | 'createdAt' | 'assignee'>>(items: readonly T[], now: number): T[] {
  const worked = sortForWork(items);
  const pos = new Map(worked.map((it, i) => [it, i]));
  return worked.sort((a, b) => {
    const s = STATUS_RANK[itemClockStatus(a, now)] - STATUS_RANK[itemClockStatus(b, now)];
    if (s) return s;
    return pos.get(a)! - pos.get(b)!;
  });
}
