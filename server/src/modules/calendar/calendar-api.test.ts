import { describe, expect, test } from 'vitest';
import { addWorkingDuration, shanghaiInstant } from '@towerdesk/domain';
import { testApp } from '../../../test/harness.ts';
import { siteCalendar } from './service.ts';

const t = await testApp();
await t.login('admin');

type Day = { date: string; kind: string; name?: string };
const year = async (y: number, who = 'admin') => (await t.as(who, { method: 'GET', url: `/api/calendar?year=${y}` })).json() as { days: Day[]; provisional: boolean; source: string | null };
const day = (days: Day[], date: string) => days.find((d) => d.date === date)!;

describe('CS-1 working calendar per site', () => {
  test('the 2026 year view shows Spring Festival off and the make-up Saturdays as working days', async () => {
    const cal = await year(2026, 'occupant');
    expect(cal.days).toHaveLength(365);
    expect(cal.provisional).toBe(false);
    expect(cal.source).toContain('国办发明电');
    expect(day(cal.days, '2026-02-17')).toMatchObject({ kind: 'holiday', name: '春节' });
    expect(day(cal.days, '2026-02-14')).toMatchObject({ kind: 'makeup' });
    expect(day(cal.days, '2026-10-10')).toMatchObject({ kind: 'makeup' });
    expect(day(cal.days, '2026-11-25')).toMatchObject({ kind: 'workday' });
    expect((await year(2027)).provisional).toBe(true);
  });

  test('an admin edit changes the site calendar and the due-time arithmetic that uses it; undo restores it', async () => {
    const before = await t.auditCount();
    const res = await t.as('admin', { method: 'PUT', url: '/api/calendar/days/2026-11-27', payload: { kind: 'holiday', note: '大楼停电检修' } });
    expect(res.statusCode).toBe(200);
    expect(await t.auditCount()).toBe(before + 1);
    expect(day((await year(2026)).days, '2026-11-27').kind).toBe('holiday');
    const cal = await siteCalendar(t.db, t.world.siteId);
    // Thursday 16:30 + 2 working hours skips the new Friday holiday and lands on Monday 10:30.
    expect(addWorkingDuration(cal, shanghaiInstant('2026-11-26', '16:30'), 120)).toEqual(shanghaiInstant('2026-11-30', '10:30'));
    expect((await t.as('admin', { method: 'DELETE', url: '/api/calendar/days/2026-11-27' })).statusCode).toBe(200);
    expect(day((await year(2026)).days, '2026-11-27').kind).toBe('workday');
    expect((await t.as('admin', { method: 'DELETE', url: '/api/calendar/days/2026-11-27' })).statusCode).toBe(404);
  });

  test('working hours with a lunch break are saved; overlapping windows are 400 naming the window', async () => {
    const hours = {
      byWeekday: { 1: [['09:00', '12:00'], ['13:00', '17:30']], 2: [['09:00', '12:00'], ['13:00', '17:30']], 3: [['09:00', '12:00'], ['13:00', '17:30']], 4: [['09:00', '12:00'], ['13:00', '17:30']], 5: [['09:00', '12:00'], ['13:00', '17:30']], 6: [], 7: [] },
      makeUpDay: [['09:00', '12:00'], ['13:00', '17:30']],
    };
    expect((await t.as('admin', { method: 'PUT', url: '/api/calendar/hours', payload: hours })).statusCode).toBe(200);
    const cal = await siteCalendar(t.db, t.world.siteId);
    expect(addWorkingDuration(cal, shanghaiInstant('2026-11-24', '11:30'), 60)).toEqual(shanghaiInstant('2026-11-24', '13:30'));
    const bad = { ...hours, byWeekday: { ...hours.byWeekday, 3: [['09:00', '12:00'], ['11:00', '17:00']] } };
    const res = await t.as('admin', { method: 'PUT', url: '/api/calendar/hours', payload: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({ field: 'body.byWeekday.3[1]', code: 'overlap', message: '时段重叠或未按时间排序' });
    const badTime = await t.as('admin', { method: 'PUT', url: '/api/calendar/hours', payload: { ...hours, makeUpDay: [['9点', '17:00']] } });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().error.fields[0].field).toMatch(/^body\.makeUpDay/);
  });

  test('a bad date is 400 naming params.date; an agent cannot edit the calendar', async () => {
    const res = await t.as('admin', { method: 'PUT', url: '/api/calendar/days/2026-02-30', payload: { kind: 'holiday' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('params.date');
    expect((await t.as('agent', { method: 'PUT', url: '/api/calendar/days/2026-12-01', payload: { kind: 'holiday' } })).statusCode).toBe(403);
  });
});
