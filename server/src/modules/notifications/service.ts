import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/index.ts';
import type { Channel, Channels, Page } from './channels.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { announceMany, LIVE_CHANNEL, type LiveEvent } from '../../platform/live.ts';
import { NotFound } from '../../platform/errors.ts';
import type { Message } from '../../platform/i18n.ts';
import { accounts } from '../accounts/schema.ts';
import { notifications, outbox } from './schema.ts';

export interface Notice {
  siteId: string | null;
  kind: string;
  title: Message;
  body?: string | null;
  entityType?: string;
  entityId?: string;
  /** Also page outside the app (SMS/WeChat adapters; log-only until configured). */
  page?: boolean;
}

/**
 * Puts a notice in each recipient's inbox (and the outbox when it must page), inside the
 * caller's transaction: notices of a change that rolls back are never seen.
 */
export async function notify(tx: Queryable, at: Date, accountIds: Iterable<string>, n: Notice) {
  await notifyMany(tx, at, [{ accountIds, notice: n }]);
}

/**
 * Several notices in one statement — the inbox rows, a live ping per recipient (NOTIFY, sent on
 * commit) and the pages — so a create or a sweep pass pays one round trip, not one per recipient
 * and notice. A recipient listed twice for the same notice gets it once. `also` are further live
 * announcements (the items concerned) sent in the same statement.
 */
export async function notifyMany(tx: Queryable, at: Date, list: Array<{ accountIds: Iterable<string>; notice: Notice }>, also: LiveEvent[] = []) {
  const rows = list.flatMap(({ accountIds, notice: n }) => [...new Set(accountIds)].map((accountId) => ({
    site_id: n.siteId, account_id: accountId, kind: n.kind, title_zh: n.title.zh, title_en: n.title.en, body: n.body ?? null,
    entity_type: n.entityType ?? null, entity_id: n.entityId ?? null,
    page: n.page ? { kind: n.kind, title: n.title.zh, body: n.body ?? null, entityId: n.entityId ?? null } : null,
  })));
  if (rows.length === 0) return announceMany(tx, also);
  await tx.execute(sql`
    with r as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(site_id uuid, account_id uuid, kind text, title_zh text, title_en text, body text, entity_type text, entity_id uuid, page jsonb)
    ), inbox as (
      insert into ${notifications} (site_id, account_id, at, kind, title_zh, title_en, body, entity_type, entity_id)
      select site_id, account_id, ${at}::timestamptz, kind, title_zh, title_en, body, entity_type, entity_id from r
      returning account_id
    ), paged as (
      -- A page goes by SMS, and by e-mail too when the account has an address.
      insert into ${outbox} (site_id, channel, account_id, created_at, payload)
      select r.site_id, ch.channel, r.account_id, ${at}::timestamptz, r.page
        from r join ${accounts} a on a.id = r.account_id
       cross join lateral unnest(case when a.email is null then array['sms'] else array['sms', 'email'] end) as ch(channel)
       where jsonb_typeof(r.page) = 'object'
    )
    select pg_notify(${LIVE_CHANNEL}, json_build_object('type', 'notification', 'accountId', account_id)::text) from inbox
    union all select pg_notify(${LIVE_CHANNEL}, e) from unnest(${sql.param(also.map((e) => JSON.stringify(e)))}::text[]) as e`);
}

/** Active accounts holding one of `roles` at a site (site-less admins included). */
export async function accountsWithRoles(tx: Queryable, siteId: string, roles: string[]) {
  const rows = await tx.select({ id: accounts.id }).from(accounts).where(and(
    eq(accounts.disabled, false),
    sql`(${accounts.siteId} = ${siteId} or ${accounts.siteId} is null)`,
    sql`${accounts.roles} && ${`{${roles.join(',')}}`}::text[]`,
  ));
  return rows.map((r) => r.id);
}

export async function accountsOfStaff(tx: Queryable, staffIds: Array<string | null | undefined>) {
  const ids = staffIds.filter((s): s is string => !!s);
  if (!ids.length) return [];
  return (await tx.select({ id: accounts.id }).from(accounts).where(and(inArray(accounts.staffId, ids), eq(accounts.disabled, false)))).map((r) => r.id);
}

