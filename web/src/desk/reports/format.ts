/** Pure formatting for the report screens (unit-tested in format.test.ts). */
import { paren } from '../../app/lists.ts';
import type { Score } from './types.ts';

/** 0.934 → "93.4%"; null (nothing scored) → "—". */
export function pct(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits)}%`;
}

/** "93.4%（141/151）" (en "93.4% (141/151)") — the rate with what it was counted from. */
export function scoreText(s: Score | undefined, lang = 'zh-CN'): string {
  if (!s) return '—';
  return s.n ? `${pct(s.rate)}${paren(`${s.met}/${s.n}`, lang)}` : '—';
}

/** Minutes as a short duration: 42 → "42 分钟", 150 → "2.5 小时", 3000 → "2.1 天" (en: min / h / d). */
export function minutesText(m: number | null | undefined, en: boolean): string {
  if (m === null || m === undefined) return '—';
  if (m < 120) return en ? `${Math.round(m)} min` : `${Math.round(m)} 分钟`;
  const h = m / 60;
  if (h < 48) return en ? `${h.toFixed(1)} h` : `${h.toFixed(1)} 小时`;
  return en ? `${(h / 24).toFixed(1)} d` : `${(h / 24).toFixed(1)} 天`;
}

/** Tone of a met rate against the usual 90 % / 75 % marks. */
export const rateTone = (rate: number | null | undefined): 'green' | 'orange' | 'red' | 'grey' =>
  rate === null || rate === undefined ? 'grey' : rate >= 0.9 ? 'green' : rate >= 0.75 ? 'orange' : 'red';

/** ISO 8601 week of a calendar day ('2026-11-30' → '2026-W49'): the week the server proposes by. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday of the week names its year
  const year = d.getUTCFullYear();
  // The Thursday of week 1 falls on 1–7 January, so whole weeks since 1 January count the rest.
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

