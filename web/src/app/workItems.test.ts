import { describe, expect, it } from 'vitest';
import { formatShort } from './dates.ts';
import {
  boardOrder, clockStatus, formatMinutes, itemClockStatus, pressingClock, progressOf, sortForWork,
  type ClockView, type TimelineEntry, type WorkItem,
} from './workItems.ts';

const NOW = Date.parse('2026-11-25T06:00:00Z'); // 14:00 Shanghai

const clock = (over: Partial<ClockView>): ClockView => ({
  clock: 'arrival', dueAt: '2026-11-25T06:20:00Z', running: true, stoppedAt: null, met: null, minutesLate: null,
  warned: false, breached: false, escalationLevel: 0, ...over,
});

const item = (over: Partial<WorkItem>): WorkItem => ({
  id: over.number ?? 'x', number: 'BX-20261125-0001', kind: 'repair', category: 'electrical.lighting', urgency: 'normal', state: 'new', stateName: '',
  title: '', description: '', channel: 'app', place: null, occupantId: null, companyId: null, contactName: null, contactPhone: null,
  assignee: null, scheduledFor: null, arrivedAt: null, arrivalProof: null, completedAt: null, closedAt: null, resolution: null, materials: null, labourMinutes: null, rating: null,
  reopenCount: 0, confirmationCode: null, confirmedBy: null, confirmationReason: null,
  createdAt: '2026-11-25T05:00:00Z', updatedAt: '2026-11-25T05:00:00Z', clocks: [], can: [], ...over,
});

let seq = 0;
const ev = (at: string, toState: string, action: string | null = null, type = 'transition'): TimelineEntry => ({
  id: ++seq, at, actorName: null, type, action, fromState: null, toState, body: null, public: true, data: {},
});

describe('clocks on the board and the phone (RP-3, DESIGN §2.3)', () => {
  it('a running clock past due is breached before the sweep marks it; paused, met and missed read as such', () => {
    expect(clockStatus(clock({}), NOW)).toBe('ok');
    expect(clockStatus(clock({ warned: true }), NOW)).toBe('warned');
    expect(clockStatus(clock({ dueAt: '2026-11-25T05:59:00Z' }), NOW)).toBe('breached');
    expect(clockStatus(clock({ running: false }), NOW)).toBe('paused');
    expect(clockStatus(clock({ running: false, stoppedAt: '2026-11-25T05:50:00Z', met: true }), NOW)).toBe('met');
    expect(clockStatus(clock({ running: false, stoppedAt: '2026-11-25T06:50:00Z', met: false, minutesLate: 30 }), NOW)).toBe('missed');
    expect(clockStatus(clock({ running: false, stoppedAt: '2026-11-25T05:50:00Z' }), NOW)).toBe('ended');
  });

  it('the pressing clock is the running one due first; the item shows its worst open clock', () => {
    const a = clock({ clock: 'resolution', dueAt: '2026-11-25T09:00:00Z' });
    const b = clock({ clock: 'arrival', dueAt: '2026-11-25T06:20:00Z' });
    expect(pressingClock({ clocks: [a, b] })?.clock).toBe('arrival');
    expect(itemClockStatus({ clocks: [a, clock({ warned: true })] }, NOW)).toBe('warned');
    expect(itemClockStatus({ clocks: [a, clock({ breached: true })] }, NOW)).toBe('breached');
    expect(itemClockStatus({ clocks: [] }, NOW)).toBe('none');
  });

  it('a technician works urgent first, then soonest due; the board puts late and warned on top', () => {
    const late = item({ number: 'late', urgency: 'low', clocks: [clock({ breached: true })] });
    const urgent = item({ number: 'urgent', urgency: 'urgent', clocks: [clock({ dueAt: '2026-11-25T06:25:00Z' })] });
    const soon = item({ number: 'soon', clocks: [clock({ dueAt: '2026-11-25T06:10:00Z' })] });
    const later = item({ number: 'later', clocks: [clock({ dueAt: '2026-11-25T08:00:00Z' })] });
    const paused = item({ number: 'paused', clocks: [clock({ running: false })] });
    expect(sortForWork([paused, later, soon, urgent, late]).map((i) => i.number)).toEqual(['urgent', 'soon', 'later', 'paused', 'late']);
    const warned = item({ number: 'warned', clocks: [clock({ warned: true, dueAt: '2026-11-25T09:00:00Z' })] });
    expect(boardOrder([paused, later, warned, soon, urgent, late], NOW).map((i) => i.number)).toEqual(['late', 'warned', 'urgent', 'soon', 'later', 'paused']);
  });

  it('says durations as people do', () => {
    expect(formatMinutes(25, 'zh-CN')).toBe('25 分');
    expect(formatMinutes(65, 'zh-CN')).toBe('1 小时 5 分');
    expect(formatMinutes(-120, 'zh-CN')).toBe('2 小时');
    expect(formatMinutes(1500, 'zh-CN')).toBe('1 天 1 小时');
    expect(formatMinutes(65, 'en-US')).toBe('1 h 5 min');
  });

  it('shows times in Shanghai: the time today, the date otherwise', () => {
    const now = new Date('2026-11-25T06:00:00Z');
    expect(formatShort('2026-11-25T01:05:00Z', now)).toBe('09:05');
    expect(formatShort('2026-11-24T16:30:00Z', now)).toBe('00:30'); // already the 25th in Shanghai
    expect(formatShort('2026-11-24T15:30:00Z', now)).toBe('11-24 23:30');
    expect(formatShort('2025-12-31T16:00:00Z', new Date('2026-01-02T00:00:00Z'))).toBe('01-01 00:00');
    expect(formatShort('2025-12-30T16:00:00Z', new Date('2026-01-02T00:00:00Z'))).toBe('2025-12-31 00:00');
  });
});

