// A minimal RFC 5545 writer for the per-person duty feed. We write the dozen lines ourselves
// rather than take a library: the feed has one event type, Asia/Shanghai has had a fixed +08:00
// offset without DST since 1991 (so the VTIMEZONE is four constant lines), and what needs care —
// escaping, CRLF, folding at 75 octets without splitting a UTF-8 character — is short and tested.

export interface FeedEvent {
  uid: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string | null;
  lastModified?: Date;
}

export interface Feed {
  name: string;
  now: Date;
  events: FeedEvent[];
}

const TZID = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;

/** 20261124T170000 in Shanghai wall time (used with TZID=Asia/Shanghai). */
const local = (t: Date) => new Date(t.getTime() + OFFSET_MS).toISOString().replace(/[-:]/g, '').slice(0, 15);
/** 20261124T090000Z (DTSTAMP and LAST-MODIFIED must be UTC). */
const utc = (t: Date) => `${t.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/** TEXT escaping (RFC 5545 §3.3.11). */
export const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // Continuation lines start with a space, which counts toward their 75.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function writeFeed(feed: Feed): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//towerdesk//duty roster//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    `X-WR-TIMEZONE:${TZID}`,
    'BEGIN:VTIMEZONE',
    `TZID:${TZID}`,
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0800',
    'TZOFFSETTO:+0800',
    'TZNAME:CST',
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
  for (const e of feed.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utc(feed.now)}`,
      ...(e.lastModified ? [`LAST-MODIFIED:${utc(e.lastModified)}`] : []),
      `DTSTART;TZID=${TZID}:${local(e.startsAt)}`,
      `DTEND;TZID=${TZID}:${local(e.endsAt)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
