// Recurrence of a plan: an RFC 5545 RRULE evaluated in Asia/Shanghai wall time, a holiday rule on
// the site's working calendar, and a window (start, duration, grace).
//
// Shanghai has a fixed UTC+8 and no daylight saving (see calendar.ts), so we hand `rrule` the wall
// time as if it were UTC ("floating" times) and subtract 8 h from what it returns: BYHOUR=8 then
// means 08:00 in Shanghai whatever the server's TZ, with no timezone library.

import { dayKind, shanghaiDate, shanghaiInstant, type WorkingCalendar } from '../calendar/calendar.ts';
import { RRule, rrulestr } from './rrule.ts';

export type HolidayRule = 'run' | 'skip' | 'previous_working_day' | 'next_working_day';
export const HOLIDAY_RULES = ['run', 'skip', 'previous_working_day', 'next_working_day'] as const satisfies readonly HolidayRule[];
export const HOLIDAY_RULE_LABELS: Record<HolidayRule, { zh: string; en: string }> = {
  run: { zh: '照常执行', en: 'Run anyway' },
  skip: { zh: '跳过', en: 'Skip' },
  previous_working_day: { zh: '提前到上一个工作日', en: 'Move to the previous working day' },
  next_working_day: { zh: '顺延到下一个工作日', en: 'Move to the next working day' },
};

export interface PlanSchedule {
  /** The RRULE body, e.g. `FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0` (an `RRULE:` prefix is accepted). */
  rrule: string;
  /** First Shanghai date the rule counts from (its DTSTART at 00:00), YYYY-MM-DD. */
  startsOn: string;
  holidayRule: HolidayRule;
  durationMinutes: number;
  graceMinutes: number;
}

