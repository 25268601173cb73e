import { inArray, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { messages } from '../../platform/i18n.ts';
import { loginThrottle } from './schema.ts';

/**
 * Sign-in throttling per account and per IP (issue 2 §7). After a few free failures each further
 * attempt must wait, the wait doubling up to a cap; an hour without failures forgets them. It
 * slows guessing down and never locks an account for good.
 */
const FREE = { acct: 5, ip: 20 };
const BASE_DELAY_MS = 15_000;
const MAX_DELAY_MS = 15 * 60_000;
const FORGET_MS = 60 * 60_000;

export const throttleKeys = (login: string, ip: string) => ({ acct: `acct:${login.toLowerCase()}`, ip: `ip:${ip}` });

export function requiredWaitMs(failures: number, free: number) {
  if (failures < free) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - free), MAX_DELAY_MS);
}

export async function checkThrottle(db: Queryable, keys: { acct: string; ip: string }, now: Date) {
  const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, [keys.acct, keys.ip]));
  let retryMs = 0;
  for (const r of rows) {
    const since = now.getTime() - r.lastFailureAt.getTime();
    if (since > FORGET_MS) continue;
    const wait = requiredWaitMs(r.failures, r.key === keys.acct ? FREE.acct : FREE.ip) - since;
    retryMs = Math.max(retryMs, wait);
  }
  if (retryMs > 0) {
    const seconds = Math.ceil(retryMs / 1000);
    throw new AppError(429, 'throttled', messages.throttled, [], { 'retry-after': String(seconds) }, { retryAfterSeconds: seconds });
  }
}

export async function recordFailure(db: Queryable, keys: { acct: string; ip: string }, now: Date) {
  for (const key of [keys.acct, keys.ip]) {
    await db.insert(loginThrottle).values({ key, failures: 1, lastFailureAt: now }).onConflictDoUpdate({
      target: loginThrottle.key,
      // Failures older than FORGET_MS start the count again.
      set: {
        failures: sql`case when ${loginThrottle.lastFailureAt} < ${new Date(now.getTime() - FORGET_MS)} then 1 else ${loginThrottle.failures} + 1 end`,
        lastFailureAt: now,
      },
    });
  }
}

export async function clearAccountFailures(db: Queryable, keys: { acct: string }) {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, [keys.acct]));
}

/** Counts nobody will look at again (an hour without failures forgets them) are dropped by the sweep. */
export async function forgetOldFailures(db: Queryable, now: Date) {
  const gone = await db.delete(loginThrottle).where(lt(loginThrottle.lastFailureAt, new Date(now.getTime() - FORGET_MS))).returning({ key: loginThrottle.key });
  return gone.length;
}
