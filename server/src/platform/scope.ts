import type { SignedInCtx } from './context.ts';
import { invalidField, NotFound } from './errors.ts';

/**
 * The site a write lands in: the actor's own site. A company-wide admin (siteId null) names it.
 * Reads use `siteFilter` so a staff member never sees another site's rows.
 */
export function writeSite(ctx: SignedInCtx, requested?: string | null): string {
  if (ctx.actor.siteId) {
    if (requested && requested !== ctx.actor.siteId) throw NotFound();
    return ctx.actor.siteId;
  }
  if (!requested) throw invalidField('body.siteId', { zh: '请指定项目', en: 'Name the site' }, 'required');
  return requested;
}

/** True when a row of `siteId` is inside the actor's scope. */
export const inSite = (ctx: SignedInCtx, siteId: string) => !ctx.actor.siteId || ctx.actor.siteId === siteId;
