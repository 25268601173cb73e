import crypto from 'node:crypto';
import { and, asc, eq, inArray, max } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Queryable } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx, SignedInCtx } from '../../platform/context.ts';
import { AppError, Conflict, NotFound } from '../../platform/errors.ts';
import type { Message } from '../../platform/i18n.ts';
import { writeSite } from '../../platform/scope.ts';
import { integrations, phoneCalls } from './schema.ts';

/**
 * Machine-to-machine senders (DESIGN §1) and the signature that authenticates them (RP-1,
 * SEC-3). Stripe's scheme, which phone-system integrators already know:
 *
 *   X-Towerdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<raw body>", secret)>
 *
 * The timestamp is inside the signed text, so it cannot be changed without the secret; a request
 * is refused when the signature is wrong, when t is more than 5 minutes from the server's clock,
 * or when the same signature was already accepted (docs/integrations.md).
 */
export const SIGNATURE_HEADER = 'x-towerdesk-signature';
export const TOLERANCE_SECONDS = 5 * 60;
/**
 * A signature is valid for at most 10 minutes of server time (t up to 5 minutes ahead of the
 * server, accepted up to 5 minutes after t), so remembering accepted ones for 10 minutes refuses
 * every replay that the timestamp check would still let through.
 */
export const SEEN_SIGNATURE_MS = 10 * 60_000;
export const INTEGRATION_KINDS = ['phone'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

type IntegrationRow = typeof integrations.$inferSelect;

/** 32 random bytes; the prefix lets secret scanners recognise a leaked one. */
export const newSecret = () => `tdwh_${crypto.randomBytes(32).toString('base64url')}`;

/** The v1 signature of a body at time t, under the secret as shown to the admin (its UTF-8 bytes). */
export function signBody(secret: string, t: number | string, raw: Buffer | string): string {
  return crypto.createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex');
}

/** The header a sender puts on a request (used by tests and the docs' example). */
export const signatureHeader = (secret: string, t: number, raw: Buffer | string) => `t=${t},v1=${signBody(secret, t, raw)}`;

export type Refusal = 'bad_signature' | 'stale_timestamp' | 'replay' | 'integration_inactive';
const REFUSALS: Record<Refusal, Message> = {
  bad_signature: { zh: '签名无效', en: 'Invalid signature' },
  stale_timestamp: { zh: '签名时间戳超出允许范围（±5 分钟）', en: 'Signature timestamp outside the allowed window (±5 minutes)' },
  replay: { zh: '重复的请求：该签名已使用过', en: 'Replayed request: this signature was already used' },
  integration_inactive: { zh: '该接口已停用', en: 'This integration is disabled' },
};

/** Thrown inside the webhook's transaction when the signature turns out to be seen already. */
export class ReplayDetected extends Error {}

/**
 * Refuses a webhook request with 401 and leaves a trace (issue 3 "Bad input": refusals are
 * logged). The app log always gets a line. A request naming an integration that exists also gets
 * an audit row 'integration.call_refused' with the reason, on that integration's site, so an admin
 * sees a misconfigured or attacked phone system; a request naming no integration only reaches the
 * app log, so random traffic cannot grow the audit log.
 */
export async function refuseCall(ctx: Ctx, log: FastifyBaseLogger, integration: IntegrationRow | null, reason: Refusal, detail: Record<string, unknown> = {}) {
  log.warn({ integrationId: integration?.id ?? null, reason, ip: ctx.ip, ...detail }, 'integration call refused');
  if (integration) {
    await audit(ctx.db, ctx, {
      action: 'integration.call_refused', entityType: 'integration', entityId: integration.id, siteId: integration.siteId,
      after: { reason, ...detail },
    });
  }
  return new AppError(401, reason, REFUSALS[reason]);
}

const HeaderShape = z.string().max(500);
const isUuid = (s: string) => z.uuid().safeParse(s).success;

/**
 * Checks a request's signature against the integration's secret, then its timestamp, then that
 * the integration is active. Returns the integration and the accepted signature (the replay key);
 * throws the 401 (after logging it) otherwise. The replay check itself runs in the caller's
 * transaction (rememberSignature), so a request that fails later can be retried unchanged.
 */
export async function verifySignedRequest(ctx: Ctx, log: FastifyBaseLogger, integrationId: string, header: unknown, raw: Buffer) {
  const integration = isUuid(integrationId) ? (await ctx.db.select().from(integrations).where(eq(integrations.id, integrationId)))[0] ?? null : null;
  if (!integration) throw await refuseCall(ctx, log, null, 'bad_signature', { integrationId: integrationId.slice(0, 64), why: 'unknown_integration' });
  const parsed = HeaderShape.safeParse(header);
  const parts = parsed.success ? parseSignatureHeader(parsed.data) : null;
  if (!parts) throw await refuseCall(ctx, log, integration, 'bad_signature', { why: 'missing_or_malformed_header' });
  // Every v1 is compared (a sender may send two while it changes secrets), each in constant time.
  const expected = Buffer.from(signBody(integration.secret, parts.t, raw), 'hex');
  const match = parts.v1.find((v) => crypto.timingSafeEqual(Buffer.from(v, 'hex'), expected));
  if (!match) throw await refuseCall(ctx, log, integration, 'bad_signature', { why: 'mismatch', t: parts.t });
  const skew = Math.abs(ctx.now.getTime() / 1000 - Number(parts.t));
  if (skew > TOLERANCE_SECONDS) throw await refuseCall(ctx, log, integration, 'stale_timestamp', { t: parts.t, skewSeconds: Math.round(skew) });
  if (!integration.active) throw await refuseCall(ctx, log, integration, 'integration_inactive');
  return { integration, signature: match.toLowerCase() };
}

/** `t=1732410000,v1=<64 hex>[,v1=…]` → its parts; anything else → null. */
export function parseSignatureHeader(header: string): { t: string; v1: string[] } | null {
  let t: string | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = v;
    else if (k === 'v1' && /^[0-9a-fA-F]{64}$/.test(v)) v1.push(v);
  }
  return t && v1.length ? { t, v1 } : null;
}

