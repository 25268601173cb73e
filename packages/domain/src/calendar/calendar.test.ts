import { test, expect, describe } from 'vitest';
import fc from 'fast-check';
import {
  ALWAYS,
  DEFAULT_WORKING_HOURS,
  shanghaiMonth,
  addWorkingDuration,
  dayKind,
  dayWindows,
  isWorkingTime,
  makeCalendar,
  nextWorkingStart,
  shanghaiDate,
  shanghaiInstant,
  validateWorkingHours,
  workingMinutesBetween,
  yearDays,
  type WorkingCalendar,
  type WorkingHours,
} from './calendar.ts';
import { CN_HOLIDAY_YEARS, CN_SHIPPED_DAYS } from './cn-holidays.ts';

const at = (date: string, time = '00:00') => shanghaiInstant(date, time);
/** Shanghai wall time of an instant as 'YYYY-MM-DD HH:MM', for readable expectations. */
const wall = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

const cn = makeCalendar();
const LUNCH: WorkingHours = {
  byWeekday: {
    1: [['09:00', '12:00'], ['13:00', '17:00']],
    2: [['09:00', '12:00'], ['13:00', '17:00']],
    3: [['09:00', '12:00'], ['13:00', '17:00']],
    4: [['09:00', '12:00'], ['13:00', '17:00']],
    5: [['09:00', '12:00'], ['13:00', '17:00']],
    6: [],
    7: [],
  },
  makeUpDay: [['09:00', '12:00'], ['13:00', '17:00']],
};
const cnLunch = makeCalendar({ hours: LUNCH });

const FIRST = at('2025-01-01').getTime();
const LAST = at('2028-01-01').getTime() - 1;
const arbInstant = fc.integer({ min: FIRST, max: LAST }).map((ms) => new Date(ms));
const arbMinutes = fc.integer({ min: 1, max: 5000 });
const runs = { numRuns: 300 };

const calendars: Array<[string, WorkingCalendar]> = [['office hours', cn], ['lunch break', cnLunch]];

