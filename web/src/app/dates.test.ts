import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, expiryState, formatDateTime, shanghaiToday } from './dates.ts';

describe('certificate expiry (CS-6 highlight)', () => {
  const today = '2026-11-25';
  it('flags expired, expiring within 30 days, and valid', () => {
    expect(expiryState('2026-11-16', today)).toBe('expired');
    expect(expiryState('2026-11-24', today)).toBe('expired');
    expect(expiryState('2026-11-25', today)).toBe('expiring'); // last valid day
    expect(expiryState('2026-12-25', today)).toBe('expiring'); // day 30
    expect(expiryState('2026-12-26', today)).toBe('valid');
    expect(expiryState(null, today)).toBe('none');
  });
});

describe('Shanghai dates', () => {
  it('takes the day in Asia/Shanghai, not in UTC', () => {
    // 2026-11-25 17:30 UTC is already 2026-11-26 01:30 in Shanghai.
    expect(shanghaiToday(new Date('2026-11-25T17:30:00Z'))).toBe('2026-11-26');
    expect(formatDateTime('2026-11-25T17:30:00Z')).toBe('2026-11-26 01:30:00');
  });
  it('counts and adds days across month and year ends', () => {
    expect(daysBetween('2026-11-25', '2027-01-01')).toBe(37);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
  });
});
