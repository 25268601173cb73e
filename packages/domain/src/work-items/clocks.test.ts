import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  ALWAYS,
  isWorkingTime,
  makeCalendar,
  shanghaiInstant,
  workingMinutesBetween,
  type WorkingCalendar,
  type WorkingHours,
} from '../calendar/calendar.ts';
import { ROLES } from '../roles.ts';
import {
  DEFAULT_CLOCK_POLICIES,
  clockEffects,
  clockProgress,
  dueAtOf,
  escalationAts,
  pauseClock,
  policiesFor,
  resumeClock,
  startClock,
  stopClock,
  type ClockName,
  type ClockPolicy,
  type ClockState,
} from './clocks.ts';
import { KINDS, URGENCIES, WORK_ITEM_KINDS, actionsOf, type Urgency, type WorkItemKind } from './kinds.ts';

const at = (date: string, time = '00:00') => shanghaiInstant(date, time);
/** Shanghai wall time of an instant as 'YYYY-MM-DD HH:MM', for readable expectations. */
const wall = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const MIN = 60_000;

const cn = makeCalendar();
const LUNCH_DAY: Array<[string, string]> = [['09:00', '12:00'], ['13:00', '17:00']];
const LUNCH: WorkingHours = {
  byWeekday: { 1: LUNCH_DAY, 2: LUNCH_DAY, 3: LUNCH_DAY, 4: LUNCH_DAY, 5: LUNCH_DAY, 6: [], 7: [] },
  makeUpDay: LUNCH_DAY,
};
const cnLunch = makeCalendar({ hours: LUNCH });

function clockOf(kind: WorkItemKind, urgency: Urgency, clock: ClockName, category = ''): ClockPolicy {
  const p = policiesFor(kind, urgency, category).find((x) => x.clock === clock);
  if (!p) throw new Error(`no ${clock} clock for ${kind}:${urgency}`);
  return p;
}
const urgentArrival = clockOf('repair', 'urgent', 'arrival');
const urgentResolution = clockOf('repair', 'urgent', 'resolution');
const normalResponse = clockOf('repair', 'normal', 'response');
const normalResolution = clockOf('repair', 'normal', 'resolution');

