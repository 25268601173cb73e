import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx, SignedInCtx } from '../../platform/context.ts';
import { Conflict, invalidField, NotFound } from '../../platform/errors.ts';
import { companies } from '../parties/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { refuseCall, ReplayDetected, SEEN_SIGNATURE_MS } from './integrations.ts';
import { callbackNumber, maskNumber, occupantsForNumbers, occupantsWithPhone } from './phones.ts';
import { integrationSignatures, phoneCalls, receptions, type integrations } from './schema.ts';
import { createReception, type ReceptionInput } from './service.ts';

type CallRow = typeof phoneCalls.$inferSelect;

export interface CallInput {
  callId: string;
  caller: string;
  callee?: string | null;
  startedAt: string;
  endedAt?: string | null;
  recordingUrl?: string | null;
}

/** What the audit log keeps of a call: the numbers masked like any phone (SEC-2). */
const auditable = (r: CallRow) => ({ ...r, caller: maskNumber(r.caller), callee: maskNumber(r.callee) });

/**
 * Records a call pushed by the phone system (RP-1), after its signature was verified. In one
 * transaction: the signature is remembered (a second use of it is a replay → 401), and the call
 * is inserted — or, when the phone system sends the same call id again (a retry, or the
 * "call ended" event with the recording), the row is updated. Identical data changes nothing and
 * writes no audit row. The answer names the occupant when the caller's number is theirs alone.
 */
