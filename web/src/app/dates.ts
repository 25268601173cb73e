/**
 * Dates as the building lives them: Asia/Shanghai, whatever the browser's own zone is (a
 * supervisor travelling abroad still sees Shanghai days).
 */
export const TIME_ZONE = 'Asia/Shanghai';

const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return ymd.format(now);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** 2026-11-25T04:15:00Z → 2026-11-25 12:15 (Shanghai). */
export function formatDateTime(iso: string | null | undefined, lang = 'zh-CN'): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(lang === 'en-US' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

export type ExpiryState = 'none' | 'valid' | 'expiring' | 'expired';

/** Certificates within this many days of expiry are flagged (CS-6: renew in time). */
export const EXPIRY_WARNING_DAYS = 30;

/**
 * Where a certificate stands today: expired (red), expiring within 30 days (orange), valid, or
 * without an expiry date at all.
 */
export function expiryState(expiresOn: string | null | undefined, today: string = shanghaiToday()): ExpiryState {
  if (!expiresOn) return 'none';
  const left = daysBetween(today, expiresOn);
  if (left < 0) return 'expired';
  if (left <= EXPIRY_WARNING_DAYS) return 'expiring';
  return 'valid';
}

const hm = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * A short Shanghai time for lists and timelines: 14:05 today, 11-24 14:05 on another day this
 * year, 2025-11-24 14:05 in another year.
 */
export function formatShort(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = hm.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const time = `${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}`;
  const day = shanghaiToday(d);
  if (day === shanghaiToday(now)) return time;
  if (day.slice(0, 4) === shanghaiToday(now).slice(0, 4)) return `${day.slice(5)} ${time}`;
  return `${day} ${time}`;
}