describe('DESIGN §2.3 default clock policies', () => {
  test('RP-3 urgent repair: arrival 30 min 24×7, started by the report, stopped only by arrival, never paused, warned at 50 % and 80 %', () => {
    expect(urgentArrival).toMatchObject({ startOn: 'create', stopOn: ['arrive'], minutes: 30, calendar: '24x7', pauseIn: [], warnAt: [0.5, 0.8] });
    expect(urgentResolution).toMatchObject({ minutes: 240, calendar: '24x7', stopOn: ['complete'], pauseIn: ['waiting_parts'] });
  });

  test('RP-10 normal repair: response 2 working hours (accept or arrive), resolution 3 working days paused for parts; low: 5 days', () => {
    expect(normalResponse).toMatchObject({ startOn: 'create', stopOn: ['accept', 'arrive'], minutes: 120, calendar: 'working' });
    expect(normalResolution).toMatchObject({ minutes: 3 * 480, calendar: 'working', pauseIn: ['waiting_parts'] });
    expect(clockOf('repair', 'low', 'resolution').minutes).toBe(5 * 480);
    expect(clockOf('repair', 'low', 'response').minutes).toBe(120);
  });

  test('CP-3 CP-4 complaint: acknowledge 1 working hour, resolution 3 working days, update every working day, revisit 2 working days', () => {
    const clocks = policiesFor('complaint', 'normal', 'charges');
    expect(clocks.map((c) => [c.clock, c.minutes, c.calendar, c.startOn, c.stopOn])).toEqual([
      ['acknowledge', 60, 'working', 'create', ['acknowledge']],
      ['resolution', 1440, 'working', 'create', ['resolve']],
      ['update', 480, 'working', 'create', ['resolve']],
      ['revisit', 960, 'working', 'resolve', ['revisit']],
    ]);
  });

  test('RP-8 revisit within 2 working days of completion; CS-4 inquiry answered within 1 working day', () => {
    expect(clockOf('repair', 'normal', 'revisit')).toMatchObject({ startOn: 'complete', stopOn: ['revisit'], minutes: 960 });
    expect(clockOf('inquiry', 'normal', 'response')).toMatchObject({ startOn: 'create', stopOn: ['answer'], minutes: 480 });
  });

  test('CP-4 escalation: supervisor at breach, admin 30 min later on 24×7 clocks and 120 working minutes later on working clocks', () => {
    expect(urgentArrival.escalation).toEqual([
      { level: 1, afterBreachMinutes: 0, notify: ['supervisor'] },
      { level: 2, afterBreachMinutes: 30, notify: ['admin'] },
    ]);
    expect(normalResponse.escalation).toEqual([
      { level: 1, afterBreachMinutes: 0, notify: ['supervisor'] },
      { level: 2, afterBreachMinutes: 120, notify: ['admin'] },
    ]);
  });

  test('DESIGN §2.3 every default names real actions and states of its kind', () => {
    const SERVER_EVENTS = ['create', 'revisit', 'update'];
    for (const kind of WORK_ITEM_KINDS) {
      for (const urgency of URGENCIES) {
        const list = DEFAULT_CLOCK_POLICIES[`${kind}:${urgency}`];
        expect(list, `${kind}:${urgency}`).toBeDefined();
        const events = [...actionsOf(kind), ...SERVER_EVENTS];
        const states = Object.keys(KINDS[kind].states);
        expect(new Set(list.map((p) => p.clock)).size).toBe(list.length);
        for (const p of list) {
          expect(events, `${kind} ${p.clock} start`).toContain(p.startOn);
          for (const e of p.stopOn) expect(events, `${kind} ${p.clock} stop`).toContain(e);
          for (const s of [...p.pauseIn, ...(p.abandonIn ?? [])]) expect(states).toContain(s);
          for (const f of p.warnAt) expect(f > 0 && f < 1).toBe(true);
          expect(p.minutes).toBeGreaterThan(0);
          expect(p.escalation.map((e) => e.level)).toEqual([1, 2]);
          for (const e of p.escalation) for (const r of e.notify) expect(ROLES).toContain(r);
        }
      }
    }
  });
});

describe('CP-4 policy table overrides per category', () => {
  const table: Record<string, ClockPolicy[]> = {
    ...DEFAULT_CLOCK_POLICIES,
    'complaint:normal:charges': [{ ...clockOf('complaint', 'normal', 'resolution'), minutes: 5 * 480 }],
    'repair:normal:plumbing': [{ ...normalResponse, minutes: 60 }],
    'repair:normal:plumbing.leak': [{ ...normalResponse, minutes: 30 }],
  };

  test('CP-4 the most specific key wins clock by clock; the other clocks stay', () => {
    const charges = policiesFor('complaint', 'normal', 'charges', table);
    expect(charges.map((p) => [p.clock, p.minutes])).toEqual([['acknowledge', 60], ['resolution', 2400], ['update', 480], ['revisit', 960]]);
    expect(policiesFor('complaint', 'normal', 'noise', table).find((p) => p.clock === 'resolution')!.minutes).toBe(1440);
    expect(policiesFor('complaint', 'urgent', 'charges', table).find((p) => p.clock === 'resolution')!.minutes).toBe(1440);
  });

  test('RP-2 a parent category override applies to its children, a child override beats it', () => {
    const response = (category: string) => policiesFor('repair', 'normal', category, table).find((p) => p.clock === 'response')!.minutes;
    expect(response('plumbing.blocked_drain')).toBe(60);
    expect(response('plumbing.leak')).toBe(30);
    expect(response('plumbing')).toBe(60);
    expect(response('electrical')).toBe(120);
  });

  test('DESIGN §2.3 an empty table gives no clocks', () => {
    expect(policiesFor('repair', 'urgent', 'lift.entrapment', {})).toEqual([]);
  });
});

