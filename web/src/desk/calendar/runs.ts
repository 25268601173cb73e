import type { CalendarDay } from '../../app/types.ts';

/** A run of consecutive days with the same holiday name, e.g. 春节 2026-02-15 … 2026-02-23. */
interface Run { name: string; from: string; to: string; days: number }

export function holidayRuns(days: CalendarDay[], en: boolean): Run[] {
  const runs: Run[] = [];
  for (const d of days) {
    if (d.kind !== 'holiday') continue;
    const name = (en ? d.nameEn : d.name) ?? d.name ?? '';
    const last = runs[runs.length - 1];
    const prevDate = last ? new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
    if (last && last.name === name && prevDate === d.date) {
      last.to = d.date;
      last.days += 1;
    } else {
      runs.push({ name, from: d.date, to: d.date, days: 1 });
    }
  }
  return runs;
}