export interface Occurrence {
  /** The instant the rule produced: the stable key of the task (unique per plan), even when moved. */
  occurrence: Date;
  startsAt: Date;
  /** startsAt + duration */
  dueAt: Date;
  /** dueAt + grace: after this the task is late. */
  lateAt: Date;
  /** True when the holiday rule moved it off its own day. */
  moved: boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;
/** How far a holiday rule may move an occurrence; China's longest break plus weekends is ~10 days. */
const MAX_SHIFT_DAYS = 31;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isWorkingDay(cal: WorkingCalendar, date: string): boolean {
  const k = dayKind(cal, date).kind;
  return k === 'workday' || k === 'makeup';
}

/** Text → rrule options, or why not. Plans are scheduled to the minute: seconds are not allowed. */
function parse(text: string, startsOn: string): { rule: InstanceType<typeof RRule> } | { code: string; zh: string; en: string } {
  const body = String(text ?? '').trim().replace(/^RRULE:/i, '');
  if (!body || /[\r\n]/.test(body) || /(^|;)(DTSTART|EXDATE|RDATE|TZID)\b/i.test(body)) {
    return { code: 'unparseable', zh: '重复规则须为一行 RRULE（如 FREQ=DAILY;BYHOUR=8;BYMINUTE=0），开始日期另行填写', en: 'the rule must be one RRULE line (e.g. FREQ=DAILY;BYHOUR=8;BYMINUTE=0); the start date is a separate field' };
  }
  let rule: InstanceType<typeof RRule>;
  try {
    rule = rrulestr(body, { dtstart: new Date(Date.parse(`${startsOn}T00:00:00Z`)) }) as InstanceType<typeof RRule>;
  } catch (e) {
    return { code: 'unparseable', zh: `无法解析重复规则：${(e as Error).message}`, en: `cannot parse the rule: ${(e as Error).message}` };
  }
  const o = rule.origOptions;
  if (o.freq === undefined || o.freq === null) return { code: 'unparseable', zh: '重复规则缺少 FREQ', en: 'the rule has no FREQ' };
  // rrule quietly wraps BYHOUR=25 into the next day: refuse values outside their range instead.
  const ranges: Array<[string, unknown, number, number]> = [
    ['BYHOUR', o.byhour, 0, 23],
    ['BYMINUTE', o.byminute, 0, 59],
  ];
  for (const [name, v, lo, hi] of ranges) {
    const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    if (list.some((n) => !Number.isInteger(n) || (n as number) < lo || (n as number) > hi)) {
      return { code: 'unparseable', zh: `${name} 须在 ${lo}–${hi} 之间`, en: `${name} must be between ${lo} and ${hi}` };
    }
  }
  if (o.freq === RRule.SECONDLY || (o.bysecond !== undefined && o.bysecond !== null)) {
    // Also keeps rrule from iterating second by second over a year, which takes many seconds.
    return { code: 'too_frequent', zh: '计划按分钟排程，不能按秒重复', en: 'plans are scheduled to the minute; a rule cannot repeat by the second' };
  }
  if (o.interval !== undefined && (!Number.isInteger(o.interval) || o.interval < 1)) {
    return { code: 'unparseable', zh: 'INTERVAL 须为正整数', en: 'INTERVAL must be a positive integer' };
  }
  if (o.freq === RRule.MINUTELY && [o.bymonth, o.bymonthday, o.byyearday, o.byweekno].some((v) => v !== undefined && v !== null)) {
    // rrule steps minute by minute through days these filters exclude: a year of that takes
    // ~15 s. The same schedule is FREQ=DAILY with BYHOUR/BYMINUTE, which rrule handles by the day.
    return { code: 'unparseable', zh: '按分钟重复时不能按月/日筛选，请改用 FREQ=DAILY 加 BYHOUR/BYMINUTE', en: 'a minutely rule cannot filter by month or day; use FREQ=DAILY with BYHOUR/BYMINUTE' };
  }
  // rrule stops at the window's end as soon as one time of a day passes it, so BYHOUR=20,22,0,2
  // must be sorted or the after-midnight times are lost (night patrols).
  const sorted = (v: number | number[] | null | undefined) => (Array.isArray(v) ? [...v].sort((a, b) => a - b) : v);
  rule = new RRule({
    ...o,
    byhour: sorted(o.byhour),
    byminute: sorted(o.byminute),
    bymonth: sorted(o.bymonth),
    bymonthday: sorted(o.bymonthday),
    byyearday: sorted(o.byyearday),
    byweekno: sorted(o.byweekno),
    bysetpos: sorted(o.bysetpos),
  });
  return { rule };
}

type Rule = InstanceType<typeof RRule>;

/**
 * The same rule with its DTSTART moved forward to a whole number of periods before `wallMs`.
 * rrule always iterates from DTSTART, so without this a plan two years old would step through
 * two years of dates on every sweep. The defaults rrule takes from DTSTART (weekday of a weekly
 * rule, day of a monthly one, the time of day) are written into the rule first, so moving
 * DTSTART changes nothing. Rules with COUNT are left alone: their count runs from the start.
 */
function rebased(rule: Rule, wallMs: number): Rule {
  const o = rule.origOptions;
  const start = o.dtstart!;
  if (o.count !== undefined && o.count !== null) return rule;
  const interval = o.interval ?? 1;
  const opts: Record<string, unknown> = { ...rule.origOptions };
  const set = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (!set(o.byweekno) && !set(o.byyearday) && !set(o.bymonthday) && !set(o.byweekday)) {
    if (o.freq === RRule.YEARLY) {
      if (!set(o.bymonth)) opts.bymonth = start.getUTCMonth() + 1;
      opts.bymonthday = start.getUTCDate();
    } else if (o.freq === RRule.MONTHLY) opts.bymonthday = start.getUTCDate();
    else if (o.freq === RRule.WEEKLY) opts.byweekday = (start.getUTCDay() + 6) % 7;
  }
  if (!set(o.byhour) && o.freq! < RRule.HOURLY) opts.byhour = start.getUTCHours();
  if (!set(o.byminute) && o.freq! < RRule.MINUTELY) opts.byminute = start.getUTCMinutes();
  if (!set(o.bysecond)) opts.bysecond = start.getUTCSeconds();
  const target = wallMs - 2 * DAY;
  if (target <= start.getTime()) return rule;
  let next: Date;
  if (o.freq === RRule.YEARLY || o.freq === RRule.MONTHLY) {
    const months = o.freq === RRule.YEARLY ? 12 * interval : interval;
    const t = new Date(target);
    const diff = (t.getUTCFullYear() - start.getUTCFullYear()) * 12 + t.getUTCMonth() - start.getUTCMonth() - 1;
    const k = Math.max(0, Math.floor(diff / months));
    // Day 1 of the month: a start on the 31st must not roll over; the day comes from BYMONTHDAY now.
    next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + k * months, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()));
  } else {
    const unit = { [RRule.WEEKLY]: 7 * DAY, [RRule.DAILY]: DAY, [RRule.HOURLY]: 3_600_000, [RRule.MINUTELY]: MINUTE }[o.freq as number]! * interval;
    next = new Date(start.getTime() + Math.floor((target - start.getTime()) / unit) * unit);
  }
  return new RRule({ ...opts, dtstart: next });
}

export type RRuleCheck = { ok: true } | { ok: false; code: 'unparseable' | 'never_fires' | 'too_frequent'; zh: string; en: string };

