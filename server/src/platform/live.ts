import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/index.ts';
import type { Actor } from './context.ts';
import { sessionStillValid } from '../modules/accounts/sessions.ts';
import { AppError } from './errors.ts';

/**
 * Live updates (DESIGN §4): changes are announced with PostgreSQL NOTIFY inside the changing
 * transaction (delivered only if it commits), every process LISTENs, and each pushes to its own
 * server-sent-event clients. The event carries ids only; clients re-read through the API, which
 * applies the row scope — so a ping never shows a record's content to someone outside its scope,
 * and who gets a ping at all is filtered here by the same relations.
 */
export interface LiveItemEvent {
  type: 'work_item';
  siteId: string;
  itemId: string;
  occupantId: string | null;
  companyId: string | null;
  assigneeStaffId: string | null;
}
export interface LiveNoticeEvent { type: 'notification'; accountId: string }
export type LiveEvent = LiveItemEvent | LiveNoticeEvent;

/** The NOTIFY channel; statements that write many rows may NOTIFY on it themselves (one round trip). */
export const LIVE_CHANNEL = 'towerdesk_live';
const CHANNEL = LIVE_CHANNEL;

export async function announce(tx: Queryable, event: LiveEvent) {
  await tx.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(event)})`);
}

/** Several announcements in one round trip (a sweep pass touching many items). */
export async function announceMany(tx: Queryable, events: LiveEvent[]) {
  if (events.length === 0) return;
  if (events.length === 1) return announce(tx, events[0]!);
  await tx.execute(sql`select pg_notify(${CHANNEL}, e) from unnest(${sql.param(events.map((e) => JSON.stringify(e)))}::text[]) as e`);
}

const DESK = new Set(['admin', 'supervisor', 'agent', 'owner_rep']);

export function mayHear(actor: Actor, e: LiveEvent): boolean {
  if (e.type === 'notification') return e.accountId === actor.accountId;
  if (actor.siteId && actor.siteId !== e.siteId) return false;
  if (actor.roles.some((r) => DESK.has(r))) return true;
  if (actor.staffId && actor.staffId === e.assigneeStaffId) return true;
  if (actor.occupantId && actor.occupantId === e.occupantId) return true;
  return actor.companyRole === 'admin' && !!actor.companyId && actor.companyId === e.companyId;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: { subscribe(actor: Actor, reply: FastifyReply, stillValid: () => Promise<boolean>): void; clients(): number };
  }
}

/**
 * `beatMs`: how often an open stream sends a keep-alive comment and re-checks its session (a
 * stream whose session has ended — signed out, expired, account disabled — is closed).
 */
export const livePlatform = fp(async (app: FastifyInstance, opts: { db: Db; now: () => Date; beatMs?: number }) => {
  const beatMs = opts.beatMs ?? 25_000;
  const clients = new Set<{ actor: Actor; reply: FastifyReply }>();
  let listener: pg.PoolClient | null = null;

  const fanOut = (payload: string | undefined) => {
    if (!payload) return;
    let e: LiveEvent;
    try { e = JSON.parse(payload) as LiveEvent; } catch { return; }
    const line = `event: ${e.type}\ndata: ${JSON.stringify(e.type === 'work_item' ? { itemId: e.itemId } : {})}\n\n`;
    for (const c of clients) if (mayHear(c.actor, e)) c.reply.raw.write(line);
  };

  app.addHook('onReady', async () => {
    const pool = (opts.db as unknown as { $client: pg.Pool }).$client;
    listener = await pool.connect();
    listener.on('notification', (m) => fanOut(m.payload));
    await listener.query(`listen ${CHANNEL}`);
  });
  app.addHook('preClose', async () => {
    for (const c of clients) c.reply.raw.end();
    clients.clear();
  });
  app.addHook('onClose', async () => {
    if (!listener) return;
    await listener.query(`unlisten ${CHANNEL}`).catch(() => {});
    listener.release();
    listener = null;
  });

  app.decorate('live', {
    subscribe(actor: Actor, reply: FastifyReply, stillValid: () => Promise<boolean>) {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      reply.raw.write('retry: 5000\n\n');
      const client = { actor, reply };
      clients.add(client);
      // A comment line every 25 s keeps proxies from closing an idle stream; a stream outliving its session is ended.
      const beat = setInterval(() => {
        void stillValid().then((ok) => {
          if (ok) reply.raw.write(': ping\n\n');
          else reply.raw.end('event: signed_out\ndata: {}\n\n');
        }, () => reply.raw.write(': ping\n\n'));
      }, beatMs);
      reply.raw.on('close', () => { clearInterval(beat); clients.delete(client); });
    },
    clients: () => clients.size,
  });

  app.get('/api/live', {
    config: { access: 'signedIn' },
    schema: { tags: ['live'], summary: '实时推送 Server-sent events: `work_item` {itemId} and `notification` pings for what you may see (send Accept: text/event-stream)' },
  }, async (req, reply) => {
    // Only an EventSource (Accept: text/event-stream) gets the endless stream; anything else a 406.
    if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
      throw new AppError(406, 'not_acceptable', { zh: '请以 text/event-stream 订阅', en: 'Subscribe with Accept: text/event-stream' });
    }
    const token = req.sessionToken!;
    app.live.subscribe(req.signedIn.actor, reply, () => sessionStillValid(opts.db, token, opts.now()));
  });
});
