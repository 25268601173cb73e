import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignedInCtx } from '../../platform/context.ts';
import { sites } from './schema.ts';

const SiteView = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable(), address: z.string().nullable() });

/** Sites the actor works at: their own, or all for a company-wide admin. */
export async function listSites(ctx: SignedInCtx) {
  const q = ctx.db.select({ id: sites.id, code: sites.code, name: sites.name, nameEn: sites.nameEn, address: sites.address }).from(sites);
  return ctx.actor.siteId ? q.where(eq(sites.id, ctx.actor.siteId)) : q.orderBy(asc(sites.code));
}

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/sites', {
    config: { access: 'site.read' },
    schema: { tags: ['sites'], summary: '项目列表 Sites', response: { 200: z.array(SiteView) } },
  }, (req) => listSites(req.signedIn));
};