describe('DESIGN §2.3 which clocks an event touches', () => {
  const urgent = policiesFor('repair', 'urgent', 'lift.entrapment');
  const names = (ps: ClockPolicy[]) => ps.map((p) => p.clock);

  test('RP-3 the report starts arrival and resolution; arrival stops the arrival clock only', () => {
    expect(names(clockEffects(urgent, 'create', null, 'new').start)).toEqual(['arrival', 'resolution']);
    const arrive = clockEffects(urgent, 'arrive', 'on_the_way', 'on_site');
    expect(arrive).toEqual({ start: [], stop: ['arrival'], pause: [], resume: [], abandon: [] });
  });

  test('RP-5 waiting for parts pauses resolution, resuming resumes it; completion stops it and starts the revisit', () => {
    expect(clockEffects(urgent, 'wait_parts', 'in_progress', 'waiting_parts').pause).toEqual(['resolution']);
    expect(clockEffects(urgent, 'resume', 'waiting_parts', 'in_progress').resume).toEqual(['resolution']);
    const complete = clockEffects(urgent, 'complete', 'in_progress', 'completed');
    expect(complete.stop).toEqual(['resolution']);
    expect(names(complete.start)).toEqual(['revisit']);
  });

  test('RP-4 a cancelled repair abandons its clocks instead of breaching them', () => {
    expect(clockEffects(urgent, 'cancel', 'assigned', 'cancelled').abandon).toEqual(['arrival', 'resolution', 'revisit']);
  });

  test('CP-3 a complaint: acknowledging stops the acknowledge clock; resolving stops resolution and update and starts the revisit', () => {
    const cp = policiesFor('complaint', 'normal', 'noise');
    expect(clockEffects(cp, 'acknowledge', 'assigned', 'in_progress').stop).toEqual(['acknowledge']);
    expect(clockEffects(cp, 'resolve', 'in_progress', 'resolved').stop).toEqual(['resolution', 'update']);
    expect(names(clockEffects(cp, 'resolve', 'in_progress', 'resolved').start)).toEqual(['revisit']);
  });
});

