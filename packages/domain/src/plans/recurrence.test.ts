import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { makeCalendar, shanghaiDate, shanghaiInstant } from '../calendar/calendar.ts';
import { checkRRule, isWorkingDay, occurrencesBetween, type HolidayRule, type PlanSchedule } from './recurrence.ts';
import { rrulestr } from './rrule.ts';

const cn = makeCalendar();
const at = (date: string, time = '00:00') => shanghaiInstant(date, time);
/** Shanghai wall time 'YYYY-MM-DD HH:MM' */
const wall = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const plan = (rrule: string, holidayRule: HolidayRule = 'run', startsOn = '2025-01-01'): PlanSchedule => ({
  rrule,
  startsOn,
  holidayRule,
  durationMinutes: 60,
  graceMinutes: 30,
});

describe('IN-1 pinned recurrences on the China calendar', () => {
  test("IN-1 daily 08:00 with 'skip' over 国庆 2026: no task on the holiday or the weekend, the 调休 make-up Saturday counts as working", () => {
    const occ = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=8;BYMINUTE=0', 'skip'), at('2026-09-28'), at('2026-10-13'), cn);
    expect(occ.map((o) => wall(o.startsAt))).toEqual([
      '2026-09-28 08:00',
      '2026-09-29 08:00',
      '2026-09-30 08:00',
      '2026-10-08 08:00',
      '2026-10-09 08:00',
      '2026-10-10 08:00', // Saturday, 调休上班
      '2026-10-12 08:00',
    ]);
    expect(occ.every((o) => !o.moved && o.occurrence.getTime() === o.startsAt.getTime())).toBe(true);
  });

  test("IN-1 daily 08:00 with 'next_working_day' over 国庆 2026: the first working day after it gets one task, not eight", () => {
    const occ = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=8;BYMINUTE=0', 'next_working_day'), at('2026-09-30'), at('2026-10-10'), cn);
    expect(occ.map((o) => wall(o.startsAt))).toEqual(['2026-09-30 08:00', '2026-10-08 08:00', '2026-10-09 08:00']);
  });

  test("IN-1 weekly Friday with 'next_working_day': 2 Oct 2026 (国庆) moves to Thursday 8 Oct and keeps its original key", () => {
    const occ = occurrencesBetween(plan('FREQ=WEEKLY;BYDAY=FR;BYHOUR=10;BYMINUTE=0', 'next_working_day'), at('2026-09-29'), at('2026-10-17'), cn);
    expect(occ.map((o) => [wall(o.occurrence), wall(o.startsAt), o.moved])).toEqual([
      ['2026-10-02 10:00', '2026-10-08 10:00', true],
      ['2026-10-09 10:00', '2026-10-09 10:00', false],
      ['2026-10-16 10:00', '2026-10-16 10:00', false],
    ]);
    expect(wall(occ[0]!.dueAt)).toBe('2026-10-08 11:00');
    expect(wall(occ[0]!.lateAt)).toBe('2026-10-08 11:30');
  });

  test('IN-1 electrical-room rounds twice a day run on holidays too, each with its window', () => {
    const occ = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0'), at('2026-10-01'), at('2026-10-03'), cn);
    expect(occ.map((o) => `${wall(o.startsAt)}→${wall(o.dueAt).slice(11)}/${wall(o.lateAt).slice(11)}`)).toEqual([
      '2026-10-01 08:00→09:00/09:30',
      '2026-10-01 16:00→17:00/17:30',
      '2026-10-02 08:00→09:00/09:30',
      '2026-10-02 16:00→17:00/17:30',
    ]);
  });

  test('IN-1 night patrols every 2 h from 20:00 to 06:00 cross midnight', () => {
    const occ = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=20,22,0,2,4,6;BYMINUTE=0'), at('2026-03-10', '12:00'), at('2026-03-11', '12:00'), cn);
    expect(occ.map((o) => wall(o.startsAt))).toEqual([
      '2026-03-10 20:00',
      '2026-03-10 22:00',
      '2026-03-11 00:00',
      '2026-03-11 02:00',
      '2026-03-11 04:00',
      '2026-03-11 06:00',
    ]);
  });

  test("IN-2 monthly fire-equipment check on the 1st moves to the previous working day (元旦, weekends, a 调休 Saturday, 劳动节, 国庆)", () => {
    const occ = occurrencesBetween(plan('FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0', 'previous_working_day'), at('2025-12-01'), at('2026-12-31'), cn);
    expect(occ.map((o) => `${wall(o.occurrence).slice(0, 10)}→${wall(o.startsAt)}`)).toEqual([
      '2025-12-01→2025-12-01 09:00',
      '2026-01-01→2025-12-31 09:00',
      '2026-02-01→2026-01-30 09:00',
      '2026-03-01→2026-02-28 09:00', // Saturday, 调休上班 for 春节
      '2026-04-01→2026-04-01 09:00',
      '2026-05-01→2026-04-30 09:00',
      '2026-06-01→2026-06-01 09:00',
      '2026-07-01→2026-07-01 09:00',
      '2026-08-01→2026-07-31 09:00',
      '2026-09-01→2026-09-01 09:00',
      '2026-10-01→2026-09-30 09:00',
      '2026-11-01→2026-10-30 09:00',
      '2026-12-01→2026-12-01 09:00',
    ]);
  });

  test('CL-1 washrooms three times a day on working days only', () => {
    const occ = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=9,13,17;BYMINUTE=30', 'skip'), at('2026-02-13'), at('2026-02-17'), cn);
    // Fri 13 Feb working; 14 Feb is a 调休 Saturday; 15–17 are 春节.
    expect(occ.map((o) => wall(o.startsAt))).toEqual([
      '2026-02-13 09:30',
      '2026-02-13 13:30',
      '2026-02-13 17:30',
      '2026-02-14 09:30',
      '2026-02-14 13:30',
      '2026-02-14 17:30',
    ]);
  });

  test('GR-1 leap day: a yearly rule on 29 Feb fires only in leap years, and a plan starting later counts from its start date', () => {
    const occ = occurrencesBetween(plan('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=9;BYMINUTE=0', 'run', '2025-01-01'), at('2025-01-01'), at('2033-01-01'), cn);
    expect(occ.map((o) => wall(o.startsAt).slice(0, 10))).toEqual(['2028-02-29', '2032-02-29']);
    const late = occurrencesBetween(plan('FREQ=DAILY;BYHOUR=8;BYMINUTE=0', 'run', '2026-05-10'), at('2026-05-08'), at('2026-05-12'), cn);
    expect(late.map((o) => wall(o.startsAt).slice(0, 10))).toEqual(['2026-05-10', '2026-05-11']);
  });
});

