import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { ALL_CATEGORIES, policiesFor, type Urgency } from '@towerdesk/domain';
import {
  freePort,
  removeDir,
  round,
  row,
  spawnTracked,
  stopChild,
  tempDir,
  waitFor200,
  type BenchContext,
  type BenchRow,
} from './lib.ts';

/**
 * Filing a repair over HTTP (issue 3 "Benchmarks" (a)): the real server as a child
 * (`node --import tsx server/src/main.ts`) on a fresh embedded PostgreSQL with the demo tower,
 * signed in as the demo `agent`; autocannon with CONNECTIONS connections POSTs /api/work-items
 * for ~DURATION_S seconds, every request with its own Idempotency-Key, a category and a place
 * drawn from the seed. Afterwards the 2xx count must equal the new rows in work_items.
 *
 * Baseline, same run, same PostgreSQL: the raw INSERT rate of the same rows through node-postgres
 * — per item one transaction of single-row INSERTs (the work_items row, its 'created' event, its
 * clock rows and their 'started' events, as the service writes them) from CONNECTIONS concurrent
 * callers on a pool of 10 (the server's pool size) for the same duration. A second, bare number:
 * the work_items row alone, autocommit.
 */
export const name = 'create-repair';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_CREATE_S ?? 15);
const WARMUP_REQUESTS = 400;
const SINGLE_REQUESTS = 100;
const POOL = 10;
const TARGET_P99_MS = 50;
const TARGET_RATIO = 0.3;

// autocannon ships no types; the part of its API used here.
interface AcRequest { method?: string; path?: string; headers?: Record<string, string>; body?: string }
interface AcResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AcResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const REPAIR_LEAVES = ALL_CATEGORIES.filter((c) => c.kind === 'repair' && !c.children);
const DESCRIPTIONS = ['天花板漏水，地面已有积水', '灯管闪烁不亮', '插座没电', '空调不制冷', '卫生间下水堵塞', '门禁刷卡无反应', '会议室窗户关不上', '茶水间龙头滴水'];
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