describe('RP-3 RP-10 CS-2 pinned due times', () => {
  test('RP-3 urgent report Saturday 2026-11-28 23:50 → arrival due Sunday 00:20, warnings 00:05 and 00:14', () => {
    // The site's working calendar is passed; the 24×7 policy makes the clock ignore it.
    const { dueAt, warnAts, countsFrom } = startClock(urgentArrival, at('2026-11-28', '23:50'), cn);
    expect(wall(dueAt)).toBe('2026-11-29 00:20');
    expect(warnAts.map(wall)).toEqual(['2026-11-29 00:05', '2026-11-29 00:14']);
    expect(wall(countsFrom)).toBe('2026-11-28 23:50');
    expect(escalationAts(urgentArrival, dueAt, cn).map((e) => [e.level, wall(e.at), e.notify])).toEqual([
      [1, '2026-11-29 00:20', ['supervisor']],
      [2, '2026-11-29 00:50', ['admin']],
    ]);
  });

  test('RP-10 normal report Friday 2026-11-27 16:30 → response due Monday 2026-11-30 10:30 (not 09:30)', () => {
    // Issue 3 says "Friday 16:30 → response due Monday 09:30". With the 09:00–17:00 desk and a
    // 2-working-hour response, Friday gives 30 minutes (16:30–17:00) and Monday the other 90
    // (09:00–10:30): due 10:30. 09:30 is what ONE working hour gives (30 + 30), i.e. the
    // complaint acknowledgement clock, and it is also where the 50 % warning of the repair
    // response lands. We pin what the calendar gives.
    const { dueAt, warnAts } = startClock(normalResponse, at('2026-11-27', '16:30'), cn);
    expect(wall(dueAt)).toBe('2026-11-30 10:30');
    expect(warnAts.map(wall)).toEqual(['2026-11-30 09:30', '2026-11-30 10:06']);
    const ack = startClock(clockOf('complaint', 'normal', 'acknowledge'), at('2026-11-27', '16:30'), cn);
    expect(wall(ack.dueAt)).toBe('2026-11-30 09:30');
    expect(escalationAts(normalResponse, dueAt, cn).map((e) => wall(e.at))).toEqual(['2026-11-30 10:30', '2026-11-30 12:30']);
  });

  test('RP-10 CS-1 normal report Wednesday 2026-09-30 16:00 → response due Thursday 10-08 10:00, after National Day', () => {
    const { dueAt } = startClock(normalResponse, at('2026-09-30', '16:00'), cn);
    expect(wall(dueAt)).toBe('2026-10-08 10:00');
  });

  test('CS-2 a normal report Saturday 10:00 is scheduled for Monday 09:00 and counted from there', () => {
    const reported = at('2026-11-28', '10:00');
    expect(isWorkingTime(cn, reported)).toBe(false);
    const response = startClock(normalResponse, reported, cn);
    expect(wall(response.countsFrom)).toBe('2026-11-30 09:00');
    expect(wall(response.dueAt)).toBe('2026-11-30 11:00');
    expect(response.warnAts.map(wall)).toEqual(['2026-11-30 10:00', '2026-11-30 10:36']);
    // Three working days from Monday 09:00 run out at Wednesday 17:00, not Thursday 09:00.
    expect(wall(startClock(normalResolution, reported, cn).dueAt)).toBe('2026-12-02 17:00');
    // Nothing is consumed over the weekend.
    expect(clockProgress(response.state, at('2026-11-29', '23:59'), cn)).toEqual({ consumed: 0, remaining: 120, fraction: 0 });
  });

  test('CS-1 a make-up Saturday counts: Friday 2026-10-09 16:00 → Saturday 10-10 10:00', () => {
    expect(wall(startClock(normalResponse, at('2026-10-09', '16:00'), cn).dueAt)).toBe('2026-10-10 10:00');
  });

  test('CS-1 lunch break: Monday 11:00 + 2 working hours = 14:00; warnings at 12:00 and 13:36', () => {
    const { dueAt, warnAts } = startClock(normalResponse, at('2026-11-23', '11:00'), cnLunch);
    expect(wall(dueAt)).toBe('2026-11-23 14:00');
    expect(warnAts.map(wall)).toEqual(['2026-11-23 12:00', '2026-11-23 13:36']);
    expect(clockProgress(startClock(normalResponse, at('2026-11-23', '11:00'), cnLunch).state, at('2026-11-23', '13:30'), cnLunch))
      .toEqual({ consumed: 90, remaining: 30, fraction: 0.75 });
  });
});

