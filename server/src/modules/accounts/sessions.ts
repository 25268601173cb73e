import crypto from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/index.ts';
import type { Actor } from '../../platform/context.ts';
import type { Role } from '../../platform/permissions.ts';
import { occupants } from '../parties/schema.ts';
import { accounts, sessions } from './schema.ts';

/** Idle and absolute lifetimes of a session (issue 2 §7). */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 60 * 60_000;
/** last_seen_at is written at most this often, so reading pages does not write on every request. */
const TOUCH_MS = 60_000;

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function openSession(tx: Queryable, accountId: string, now: Date, ip: string, userAgent: string | undefined) {
  const token = crypto.randomBytes(32).toString('base64url');
  await tx.insert(sessions).values({ tokenHash: hashToken(token), accountId, createdAt: now, lastSeenAt: now, ip, userAgent: userAgent?.slice(0, 300) });
  return token;
}

export async function endSession(tx: Queryable, token: string, now: Date) {
  await tx.update(sessions).set({ endedAt: now }).where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.endedAt)));
}

/** Ends every open session of an account, optionally keeping the one making the request. */
export async function endSessionsOf(tx: Queryable, accountId: string, now: Date, keepToken?: string) {
  const conds = [eq(sessions.accountId, accountId), isNull(sessions.endedAt)];
  if (keepToken) conds.push(ne(sessions.tokenHash, hashToken(keepToken)));
  await tx.update(sessions).set({ endedAt: now }).where(and(...conds));
}

const isLive = (s: { endedAt: Date | null; lastSeenAt: Date; createdAt: Date }, disabled: boolean, now: Date) => {
  const t = now.getTime();
  return !s.endedAt && !disabled && t - s.lastSeenAt.getTime() <= IDLE_MS && t - s.createdAt.getTime() <= ABSOLUTE_MS;
};

/**
 * Whether a session still holds, without counting as activity: an open live stream checks it
 * now and then, and must not keep an idle session alive by itself.
 */
export async function sessionStillValid(db: Db, token: string, now: Date) {
  const [row] = await db.select({ s: sessions, disabled: accounts.disabled }).from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId)).where(eq(sessions.tokenHash, hashToken(token)));
  return !!row && isLive(row.s, row.disabled, now);
}

/** The actor behind a session token, or null when the session is unknown, ended or expired. */
export async function actorForToken(db: Db, token: string, now: Date): Promise<Actor | null> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({ s: sessions, a: accounts, companyId: occupants.companyId, companyRole: occupants.companyRole })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .leftJoin(occupants, eq(occupants.id, accounts.occupantId))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row || !isLive(row.s, row.a.disabled, now)) return null;
  if (now.getTime() - row.s.lastSeenAt.getTime() > TOUCH_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  return {
    accountId: row.a.id,
    name: row.a.displayName,
    roles: row.a.roles as Role[],
    siteId: row.a.siteId,
    staffId: row.a.staffId,
    occupantId: row.a.occupantId,
    companyId: row.companyId ?? null,
    companyRole: (row.companyRole as 'admin' | 'member' | null) ?? null,
  };
}

export const openSessionCount = (db: Queryable, accountId: string) =>
  db.select({ n: sql<number>`count(*)::int` }).from(sessions).where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt))).then((r) => r[0]!.n);