export async function accountsOfOccupant(tx: Queryable, occupantId: string | null | undefined) {
  if (!occupantId) return [];
  return (await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.occupantId, occupantId), eq(accounts.disabled, false)))).map((r) => r.id);
}

export async function inbox(ctx: SignedInCtx, q: { unread?: boolean; limit: number; offset: number }) {
  const where = and(eq(notifications.accountId, ctx.actor.accountId), q.unread ? isNull(notifications.readAt) : undefined);
  const [rows, total, unread] = await Promise.all([
    ctx.db.select().from(notifications).where(where).orderBy(desc(notifications.at)).limit(q.limit).offset(q.offset),
    ctx.db.$count(notifications, where),
    ctx.db.$count(notifications, and(eq(notifications.accountId, ctx.actor.accountId), isNull(notifications.readAt))),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, at: r.at.toISOString(), kind: r.kind, title: ctx.locale === 'en-US' ? r.titleEn : r.titleZh, body: r.body,
      entityType: r.entityType, entityId: r.entityId, read: r.readAt !== null,
    })),
    total,
    unread,
  };
}

/** Marking one's own notice read is bookkeeping, not a change of record: no audit row. */
export async function markRead(ctx: SignedInCtx, id: string | 'all') {
  const mine = eq(notifications.accountId, ctx.actor.accountId);
  if (id === 'all') {
    await ctx.db.update(notifications).set({ readAt: ctx.now }).where(and(mine, isNull(notifications.readAt)));
    return;
  }
  const [row] = await ctx.db.update(notifications).set({ readAt: ctx.now }).where(and(mine, eq(notifications.id, id))).returning({ id: notifications.id });
  if (!row) throw NotFound();
}

/** Waits before the next try of a failed message: 30 s, 1.5 min, 3.5 min, 7.5 min after it was written. */
const RETRY_BASE_S = 30;
export const MAX_ATTEMPTS = 5;

/**
 * Sends pending outbox messages through their channel's adapter (channels.ts). The batch is
 * claimed and marked in one transaction with FOR UPDATE SKIP LOCKED, so two server processes
 * never send the same message; a process that dies mid-batch rolls back and the messages go out
 * again on the next pass (at least once — an outside gateway cannot be part of our commit).
 */
export async function sendOutbox(db: Db, now: Date, channels: Channels, batch = 100) {
  return db.transaction(async (tx) => {
    const due = await tx.execute<{ id: string; channel: string; attempts: number; payload: Page; name: string | null; phone: string | null; email: string | null }>(sql`
      select o.id, o.channel, o.attempts, o.payload, a.display_name as name, coalesce(a.phone, s.phone, oc.phone) as phone, a.email
        from ${outbox} o
        left join ${accounts} a on a.id = o.account_id
        left join staff s on s.id = a.staff_id
        left join occupants oc on oc.id = a.occupant_id
       where o.sent_at is null and o.attempts < ${MAX_ATTEMPTS}
         and o.created_at + make_interval(secs => ${RETRY_BASE_S} * (power(2, o.attempts) - 1)) <= ${now}::timestamptz
       order by o.created_at
       limit ${batch}
         for update of o skip locked`);
    const results: Array<{ id: string; sent: boolean; error: string | null }> = [];
    for (const m of due.rows) {
      const adapter = channels[m.channel as Channel];
      try {
        if (!adapter) throw new Error(`no adapter for channel ${m.channel}`);
        await adapter.send({ id: m.id, payload: m.payload }, { name: m.name, phone: m.phone, email: m.email });
        results.push({ id: m.id, sent: true, error: null });
      } catch (e) {
        results.push({ id: m.id, sent: false, error: String(e).slice(0, 500) });
      }
    }
    if (results.length) {
      await tx.execute(sql`
        update ${outbox} o set attempts = o.attempts + 1,
               sent_at = case when x.sent then ${now}::timestamptz else null end,
               last_error = x.error
          from jsonb_to_recordset(${JSON.stringify(results)}::jsonb) as x(id uuid, sent boolean, error text)
         where o.id = x.id`);
    }
    return results.length;
  });
}