describe('RP-5 pause while waiting for parts', () => {
  test('RP-5 waiting for parts moves the working due time by exactly the paused working time', () => {
    const started = startClock(normalResolution, at('2026-11-23', '09:00'), cn);
    expect(wall(started.dueAt)).toBe('2026-11-25 17:00');
    const paused = pauseClock(started.state, at('2026-11-23', '15:00'), cn);
    expect(paused).toMatchObject({ consumed: 360, runningSince: null, stoppedAt: null });
    expect(dueAtOf(paused, cn)).toBeNull();
    // While paused nothing is consumed.
    expect(clockProgress(paused, at('2026-11-24', '16:00'), cn).consumed).toBe(360);
    const resumeAt = at('2026-11-25', '11:00');
    const resumed = resumeClock(paused, resumeAt, cn, normalResolution);
    const pausedWorking = workingMinutesBetween(cn, at('2026-11-23', '15:00'), resumeAt);
    expect(pausedWorking).toBe(720);
    expect(workingMinutesBetween(cn, started.dueAt, resumed.dueAt)).toBe(pausedWorking);
    expect(wall(resumed.dueAt)).toBe('2026-11-27 13:00');
    // Both warnings are still ahead (360 of 1440 consumed): 720 at Wed 17:00, 1152 at Thu 16:12.
    expect(resumed.warnAts.map(wall)).toEqual(['2026-11-25 17:00', '2026-11-26 16:12']);
  });

  test('RP-3 a 24×7 resolution clock moves by the paused wall time; passed warnings are not repeated', () => {
    const started = startClock(urgentResolution, at('2026-11-28', '23:50'), cn);
    expect(wall(started.dueAt)).toBe('2026-11-29 03:50');
    const paused = pauseClock(started.state, at('2026-11-29', '02:00'), cn); // 130 of 240 consumed: 50 % passed
    const resumed = resumeClock(paused, at('2026-11-29', '05:00'), cn, urgentResolution);
    expect(wall(resumed.dueAt)).toBe('2026-11-29 06:50');
    expect(resumed.warnAts.map(wall)).toEqual(['2026-11-29 06:02']); // 80 % = 192 min: 62 more after 05:00
  });

  test('RP-3 a clock already past its due time is not paused: its lateness stays visible', () => {
    const started = startClock(urgentResolution, at('2026-11-28', '08:00'), cn);
    const late = at('2026-11-28', '13:00');
    const notPaused = pauseClock(started.state, late, cn);
    expect(notPaused).toBe(started.state);
    const stop = stopClock(resumeClock(notPaused, at('2026-11-28', '15:00'), cn, urgentResolution).state, at('2026-11-28', '15:00'), cn, started.dueAt);
    expect(stop).toMatchObject({ met: false, minutesLate: 180, consumedMinutes: 420 });
  });

  test('RP-5 pausing a paused clock and resuming a running one change nothing', () => {
    const started = startClock(normalResolution, at('2026-11-23', '09:00'), cn);
    const paused = pauseClock(started.state, at('2026-11-23', '10:00'), cn);
    expect(pauseClock(paused, at('2026-11-23', '11:00'), cn)).toBe(paused);
    const again = resumeClock(started.state, at('2026-11-23', '10:00'), cn, normalResolution);
    expect(again.dueAt).toEqual(started.dueAt);
    expect(again.state).toBe(started.state);
    const stopped = stopClock(started.state, at('2026-11-23', '10:00'), cn, started.dueAt).state;
    expect(() => resumeClock(stopped, at('2026-11-23', '11:00'), cn, normalResolution)).toThrow(RangeError);
  });
});

