// The working calendar: which instants count as working time, and due-time arithmetic on it.
//
// Everything is in Asia/Shanghai. China has used a fixed UTC+8 with no daylight saving since
// 1991, so local wall time is epoch milliseconds + 8 h and we need no timezone library; the
// server's own TZ never matters. A day's working time is a list of half-open windows
// [start, end) in local wall time; the arithmetic steps window by window and day by day
// (never minute by minute) because SLA sweeps call it for many clocks at once.

import { CN_SHIPPED_DAYS } from './cn-holidays.ts';

/** Working windows of one day, e.g. [['09:00', '12:00'], ['13:00', '17:00']] for a lunch break. */
export type Windows = Array<[string, string]>;
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WorkingHours {
  byWeekday: Record<IsoWeekday, Windows>;
  /** Hours on a make-up working day (调休上班) that would otherwise be a rest day. */
  makeUpDay: Windows;
}

/**
 * A site's edit of one date: 'holiday' = day off, 'workday' = working day (a make-up day if it
 * falls on a rest day), 'normal' = ignore the shipped data, the weekday rule applies.
 */
export type DayOverride = 'holiday' | 'workday' | 'normal';

export interface WorkingCalendar {
  readonly hours: WorkingHours;
  /**
   * Every date that departs from the weekly rule, by YYYY-MM-DD. makeCalendar fills it with the
   * shipped China data with the site's edits laid over it, so the calendar is one plain value
   * that needs nothing else to answer. Treat it as immutable.
   */
  readonly overrides: ReadonlyMap<string, DayOverride>;
}

/**
 * workday: a working day by the weekly rule (or declared one on a weekday);
 * weekend: a rest day by the weekly rule (Sat/Sun by default, or any weekday with no hours);
 * holiday: a day off (放假); makeup: a declared working day on a rest day (调休上班).
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface CalendarDay {
  date: string;
  weekday: IsoWeekday;
  kind: DayKind;
  /** Festival name when the day is the shipped holiday or make-up day (and not edited away). */
  name?: string;
  nameEn?: string;
}

export interface HoursIssue {
  /** Path of the offending value, e.g. `byWeekday.3[1]` or `makeUpDay[0]`. */
  field: string;
  code: 'missing' | 'bad_window' | 'bad_time' | 'empty_window' | 'overlap';
  message: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;
/** A calendar with no working time for this long is a configuration error, not a long wait. */
const SEARCH_DAYS = 400;
const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

const OFFICE: Windows = [['09:00', '17:00']];
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  byWeekday: { 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [], 7: [] },
  makeUpDay: OFFICE,
};

const ALL_DAY: Windows = [['00:00', '24:00']];
/**
 * Round the clock, every day, no holidays: the same functions then do plain wall-clock
 * arithmetic. For clocks such as RP-3 "on site within 30 minutes, day or night, any day".
 */
export const ALWAYS: WorkingCalendar = Object.freeze({
  hours: {
    byWeekday: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY },
    makeUpDay: ALL_DAY,
  },
  overrides: new Map<string, DayOverride>(),
});
export const calendar24x7 = ALWAYS;

// ---------------------------------------------------------------- hours: validation and parsing

// "24:00" is allowed (as an end) so a window can run to midnight.
const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function minutesOf(hhmm: string): number {
  return hhmm === '24:00' ? 1440 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function validateWindows(windows: unknown, field: string): HoursIssue[] {
  if (!Array.isArray(windows)) return [{ field, code: 'missing', message: 'a list of [start, end] windows is required' }];
  const issues: HoursIssue[] = [];
  let previousEnd = -1;
  windows.forEach((w: unknown, i) => {
    const f = `${field}[${i}]`;
    if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== 'string' || typeof w[1] !== 'string') {
      issues.push({ field: f, code: 'bad_window', message: 'a window is a pair ["HH:MM", "HH:MM"]' });
      return;
    }
    const [start, end] = w as [string, string];
    const bad = [start, end].filter((s) => !TIME.test(s));
    if (bad.length) {
      issues.push({ field: f, code: 'bad_time', message: `"${bad[0]}" is not a time HH:MM between 00:00 and 24:00` });
      return;
    }
    const s = minutesOf(start);
    const e = minutesOf(end);
    if (s >= e) {
      issues.push({ field: f, code: 'empty_window', message: `start ${start} must be before end ${end}` });
      return;
    }
    if (s < previousEnd) {
      issues.push({ field: f, code: 'overlap', message: `starts at ${start}, before the previous window ends; windows must be sorted and not overlap` });
    }
    previousEnd = Math.max(previousEnd, e);
  });
  return issues;
}

