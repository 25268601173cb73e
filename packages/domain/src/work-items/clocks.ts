// Clocks (SLA) on work items (DESIGN §2.3): policies as data, and the pure arithmetic that turns
// start / pause / resume / stop events into stored due and warning instants.
//
// A clock measures minutes on its calendar: wall minutes for '24x7', working minutes on the
// site's China working calendar for 'working'. The functions take the site's working calendar
// and pick ALWAYS themselves for a 24×7 clock, so callers pass the same calendar for every clock.
//
// Invariant kept by all functions: while a clock runs, its due instant is
//   addWorkingDuration(cal, runningSince, minutes - consumed)
// so the due time computed at start or resume stays correct until the next pause or stop, and
// the sweep can compare a stored due_at with now.

import type { Role } from '../roles.ts';
import {
  ALWAYS,
  addWorkingDuration,
  nextWorkingStart,
  workingMinutesBetween,
  type WorkingCalendar,
} from '../calendar/calendar.ts';
import type { Urgency, WorkItemKind } from './kinds.ts';

export type ClockName = 'arrival' | 'response' | 'resolution' | 'acknowledge' | 'update' | 'revisit';
export type ClockCalendar = '24x7' | 'working';

export const CLOCK_LABELS: Record<ClockName, { zh: string; en: string }> = {
  arrival: { zh: '到场时限', en: 'Arrival' },
  response: { zh: '响应时限', en: 'Response' },
  resolution: { zh: '完成时限', en: 'Resolution' },
  acknowledge: { zh: '受理时限', en: 'Acknowledgement' },
  update: { zh: '进展告知', en: 'Progress update' },
  revisit: { zh: '回访时限', en: 'Revisit' },
};

export interface EscalationLevel {
  level: number;
  /** Minutes after the due instant, on the clock's own calendar (wall or working minutes). */
  afterBreachMinutes: number;
  notify: Role[];
}

export interface ClockPolicy {
  clock: ClockName;
  /**
   * start/stop: an action name (e.g. 'accept', 'arrive', 'complete') or 'create'. Server events
   * that are not transitions may also appear: 'revisit' (a revisit recorded), 'update' (a public
   * progress update).
   */
  startOn: string;
  stopOn: string[];
  minutes: number;
  calendar: ClockCalendar;
  /** states in which the clock is paused */
  pauseIn: string[];
  /** fractions of the duration, e.g. [0.5, 0.8] */
  warnAt: number[];
  /** level 1 at breach → supervisor, level 2 later → admin (project manager) */
  escalation: EscalationLevel[];
  /**
   * States in which a still-open clock is abandoned: closed as neither met nor breached (a
   * cancelled repair does not count against the arrival promise). Optional; [] when absent.
   */
  abandonIn?: string[];
}

const WORKING_DAY = 480; // 09:00–17:00
const WARN = [0.5, 0.8];
const ESCALATE_24X7: EscalationLevel[] = [
  { level: 1, afterBreachMinutes: 0, notify: ['supervisor'] },
  { level: 2, afterBreachMinutes: 30, notify: ['admin'] },
];
const ESCALATE_WORKING: EscalationLevel[] = [
  { level: 1, afterBreachMinutes: 0, notify: ['supervisor'] },
  { level: 2, afterBreachMinutes: 120, notify: ['admin'] },
];

function policy(
  clock: ClockName,
  calendar: ClockCalendar,
  minutes: number,
  startOn: string,
  stopOn: string[],
  pauseIn: string[] = [],
): ClockPolicy {
  return {
    clock, startOn, stopOn, minutes, calendar, pauseIn, warnAt: [...WARN],
    escalation: (calendar === '24x7' ? ESCALATE_24X7 : ESCALATE_WORKING).map((e) => ({ ...e, notify: [...e.notify] })),
    abandonIn: ['cancelled'],
  };
}

