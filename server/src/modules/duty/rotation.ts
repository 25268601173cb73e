// Pure roster rules (no I/O): the kind of a shift, a rotation plan over a period, and the
// off-hours a roster leaves uncovered. They sit beside the module rather than in
// packages/domain only because this module was built without touching other packages; they
// take a WorkingCalendar and plain values, so moving them there is a file move.
import { dayKind, dayWindows, isWorkingTime, shanghaiDate, shanghaiInstant, type WorkingCalendar } from '@towerdesk/domain';

export const SHIFT_KINDS = ['day', 'night', 'weekend', 'holiday'] as const;
export type ShiftKind = (typeof SHIFT_KINDS)[number];

export const SHIFT_KIND_NAMES: Record<ShiftKind, { zh: string; en: string }> = {
  day: { zh: '白班', en: 'Day' },
  night: { zh: '夜班', en: 'Night' },
  weekend: { zh: '周末值班', en: 'Weekend' },
  holiday: { zh: '节假日值班', en: 'Holiday' },
};

/** Handover on a day with no working hours: the usual start of the working day. */
export const REST_DAY_HANDOVER = '09:00';

const DAY_MS = 86_400_000;

/** The date after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * The kind a shift gets when none is given: 'day' if it starts in working time; otherwise the
 * kind of the day it starts on (holiday, weekend), or 'night' after hours on a working day.
 */
export function defaultShiftKind(cal: WorkingCalendar, startsAt: Date): ShiftKind {
  if (isWorkingTime(cal, startsAt)) return 'day';
  const kind = dayKind(cal, shanghaiDate(startsAt)).kind;
  if (kind === 'holiday') return 'holiday';
  if (kind === 'weekend') return 'weekend';
  return 'night';
}

interface DayShape {
  date: string;
  working: boolean;
  /** First window start and last window end on a working day; the handover time otherwise. */
  start: string;
  end: string;
  kind: 'workday' | 'weekend' | 'holiday' | 'makeup';
}

function shapeOf(cal: WorkingCalendar, date: string): DayShape {
  const windows = dayWindows(cal, date);
  const kind = dayKind(cal, date).kind;
  if (windows.length === 0) return { date, working: false, start: REST_DAY_HANDOVER, end: REST_DAY_HANDOVER, kind };
  return { date, working: true, start: windows[0]![0], end: windows[windows.length - 1]![1], kind };
}

export interface PlannedShift {
  staffId: string;
  startsAt: Date;
  endsAt: Date;
  kind: ShiftKind;
}

export interface RotationInput {
  /** First and last date (Shanghai) whose shifts are planned; the last night ends the day after. */
  from: string;
  to: string;
  staffIds: string[];
  /** Also plan a day shift over each working day's hours (otherwise the regular team covers it). */
  includeDayShifts?: boolean;
}

/**
 * The 'day-night' rotation (CS-3). Each on-call shift runs from the end of one working period
 * to the start of the next, so the on-call shifts of a period join without gaps:
 * - a working day gets a night shift from the end of its hours to the next day's handover
 *   (the next day's first window start, or 09:00 if the next day has no hours);
 * - a day with no hours (weekend, holiday) gets a ~24 h shift from its handover to the next day's.
 * On-call shifts go to staffIds in turn; day shifts too, on their own turn starting with the
 * second person, so with two or more people the day person is not the one just off the night.
 */
export function planRotation(cal: WorkingCalendar, input: RotationInput): PlannedShift[] {
  const n = input.staffIds.length;
  if (n === 0) return [];
  const out: PlannedShift[] = [];
  let onCallTurn = 0;
  let dayTurn = 1;
  let today = shapeOf(cal, input.from);
  for (let date = input.from; date <= input.to; date = nextDate(date)) {
    const tomorrow = shapeOf(cal, nextDate(date));
    if (today.working) {
      if (input.includeDayShifts) {
        out.push({ staffId: input.staffIds[dayTurn++ % n]!, startsAt: shanghaiInstant(date, today.start), endsAt: at(date, today.end), kind: 'day' });
      }
      out.push({ staffId: input.staffIds[onCallTurn++ % n]!, startsAt: at(date, today.end), endsAt: shanghaiInstant(tomorrow.date, tomorrow.start), kind: 'night' });
    } else {
      out.push({
        staffId: input.staffIds[onCallTurn++ % n]!, startsAt: shanghaiInstant(date, today.start), endsAt: shanghaiInstant(tomorrow.date, tomorrow.start),
        kind: today.kind === 'holiday' ? 'holiday' : 'weekend',
      });
    }
    today = tomorrow;
  }
  // A working day ending at 24:00 followed by one opening at 00:00 leaves an empty night.
  return out.filter((s) => s.endsAt > s.startsAt);
}

/** shanghaiInstant, with 24:00 meaning the next midnight. */
function at(date: string, time: string): Date {
  return time === '24:00' ? shanghaiInstant(nextDate(date), '00:00') : shanghaiInstant(date, time);
}

export interface Interval { startsAt: Date; endsAt: Date }

/** Non-working time in [from, to): the complement of the calendar's working windows. */
export function offHours(cal: WorkingCalendar, from: Date, to: Date): Interval[] {
  const out: Interval[] = [];
  let cursor = from;
  days: for (let date = shanghaiDate(from); shanghaiInstant(date) < to; date = nextDate(date)) {
    for (const [s, e] of dayWindows(cal, date)) {
      const ws = at(date, s);
      if (ws >= to) break days;
      if (ws > cursor) push(out, cursor, ws);
      const we = at(date, e);
      if (we > cursor) cursor = we;
    }
  }
  push(out, cursor, to);
  return out;
}

/**
 * The parts of `needed` that no shift covers: what the desk must still staff (CS-3 "every
 * non-working day and every night has a named on-call person per trade").
 */
export function uncovered(needed: Interval[], shifts: Interval[]): Interval[] {
  const sorted = [...shifts].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const gaps: Interval[] = [];
  for (const need of needed) {
    let cursor = need.startsAt;
    for (const s of sorted) {
      if (s.endsAt <= cursor || s.startsAt >= need.endsAt) continue;
      if (s.startsAt > cursor) push(gaps, cursor, s.startsAt);
      if (s.endsAt > cursor) cursor = s.endsAt;
      if (cursor >= need.endsAt) break;
    }
    if (cursor < need.endsAt) push(gaps, cursor, need.endsAt);
  }
  return gaps;
}

function push(list: Interval[], startsAt: Date, endsAt: Date) {
  if (endsAt > startsAt) list.push({ startsAt, endsAt });
}

/** Two half-open intervals overlap (touching ends do not: a handover at 09:00 is fine). */
export const overlaps = (a: Interval, b: Interval) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;