describe('IN-1 checkRRule refuses rules no plan should have', () => {
  const now = at('2026-12-03', '10:00');
  test('IN-1 accepts ordinary rules, including once a minute', () => {
    for (const r of ['FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0', 'RRULE:FREQ=WEEKLY;BYDAY=MO', 'FREQ=MINUTELY;INTERVAL=1', 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31']) {
      expect(checkRRule(r, { now })).toEqual({ ok: true });
    }
  });
  test.each([
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'never_fires'],
    ['FREQ=DAILY;UNTIL=20200101T000000Z', 'never_fires'],
    ['FREQ=DAILY;COUNT=0', 'never_fires'],
    ['FREQ=SECONDLY', 'too_frequent'],
    ['FREQ=MINUTELY;BYSECOND=0,30', 'too_frequent'],
    ['garbage', 'unparseable'],
    ['BYHOUR=8', 'unparseable'],
    ['FREQ=DAILY;BYHOUR=25', 'unparseable'],
    ['', 'unparseable'],
    ['DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY', 'unparseable'],
  ])('IN-1 refuses %s (%s) with a zh/en reason', (rule, code) => {
    const r = checkRRule(rule, { now });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en.length).toBeGreaterThan(5);
    }
  });
  test('IN-1 a yearly rule whose next date is more than 366 days away is refused as never firing', () => {
    expect(checkRRule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', { now })).toMatchObject({ ok: false, code: 'never_fires' });
  });
  test('IN-1 a minutely rule filtered by month or day is refused (it would make rrule step minute by minute for a year)', () => {
    expect(checkRRule('FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30', { now })).toMatchObject({ ok: false, code: 'unparseable' });
  });
});

