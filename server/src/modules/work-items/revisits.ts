import crypto from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { KINDS, policiesFor, type Urgency, type WorkItemKind } from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { Conflict, NotFound } from '../../platform/errors.ts';
import { accountsWithRoles, notify } from '../notifications/service.ts';
import { startPolicies } from './clocks.ts';
import { revisits, workItemEvents, workItems } from './schema.ts';

type ItemRow = typeof workItems.$inferSelect;

/** Share of ordinary completed repairs that are revisited at random (RP-8). */
export const REVISIT_SAMPLE_PERCENT = 20;

/**
 * Which items get a revisit (RP-8, CP-7): every urgent repair and every complaint when it is
 * completed/resolved, every repair the occupant rated ≤ 3, and a sample of the rest. The sample
 * is decided by a hash of the item id, so the choice is stable and reproducible in tests.
 */
export function revisitReason(item: Pick<ItemRow, 'id' | 'kind' | 'urgency' | 'rating'>, event: string): string | null {
  if (item.kind === 'complaint' && event === 'resolve') return 'complaint';
  if (item.kind !== 'repair') return null;
  if (event === 'complete') {
    if (item.urgency === 'urgent') return 'urgent';
    const h = crypto.createHash('sha256').update(item.id).digest().readUInt16BE(0) % 100;
    return h < REVISIT_SAMPLE_PERCENT ? 'sample' : null;
  }
  if ((event === 'close' || event === 'rate') && item.rating !== null && item.rating <= 3) return 'low_rating';
  return null;
}

/** Creates the revisit an event calls for (none if one is already pending) and starts its clock. */
export async function scheduleRevisit(tx: Tx, item: ItemRow, event: string, at: Date) {
  const reason = revisitReason(item, event);
  if (!reason) return null;
  const [pending] = await tx.select({ id: revisits.id }).from(revisits).where(and(eq(revisits.itemId, item.id), eq(revisits.state, 'pending')));
  if (pending) return null;
  const [row] = await tx.insert(revisits).values({ siteId: item.siteId, itemId: item.id, reason, state: 'pending', createdAt: at }).returning();
  const policy = policiesFor(item.kind as WorkItemKind, item.urgency as Urgency, item.category).filter((p) => p.clock === 'revisit');
  await startPolicies(tx, item, policy, at);
  return row!;
}

export async function hasDoneRevisit(tx: Queryable, itemId: string) {
  return (await tx.$count(revisits, and(eq(revisits.itemId, itemId), eq(revisits.state, 'done')))) > 0;
}

export interface RevisitResult {
  channel: 'phone' | 'email' | 'on_site';
  reached: boolean;
  satisfied?: boolean;
  comment?: string;
}

/**
 * Records a revisit (RP-8): not reached → an attempt, still pending; reached → done. A dissatisfied
 * occupant reopens a completed repair, or — when the item is closed or a complaint — opens a
 * complaint linked to it; the supervisor is told either way.
 */