// Which repairs get a revisit at all (every urgent one, ratings ≤ 3, a sample) is the server's
// policy (RP-8); the clock below is what applies once a revisit is due.
const repairRevisit = () => policy('revisit', 'working', 2 * WORKING_DAY, 'complete', ['revisit']);
const normalRepair = (resolutionDays: number) => [
  // RP-10: general repairs answered within 2 working hours; accepting or arriving both answer.
  policy('response', 'working', 120, 'create', ['accept', 'arrive']),
  policy('resolution', 'working', resolutionDays * WORKING_DAY, 'create', ['complete'], ['waiting_parts']),
  repairRevisit(),
];
const complaint = () => [
  policy('acknowledge', 'working', 60, 'create', ['acknowledge']),
  policy('resolution', 'working', 3 * WORKING_DAY, 'create', ['resolve']),
  // CP-3: the server restarts this clock on each update the complainant can see.
  policy('update', 'working', WORKING_DAY, 'create', ['resolve']),
  policy('revisit', 'working', 2 * WORKING_DAY, 'resolve', ['revisit']),
];
const inquiry = () => [policy('response', 'working', WORKING_DAY, 'create', ['answer'])];

/**
 * Default policies per kind × urgency. A table may add overrides under
 * `${kind}:${urgency}:${category}` (a parent category code applies to its children).
 */
export const DEFAULT_CLOCK_POLICIES: Record<string, ClockPolicy[]> = {
  'repair:urgent': [
    // RP-3: on site within 30 minutes of the report, day or night, any day; only arrival stops it.
    policy('arrival', '24x7', 30, 'create', ['arrive']),
    policy('resolution', '24x7', 240, 'create', ['complete'], ['waiting_parts']),
    repairRevisit(),
  ],
  'repair:normal': normalRepair(3),
  'repair:low': normalRepair(5),
  'complaint:urgent': complaint(),
  'complaint:normal': complaint(),
  'complaint:low': complaint(),
  // IN-4: a finding found urgent (water spreading in the pump room) is answered on site within
  // 30 minutes like an urgent repair; the rest within 2 working hours and fixed within 3 (or 5)
  // working days. Staff raised it, so there is no revisit.
  'finding:urgent': [policy('arrival', '24x7', 30, 'create', ['arrive']), policy('resolution', '24x7', 240, 'create', ['complete'], ['waiting_parts'])],
  'finding:normal': normalRepair(3).filter((p) => p.clock !== 'revisit'),
  'finding:low': normalRepair(5).filter((p) => p.clock !== 'revisit'),
  'inquiry:urgent': inquiry(),
  'inquiry:normal': inquiry(),
  'inquiry:low': inquiry(),
};

/**
 * The clock policies of an item. Keys from general to specific: `${kind}:${urgency}`, then
 * `${kind}:${urgency}:${c}` for each ancestor c of the category ('plumbing', 'plumbing.leak').
 * The most specific key wins clock by clock: an override that lists only `resolution` keeps
 * the other clocks of the general key, so an admin can set one complaint category's limit
 * (CP-4) without restating the rest.
 */
export function policiesFor(
  kind: WorkItemKind,
  urgency: Urgency,
  category: string,
  table: Record<string, ClockPolicy[]> = DEFAULT_CLOCK_POLICIES,
): ClockPolicy[] {
  const keys = [`${kind}:${urgency}`];
  const parts = category ? category.split('.') : [];
  for (let i = 1; i <= parts.length; i++) keys.push(`${kind}:${urgency}:${parts.slice(0, i).join('.')}`);
  const byClock = new Map<ClockName, ClockPolicy>();
  for (const key of keys) for (const p of table[key] ?? []) byClock.set(p.clock, p);
  return [...byClock.values()];
}

// ---------------------------------------------------------------- which clocks an event touches

export interface ClockEffects {
  /** Policies whose clocks start now. */
  start: ClockPolicy[];
  /** Clocks stopped (met or breached) by this event. */
  stop: ClockName[];
  /** Clocks that pause because the item enters one of their pause states. */
  pause: ClockName[];
  /** Clocks that resume because the item leaves their pause states. */
  resume: ClockName[];
  /** Clocks closed as neither met nor breached (the item entered one of their abandonIn states). */
  abandon: ClockName[];
}

