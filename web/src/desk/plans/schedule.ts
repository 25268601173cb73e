// A plan's RRULE in words for the plans list ("每天 08:00、16:00"), zh-CN and en. Covers the shapes
// plans use (daily/weekly/monthly/yearly with BYHOUR/BYMINUTE, BYDAY with ordinals, BYMONTHDAY,
// BYMONTH, INTERVAL); anything else falls back to the rule text itself, which is never wrong.

const DAYS: Record<string, [string, string]> = {
  MO: ['周一', 'Mon'], TU: ['周二', 'Tue'], WE: ['周三', 'Wed'], TH: ['周四', 'Thu'], FR: ['周五', 'Fri'], SA: ['周六', 'Sat'], SU: ['周日', 'Sun'],
};
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ORD_EN = (n: number) => (n === -1 ? 'last' : `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`);

export function describeRRule(rule: string, lang: string): string {
  const en = lang === 'en-US';
  const parts = new Map(rule.replace(/^RRULE:/i, '').split(';').filter(Boolean).map((p) => {
    const [k, v = ''] = p.split('=');
    return [k!.toUpperCase(), v.toUpperCase()] as const;
  }));
  const freq = parts.get('FREQ');
  const known = new Set(['FREQ', 'INTERVAL', 'BYHOUR', 'BYMINUTE', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'WKST']);
  if (!freq || [...parts.keys()].some((k) => !known.has(k)) || !['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'HOURLY'].includes(freq)) return rule;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  const list = (k: string) => (parts.get(k) ? parts.get(k)!.split(',') : []);
  const hours = list('BYHOUR').map(Number).sort((a, b) => a - b);
  const minutes = list('BYMINUTE').map(Number);
  const mins = minutes.length ? minutes : [0];
  const times = hours.flatMap((h) => mins.map((m) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
  const join = (xs: string[]) => xs.join(en ? ', ' : '、');
  const days = list('BYDAY').map((d) => {
    const m = /^([+-]?\d+)?([A-Z]{2})$/.exec(d);
    if (!m || !DAYS[m[2]!]) return d;
    const [zh, e] = DAYS[m[2]!]!;
    if (!m[1]) return en ? e : zh;
    const n = Number(m[1]);
    return en ? `${ORD_EN(n)} ${e}` : n === -1 ? `最后一个${zh}` : `第 ${n} 个${zh}`;
  });
  const monthDays = list('BYMONTHDAY');
  const months = list('BYMONTH').map(Number);
  const every = (zh: string, enUnit: string) => (en ? (interval > 1 ? `Every ${interval} ${enUnit}s` : `Every ${enUnit}`) : interval > 1 ? `每 ${interval} ${zh}` : `每${zh}`);
  let head: string;
  switch (freq) {
    case 'HOURLY': head = every('小时', 'hour'); break;
    case 'DAILY': head = every('天', 'day'); break;
    case 'WEEKLY': head = every('周', 'week'); break;
    case 'MONTHLY': head = every('月', 'month'); break;
    default: head = every('年', 'year');
  }
  const bits: string[] = [head];
  if (months.length) bits.push(en ? `in ${join(months.map((m) => EN_MONTHS[m - 1] ?? String(m)))}` : `${join(months.map(String))} 月`);
  if (monthDays.length) bits.push(en ? `on day ${join(monthDays)}` : `${join(monthDays)} 日`);
  if (days.length) bits.push(en ? `on ${join(days)}` : join(days));
  if (times.length && freq !== 'HOURLY') bits.push(en ? `at ${join(times)}` : join(times));
  if (freq === 'HOURLY' && times.length === 0 && minutes.length) bits.push(en ? `at minute ${join(minutes.map(String))}` : `第 ${join(minutes.map(String))} 分`);
  if (freq === 'HOURLY' && hours.length) bits.push(en ? `between ${times[0]} and ${times[times.length - 1]}` : `${times[0]} 至 ${times[times.length - 1]}`);
  return bits.join(en ? ' ' : ' ');
}