export async function run({ repoRoot, log }: BenchContext): Promise<BenchRow[]> {
  const dir = tempDir('create');
  const port = await freePort();
  const pgPort = await freePort([port]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PG_PORT: String(pgPort),
    PG_DATA_DIR: path.join(dir, 'pg'),
    FILES_DIR: path.join(dir, 'files'),
    TOWERDESK_DEMO: '1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const base = `http://127.0.0.1:${port}`;
  const server = spawnTracked(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'src', 'main.ts')], { env });
  const pool = new pg.Pool({ connectionString: `postgres://postgres:towerdesk-local@127.0.0.1:${pgPort}/towerdesk`, max: POOL });
  pool.on('error', () => {});
  try {
    await waitFor200(`${base}/api/health`, Date.now(), server);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk' },
      body: JSON.stringify({ login: 'agent', password: 'towerdesk' }),
    });
    const sid = /td_sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    if (login.status !== 200 || !sid) throw new Error(`agent login failed: ${login.status} ${await login.text()}`);

    const site = (await pool.query<{ id: string }>(`select id from sites where code = 'JW'`)).rows[0]!.id;
    const placeIds = (await pool.query<{ id: string }>(`select id from places where site_id = $1 and active`, [site])).rows.map((r) => r.id);
    const agentId = (await pool.query<{ id: string }>(`select id from accounts where username = 'agent'`)).rows[0]!.id;
    log(`server up on :${port}, ${placeIds.length} places, ${REPAIR_LEAVES.length} repair categories`);

    const body = () => JSON.stringify({ kind: 'repair', category: pick(REPAIR_LEAVES).code, placeId: pick(placeIds), description: pick(DESCRIPTIONS) });
    let replays = 0;
    const cannon = (opts: Record<string, unknown>) => autocannon({
      url: base,
      connections: CONNECTIONS,
      timeout: 30,
      requests: [{
        method: 'POST',
        path: '/api/work-items',
        setupRequest: (req: AcRequest) => ({
          ...req,
          headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk', cookie: `td_sid=${sid}`, 'idempotency-key': crypto.randomUUID() },
          body: body(),
        }),
        onResponse: (_status: number, _body: string, _ctx: unknown, headers: Record<string, string>) => { if (headers['idempotent-replay']) replays++; },
      }],
      ...opts,
    });
    const countItems = async () => Number((await pool.query(`select count(*) from work_items`)).rows[0].count);

    // Warm-up (JIT, pools, caches), and the rate that sizes the measured run.
    await cannon({ amount: CONNECTIONS * 2 }); // the first requests compile and fill caches
    const warm = await cannon({ amount: WARMUP_REQUESTS });
    if (warm.non2xx || warm.errors || !warm['2xx']) throw new Error(`warm-up: ${warm['2xx']} 2xx, ${warm.non2xx} non-2xx (${JSON.stringify(warm.statusCodeStats)}), ${warm.errors} errors\n${server.output().slice(-3000)}`);
    const warmRate = warm['2xx'] / warm.duration; // seconds, for a run sized by amount
    log(`warm-up: ${round(warmRate, 0)} req/s, p99 ${warm.latency.p99} ms`);

    // The measured run is sized by request count, so autocannon waits for every answer and the
    // 2xx count can be checked against the table exactly.
    const amount = Math.max(CONNECTIONS * 4, Math.round(warmRate * DURATION_S));
    const before = await countItems();
    replays = 0;
    const t0 = performance.now();
    const res = await cannon({ amount });
    const seconds = (performance.now() - t0) / 1000;
    const after = await countItems();
    const ok2xx = res['2xx'];
    const reqPerS = ok2xx / seconds;
    log(`HTTP: ${amount} requests in ${round(seconds)} s: ${ok2xx} 2xx, ${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts, ${replays} replays; ${round(reqPerS, 0)} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms`);
    if (after - before !== ok2xx - replays) throw new Error(`2xx count ${ok2xx} (${replays} replays) but ${after - before} new work items`);
    if (res.non2xx || res.errors) throw new Error(`${res.non2xx} non-2xx answers and ${res.errors} errors: ${JSON.stringify(res.statusCodeStats)}\n${server.output().slice(-3000)}`);

    // Without queueing: one connection, so the latency is the request's own cost.
    const single = await cannon({ connections: 1, amount: SINGLE_REQUESTS });
    if (single.non2xx || single.errors) throw new Error(`single connection: ${single.non2xx} non-2xx, ${single.errors} errors`);
    log(`one connection: ${round(single['2xx'] / single.duration, 0)} req/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms`);

    // Baseline: the same rows straight into the same PostgreSQL for the same duration.
    const full = await rawInserts(pool, site, agentId, placeIds, seconds, true);
    log(`raw, per item work_items + event + clocks + clock events in one transaction: ${round(full.perS, 0)} items/s (${full.n} items)`);
    const bare = await rawInserts(pool, site, agentId, placeIds, seconds, false);
    log(`raw, the work_items row alone, autocommit: ${round(bare.perS, 0)} rows/s (${bare.n} rows)`);

    const baseline = round(full.perS, 0);
    const value = round(reqPerS, 0);
    const label = `${CONNECTIONS} connections, ${amount} requests (~${DURATION_S} s), agent session, new Idempotency-Key each, random repair category × place`;
    return [
      row({ name: 'create-repair.req-per-s', label: `POST /api/work-items 2xx per second over HTTP (real server child, embedded PostgreSQL), ${label}; baseline: raw single-row INSERTs of the same rows per item (work_items + created event + clocks + clock events, one transaction per item) from ${CONNECTIONS} callers on a pool of ${POOL}, same duration; target ratio ≥ ${TARGET_RATIO} (see cost-vs-raw)`, value, unit: 'req/s', baseline, target: null, samples: [round(warmRate, 0), value] }),
      row({ name: 'create-repair.cost-vs-raw', label: `raw items/s ÷ HTTP req/s: how many times slower than the bare INSERTs; ≤ ${round(1 / TARGET_RATIO)} is the issue's ratio ≥ ${TARGET_RATIO}`, value: round(full.perS / reqPerS), unit: '×', baseline: null, target: round(1 / TARGET_RATIO), samples: [] }),
      row({ name: 'create-repair.p50', label: `latency p50 of the same run (${CONNECTIONS} connections)`, value: res.latency.p50, unit: 'ms', baseline: null, target: null }),
      row({ name: 'create-repair.p99', label: `latency p99 of the same run (${CONNECTIONS} connections)`, value: res.latency.p99, unit: 'ms', baseline: null, target: TARGET_P99_MS }),
      row({ name: 'create-repair.p50.one-connection', label: `latency p50 with a single connection (${SINGLE_REQUESTS} requests, no queueing): the cost of one create`, value: single.latency.p50, unit: 'ms', baseline: null, target: null }),
      row({ name: 'create-repair.baseline.raw-item', label: `raw: one transaction of single-row INSERTs per item (work_items, created event, its clocks, their started events), ${CONNECTIONS} callers, pool ${POOL}, ${round(seconds)} s`, value: baseline, unit: 'items/s', baseline: null, target: null }),
      row({ name: 'create-repair.baseline.raw-row', label: `raw: the work_items row alone, autocommit single-row INSERT, ${CONNECTIONS} callers, pool ${POOL}, ${round(seconds)} s`, value: round(bare.perS, 0), unit: 'rows/s', baseline: null, target: null }),
    ];
  } finally {
    await pool.end().catch(() => {});
    await stopChild(server);
    await removeDir(dir);
  }
}

