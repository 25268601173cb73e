import crypto from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/index.ts';
import type { SignedInCtx } from './context.ts';
import { AppError, Conflict } from './errors.ts';

/**
 * Idempotency-Key → what the first request did, per account. A phone that lost the answer to a
 * request (a tunnel, a reload mid-sync, a retry after a timeout) sends it again with the same key
 * and gets the same result, with nothing applied twice (RP-1 intake, IN-3 offline sync).
 */
export const idempotencyKeys = pgTable('idempotency_keys', {
  accountId: uuid('account_id').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  response: jsonb('response').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.key] })]);

export const idempotencyHash = (body: unknown) => crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** The header every replayable mutation accepts (documented in its OpenAPI schema). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

const keyReused = () => new AppError(422, 'idempotency_key_reused', { zh: '该幂等键已用于另一请求', en: 'This Idempotency-Key was used for a different request' },
  [{ field: 'headers.idempotency-key', code: 'reused', message: { zh: '幂等键重复', en: 'Key reused' } }]);

export type Once<R> = { replayed: false; result: R } | { replayed: true; response: unknown };

/**
 * Runs `apply` in one transaction that first claims the key (naming `response`, what a replay
 * needs to answer again, e.g. the record's id). A concurrent request with the same key waits on
 * the claim, then finds it taken; a key already used answers at once with what it stored. A
 * request that fails (4xx) rolls its claim back, so the same request fails the same way again.
 * The same key with another body is refused with 422.
 */
export async function once<R>(ctx: SignedInCtx, key: string | undefined, body: unknown, response: unknown, apply: (tx: Tx) => Promise<R>): Promise<Once<R>> {
  if (!key) return { replayed: false, result: await ctx.db.transaction(apply) };
  const hash = idempotencyHash(body);
  const result = await ctx.db.transaction(async (tx) => {
    const [claimed] = await tx.insert(idempotencyKeys).values({ accountId: ctx.actor.accountId, key, requestHash: hash, status: 200, response, createdAt: ctx.now })
      .onConflictDoNothing().returning({ key: idempotencyKeys.key });
    return claimed ? { r: await apply(tx) } : null;
  });
  if (result) return { replayed: false, result: result.r };
  const [prior] = await ctx.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.accountId, ctx.actor.accountId), eq(idempotencyKeys.key, key)));
  if (!prior) {
    // The key's record vanished between the two (purged): the client retries.
    throw Conflict('idempotency_key_gone', { zh: '该幂等键的记录已失效，请重试', en: 'The record of this Idempotency-Key is gone; retry the request' },
      [{ field: 'headers.idempotency-key', code: 'gone', message: { zh: '请重试', en: 'Retry' } }]);
  }
  if (prior.requestHash !== hash) throw keyReused();
  return { replayed: true, response: prior.response };
}

/**
 * For requests whose work cannot sit in one transaction with the claim (an upload writes files
 * first): the stored response of an earlier request under this key, or null. 422 on another body.
 */
export async function priorResponse(ctx: SignedInCtx, key: string, body: unknown): Promise<unknown> {
  const [prior] = await ctx.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.accountId, ctx.actor.accountId), eq(idempotencyKeys.key, key)));
  if (!prior) return null;
  if (prior.requestHash !== idempotencyHash(body)) throw keyReused();
  return prior.response;
}

/** Records what a request under this key did (the first writer wins; a racing twin's record is dropped). */
export async function remember(ctx: SignedInCtx, key: string, body: unknown, response: unknown) {
  await ctx.db.insert(idempotencyKeys).values({ accountId: ctx.actor.accountId, key, requestHash: idempotencyHash(body), status: 201, response, createdAt: ctx.now }).onConflictDoNothing();
}

/**
 * Keys older than 30 days are forgotten (the sweep, every ~10 minutes): the phone's offline queue
 * gives up on changes older than 7 days, so nothing replays a key that old.
 */
export async function purgeIdempotencyKeys(db: Db, now: Date) {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - 30 * 86_400_000)));
}