// ---------------------------------------------------------------------------------------------
// Administration (admin only): create, list, rename/deactivate, rotate the secret

async function views(db: Queryable, rows: IntegrationRow[]) {
  const last = rows.length
    ? await db.select({ id: phoneCalls.integrationId, at: max(phoneCalls.receivedAt) }).from(phoneCalls)
      .where(inArray(phoneCalls.integrationId, rows.map((r) => r.id))).groupBy(phoneCalls.integrationId)
    : [];
  return rows.map((r) => ({
    id: r.id, siteId: r.siteId, name: r.name, kind: r.kind as IntegrationKind, active: r.active,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    secretRotatedAt: r.secretRotatedAt?.toISOString() ?? null,
    lastCallAt: last.find((l) => l.id === r.id)?.at?.toISOString() ?? null,
    /** Where the sender posts its calls (relative to the server's base URL). */
    callsUrl: `/api/integrations/${r.id}/calls`,
  }));
}
const viewOf = async (db: Queryable, row: IntegrationRow) => (await views(db, [row]))[0]!;
/** What an audit row keeps of an integration: never the secret. */
const auditable = (r: IntegrationRow) => ({ id: r.id, name: r.name, kind: r.kind, active: r.active, secretRotatedAt: r.secretRotatedAt });

const siteScope = (ctx: SignedInCtx) => (ctx.actor.siteId ? eq(integrations.siteId, ctx.actor.siteId) : undefined);

async function findVisible(db: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = db.select().from(integrations).where(and(eq(integrations.id, id), siteScope(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

const duplicateName = () => Conflict('duplicate', { zh: '已有同名接口', en: 'An integration with this name exists' }, [{ field: 'body.name', code: 'duplicate', message: { zh: '已存在，不能重复', en: 'Already exists' } }]);

export async function listIntegrations(ctx: SignedInCtx) {
  const rows = await ctx.db.select().from(integrations).where(siteScope(ctx)).orderBy(asc(integrations.name), asc(integrations.id));
  return { items: await views(ctx.db, rows) };
}

/** Creates an integration; the secret is in this answer and never again (rotate to get a new one). */
export async function createIntegration(ctx: SignedInCtx, input: { name: string; kind: IntegrationKind; siteId?: string | null }) {
  const siteId = writeSite(ctx, input.siteId);
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: integrations.id }).from(integrations).where(and(eq(integrations.siteId, siteId), eq(integrations.name, input.name)));
    if (dup) throw duplicateName();
    const secret = newSecret();
    const [row] = await tx.insert(integrations).values({ siteId, name: input.name, kind: input.kind, secret, active: true, createdAt: ctx.now, updatedAt: ctx.now }).returning();
    await audit(tx, ctx, { action: 'integration.create', entityType: 'integration', entityId: row!.id, siteId, after: auditable(row!) });
    return { ...(await viewOf(tx, row!)), secret };
  });
}

/** A new secret, effective at once: the old one stops working with this answer. */
export async function rotateSecret(ctx: SignedInCtx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const r = await findVisible(tx, ctx, id, true);
    const secret = newSecret();
    const [row] = await tx.update(integrations).set({ secret, secretRotatedAt: ctx.now, updatedAt: ctx.now }).where(eq(integrations.id, r.id)).returning();
    await audit(tx, ctx, { action: 'integration.rotate', entityType: 'integration', entityId: r.id, siteId: r.siteId, before: auditable(r), after: auditable(row!) });
    return { ...(await viewOf(tx, row!)), secret };
  });
}

export async function updateIntegration(ctx: SignedInCtx, id: string, input: { name?: string; active?: boolean }) {
  return ctx.db.transaction(async (tx) => {
    const r = await findVisible(tx, ctx, id, true);
    const name = input.name ?? r.name;
    const active = input.active ?? r.active;
    if (name === r.name && active === r.active) return viewOf(tx, r);
    if (name !== r.name) {
      const [dup] = await tx.select({ id: integrations.id }).from(integrations).where(and(eq(integrations.siteId, r.siteId), eq(integrations.name, name)));
      if (dup) throw duplicateName();
    }
    const [row] = await tx.update(integrations).set({ name, active, updatedAt: ctx.now }).where(eq(integrations.id, r.id)).returning();
    await audit(tx, ctx, { action: 'integration.update', entityType: 'integration', entityId: r.id, siteId: r.siteId, before: auditable(r), after: auditable(row!) });
    return viewOf(tx, row!);
  });
}