/**
 * `callers` loops inserting for `seconds`: with `full`, each item as the service writes its rows
 * (work_items row, 'created' event, clock rows from the domain's policies and a 'started' event
 * each) in one transaction; without, the work_items row alone, autocommit.
 */
async function rawInserts(pool: pg.Pool, siteId: string, accountId: string, placeIds: string[], seconds: number, full: boolean) {
  const tag = crypto.randomBytes(3).toString('hex');
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const caller = async (c: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const cat = pick(REPAIR_LEAVES);
      const urgency = cat.defaultUrgency as Urgency;
      const now = new Date();
      const id = crypto.randomUUID();
      const item = [id, siteId, `BX-RAW${tag}-${c}-${i}`, cat.code, urgency, cat.zh, pick(DESCRIPTIONS), pick(placeIds), accountId, now];
      const insertItem = `insert into work_items (id, site_id, number, kind, category, urgency, state, title, description, place_id, channel, created_by, created_at, updated_at)
        values ($1, $2, $3, 'repair', $4, $5, 'new', $6, $7, $8, 'phone', $9, $10, $10)`;
      if (!full) {
        await pool.query(insertItem, item);
      } else {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query(insertItem, item);
          await client.query(`insert into work_item_events (site_id, item_id, at, actor_id, actor_name, type, to_state, public, data) values ($1, $2, $3, $4, '客服', 'created', 'new', true, $5)`,
            [siteId, id, now, accountId, { channel: 'phone', urgency, scheduledFor: null }]);
          for (const p of policiesFor('repair', urgency, cat.code).filter((x) => x.startOn === 'create' && x.clock !== 'revisit')) {
            const due = new Date(now.getTime() + p.minutes * 60_000);
            const warns = p.warnAt.map((f) => new Date(now.getTime() + f * p.minutes * 60_000));
            await client.query(`insert into work_item_clocks (site_id, item_id, clock, policy, started_at, running_since, consumed, due_at, warn_ats, next_fire_at)
              values ($1, $2, $3, $4, $5, $5, 0, $6, $7, $8)`, [siteId, id, p.clock, p, now, due, warns, warns[0] ?? due]);
            await client.query(`insert into work_item_events (site_id, item_id, at, type, action, body, public, data) values ($1, $2, $3, 'clock', 'started', $4, false, $5)`,
              [siteId, id, now, p.clock, { dueAt: due.toISOString() }]);
          }
          await client.query('commit');
        } catch (e) {
          await client.query('rollback').catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      }
      n++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => caller(c)));
  return { n, perS: n / ((performance.now() - t0) / 1000) };
}
