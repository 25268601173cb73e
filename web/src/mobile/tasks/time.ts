import { useEffect, useState } from 'react';
import { formatShort } from '../../app/dates.ts';

export { formatShort };

const hm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** HH:mm in Shanghai. */
export function hhmm(iso: string | null | undefined): string {
  if (!iso) return '—';
  return hm.format(new Date(iso)).replace(/^24/, '00');
}

/** The current time, re-rendered every `everyMs` (0: never — just the time of the render). */
export function useNowTick(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!everyMs) return;
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return everyMs ? now : Date.now();
}