describe('the occupant’s progress bar (RP-4)', () => {
  const created = '2026-11-25T05:00:00Z';
  it('marks each step with the time it was reached', () => {
    const p = progressOf({
      kind: 'repair', state: 'on_site', createdAt: created,
      timeline: [
        ev(created, 'new', null, 'created'), ev('2026-11-25T05:02:00Z', 'assigned', 'assign'), ev('2026-11-25T05:05:00Z', 'accepted', 'accept'),
        ev('2026-11-25T05:06:00Z', 'on_the_way', 'depart'), ev('2026-11-25T05:20:00Z', 'on_site', 'arrive'),
        { ...ev('2026-11-25T05:21:00Z', 'x'), type: 'comment', toState: null },
      ],
    });
    expect(p.cancelled).toBe(false);
    expect(p.steps.map((s) => s.state)).toEqual(['new', 'accepted', 'on_site', 'in_progress', 'completed']);
    expect(p.steps.map((s) => s.at)).toEqual([created, '2026-11-25T05:05:00Z', '2026-11-25T05:06:00Z', null, null]);
    expect(p.steps.map((s) => [s.done, s.current])).toEqual([[true, false], [true, false], [false, true], [false, false], [false, false]]);
  });

  it('starts over after a reopen or a declined dispatch, keeping the first report time', () => {
    const p = progressOf({
      kind: 'repair', state: 'accepted', createdAt: created,
      timeline: [
        ev(created, 'new', null, 'created'), ev('2026-11-25T05:05:00Z', 'accepted', 'accept'), ev('2026-11-25T05:20:00Z', 'on_site', 'arrive'),
        ev('2026-11-25T05:40:00Z', 'completed', 'complete'), ev('2026-11-25T06:00:00Z', 'new', 'reopen'), ev('2026-11-25T06:10:00Z', 'accepted', 'accept'),
      ],
    });
    expect(p.steps.map((s) => s.at)).toEqual([created, '2026-11-25T06:10:00Z', null, null, null]);
    expect(p.steps[1]!.current).toBe(true);
  });

  it('a completed item has every step done; a cancelled one says when', () => {
    const done = progressOf({ kind: 'repair', state: 'closed', createdAt: created, timeline: [ev(created, 'new', null, 'created'), ev('2026-11-25T06:00:00Z', 'completed', 'complete'), ev('2026-11-25T06:30:00Z', 'closed', 'close')] });
    expect(done.steps.every((s) => s.done)).toBe(true);
    expect(done.steps[4]).toMatchObject({ state: 'completed', at: '2026-11-25T06:00:00Z' });
    const off = progressOf({ kind: 'repair', state: 'cancelled', createdAt: created, timeline: [ev(created, 'new', null, 'created'), ev('2026-11-25T05:10:00Z', 'cancelled', 'cancel')] });
    expect(off).toMatchObject({ cancelled: true, cancelledAt: '2026-11-25T05:10:00Z' });
  });

  it('complaints and inquiries have their own steps', () => {
    expect(progressOf({ kind: 'inquiry', state: 'answered', createdAt: created, timeline: [] }).steps.map((s) => s.state)).toEqual(['new', 'answered']);
    expect(progressOf({ kind: 'complaint', state: 'in_progress', createdAt: created, timeline: [] }).steps.map((s) => s.current)).toEqual([false, false, true, false]);
  });
});