describe('IN-1 recurrence properties around month ends, leap days and holidays', () => {
  const RULES = [
    'FREQ=DAILY;BYHOUR=8;BYMINUTE=0',
    'FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0',
    'FREQ=DAILY;BYHOUR=20,22,0,2,4,6;BYMINUTE=0',
    'FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=9;BYMINUTE=0',
    'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0',
    'FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=17;BYMINUTE=0',
    'FREQ=MONTHLY;BYMONTHDAY=29,30,31;BYHOUR=7;BYMINUTE=15',
    'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYHOUR=9;BYMINUTE=0',
    'FREQ=HOURLY;INTERVAL=5',
  ];
  const FIRST = at('2025-01-01').getTime();
  const LAST = at('2027-12-31').getTime();
  const arbPlan = fc.record({
    rrule: fc.constantFrom(...RULES),
    holidayRule: fc.constantFrom<HolidayRule>('run', 'skip', 'previous_working_day', 'next_working_day'),
    startsOn: fc.constantFrom('2025-01-01', '2025-02-28', '2026-09-30', '2024-02-29'),
    durationMinutes: fc.integer({ min: 0, max: 600 }),
    graceMinutes: fc.integer({ min: 0, max: 120 }),
  });
  const arbWindow = fc
    .tuple(fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: 1, max: 60 * 86_400_000 }), fc.integer({ min: 0, max: 1000 }))
    .map(([a, len, cut]) => ({ from: new Date(a), to: new Date(a + len), mid: new Date(a + Math.floor((len * cut) / 1000)) }));
  const runs = { numRuns: 150 };

  test('IN-1 sorted, one per original, inside [from, to), windows in order', () => {
    fc.assert(
      fc.property(arbPlan, arbWindow, (p, w) => {
        const occ = occurrencesBetween(p, w.from, w.to, cn);
        const keys = new Set(occ.map((o) => o.occurrence.getTime()));
        expect(keys.size).toBe(occ.length);
        for (let i = 0; i < occ.length; i++) {
          const o = occ[i]!;
          expect(o.startsAt.getTime()).toBeGreaterThanOrEqual(w.from.getTime());
          expect(o.startsAt.getTime()).toBeLessThan(w.to.getTime());
          if (i > 0) expect(o.startsAt.getTime()).toBeGreaterThan(occ[i - 1]!.startsAt.getTime());
          expect(o.dueAt.getTime() - o.startsAt.getTime()).toBe(p.durationMinutes * 60_000);
          expect(o.lateAt.getTime() - o.dueAt.getTime()).toBe(p.graceMinutes * 60_000);
        }
      }),
      runs,
    );
  });

  test('IN-1 skip never lands on a non-working day; moved ones land on working days, in the right direction, same wall time', () => {
    fc.assert(
      fc.property(arbPlan, arbWindow, (p, w) => {
        for (const o of occurrencesBetween(p, w.from, w.to, cn)) {
          const day = shanghaiDate(o.startsAt);
          if (p.holidayRule === 'run') expect(o.moved).toBe(false);
          else expect(isWorkingDay(cn, day)).toBe(true);
          if (o.moved) {
            expect(isWorkingDay(cn, shanghaiDate(o.occurrence))).toBe(false);
            const shift = o.startsAt.getTime() - o.occurrence.getTime();
            expect(Math.abs(shift) % 86_400_000).toBe(0);
            expect(p.holidayRule === 'next_working_day' ? shift > 0 : shift < 0).toBe(true);
          } else {
            expect(o.startsAt.getTime()).toBe(o.occurrence.getTime());
          }
        }
      }),
      runs,
    );
  });

  test('IN-1 the result does not depend on the window asked: [a, m) + [m, b) = [a, b)', () => {
    fc.assert(
      fc.property(arbPlan, arbWindow, (p, w) => {
        const whole = occurrencesBetween(p, w.from, w.to, cn);
        const split = [...occurrencesBetween(p, w.from, w.mid, cn), ...occurrencesBetween(p, w.mid, w.to, cn)];
        expect(split).toEqual(whole);
      }),
      runs,
    );
  });

  test('IN-1 a plan years old gives the same occurrences as rrule stepping from its start (DTSTART rebasing is exact)', () => {
    // rrule itself loses times after midnight when BYHOUR is unsorted (we sort it): compare sorted.
    const ODD_RULES = [
      ...RULES.map((r) => r.replace('BYHOUR=20,22,0,2,4,6', 'BYHOUR=0,2,4,6,20,22')),
      'FREQ=WEEKLY;INTERVAL=2',
      'FREQ=MONTHLY;INTERVAL=3',
      'FREQ=MONTHLY',
      'FREQ=YEARLY',
      'FREQ=YEARLY;BYMONTH=3',
      'FREQ=DAILY;INTERVAL=3;BYHOUR=7',
      'FREQ=HOURLY;INTERVAL=7',
      'FREQ=MINUTELY;INTERVAL=997',
      'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=10;BYMINUTE=0',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=16',
      'FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA;BYHOUR=6;BYMINUTE=45',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...ODD_RULES),
        fc.constantFrom('2020-01-31', '2020-02-29', '2021-03-31', '2023-12-31', '2024-08-15', '2025-06-30'),
        arbWindow,
        (rrule, startsOn, w) => {
          const got = occurrencesBetween({ rrule, startsOn, holidayRule: 'run', durationMinutes: 1, graceMinutes: 0 }, w.from, w.to, cn);
          const offset = 8 * 3_600_000;
          const raw = rrulestr(rrule, { dtstart: new Date(`${startsOn}T00:00:00Z`) })
            .between(new Date(w.from.getTime() + offset), new Date(w.to.getTime() + offset), true)
            .map((d: Date) => d.getTime() - offset)
            .filter((ms: number) => ms < w.to.getTime());
          expect(got.map((o) => o.startsAt.getTime())).toEqual(raw);
        },
      ),
      { numRuns: 300 },
    );
  });
});
