import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignedInCtx } from '../../platform/context.ts';
import { Id, page, Paging } from '../../platform/schemas.ts';
import { auditLog } from './schema.ts';

const AuditQuery = z.strictObject({
  actorId: Id.optional(),
  action: z.string().max(60).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(80).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...Paging,
});

/** Searching the audit log (SEC-3): admin and the owner's representative; there is no write route. */
export async function searchAudit(ctx: SignedInCtx, q: z.infer<typeof AuditQuery>) {
  const conds: (SQL | undefined)[] = [
    ctx.actor.siteId ? eq(auditLog.siteId, ctx.actor.siteId) : undefined,
    q.actorId ? eq(auditLog.actorId, q.actorId) : undefined,
    // `auth.login` is that action only; `auth.*` is every action of the family.
    q.action ? (q.action.endsWith('*') ? like(auditLog.action, `${q.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : eq(auditLog.action, q.action)) : undefined,
    q.entityType ? eq(auditLog.entityType, q.entityType) : undefined,
    q.entityId ? eq(auditLog.entityId, q.entityId) : undefined,
    q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
    q.to ? lt(auditLog.at, new Date(q.to)) : undefined,
  ];
  const where = and(...conds);
  const [items, total] = await Promise.all([
    ctx.db.select().from(auditLog).where(where).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(q.limit).offset(q.offset),
    ctx.db.$count(auditLog, where),
  ]);
  return { items: items.map((r) => ({ ...r, at: r.at.toISOString() })), total };
}

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'], summary: '审计日志 Search the audit log', querystring: AuditQuery,
      response: {
        200: page(z.object({
          id: z.number(), siteId: z.string().nullable(), at: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(),
          action: z.string(), entityType: z.string(), entityId: z.string().nullable(), before: z.unknown(), after: z.unknown(), ip: z.string().nullable(),
        })),
      },
    },
  }, (req) => searchAudit(req.signedIn, req.query));
};