describe('RP-3 RP-10 met or breached', () => {
  test('RP-3 arrival at 00:19 is met; at 00:27 it is 7 minutes late', () => {
    const { state, dueAt } = startClock(urgentArrival, at('2026-11-28', '23:50'), cn);
    expect(stopClock(state, at('2026-11-29', '00:19'), cn, dueAt)).toMatchObject({ met: true, minutesLate: 0, consumedMinutes: 29 });
    expect(stopClock(state, at('2026-11-29', '00:20'), cn, dueAt)).toMatchObject({ met: true, minutesLate: 0, consumedMinutes: 30 });
    const late = stopClock(state, at('2026-11-29', '00:27'), cn, dueAt);
    expect(late).toMatchObject({ met: false, minutesLate: 7, consumedMinutes: 37 });
    expect(late.state).toMatchObject({ runningSince: null, consumed: 37 });
    expect(wall(late.state.stoppedAt!)).toBe('2026-11-29 00:27');
    // Stopping again repeats the result.
    expect(stopClock(late.state, at('2026-11-29', '09:00'), cn, dueAt)).toMatchObject({ met: false, minutesLate: 7, consumedMinutes: 37 });
  });

  test('RP-3 lateness is counted in started minutes: 10 seconds late is 1 minute late', () => {
    const { state, dueAt } = startClock(urgentArrival, at('2026-11-28', '23:50'), cn);
    expect(stopClock(state, new Date(dueAt.getTime() + 10_000), cn, dueAt)).toMatchObject({ met: false, minutesLate: 1 });
  });

  test('RP-10 minutes late are wall minutes: due Friday 17:00, accepted 18:00, is 60 minutes late with no extra working time used', () => {
    const friday = startClock({ ...normalResponse, minutes: 30 }, at('2026-11-27', '16:30'), cn);
    expect(wall(friday.dueAt)).toBe('2026-11-27 17:00');
    expect(stopClock(friday.state, at('2026-11-27', '18:00'), cn, friday.dueAt)).toMatchObject({ met: false, minutesLate: 60, consumedMinutes: 30 });
    const monday = startClock(normalResponse, at('2026-11-27', '16:30'), cn);
    expect(stopClock(monday.state, at('2026-11-30', '12:00'), cn, monday.dueAt)).toMatchObject({ met: false, minutesLate: 90, consumedMinutes: 210 });
  });

  test('RP-5 a clock stopped while paused is met', () => {
    const started = startClock(normalResolution, at('2026-11-23', '09:00'), cn);
    const paused = pauseClock(started.state, at('2026-11-23', '10:00'), cn);
    expect(stopClock(paused, at('2026-12-30', '10:00'), cn, started.dueAt)).toMatchObject({ met: true, minutesLate: 0, consumedMinutes: 60 });
  });
});

// ---------------------------------------------------------------- properties

const FIRST = at('2025-01-01').getTime() / MIN;
const LAST = at('2028-01-01').getTime() / MIN - 1;
/** Instants on whole minutes, so every count is an exact integer. */
const arbStart = fc.integer({ min: FIRST, max: LAST }).map((m) => new Date(m * MIN));
const arbMinutes = fc.integer({ min: 1, max: 5000 });
const runs = { numRuns: 300 };

const CALENDARS: Array<[string, WorkingCalendar, 'working' | '24x7']> = [
  ['China office hours', cn, 'working'],
  ['China with lunch break', cnLunch, 'working'],
  ['24×7', cn, '24x7'],
];
const testPolicy = (calendar: 'working' | '24x7', minutes: number, warnAt = [0.5, 0.8]): ClockPolicy => ({
  clock: 'resolution', startOn: 'create', stopOn: ['complete'], minutes, calendar, pauseIn: ['waiting_parts'], warnAt, escalation: [],
});

