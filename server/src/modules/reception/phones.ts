import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/index.ts';
import { maskPhone } from '../../platform/mask.ts';
import { occupants } from '../parties/schema.ts';

/**
 * Finding a caller by number (CS-5). Numbers arrive in many shapes — typed by an agent
 * ("138 0000 0001", "6234-5678"), or from the phone system ("+8613800000001", "013800000001",
 * "02162345678") — while the register keeps "13800000001" or "021-62345678".
 */

/** Digits of a dialled number with the country code and a trunk 0 before a mobile removed. */
export function dialledDigits(raw: string): string {
  let d = raw.replace(/\D/g, '');
  if (d.startsWith('0086')) d = d.slice(4);
  else if (d.startsWith('86') && d.length >= 12) d = d.slice(2);
  // Some exchanges put a trunk 0 before a mobile from another city: 013800000001.
  if (/^01[3-9]\d{9}$/.test(d)) d = d.slice(1);
  return d;
}

export const isMobile = (digits: string) => /^1[3-9]\d{9}$/.test(digits);

const storedDigits = sql`regexp_replace(${occupants.phone}, '[^0-9]', '', 'g')`;

/**
 * Occupants whose phone is the number: a mobile matches in full only (two mobiles can share
 * their last 8 digits); a landline also matches on its last 8 digits — the Shanghai number
 * without the area code, which is how a local line often shows up — but only against stored
 * landlines, so "00000001" never finds the owner of 138 0000 0001.
 */
export function phoneMatches(raw: string): SQL | undefined {
  const d = dialledDigits(raw);
  if (d.length < 7) return sql`false`;
  if (isMobile(d)) return sql`${storedDigits} = ${d}`;
  if (d.length < 8) return sql`${storedDigits} = ${d}`;
  return sql`(${storedDigits} = ${d} or (${storedDigits} !~ '^1[3-9][0-9]{9}$' and right(${storedDigits}, 8) = ${d.slice(-8)}))`;
}

export interface PhoneMatch { id: string; name: string; companyId: string | null; unitIds: string[]; phone: string; siteId: string; companyRole: string }

/** Active occupants of a site with this number (several when a company shares a landline). */
export async function occupantsWithPhone(db: Queryable, siteId: string | null, raw: string): Promise<PhoneMatch[]> {
  return db.select({ id: occupants.id, name: occupants.name, companyId: occupants.companyId, unitIds: occupants.unitIds, phone: occupants.phone, siteId: occupants.siteId, companyRole: occupants.companyRole })
    .from(occupants)
    .where(and(siteId ? eq(occupants.siteId, siteId) : undefined, eq(occupants.active, true), phoneMatches(raw)))
    .orderBy(occupants.name, occupants.id)
    .limit(20);
}

/** The same match for many calls at once (the intake screen's list): number → occupants (callers filter by site). */
export async function occupantsForNumbers(db: Queryable, siteIds: string[], numbers: string[]): Promise<Map<string, PhoneMatch[]>> {
  const out = new Map<string, PhoneMatch[]>();
  const distinct = [...new Set(numbers)];
  if (distinct.length === 0) return out;
  const rows = await db.select({ id: occupants.id, name: occupants.name, companyId: occupants.companyId, unitIds: occupants.unitIds, phone: occupants.phone, siteId: occupants.siteId, companyRole: occupants.companyRole })
    .from(occupants)
    .where(and(inArray(occupants.siteId, [...new Set(siteIds)]), eq(occupants.active, true), sql`(${sql.join(distinct.map((n) => phoneMatches(n) ?? sql`false`), sql` or `)})`));
  for (const n of distinct) {
    const d = dialledDigits(n);
    out.set(n, rows.filter((r) => sameNumber(d, r.phone)).sort((a, b) => a.name.localeCompare(b.name)));
  }
  return out;
}

/** The rule of phoneMatches in JS, to split one query's rows between several numbers. */
export function sameNumber(dialled: string, stored: string): boolean {
  const s = stored.replace(/\D/g, '');
  if (dialled.length < 7) return false;
  if (s === dialled) return true;
  if (isMobile(dialled) || dialled.length < 8) return false;
  return !isMobile(s) && s.slice(-8) === dialled.slice(-8);
}

/** A number as lists show it (SEC-2): masked; a withheld caller ("anonymous") stays as sent. */
export const maskNumber = (raw: string | null) => (raw && /\d{3}/.test(raw) ? maskPhone(raw) : raw);

/** A caller number worth keeping as a contact phone: withheld numbers are not. */
export const callbackNumber = (raw: string) => (dialledDigits(raw).length >= 3 ? raw : null);