export async function receiveCall(ctx: Ctx, log: FastifyBaseLogger, integration: typeof integrations.$inferSelect, signature: string, input: CallInput) {
  const startedAt = new Date(input.startedAt);
  const endedAt = input.endedAt ? new Date(input.endedAt) : null;
  if (endedAt && endedAt < startedAt) throw invalidField('body.endedAt', { zh: '结束时间早于开始时间', en: 'The call ends before it starts' }, 'range');
  let result: { row: CallRow; created: boolean };
  try {
    result = await ctx.db.transaction(async (tx) => {
      await tx.delete(integrationSignatures).where(and(
        eq(integrationSignatures.integrationId, integration.id),
        lt(integrationSignatures.seenAt, new Date(ctx.now.getTime() - SEEN_SIGNATURE_MS)),
      ));
      // Two copies of one request racing: the second waits on the first's key and, once that
      // commits, inserts nothing — a replay, whichever arrived first.
      const seen = await tx.insert(integrationSignatures).values({ integrationId: integration.id, signature, seenAt: ctx.now }).onConflictDoNothing().returning();
      if (seen.length === 0) throw new ReplayDetected();
      const [inserted] = await tx.insert(phoneCalls).values({
        siteId: integration.siteId, integrationId: integration.id, externalId: input.callId, caller: input.caller, callee: input.callee ?? null,
        startedAt, endedAt, recordingUrl: input.recordingUrl ?? null, receivedAt: ctx.now, updatedAt: ctx.now,
      }).onConflictDoNothing({ target: [phoneCalls.integrationId, phoneCalls.externalId] }).returning();
      if (inserted) {
        await audit(tx, ctx, { action: 'phone_call.receive', entityType: 'phone_call', entityId: inserted.id, siteId: integration.siteId, after: auditable(inserted) });
        return { row: inserted, created: true };
      }
      const [existing] = await tx.select().from(phoneCalls)
        .where(and(eq(phoneCalls.integrationId, integration.id), eq(phoneCalls.externalId, input.callId))).for('update');
      const next = {
        caller: input.caller,
        callee: input.callee ?? existing!.callee,
        startedAt,
        endedAt: endedAt ?? existing!.endedAt,
        recordingUrl: input.recordingUrl ?? existing!.recordingUrl,
      };
      const same = next.caller === existing!.caller && next.callee === existing!.callee && next.startedAt.getTime() === existing!.startedAt.getTime()
        && next.endedAt?.getTime() === existing!.endedAt?.getTime() && next.recordingUrl === existing!.recordingUrl;
      if (same) return { row: existing!, created: false };
      const [row] = await tx.update(phoneCalls).set({ ...next, updatedAt: ctx.now }).where(eq(phoneCalls.id, existing!.id)).returning();
      await audit(tx, ctx, { action: 'phone_call.update', entityType: 'phone_call', entityId: row!.id, siteId: integration.siteId, before: auditable(existing!), after: auditable(row!) });
      return { row: row!, created: false };
    });
  } catch (e) {
    if (e instanceof ReplayDetected) throw await refuseCall(ctx, log, integration, 'replay', { callId: input.callId.slice(0, 100) });
    throw e;
  }
  const matches = await occupantsWithPhone(ctx.db, integration.siteId, result.row.caller);
  const only = matches.length === 1 ? matches[0]! : null;
  return {
    status: result.created ? (201 as const) : (200 as const),
    body: {
      id: result.row.id, callId: result.row.externalId, created: result.created,
      // A machine gets ids, never names: the desk screen shows who it is.
      occupantId: only?.id ?? null, companyId: only?.companyId ?? null, matches: matches.length,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The desk's intake screen

const siteScope = (ctx: SignedInCtx) => (ctx.actor.siteId ? eq(phoneCalls.siteId, ctx.actor.siteId) : undefined);
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

/**
 * Recent calls with who is calling (CS-5): the occupants whose number it is, their company, and
 * the reception and work items recorded from the call. Numbers are masked in this list (SEC-2);
 * recording a reception from a call takes the number from the call itself.
 */
export async function listCalls(ctx: SignedInCtx, q: { since?: string; limit: number }) {
  const since = q.since ? new Date(q.since) : new Date(ctx.now.getTime() - DEFAULT_WINDOW_MS);
  const rows = await ctx.db.select().from(phoneCalls).where(and(siteScope(ctx), gte(phoneCalls.startedAt, since)))
    .orderBy(desc(phoneCalls.startedAt), desc(phoneCalls.id)).limit(q.limit);
  const matches = await occupantsForNumbers(ctx.db, rows.map((r) => r.siteId), rows.map((r) => r.caller));
  const coIds = [...new Set([...matches.values()].flat().map((m) => m.companyId).filter((x): x is string => !!x))];
  const recIds = rows.map((r) => r.receptionId).filter((x): x is string => !!x);
  const [cos, recs] = await Promise.all([
    coIds.length ? ctx.db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, coIds)) : [],
    recIds.length ? ctx.db.select({ id: receptions.id, workItemIds: receptions.workItemIds }).from(receptions).where(inArray(receptions.id, recIds)) : [],
  ]);
  const itemIds = [...new Set(recs.flatMap((r) => r.workItemIds))];
  const items = itemIds.length ? await ctx.db.select({ id: workItems.id, number: workItems.number }).from(workItems).where(inArray(workItems.id, itemIds)) : [];
  return {
    items: rows.map((r) => {
      const rec = recs.find((x) => x.id === r.receptionId);
      return {
        id: r.id, integrationId: r.integrationId, externalId: r.externalId,
        caller: maskNumber(r.caller)!, callee: r.callee,
        startedAt: r.startedAt.toISOString(), endedAt: r.endedAt?.toISOString() ?? null,
        durationSeconds: r.endedAt ? Math.round((r.endedAt.getTime() - r.startedAt.getTime()) / 1000) : null,
        recordingUrl: r.recordingUrl, receivedAt: r.receivedAt.toISOString(),
        matches: (matches.get(r.caller) ?? []).filter((m) => m.siteId === r.siteId).map((m) => ({
          occupantId: m.id, name: m.name, company: cos.find((c) => c.id === m.companyId) ?? null,
        })),
        receptionId: r.receptionId,
        workItems: (rec?.workItemIds ?? []).map((id) => items.find((i) => i.id === id)).filter((i): i is NonNullable<typeof i> => !!i),
      };
    }),
  };
}

export type CallReceptionInput = Omit<ReceptionInput, 'channel' | 'at' | 'contactPhone' | 'siteId' | 'companyId' | 'unitId'>;

/**
 * Records the reception of a call (channel 'call', at the call's start, the caller's number as
 * the contact phone). The occupant defaults to the caller when the number is theirs alone; the
 * desk may name another or none (null). One reception per call: a second is 409.
 */
export async function receptionFromCall(ctx: SignedInCtx, callId: string, input: CallReceptionInput) {
  return ctx.db.transaction(async (tx: Tx) => {
    const [call] = await tx.select().from(phoneCalls).where(and(eq(phoneCalls.id, callId), siteScope(ctx))).for('update');
    if (!call) throw NotFound();
    if (call.receptionId) throw Conflict('call_has_reception', { zh: '该来电已有接待记录', en: 'This call already has a reception record' });
    let occupantId = input.occupantId;
    if (occupantId === undefined) {
      // The caller, when the number is theirs alone; a shared company line names nobody.
      const found = await occupantsWithPhone(tx, call.siteId, call.caller);
      occupantId = found.length === 1 ? found[0]!.id : null;
    }
    const view = await createReception(ctx, {
      ...input, occupantId, siteId: call.siteId, channel: 'call', at: call.startedAt.toISOString(), contactPhone: callbackNumber(call.caller),
    }, { callId: call.id, tx });
    await tx.update(phoneCalls).set({ receptionId: view.id, updatedAt: ctx.now }).where(eq(phoneCalls.id, call.id));
    return view;
  });
}
