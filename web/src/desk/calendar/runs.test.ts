import { describe, expect, it } from 'vitest';
import type { CalendarDay } from '../../app/types.ts';
import { holidayRuns } from './runs.ts';

const day = (date: string, kind: CalendarDay['kind'], name?: string): CalendarDay => ({ date, weekday: 1, kind, name, nameEn: name && `${name}-en` });

describe('holidayRuns', () => {
  it('groups consecutive days of one festival and keeps separate breaks apart', () => {
    const days = [
      day('2026-02-14', 'makeup', '春节'),
      day('2026-02-15', 'holiday', '春节'), day('2026-02-16', 'holiday', '春节'), day('2026-02-17', 'holiday', '春节'),
      day('2026-02-18', 'workday'),
      day('2026-04-04', 'holiday', '清明节'), day('2026-04-05', 'holiday', '清明节'),
      day('2026-12-31', 'holiday'),
    ];
    expect(holidayRuns(days, false)).toEqual([
      { name: '春节', from: '2026-02-15', to: '2026-02-17', days: 3 },
      { name: '清明节', from: '2026-04-04', to: '2026-04-05', days: 2 },
      { name: '', from: '2026-12-31', to: '2026-12-31', days: 1 },
    ]);
    expect(holidayRuns(days, true)[0]!.name).toBe('春节-en');
  });
});