describe('DESIGN §2.3 clock arithmetic properties (holidays, 调休, lunch breaks, pauses)', () => {
  for (const [name, cal, calendar] of CALENDARS) {
    const counting = calendar === '24x7' ? ALWAYS : cal;

    test(`RP-5 ${name}: consumed at stop = working minutes from start to stop minus the paused working time`, () => {
      fc.assert(
        fc.property(
          arbStart,
          // Gaps (minutes) between successive events: pause, resume, pause, … then the stop.
          fc.array(fc.integer({ min: 0, max: 4 * 1440 }), { maxLength: 6 }),
          fc.integer({ min: 0, max: 4 * 1440 }),
          fc.integer({ min: 0, max: 1000 }),
          (start, gaps, lastGap, slack) => {
            const events: Date[] = [];
            let t = start.getTime();
            for (const g of gaps) events.push(new Date((t += g * MIN)));
            const stopAt = new Date(t + lastGap * MIN);
            const total = workingMinutesBetween(counting, start, stopAt);
            // Enough minutes that the clock is never overdue (an overdue clock is not paused).
            const policy = testPolicy(calendar, total + 1 + slack);
            let state: ClockState = startClock(policy, start, cal).state;
            let pausedTime = 0;
            events.forEach((e, i) => {
              if (i % 2 === 0) state = pauseClock(state, e, cal);
              else {
                pausedTime += workingMinutesBetween(counting, events[i - 1], e);
                const r = resumeClock(state, e, cal, policy);
                state = r.state;
                // Resuming keeps the budget: at the new due time exactly `minutes` are consumed.
                expect(clockProgress(state, r.dueAt, cal).consumed).toBe(policy.minutes);
              }
            });
            if (events.length % 2 === 1) pausedTime += workingMinutesBetween(counting, events[events.length - 1], stopAt);
            const expected = total - pausedTime;
            expect(clockProgress(state, stopAt, cal).consumed).toBe(expected);
            const due = dueAtOf(state, cal) ?? new Date(8.64e15);
            const stop = stopClock(state, stopAt, cal, due);
            expect(stop.consumedMinutes).toBe(expected);
            expect(stop.met).toBe(true);
          },
        ),
        runs,
      );
    });

    test(`RP-10 ${name}: dueAt is monotone in minutes; warnings are sorted and before dueAt`, () => {
      fc.assert(
        fc.property(arbStart, arbMinutes, arbMinutes, fc.array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { maxLength: 4 }), (start, m1, m2, warnAt) => {
          const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
          const a = startClock(testPolicy(calendar, lo, warnAt), start, cal);
          const b = startClock(testPolicy(calendar, hi, warnAt), start, cal);
          expect(a.dueAt.getTime()).toBeLessThanOrEqual(b.dueAt.getTime());
          if (lo < hi) expect(a.dueAt.getTime()).toBeLessThan(b.dueAt.getTime());
          for (const s of [a, b]) {
            for (let i = 1; i < s.warnAts.length; i++) expect(s.warnAts[i - 1].getTime()).toBeLessThan(s.warnAts[i].getTime());
            for (const w of s.warnAts) {
              expect(w.getTime()).toBeLessThan(s.dueAt.getTime());
              expect(w.getTime()).toBeGreaterThan(start.getTime());
            }
            expect(s.countsFrom.getTime()).toBeGreaterThanOrEqual(start.getTime());
            expect(s.countsFrom.getTime()).toBeLessThan(s.dueAt.getTime());
            expect(workingMinutesBetween(counting, start, s.dueAt)).toBe(s.state.minutes);
          }
        }),
        runs,
      );
    });

    test(`RP-3 ${name}: stopping is met exactly up to dueAt, and late minutes are positive exactly when not met`, () => {
      fc.assert(
        fc.property(arbStart, arbMinutes, fc.integer({ min: -3000, max: 3000 }), (start, minutes, offset) => {
          const { state, dueAt } = startClock(testPolicy(calendar, minutes), start, cal);
          const stopAt = new Date(Math.max(start.getTime(), dueAt.getTime() + offset * MIN));
          const r = stopClock(state, stopAt, cal, dueAt);
          expect(r.met).toBe(stopAt.getTime() <= dueAt.getTime());
          expect(r.minutesLate > 0).toBe(!r.met);
          if (!r.met) expect(r.minutesLate).toBe((stopAt.getTime() - dueAt.getTime()) / MIN);
          if (r.met) expect(r.consumedMinutes).toBeLessThanOrEqual(minutes);
          else expect(r.consumedMinutes).toBeGreaterThanOrEqual(minutes);
        }),
        runs,
      );
    });
  }

  test('RP-3 24×7: dueAt = start + minutes exactly, warnings at the exact fractions, whatever calendar is passed', () => {
    fc.assert(
      fc.property(arbStart, arbMinutes, fc.constantFrom(cn, cnLunch, ALWAYS), (start, minutes, cal) => {
        const { dueAt, warnAts, countsFrom } = startClock(testPolicy('24x7', minutes), start, cal);
        expect(dueAt.getTime()).toBe(start.getTime() + minutes * MIN);
        expect(warnAts.map((w) => w.getTime())).toEqual([0.5, 0.8].map((f) => start.getTime() + Math.round(f * minutes * MIN)));
        expect(countsFrom).toEqual(start);
      }),
      runs,
    );
  });
});