/**
 * Whether a rule is usable for a plan: parseable, fires at least once in the next 366 days, and
 * never more than once a minute (checked by counting the first occurrences, not by reading FREQ).
 */
export function checkRRule(text: string, options: { now?: Date; startsOn?: string } = {}): RRuleCheck {
  const now = options.now ?? new Date();
  const startsOn = options.startsOn ?? shanghaiDate(now);
  const p = parse(text, startsOn);
  if (!('rule' in p)) return { ok: false, code: p.code as 'unparseable' | 'too_frequent', zh: p.zh, en: p.en };
  const from = Math.max(now.getTime(), shanghaiInstant(startsOn).getTime()) + OFFSET;
  const first: Date[] = rebased(p.rule, from).between(new Date(from), new Date(from + 366 * DAY), true, (_d: Date, i: number) => i < 100);
  if (first.length === 0) {
    return { ok: false, code: 'never_fires', zh: '该规则在未来 366 天内不会触发', en: 'the rule never fires in the next 366 days' };
  }
  for (let i = 1; i < first.length; i++) {
    if (first[i]!.getTime() - first[i - 1]!.getTime() < MINUTE) {
      return { ok: false, code: 'too_frequent', zh: '该规则触发频率超过每分钟一次', en: 'the rule fires more often than once a minute' };
    }
  }
  return { ok: true };
}

/**
 * The plan's occurrences whose (possibly moved) start lies in [from, to), sorted by start.
 *
 * Holiday rules look at the Shanghai date of each occurrence: on a day that is not a working day
 * (a weekend or a holiday; a 调休 make-up day counts as working) 'skip' drops it, and the move
 * rules shift it to the same wall time on the previous/next working day. A moved occurrence keeps
 * its original instant as `occurrence`, so the task key never changes. When moved ones land on a
 * slot the plan already fills (a daily plan over 国庆 all moving to 8 Oct 08:00), only one task is
 * kept: the plan's own occurrence there if any, else the earliest original. The result depends on
 * the plan alone, not on the window asked, which is what makes generation idempotent.
 */
export function occurrencesBetween(plan: PlanSchedule, from: Date, to: Date, cal: WorkingCalendar): Occurrence[] {
  const p = parse(plan.rrule, plan.startsOn);
  if (!('rule' in p)) throw new RangeError(`invalid rrule "${plan.rrule}": ${p.en}`);
  if (!(to.getTime() > from.getTime())) return [];
  const shift = plan.holidayRule === 'run' || plan.holidayRule === 'skip' ? 0 : MAX_SHIFT_DAYS * DAY;
  // Wall-time bounds of the originals that could land in [from, to).
  const lo = from.getTime() + OFFSET - shift;
  const hi = to.getTime() + OFFSET + shift;
  const originals: Date[] = rebased(p.rule, lo).between(new Date(lo), new Date(hi), true);

  const working = new Map<string, boolean>();
  const isWorking = (date: string) => {
    let w = working.get(date);
    if (w === undefined) working.set(date, (w = isWorkingDay(cal, date)));
    return w;
  };

  // slot (start ms) → chosen occurrence; an unmoved one beats moved ones, then the earliest original.
  const bySlot = new Map<number, { original: number; start: number; moved: boolean }>();
  for (const wall of originals) {
    const original = wall.getTime() - OFFSET;
    const date = isoDay(wall.getTime());
    let start = original;
    let moved = false;
    if (plan.holidayRule !== 'run' && !isWorking(date)) {
      if (plan.holidayRule === 'skip') continue;
      const step = plan.holidayRule === 'next_working_day' ? DAY : -DAY;
      let target = -1;
      for (let k = 1; k <= MAX_SHIFT_DAYS; k++) {
        if (isWorking(isoDay(wall.getTime() + k * step))) {
          target = original + k * step;
          break;
        }
      }
      if (target < 0) continue; // no working day within reach: a calendar with no working days
      start = target;
      moved = true;
    }
    const seen = bySlot.get(start);
    if (!seen || (seen.moved && (!moved || original < seen.original))) bySlot.set(start, { original, start, moved });
  }

  const duration = plan.durationMinutes * MINUTE;
  const grace = plan.graceMinutes * MINUTE;
  return [...bySlot.values()]
    .filter((o) => o.start >= from.getTime() && o.start < to.getTime())
    .sort((a, b) => a.start - b.start)
    .map((o) => ({
      occurrence: new Date(o.original),
      startsAt: new Date(o.start),
      dueAt: new Date(o.start + duration),
      lateAt: new Date(o.start + duration + grace),
      moved: o.moved,
    }));
}