/** All problems with a set of working hours; empty when valid. */
export function validateWorkingHours(h: WorkingHours): HoursIssue[] {
  const byWeekday = (h as Partial<WorkingHours> | undefined)?.byWeekday;
  const issues: HoursIssue[] = [];
  if (byWeekday === null || typeof byWeekday !== 'object') {
    issues.push({ field: 'byWeekday', code: 'missing', message: 'hours for weekdays 1 (Mon) to 7 (Sun) are required' });
  } else {
    for (const d of WEEKDAYS) issues.push(...validateWindows(byWeekday[d], `byWeekday.${d}`));
  }
  issues.push(...validateWindows(h?.makeUpDay, 'makeUpDay'));
  return issues;
}

/** Windows as [startMs, endMs) offsets from local midnight; index 0 of byWeekday is unused. */
interface ParsedHours {
  byWeekday: Array<Array<[number, number]>>;
  makeUpDay: Array<[number, number]>;
}

// Parsed once per hours object: calendars are immutable values, and parsing on every call would
// dominate the cost of a sweep.
const parsedCache = new WeakMap<WorkingHours, ParsedHours>();

function parsed(hours: WorkingHours): ParsedHours {
  let p = parsedCache.get(hours);
  if (!p) {
    const issues = validateWorkingHours(hours);
    if (issues.length) throw new RangeError(`invalid working hours: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    const toMs = (w: Windows) => w.map(([s, e]): [number, number] => [minutesOf(s) * MINUTE, minutesOf(e) * MINUTE]);
    p = { byWeekday: [[], ...WEEKDAYS.map((d) => toMs(hours.byWeekday[d]))], makeUpDay: toMs(hours.makeUpDay) };
    parsedCache.set(hours, p);
  }
  return p;
}

// ---------------------------------------------------------------- dates on the Shanghai clock

/** Shanghai day number: days since 1970-01-01 in local (UTC+8) dates. */
function dayNumberOf(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET) / DAY);
}
function dayStartMs(day: number): number {
  return day * DAY - SHANGHAI_OFFSET;
}
function isoOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}
function weekdayOfDay(day: number): IsoWeekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((day + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}
function dayOfIso(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY : NaN;
  // Round-tripping rejects dates such as 2026-02-30 that Date.UTC would quietly roll over.
  if (!m || isoOfDay(day) !== date) throw new RangeError(`not a date YYYY-MM-DD: "${date}"`);
  return day;
}
function msOf(t: Date): number {
  const ms = t instanceof Date ? t.getTime() : NaN;
  if (Number.isNaN(ms)) throw new RangeError('not a valid Date');
  return ms;
}

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(t: Date): string {
  return isoOfDay(dayNumberOf(msOf(t)));
}

/** The instant of a Shanghai wall time, e.g. shanghaiInstant('2026-02-13', '16:30'). */
export function shanghaiInstant(date: string, time = '00:00'): Date {
  if (!TIME.test(time)) throw new RangeError(`not a time HH:MM: "${time}"`);
  return new Date(dayStartMs(dayOfIso(date)) + minutesOf(time) * MINUTE);
}

/** A month as the reports take it: YYYY-MM. */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * A Shanghai month (reports, AR-2, CP-6, IN-5): its first instant, the next month's first instant
 * (exclusive end), the previous month's first instant, and its first and last days. Throws a
 * RangeError on anything but YYYY-MM (the routes validate with MONTH_PATTERN first).
 */
export function shanghaiMonth(month: string) {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a month YYYY-MM: "${month}"`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const iso = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}`;
  const next = mo === 12 ? iso(y + 1, 1) : iso(y, mo + 1);
  const prev = mo === 1 ? iso(y - 1, 12) : iso(y, mo - 1);
  return {
    from: shanghaiInstant(`${month}-01`), to: shanghaiInstant(`${next}-01`), prevFrom: shanghaiInstant(`${prev}-01`),
    firstDay: `${month}-01`, lastDay: new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10),
  };
}

// ---------------------------------------------------------------- calendars and days

export interface CalendarOptions {
  hours?: WorkingHours;
  /** The site's edits, laid over the shipped China holidays and make-up days. */
  overrides?: ReadonlyMap<string, DayOverride> | Record<string, DayOverride>;
}

/** A calendar on the mainland-China holidays, with the site's hours and edits. Throws on bad input. */
export function makeCalendar(options: CalendarOptions = {}): WorkingCalendar {
  const hours = options.hours ?? DEFAULT_WORKING_HOURS;
  parsed(hours); // validate now, so a bad calendar fails where it is made, not in a sweep
  const merged = new Map<string, DayOverride>();
  for (const [date, day] of CN_SHIPPED_DAYS) merged.set(date, day.override);
  const edits = options.overrides instanceof Map ? options.overrides : new Map(Object.entries(options.overrides ?? {}));
  for (const [date, o] of edits as ReadonlyMap<string, DayOverride>) {
    dayOfIso(date);
    if (o === 'normal') merged.delete(date);
    else if (o === 'holiday' || o === 'workday') merged.set(date, o);
    else throw new RangeError(`override for ${date} must be holiday, workday or normal, not "${String(o)}"`);
  }
  return { hours, overrides: merged };
}

// The overrides re-keyed by day number, once per map: formatting a date string for every day
// stepped over would be the main cost of long spans.
const overridesByDayCache = new WeakMap<ReadonlyMap<string, DayOverride>, Map<number, DayOverride>>();

function overridesByDay(overrides: ReadonlyMap<string, DayOverride>): Map<number, DayOverride> {
  let byDay = overridesByDayCache.get(overrides);
  if (!byDay) {
    byDay = new Map([...overrides].map(([date, o]) => [dayOfIso(date), o]));
    overridesByDayCache.set(overrides, byDay);
  }
  return byDay;
}

/** Kind of a day and its windows: the single place where the day rules live. */
function resolveDay(cal: WorkingCalendar, day: number): { kind: DayKind; windows: Array<[number, number]> } {
  const hours = parsed(cal.hours);
  const weekday = weekdayOfDay(day);
  const regular = hours.byWeekday[weekday];
  const o = overridesByDay(cal.overrides).get(day);
  if (o === 'holiday') return { kind: 'holiday', windows: [] };
  if (o === 'workday') {
    // A declared working day on a Saturday/Sunday, or on a weekday the site never opens, is a
    // make-up day (调休上班) and keeps make-up hours; on an ordinary weekday it keeps its hours.
    if (weekday >= 6 || regular.length === 0) return { kind: 'makeup', windows: hours.makeUpDay };
    return { kind: 'workday', windows: regular };
  }
  return { kind: regular.length ? 'workday' : 'weekend', windows: regular };
}

function describeDay(cal: WorkingCalendar, day: number): CalendarDay {
  const date = isoOfDay(day);
  const result: CalendarDay = { date, weekday: weekdayOfDay(day), kind: resolveDay(cal, day).kind };
  const shipped = CN_SHIPPED_DAYS.get(date);
  // The festival name belongs to the shipped status: a site that edited the day away loses it.
  if (shipped && cal.overrides.get(date) === shipped.override) {
    result.name = shipped.name;
    result.nameEn = shipped.nameEn;
  }
  return result;
}

/** What kind of day a date is on this calendar, with the festival name when known. */
export function dayKind(cal: WorkingCalendar, date: string): CalendarDay {
  return describeDay(cal, dayOfIso(date));
}

/** The working windows that apply on a date (empty on a day off). */
export function dayWindows(cal: WorkingCalendar, date: string): Windows {
  return resolveDay(cal, dayOfIso(date)).windows.map(([s, e]): [string, string] => [hhmm(s), hhmm(e)]);
}
function hhmm(ms: number): string {
  const m = ms / MINUTE;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Every date of a year with its kind, for the year view. */
export function yearDays(cal: WorkingCalendar, year: number): CalendarDay[] {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new RangeError(`not a year: ${year}`);
  const out: CalendarDay[] = [];
  const end = dayOfIso(`${year}-12-31`);
  for (let day = dayOfIso(`${year}-01-01`); day <= end; day++) out.push(describeDay(cal, day));
  return out;
}

// ---------------------------------------------------------------- working-time arithmetic

function noWorkingTime(ms: number): Error {
  return new Error(`no working time within ${SEARCH_DAYS} days after ${isoOfDay(dayNumberOf(ms))}: check the calendar's hours and holidays`);
}

/** Whether t falls inside a working window (windows are [start, end): the end is not working). */
export function isWorkingTime(cal: WorkingCalendar, t: Date): boolean {
  const ms = msOf(t);
  const day = dayNumberOf(ms);
  const offset = ms - dayStartMs(day);
  return resolveDay(cal, day).windows.some(([s, e]) => offset >= s && offset < e);
}

/** The first working instant at or after t: t itself if t is working time. */
export function nextWorkingStart(cal: WorkingCalendar, t: Date): Date {
  const ms = msOf(t);
  const first = dayNumberOf(ms);
  for (let day = first; day <= first + SEARCH_DAYS; day++) {
    const start = dayStartMs(day);
    for (const [s, e] of resolveDay(cal, day).windows) {
      if (ms < start + e) return new Date(Math.max(ms, start + s));
    }
  }
  throw noWorkingTime(ms);
}

/**
 * The earliest instant at which `minutes` working minutes have elapsed since t.
 * - minutes = 0 returns t unchanged (nothing to wait for, even outside hours), which keeps
 *   workingMinutesBetween(t, addWorkingDuration(t, n)) === n for every n >= 0. A caller that
 *   wants "the first working moment" asks nextWorkingStart.
 * - For minutes > 0 the result may be exactly a window end (Fri 16:30 + 30 min = Fri 17:00,
 *   not Mon 09:00): the deadline is when the time is used up, not when the next window opens.
 * - Fractional minutes are honoured to the millisecond.
 * Throws if the calendar has no working time for 400 consecutive days.
 */
export function addWorkingDuration(cal: WorkingCalendar, t: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number >= 0, not ${minutes}`);
  let ms = msOf(t);
  let remaining = Math.round(minutes * MINUTE);
  if (remaining === 0) return new Date(ms);
  let idleDays = 0;
  for (let day = dayNumberOf(ms); ; day++) {
    const start = dayStartMs(day);
    let worked = false;
    for (const [s, e] of resolveDay(cal, day).windows) {
      const windowEnd = start + e;
      if (ms >= windowEnd) continue;
      const from = Math.max(ms, start + s);
      const available = windowEnd - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
      ms = windowEnd;
      worked = true;
    }
    if (worked) idleDays = 0;
    else if (++idleDays > SEARCH_DAYS) throw noWorkingTime(ms);
  }
}

/** Working minutes in [a, b) (fractional if a or b is not on a whole minute); 0 if b <= a. */
export function workingMinutesBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  const from = msOf(a);
  const to = msOf(b);
  if (to <= from) return 0;
  let total = 0;
  for (let day = dayNumberOf(from); dayStartMs(day) < to; day++) {
    const start = dayStartMs(day);
    for (const [s, e] of resolveDay(cal, day).windows) {
      const lo = Math.max(from, start + s);
      const hi = Math.min(to, start + e);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MINUTE;
}