export async function recordRevisit(ctx: SignedInCtx, id: string, input: RevisitResult, deps: {
  reopen: (tx: Tx, item: ItemRow, reason: string) => Promise<void>;
  openComplaint: (tx: Tx, item: ItemRow, text: string) => Promise<ItemRow>;
  stopClock: (tx: Tx, item: ItemRow) => Promise<void>;
}) {
  return ctx.db.transaction(async (tx) => {
    const [rv] = await tx.select().from(revisits).where(and(eq(revisits.id, id), ctx.actor.siteId ? eq(revisits.siteId, ctx.actor.siteId) : undefined)).for('update');
    if (!rv) throw NotFound();
    if (rv.state !== 'pending') throw Conflict('revisit_done', { zh: '该回访已完成', en: 'This revisit is already recorded' });
    const [item] = await tx.select().from(workItems).where(eq(workItems.id, rv.itemId)).for('update');
    const base = { attempts: rv.attempts + 1, channel: input.channel, reached: input.reached, comment: input.comment ?? null };
    if (!input.reached) {
      const [row] = await tx.update(revisits).set(base).where(eq(revisits.id, id)).returning();
      await event(tx, ctx, item!, `回访未接通（${channelZh[input.channel]}）`, { revisitId: id, reached: false });
      await audit(tx, ctx, { action: 'revisit.attempt', entityType: 'revisit', entityId: id, siteId: rv.siteId, after: base });
      return row!;
    }
    let followUp = 'none';
    let followUpItemId: string | null = null;
    if (input.satisfied === false) {
      const state = KINDS[item!.kind as WorkItemKind].states[item!.state];
      if (item!.kind === 'repair' && item!.state === 'completed') {
        await deps.reopen(tx, item!, `回访不满意：${input.comment ?? ''}`.trim());
        followUp = 'reopened';
      } else {
        const complaint = await deps.openComplaint(tx, item!, `回访不满意（${item!.number}${state ? ` ${state.zh}` : ''}）：${input.comment ?? ''}`);
        followUp = 'complaint';
        followUpItemId = complaint.id;
      }
      await notify(tx, ctx.now, await accountsWithRoles(tx, item!.siteId, ['supervisor']), {
        siteId: item!.siteId, kind: 'revisit.dissatisfied', title: { zh: `回访不满意：${item!.number}`, en: `Dissatisfied revisit: ${item!.number}` },
        body: input.comment ?? null, entityType: 'work_item', entityId: item!.id,
      });
    }
    const [row] = await tx.update(revisits).set({ ...base, satisfied: input.satisfied ?? null, state: 'done', followUp, followUpItemId, doneBy: ctx.actor.accountId, doneAt: ctx.now })
      .where(eq(revisits.id, id)).returning();
    await deps.stopClock(tx, item!);
    await event(tx, ctx, item!, `回访（${channelZh[input.channel]}）：${input.satisfied === false ? '不满意' : input.satisfied ? '满意' : '已回访'}${input.comment ? `，${input.comment}` : ''}`, { revisitId: id, satisfied: input.satisfied ?? null, followUp });
    await audit(tx, ctx, { action: 'revisit.record', entityType: 'revisit', entityId: id, siteId: rv.siteId, after: { ...base, satisfied: input.satisfied ?? null, followUp, followUpItemId } });
    return row!;
  });
}

const channelZh = { phone: '电话', email: '邮件', on_site: '上门' } as const;

async function event(tx: Tx, ctx: SignedInCtx, item: ItemRow, body: string, data: Record<string, unknown>) {
  await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'revisit', body, public: false, data });
}

export async function listRevisits(ctx: SignedInCtx, q: { state?: 'pending' | 'done'; limit: number; offset: number }) {
  const where = and(ctx.actor.siteId ? eq(revisits.siteId, ctx.actor.siteId) : undefined, q.state ? eq(revisits.state, q.state) : undefined);
  const rows = await ctx.db.select({ r: revisits, number: workItems.number, title: workItems.title, kind: workItems.kind, occupantId: workItems.occupantId, contactName: workItems.contactName, dueAt: sql<Date | null>`(select due_at from work_item_clocks c where c.item_id = ${revisits.itemId} and c.clock = 'revisit')` })
    .from(revisits).innerJoin(workItems, eq(workItems.id, revisits.itemId)).where(where)
    .orderBy(q.state === 'done' ? desc(revisits.doneAt) : asc(revisits.createdAt)).limit(q.limit).offset(q.offset);
  const total = await ctx.db.$count(revisits, where);
  return {
    items: rows.map(({ r, number, title, kind, occupantId, contactName, dueAt }) => ({
      id: r.id, itemId: r.itemId, number, title, kind, reason: r.reason, state: r.state, attempts: r.attempts, occupantId, contactName,
      dueAt: dueAt ? new Date(dueAt).toISOString() : null, channel: r.channel, reached: r.reached, satisfied: r.satisfied, comment: r.comment,
      followUp: r.followUp, followUpItemId: r.followUpItemId, doneAt: r.doneAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
    })),
    total,
  };
}