/**
 * What an event does to an item's clocks, read off the policies only. `event` is an action
 * name, 'create' (from = null) or a server event ('revisit', 'update'); `from`/`to` are the
 * states around it (equal or null when the event is no transition). The server applies each
 * effect to the clocks the item actually has: a stop or pause of a clock that is not running
 * is nothing.
 */
export function clockEffects(policies: readonly ClockPolicy[], event: string, from: string | null, to: string | null): ClockEffects {
  const fx: ClockEffects = { start: [], stop: [], pause: [], resume: [], abandon: [] };
  for (const p of policies) {
    const stops = p.stopOn.includes(event);
    if (stops) fx.stop.push(p.clock);
    else if (to !== null && (p.abandonIn ?? []).includes(to)) fx.abandon.push(p.clock);
    else {
      const wasPaused = from !== null && p.pauseIn.includes(from);
      const isPaused = to !== null && p.pauseIn.includes(to);
      if (isPaused && !wasPaused) fx.pause.push(p.clock);
      if (wasPaused && !isPaused) fx.resume.push(p.clock);
    }
    if (p.startOn === event) fx.start.push(p);
  }
  return fx;
}

// ---------------------------------------------------------------- clock state and arithmetic

export interface ClockState {
  startedAt: Date;
  minutes: number;
  calendar: ClockCalendar;
  /** working (or wall) minutes consumed before the current run */
  consumed: number;
  /** null = paused or stopped */
  runningSince: Date | null;
  stoppedAt: Date | null;
}

export interface ClockSchedule {
  state: ClockState;
  dueAt: Date;
  /** Warning instants still ahead, ascending (one per threshold not yet passed). */
  warnAts: Date[];
  /**
   * When the count actually begins: `at`, or on a working clock started outside working time,
   * the next working start (CS-2: "scheduled for the next working period").
   */
  countsFrom: Date;
}

/** The calendar a clock counts on: ALWAYS for 24×7, the site's working calendar otherwise. */
export function clockCalendar(calendar: ClockCalendar, cal: WorkingCalendar): WorkingCalendar {
  return calendar === '24x7' ? ALWAYS : cal;
}

function checkMinutes(minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`clock minutes must be a finite number >= 0, not ${minutes}`);
}

/** Sorted, de-duplicated thresholds strictly between 0 and 1. */
function thresholds(warnAt: readonly number[]): number[] {
  return [...new Set(warnAt.filter((f) => Number.isFinite(f) && f > 0 && f < 1))].sort((a, b) => a - b);
}

function consumedAt(state: ClockState, at: Date, c: WorkingCalendar): number {
  if (state.stoppedAt || !state.runningSince) return state.consumed;
  return state.consumed + workingMinutesBetween(c, state.runningSince, at);
}

/** Due and warning instants of a running clock, warnings limited to those not passed at `at`. */
function schedule(state: ClockState, at: Date, cal: WorkingCalendar, warnAt: readonly number[]): ClockSchedule {
  const c = clockCalendar(state.calendar, cal);
  const runStart = state.runningSince!;
  const now = consumedAt(state, at, c);
  const dueAt = addWorkingDuration(c, runStart, Math.max(0, state.minutes - state.consumed));
  const warnAts: Date[] = [];
  for (const f of thresholds(warnAt)) {
    const m = f * state.minutes;
    if (m <= now) continue;
    const w = addWorkingDuration(c, runStart, m - state.consumed);
    // Thresholds a hair apart land on the same millisecond: one warning, not two.
    if (w.getTime() !== warnAts[warnAts.length - 1]?.getTime()) warnAts.push(w);
  }
  // A 0-minute clock is due at once; it does not wait for working time (addWorkingDuration's rule).
  const countsFrom = state.minutes - state.consumed > 0 ? nextWorkingStart(c, runStart) : runStart;
  return { state, dueAt, warnAts, countsFrom };
}

export function startClock(policy: ClockPolicy, at: Date, cal: WorkingCalendar): ClockSchedule {
  checkMinutes(policy.minutes);
  const state: ClockState = {
    startedAt: at, minutes: policy.minutes, calendar: policy.calendar, consumed: 0, runningSince: at, stoppedAt: null,
  };
  return schedule(state, at, cal, policy.warnAt);
}