describe('CS-1 shipped China holidays', () => {
  test('CS-1 every year is well formed: dates in the year, make-up days on weekends, no date both off and on', () => {
    for (const y of CN_HOLIDAY_YEARS) {
      const off = new Set(y.holidays.map((e) => e.date));
      expect(off.size).toBe(y.holidays.length);
      for (const e of [...y.holidays, ...y.makeUpWorkdays]) {
        expect(e.date.startsWith(`${y.year}-`)).toBe(true);
        expect(e.name).toBeTruthy();
        expect(e.nameEn).toBeTruthy();
      }
      for (const e of y.makeUpWorkdays) {
        expect(off.has(e.date)).toBe(false);
        expect([6, 7]).toContain(dayKind(cn, e.date).weekday);
      }
    }
  });

  test('CS-1 2025 follows 国办发明电〔2024〕12号', () => {
    const y = CN_HOLIDAY_YEARS.find((x) => x.year === 2025)!;
    expect(y.source).toContain('国办发明电〔2024〕12号');
    expect(y.provisional).toBe(false);
    expect(y.holidays).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    expect(y.makeUpWorkdays.map((e) => e.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    for (const d of ['2025-01-01', '2025-01-28', '2025-02-04', '2025-04-04', '2025-05-05', '2025-05-31', '2025-06-02', '2025-10-08']) {
      expect(dayKind(cn, d).kind).toBe('holiday');
    }
    expect(dayKind(cn, '2025-10-09').kind).toBe('workday');
  });

  test('CS-1 2027 is provisional: statutory days only, no make-up days', () => {
    const y = CN_HOLIDAY_YEARS.find((x) => x.year === 2027)!;
    expect(y.provisional).toBe(true);
    expect(y.makeUpWorkdays).toEqual([]);
    expect(y.holidays).toHaveLength(13); // the 13 statutory days of the 2024 revision
    expect(dayKind(cn, '2027-02-05')).toMatchObject({ kind: 'holiday', name: '春节' }); // 除夕
  });

  test('CS-1 yearDays(2026) has 365 days: 33 days off, 6 make-up days, 242 ordinary workdays', () => {
    const days = yearDays(cn, 2026);
    expect(days).toHaveLength(365);
    expect(days[0]).toMatchObject({ date: '2026-01-01', weekday: 4, kind: 'holiday', name: '元旦', nameEn: "New Year's Day" });
    expect(days[364].date).toBe('2026-12-31');
    const count = (k: string) => days.filter((d) => d.kind === k).length;
    expect(count('holiday')).toBe(33);
    expect(count('makeup')).toBe(6);
    expect(count('workday')).toBe(242);
    expect(count('weekend')).toBe(365 - 33 - 6 - 242);
    expect(days.filter((d) => d.kind === 'makeup').map((d) => d.date)).toEqual(
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    );
    expect(yearDays(cn, 2028)).toHaveLength(366);
  });

  test('CS-1 2026 holidays follow the 2025-11-04 notice', () => {
    const off = (from: string, to: string) => {
      for (let d = at(from); d <= at(to); d = new Date(d.getTime() + 86_400_000)) {
        expect(dayKind(cn, shanghaiDate(d)).kind, shanghaiDate(d)).toBe('holiday');
      }
    };
    off('2026-01-01', '2026-01-03');
    off('2026-02-15', '2026-02-23');
    off('2026-04-04', '2026-04-06');
    off('2026-05-01', '2026-05-05');
    off('2026-06-19', '2026-06-21');
    off('2026-09-25', '2026-09-27');
    off('2026-10-01', '2026-10-07');
    expect(dayKind(cn, '2026-02-24').kind).toBe('workday');
    expect(dayKind(cn, '2026-10-08').kind).toBe('workday');
  });
});

describe('CS-1 RP-10 pinned working-time cases', () => {
  test('RP-10 2026 Spring Festival: Fri 2/13 16:30 + 2 h lands on make-up Sat 2/14 10:30', () => {
    expect(dayKind(cn, '2026-02-14')).toMatchObject({ kind: 'makeup', weekday: 6, name: '春节' });
    expect(wall(addWorkingDuration(cn, at('2026-02-13', '16:30'), 120))).toBe('2026-02-14 10:30');
  });

  test('CS-1 2026 Spring Festival: after Sat 2/14 the next working time is Tue 2/24 09:00', () => {
    expect(wall(nextWorkingStart(cn, at('2026-02-14', '17:00')))).toBe('2026-02-24 09:00');
    expect(wall(addWorkingDuration(cn, at('2026-02-14', '16:00'), 120))).toBe('2026-02-24 10:00');
    expect(workingMinutesBetween(cn, at('2026-02-14', '17:00'), at('2026-02-24', '09:00'))).toBe(0);
  });

  test('RP-10 National Day 2026: Wed 9/30 16:00 + 2 h = Thu 10/8 10:00; Sat 10/10 is working', () => {
    expect(wall(addWorkingDuration(cn, at('2026-09-30', '16:00'), 120))).toBe('2026-10-08 10:00');
    expect(isWorkingTime(cn, at('2026-10-10', '10:00'))).toBe(true);
    expect(dayKind(cn, '2026-10-10')).toMatchObject({ kind: 'makeup', name: '国庆节' });
    expect(dayKind(cn, '2026-09-20')).toMatchObject({ kind: 'makeup', weekday: 7 });
    expect(wall(addWorkingDuration(cn, at('2026-10-09', '16:00'), 120))).toBe('2026-10-10 10:00');
  });

  test('RP-10 ordinary week: Fri 2026-11-20 16:30 + 2 h = Mon 11/23 10:30; + 30 min = Fri 17:00', () => {
    expect(wall(addWorkingDuration(cn, at('2026-11-20', '16:30'), 120))).toBe('2026-11-23 10:30');
    expect(wall(addWorkingDuration(cn, at('2026-11-20', '16:30'), 30))).toBe('2026-11-20 17:00');
    expect(isWorkingTime(cn, at('2026-11-20', '17:00'))).toBe(false); // windows are half-open
    expect(isWorkingTime(cn, at('2026-11-20', '09:00'))).toBe(true);
    expect(isWorkingTime(cn, at('2026-11-21', '10:00'))).toBe(false);
  });

  test('CS-1 adding 0 minutes returns the instant itself, even outside hours', () => {
    const sat = at('2026-11-21', '10:00');
    expect(addWorkingDuration(cn, sat, 0)).toEqual(sat);
    expect(wall(nextWorkingStart(cn, sat))).toBe('2026-11-23 09:00');
    expect(wall(addWorkingDuration(cn, sat, 1))).toBe('2026-11-23 09:01');
  });

  test('CS-1 lunch break 12:00–13:00 is not working time', () => {
    expect(isWorkingTime(cnLunch, at('2026-11-18', '12:30'))).toBe(false);
    expect(isWorkingTime(cnLunch, at('2026-11-18', '11:59'))).toBe(true);
    expect(wall(addWorkingDuration(cnLunch, at('2026-11-18', '11:30'), 60))).toBe('2026-11-18 13:30');
    expect(wall(addWorkingDuration(cnLunch, at('2026-11-18', '11:30'), 30))).toBe('2026-11-18 12:00');
    expect(wall(nextWorkingStart(cnLunch, at('2026-11-18', '12:15')))).toBe('2026-11-18 13:00');
    expect(workingMinutesBetween(cnLunch, at('2026-11-18', '11:00'), at('2026-11-18', '14:00'))).toBe(120);
    expect(dayWindows(cnLunch, '2026-10-10')).toEqual([['09:00', '12:00'], ['13:00', '17:00']]);
  });

  test('CS-1 minute counts are fractional off the minute and 0 when b <= a', () => {
    const a = at('2026-11-18', '10:00');
    expect(workingMinutesBetween(cn, a, new Date(a.getTime() + 30_000))).toBe(0.5);
    expect(workingMinutesBetween(cn, a, a)).toBe(0);
    expect(workingMinutesBetween(cn, a, at('2026-11-18', '09:00'))).toBe(0);
  });
});

describe('CS-1 site overrides', () => {
  test('CS-1 a weekday made a holiday is skipped and has no festival name', () => {
    const cal = makeCalendar({ overrides: { '2026-11-18': 'holiday' } });
    expect(dayKind(cal, '2026-11-18')).toEqual({ date: '2026-11-18', weekday: 3, kind: 'holiday' });
    expect(wall(addWorkingDuration(cal, at('2026-11-17', '16:30'), 60))).toBe('2026-11-19 09:30');
  });

  test("CS-1 'normal' removes a shipped holiday and a shipped make-up day", () => {
    const cal = makeCalendar({ overrides: new Map([['2026-10-05', 'normal'], ['2026-10-10', 'normal']]) });
    expect(dayKind(cal, '2026-10-05')).toEqual({ date: '2026-10-05', weekday: 1, kind: 'workday' });
    expect(wall(addWorkingDuration(cal, at('2026-09-30', '16:00'), 120))).toBe('2026-10-05 10:00');
    expect(dayKind(cal, '2026-10-10').kind).toBe('weekend');
    expect(isWorkingTime(cal, at('2026-10-10', '10:00'))).toBe(false);
    expect(dayKind(cn, '2026-10-05').kind).toBe('holiday'); // the shipped calendar is untouched
  });

  test('CS-1 a Sunday made a workday is a make-up day with make-up hours', () => {
    const cal = makeCalendar({
      hours: { ...DEFAULT_WORKING_HOURS, makeUpDay: [['10:00', '16:00']] },
      overrides: { '2026-11-22': 'workday' },
    });
    expect(dayKind(cal, '2026-11-22')).toMatchObject({ kind: 'makeup', weekday: 7 });
    expect(wall(addWorkingDuration(cal, at('2026-11-20', '16:30'), 120))).toBe('2026-11-22 11:30');
  });

  test('CS-1 a make-up Saturday keeps make-up hours even where Saturdays have short hours', () => {
    const cal = makeCalendar({
      hours: { ...DEFAULT_WORKING_HOURS, byWeekday: { ...DEFAULT_WORKING_HOURS.byWeekday, 6: [['09:00', '12:00']] } },
    });
    expect(dayKind(cal, '2026-10-17').kind).toBe('workday'); // an ordinary Saturday at this site
    expect(dayKind(cal, '2026-10-10').kind).toBe('makeup');
    expect(dayWindows(cal, '2026-10-10')).toEqual([['09:00', '17:00']]);
  });

  test('CS-1 a shipped holiday on a weekday set back to workday keeps weekday hours', () => {
    const cal = makeCalendar({ overrides: { '2026-10-08': 'holiday', '2026-10-07': 'workday' } });
    expect(dayKind(cal, '2026-10-07').kind).toBe('workday');
    expect(wall(addWorkingDuration(cal, at('2026-09-30', '16:00'), 120))).toBe('2026-10-07 10:00');
  });

  test('CS-1 bad override dates and values are refused', () => {
    expect(() => makeCalendar({ overrides: { '2026-02-30': 'holiday' } })).toThrow(/2026-02-30/);
    expect(() => makeCalendar({ overrides: { '2026-02-03': 'closed' as never } })).toThrow(/2026-02-03/);
  });
});

describe('CS-1 working hours validation', () => {
  const withDay = (d: 1 | 2 | 3 | 4 | 5 | 6 | 7, w: Array<[string, string]>): WorkingHours => ({
    ...DEFAULT_WORKING_HOURS,
    byWeekday: { ...DEFAULT_WORKING_HOURS.byWeekday, [d]: w },
  });

  test('CS-1 the defaults and the lunch-break hours are valid', () => {
    expect(validateWorkingHours(DEFAULT_WORKING_HOURS)).toEqual([]);
    expect(validateWorkingHours(LUNCH)).toEqual([]);
    expect(validateWorkingHours(ALWAYS.hours)).toEqual([]);
  });

  test('CS-1 each error names its field', () => {
    expect(validateWorkingHours(withDay(3, [['09:00', '12:00'], ['11:00', '17:00']]))).toEqual([
      expect.objectContaining({ field: 'byWeekday.3[1]', code: 'overlap' }),
    ]);
    expect(validateWorkingHours(withDay(3, [['13:00', '17:00'], ['09:00', '12:00']]))).toEqual([
      expect.objectContaining({ field: 'byWeekday.3[1]', code: 'overlap' }),
    ]);
    expect(validateWorkingHours(withDay(1, [['9:00', '12:00']]))).toEqual([
      expect.objectContaining({ field: 'byWeekday.1[0]', code: 'bad_time' }),
    ]);
    expect(validateWorkingHours(withDay(6, [['12:00', '12:00']]))).toEqual([
      expect.objectContaining({ field: 'byWeekday.6[0]', code: 'empty_window' }),
    ]);
    expect(validateWorkingHours({ ...DEFAULT_WORKING_HOURS, makeUpDay: [['09:00', '24:30']] })).toEqual([
      expect.objectContaining({ field: 'makeUpDay[0]', code: 'bad_time' }),
    ]);
    const { 7: _, ...six } = DEFAULT_WORKING_HOURS.byWeekday;
    expect(validateWorkingHours({ ...DEFAULT_WORKING_HOURS, byWeekday: six as WorkingHours['byWeekday'] })).toEqual([
      expect.objectContaining({ field: 'byWeekday.7', code: 'missing' }),
    ]);
  });

  test('CS-1 a calendar with invalid hours cannot be made', () => {
    expect(() => makeCalendar({ hours: withDay(2, [['17:00', '09:00']]) })).toThrow(/byWeekday\.2\[0\]/);
  });

  test('CS-1 a calendar with no working time fails clearly instead of looping', () => {
    const never = makeCalendar({ hours: { byWeekday: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, makeUpDay: [] } });
    expect(() => nextWorkingStart(never, at('2026-01-01'))).toThrow(/no working time within 400 days/);
    expect(() => addWorkingDuration(never, at('2026-01-01'), 1)).toThrow(/no working time within 400 days/);
    expect(workingMinutesBetween(never, at('2026-01-01'), at('2027-01-01'))).toBe(0);
  });
});

describe('CS-1 RP-10 CP-4 properties of working-time arithmetic', () => {
  for (const [label, cal] of calendars) {
    test(`RP-10 CP-4 counting the minutes added gives them back (${label})`, () => {
      fc.assert(fc.property(arbInstant, arbMinutes, (t, n) => {
        const due = addWorkingDuration(cal, t, n);
        expect(workingMinutesBetween(cal, t, due)).toBe(n);
        // earliest such instant: one millisecond earlier is not yet enough
        expect(workingMinutesBetween(cal, t, new Date(due.getTime() - 1))).toBeLessThan(n);
      }), runs);
    });

    test(`RP-10 CP-4 a due time is in working time or exactly at a window end (${label})`, () => {
      fc.assert(fc.property(arbInstant, arbMinutes, (t, n) => {
        const due = addWorkingDuration(cal, t, n);
        // the last millisecond counted is working, so `due` is inside a window or at its end
        expect(isWorkingTime(cal, new Date(due.getTime() - 1))).toBe(true);
        expect(due.getTime()).toBeGreaterThan(t.getTime());
      }), runs);
    });

    test(`RP-10 CP-4 due times are monotonic in minutes and in start (${label})`, () => {
      fc.assert(fc.property(arbInstant, arbInstant, arbMinutes, arbMinutes, (t1, t2, n1, n2) => {
        const [a, b] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const [m, n] = n1 <= n2 ? [n1, n2] : [n2, n1];
        expect(addWorkingDuration(cal, a, n).getTime()).toBeLessThanOrEqual(addWorkingDuration(cal, b, n).getTime());
        if (m < n) expect(addWorkingDuration(cal, a, m).getTime()).toBeLessThan(addWorkingDuration(cal, a, n).getTime());
      }), runs);
    });

    test(`CP-4 working minutes are additive over a split point (${label})`, () => {
      fc.assert(fc.property(fc.array(arbInstant, { minLength: 3, maxLength: 3 }), (ts) => {
        const [a, m, b] = ts.sort((x, y) => x.getTime() - y.getTime());
        const whole = workingMinutesBetween(cal, a, b);
        expect(whole).toBeCloseTo(workingMinutesBetween(cal, a, m) + workingMinutesBetween(cal, m, b), 6);
        expect(workingMinutesBetween(cal, b, a)).toBe(0);
      }), runs);
    });

    test(`CS-1 nextWorkingStart is the first working instant at or after t (${label})`, () => {
      fc.assert(fc.property(arbInstant, arbMinutes, (t, n) => {
        const start = nextWorkingStart(cal, t);
        expect(isWorkingTime(cal, start)).toBe(true);
        expect(workingMinutesBetween(cal, t, start)).toBe(0);
        if (isWorkingTime(cal, t)) expect(start).toEqual(t);
        // the clock does not care whether it starts out of hours
        expect(addWorkingDuration(cal, start, n)).toEqual(addWorkingDuration(cal, t, n));
      }), runs);
    });
  }

  test('RP-3 the 24×7 calendar is plain wall-clock arithmetic, holidays included', () => {
    fc.assert(fc.property(arbInstant, arbInstant, arbMinutes, (a, b, n) => {
      expect(addWorkingDuration(ALWAYS, a, n).getTime()).toBe(a.getTime() + n * 60_000);
      expect(workingMinutesBetween(ALWAYS, a, b)).toBe(Math.max(0, (b.getTime() - a.getTime()) / 60_000));
      expect(isWorkingTime(ALWAYS, a)).toBe(true);
      expect(nextWorkingStart(ALWAYS, a)).toEqual(a);
    }), runs);
    expect(wall(addWorkingDuration(ALWAYS, at('2026-02-16', '23:45'), 30))).toBe('2026-02-17 00:15');
    expect(dayKind(ALWAYS, '2026-10-01')).toEqual({ date: '2026-10-01', weekday: 4, kind: 'workday' });
  });

  test('CS-1 Shanghai dates change at 16:00 UTC', () => {
    expect(shanghaiDate(new Date('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
    expect(shanghaiDate(new Date('2026-02-13T16:00:00Z'))).toBe('2026-02-14');
    expect(at('2026-02-14', '10:30').toISOString()).toBe('2026-02-14T02:30:00.000Z');
  });

  test('CS-1 shipped-day lookup covers every listed date', () => {
    const listed = CN_HOLIDAY_YEARS.reduce((n, y) => n + y.holidays.length + y.makeUpWorkdays.length, 0);
    expect(CN_SHIPPED_DAYS.size).toBe(listed);
  });
});

describe('shanghaiMonth (report months)', () => {
  test('AR-2 CP-6 a month runs from its first Shanghai midnight to the next month\'s, across the year end and a leap February', () => {
    expect(shanghaiMonth('2026-12')).toEqual({
      from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z'), prevFrom: new Date('2026-10-31T16:00:00Z'),
      firstDay: '2026-12-01', lastDay: '2026-12-31',
    });
    expect(shanghaiMonth('2028-02').lastDay).toBe('2028-02-29');
    expect(shanghaiMonth('2027-01').prevFrom).toEqual(new Date('2026-11-30T16:00:00Z'));
    expect(() => shanghaiMonth('2026-13')).toThrow(RangeError);
  });
});
