import { auditLog } from '../modules/audit/schema.ts';
import type { Queryable } from '../db/index.ts';
import type { Ctx } from './context.ts';
import { maskRecord } from './mask.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  siteId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes audit rows inside the caller's transaction (STYLE §3): the change and its record live
 * or die together. Personal data is masked before it is stored.
 */
export async function audit(tx: Queryable, ctx: Ctx, entries: AuditEntry | AuditEntry[]) {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  // Inserted in chunks: an import of thousands of rows stays under PostgreSQL's parameter limit.
  for (let i = 0; i < list.length; i += 2000) {
    await tx.insert(auditLog).values(list.slice(i, i + 2000).map((e) => ({
      siteId: e.siteId ?? ctx.actor?.siteId ?? null,
      at: ctx.now,
      actorId: ctx.actor?.accountId ?? null,
      actorName: ctx.actor?.name ?? null,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      before: e.before === undefined ? null : maskRecord(e.before),
      after: e.after === undefined ? null : maskRecord(e.after),
      ip: ctx.ip,
    })));
  }
}