/**
 * Pause a running clock (the item entered a pause state). Paused or stopped clocks are returned
 * unchanged. A clock already at or past its due instant is NOT paused either: its breach has
 * happened and been swept, and pausing it would only move its lateness out of sight; it runs on
 * until stopped, and its stored due_at stays right.
 */
export function pauseClock(state: ClockState, at: Date, cal: WorkingCalendar): ClockState {
  if (state.stoppedAt || !state.runningSince) return state;
  const consumed = consumedAt(state, at, clockCalendar(state.calendar, cal));
  if (consumed >= state.minutes) return state;
  return { ...state, consumed, runningSince: null };
}

/**
 * Resume a paused clock; its due instant moves by exactly the paused working (or wall) time.
 * A clock that is already running gets its current schedule back, unchanged. Throws on a
 * stopped clock. The duration is the clock's own (set at start); the policy gives the warnings.
 */
export function resumeClock(state: ClockState, at: Date, cal: WorkingCalendar, policy: ClockPolicy): ClockSchedule {
  if (state.stoppedAt) throw new RangeError('cannot resume a stopped clock');
  const running = state.runningSince ? state : { ...state, runningSince: at };
  return schedule(running, at, cal, policy.warnAt);
}

export interface ClockStop {
  state: ClockState;
  met: boolean;
  /** wall minutes after dueAt, rounded up (a clock 10 s late is 1 minute late); 0 if met */
  minutesLate: number;
  consumedMinutes: number;
}

/**
 * Stop a clock (its stop event happened). `dueAt` is the stored due instant. A running clock is
 * met when stopped at or before dueAt; a paused clock is met when its consumption is within its
 * minutes (always, since overdue clocks are never paused). Stopping a stopped clock returns its
 * result again.
 */
export function stopClock(state: ClockState, at: Date, cal: WorkingCalendar, dueAt: Date): ClockStop {
  const c = clockCalendar(state.calendar, cal);
  const consumed = consumedAt(state, at, c);
  const stoppedAt = state.stoppedAt ?? at;
  let met: boolean;
  if (state.stoppedAt) met = consumed < state.minutes || stoppedAt.getTime() <= dueAt.getTime();
  else if (state.runningSince) met = at.getTime() <= dueAt.getTime();
  else met = consumed <= state.minutes; // paused
  const minutesLate = met ? 0 : Math.max(1, Math.ceil((stoppedAt.getTime() - dueAt.getTime()) / 60_000));
  const next: ClockState = state.stoppedAt ? state : { ...state, consumed, runningSince: null, stoppedAt };
  return { state: next, met, minutesLate, consumedMinutes: consumed };
}

/**
 * Progress at an instant: consumed and remaining minutes on the clock's calendar. `fraction`
 * is consumed / minutes and passes 1 when the clock is overdue (1 for a 0-minute clock).
 */
export function clockProgress(state: ClockState, at: Date, cal: WorkingCalendar): { consumed: number; remaining: number; fraction: number } {
  const consumed = consumedAt(state, at, clockCalendar(state.calendar, cal));
  return {
    consumed,
    remaining: Math.max(0, state.minutes - consumed),
    fraction: state.minutes > 0 ? consumed / state.minutes : 1,
  };
}

/** The due instant of a running clock; null when paused or stopped. */
export function dueAtOf(state: ClockState, cal: WorkingCalendar): Date | null {
  if (state.stoppedAt || !state.runningSince) return null;
  return addWorkingDuration(clockCalendar(state.calendar, cal), state.runningSince, Math.max(0, state.minutes - state.consumed));
}

/** When each escalation level fires, counted from the due instant on the clock's calendar. */
export function escalationAts(policy: ClockPolicy, dueAt: Date, cal: WorkingCalendar): Array<{ level: number; at: Date; notify: Role[] }> {
  const c = clockCalendar(policy.calendar, cal);
  return [...policy.escalation]
    .sort((a, b) => a.level - b.level)
    .map((e) => ({ level: e.level, at: addWorkingDuration(c, dueAt, e.afterBreachMinutes), notify: e.notify }));
}
