import { describe, expect, it } from 'vitest';
import { isoWeekOf, minutesText, pct, rateTone, scoreText } from './format.ts';

describe('report formatting', () => {
  it('RP-7 the week picker names the ISO week the server proposes spot-checks by, across year ends', () => {
    expect(isoWeekOf('2026-11-30')).toBe('2026-W49'); // a Monday
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48'); // the Sunday before it
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53'); // a Sunday still in the last year's week 53
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // a Monday already in the next year's week 1
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53'); // a Friday
  });

  it('RP-3 CP-6 rates read as percentages with what they were counted from; nothing scored reads as a dash', () => {
    expect(pct(0.9667)).toBe('96.7%');
    expect(pct(1, 0)).toBe('100%');
    expect(pct(null)).toBe('—');
    expect(scoreText({ n: 30, met: 29, rate: 0.9667 })).toBe('96.7%（29/30）');
    expect(scoreText({ n: 30, met: 29, rate: 0.9667 }, 'en-US')).toBe('96.7% (29/30)');
    expect(scoreText({ n: 0, met: 0, rate: null })).toBe('—');
    expect([rateTone(0.95), rateTone(0.8), rateTone(0.5), rateTone(null)]).toEqual(['green', 'orange', 'red', 'grey']);
  });

  it('RP-10 durations read in minutes, hours or days', () => {
    expect(minutesText(42, false)).toBe('42 分钟');
    expect(minutesText(150, false)).toBe('2.5 小时');
    expect(minutesText(3000, true)).toBe('2.1 d');
    expect(minutesText(null, true)).toBe('—');
  });
});
