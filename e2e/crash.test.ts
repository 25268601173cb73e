import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CATEGORIES, policiesFor, type Urgency, type WorkItemKind } from '@towerdesk/domain';

/**
 * Crash safety (issue 3): the real server as a child process (`node --import tsx
 * server/src/main.ts`) on its own embedded PostgreSQL in a temp folder; several clients file
 * repairs over HTTP with unique Idempotency-Keys; the server is killed with SIGKILL at a random
 * moment. Its PostgreSQL is left running, as after a real crash, and the next start on the same
 * folder must find it through postmaster.pid and stop it. After the restart every request that
 * got no answer is retried with the same key, a few answered ones are sent again (they must
 * replay the same item), and the database must hold every key's item exactly once, with its
 * clocks, its 'created' timeline event and a unique number. A correctness test: nothing is timed.
 */

const repoRoot = path.resolve(import.meta.dirname, '..');
const ROUNDS = Math.max(5, Number(process.env.CRASH_ROUNDS ?? 5));
/** Concurrent clients, each with its own session (two occupant and two agent sessions). */
const CLIENTS = ['occupant', 'agent', 'occupant', 'agent'];
const PASSWORD = 'towerdesk';
const MARK = 'crash-test';

interface Sent {
  key: string;
  client: number;
  round: number;
  body: { kind: 'repair'; category: string; placeId: string; description: string };
  /** The 201 the client received (acknowledged), if any. */
  acked?: { id: string; number: string };
}

let dir = '';
let dataDir = '';
let port = 0;
let pgPort = 0;
let server: ChildProcess | null = null;
let output = '';
const sent = new Map<string, Sent>();
const cookies: string[] = [];
let placeIds: string[] = [];
const REPAIR_LEAVES = ALL_CATEGORIES.filter((c) => c.kind === 'repair' && !c.children).map((c) => c.code);

describe('RP-1 RP-3 crash safety: kill -9 the server while repairs are filed, restart, retry with the same Idempotency-Keys', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-crash-'));
    fs.chmodSync(dir, 0o755); // PostgreSQL runs as user postgres and must reach its folder
    dataDir = path.join(dir, 'pg');
    port = await freePort();
    pgPort = await freePort([port]);
    await startServer();
    for (const login of CLIENTS) {
      const res = await fetch(`${base()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk' },
        body: JSON.stringify({ login, password: PASSWORD }),
      });
      const sid = /td_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      expect(res.status, `login ${login}`).toBe(200);
      cookies.push(`td_sid=${sid}`);
    }
    placeIds = await withDb(async (c) => (await c.query<{ id: string }>(`select id from places where active and site_id = (select id from sites where code = 'JW')`)).rows.map((r) => r.id));
    expect(placeIds.length).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    await stopServer();
    if (!dir) return;
    await stopLeftoverPostgres();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  for (let round = 1; round <= ROUNDS; round++) {
    it(`RP-1 RP-3 round ${round}/${ROUNDS}: kill -9 mid-load, restart on the same data, retry → each acknowledged repair exists once, replays give the same item, clocks and timeline intact`, async () => {
      // 1. Load: every client files repairs in a loop until the server disappears. The kill comes
      // once a random number of this round's requests were acknowledged, while the clients (which
      // send again as soon as answered) still have requests out: a varied moment, always mid-load.
      let serverGone = false;
      const unexpected: string[] = [];
      const killAfter = 4 + Math.floor(Math.random() * 40);
      let acked = 0;
      let inFlight = 0;
      let wake = () => {};
      const loadStart = Date.now();
      const loops = CLIENTS.map(async (_, client) => {
        while (!serverGone) {
          const s = newRequest(client, round);
          inFlight++;
          try {
            const res = await post(s);
            if (res.status === 201) {
              const item = (await res.json()) as { id: string; number: string };
              s.acked = { id: item.id, number: item.number };
              acked++;
            } else {
              unexpected.push(`${res.status} ${(await res.text()).slice(0, 300)}`);
            }
          } catch {
            return; // connection refused or cut: the server is gone; this request stays unacknowledged
          } finally {
            inFlight--;
            wake();
          }
        }
      });
      const allStopped = Promise.all(loops);
      // Wakes on every answer; also stops waiting if the load went wrong (the assertions below say how).
      await Promise.race([
        new Promise<void>((resolve) => { wake = () => { if (acked >= killAfter || unexpected.length) resolve(); }; }),
        allStopped,
      ]);
      // Then up to one request's time more (as measured so far), so the requests out are caught at
      // different stages: not yet read, mid-transaction, committed but not yet answered.
      await sleep(Math.random() * ((Date.now() - loadStart) * CLIENTS.length) / Math.max(1, acked));
      const outstanding = inFlight;

      // 2. Crash: SIGKILL the node process only; its PostgreSQL stays behind, as after a real crash.
      const oldPostmaster = postmasterPid();
      await killServer();
      serverGone = true;
      await allStopped;
      expect(unexpected, 'answers other than 201 before the crash').toEqual([]);
      expect(outstanding, 'requests in flight when the server was killed').toBeGreaterThan(0);
      expect(oldPostmaster, 'postmaster.pid while the server ran').not.toBeNull();
      expect(isAlive(oldPostmaster!), 'the killed server’s PostgreSQL outlives it, as after a real crash').toBe(true);

      // 3. Restart on the same folder: the leftover postmaster is found and stopped first.
      const before = output.length;
      await startServer();
      const restartLog = output.slice(before);
      expect(restartLog, 'the restart reports the PostgreSQL left by the killed server').toMatch(/earlier run/);
      expect(isAlive(oldPostmaster!), 'the old postmaster is gone after the restart').toBe(false);
      expect(postmasterPid()).not.toBe(oldPostmaster);

      // 4. Retry every unacknowledged request of this round with its key; re-send a few answered ones.
      const mine = [...sent.values()].filter((s) => s.round === round);
      const unacked = mine.filter((s) => !s.acked);
      const answered = mine.filter((s) => s.acked);
      expect(mine.length, 'requests sent this round').toBeGreaterThan(0);
      expect(answered.length, 'acknowledged before the kill').toBeGreaterThanOrEqual(killAfter);
      expect(unacked.length, 'requests the kill left unanswered').toBeGreaterThan(0);
      let committedBeforeCrash = 0;
      for (const s of unacked) {
        const res = await postRetrying(s);
        expect(res.status, `retry of ${s.key}`).toBe(201);
        const item = (await res.json()) as { id: string; number: string };
        if (res.headers.get('idempotent-replay') === 'true') committedBeforeCrash++;
        s.acked = { id: item.id, number: item.number };
      }
      const earlier = [...sent.values()].filter((s) => s.round < round && s.acked);
      const again = [...sample(answered, 3), ...sample(earlier, 2)];
      for (const s of again) {
        const res = await postRetrying(s);
        expect(res.status, `re-send of ${s.key}`).toBe(201);
        expect(res.headers.get('idempotent-replay'), `re-send of ${s.key} is a replay`).toBe('true');
        expect(((await res.json()) as { id: string }).id, `re-send of ${s.key} answers the same item`).toBe(s.acked!.id);
      }
      console.log(`[crash] round ${round}: ${mine.length} requests sent, killed after ${answered.length} acknowledged with ${outstanding} in flight, ${unacked.length} unanswered — on retry ${committedBeforeCrash} had committed (replayed), ${unacked.length - committedBeforeCrash} were created; ${again.length} acknowledged ones re-sent`);
      // Every request of the round now has its item, and the retries answered each with a distinct one.
      expect(mine.filter((s) => !s.acked).map((s) => s.key), 'requests still without an item').toEqual([]);
      expect(new Set(mine.map((s) => s.acked!.id)).size, 'one item per request of the round').toBe(mine.length);

      // 5. The database, for every key sent so far.
      await checkDatabase();
    }, 120_000);
  }

  it('RP-1 RP-3 after every round: all keys ever sent map to exactly one item each, and the server stops cleanly', async () => {
    expect(sent.size).toBeGreaterThan(0);
    expect([...sent.values()].every((s) => s.acked)).toBe(true);
    await checkDatabase();
    const code = await stopServer();
    expect(code, `clean stop; output:\n${output.slice(-2000)}`).toBe(0);
  }, 60_000);
});

// ---- requests ----------------------------------------------------------------------------------

function newRequest(client: number, round: number): Sent {
  const key = crypto.randomUUID();
  // Half urgent leaks (arrival + resolution clocks), the rest any repair category.
  const category = Math.random() < 0.5 ? 'plumbing.leak' : REPAIR_LEAVES[Math.floor(Math.random() * REPAIR_LEAVES.length)]!;
  const s: Sent = { key, client, round, body: { kind: 'repair', category, placeId: placeIds[Math.floor(Math.random() * placeIds.length)]!, description: `${MARK} ${key}` } };
  sent.set(key, s);
  return s;
}

function post(s: Sent) {
  return fetch(`${base()}/api/work-items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk', cookie: cookies[s.client]!, 'idempotency-key': s.key },
    body: JSON.stringify(s.body),
    signal: AbortSignal.timeout(30_000),
  });
}

/** After a restart a pooled keep-alive socket may still point at the dead process: try again. */
async function postRetrying(s: Sent) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(s);
    } catch (e) {
      if (attempt >= 5) throw e;
      await sleep(100);
    }
  }
}

function sample<T>(xs: T[], n: number): T[] {
  const copy = [...xs];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(Math.random() * copy.length), 1)[0]!);
  return out;
}

// ---- the database checks -----------------------------------------------------------------------

async function checkDatabase() {
  const keys = [...sent.keys()];
  await withDb(async (c) => {
    // Every key's item exists exactly once (the description carries the key), as acknowledged.
    const items = (await c.query<{ id: string; number: string; description: string; kind: string; urgency: string; category: string }>(
      `select id, number, description, kind, urgency, category from work_items where description like $1`, [`${MARK} %`])).rows;
    const byKey = new Map<string, typeof items>();
    for (const i of items) byKey.set(i.description.slice(MARK.length + 1), [...(byKey.get(i.description.slice(MARK.length + 1)) ?? []), i]);
    const missing = keys.filter((k) => !byKey.has(k));
    const twice = [...byKey].filter(([, rows]) => rows.length > 1).map(([k, rows]) => `${k}: ${rows.map((r) => r.number).join(', ')}`);
    const stray = [...byKey.keys()].filter((k) => !sent.has(k));
    expect(missing, 'keys without an item').toEqual([]);
    expect(twice, 'keys with more than one item').toEqual([]);
    expect(stray, 'items for keys never sent').toEqual([]);
    const wrongId = keys.filter((k) => sent.get(k)!.acked && byKey.get(k)![0]!.id !== sent.get(k)!.acked!.id);
    expect(wrongId, 'acknowledged id differs from the stored item').toEqual([]);

    // The idempotency record of each key points at that item (count of items per key = 1).
    const idem = (await c.query<{ key: string; id: string | null; n: number }>(
      `select key, min(response->>'id') as id, count(*)::int as n from idempotency_keys where key = any($1) group by key`, [keys])).rows;
    expect(idem.length, 'an idempotency record per key').toBe(keys.length);
    expect(idem.filter((r) => r.n !== 1 || r.id !== byKey.get(r.key)![0]!.id).map((r) => r.key), 'idempotency records not pointing at their one item').toEqual([]);
    const perItem = (await c.query(`select response->>'id' as id from idempotency_keys where key = any($1) group by 1 having count(*) > 1`, [keys])).rows;
    expect(perItem, 'items claimed by two keys').toEqual([]);

    // Numbers are unique (per site; the demo has one site, so over the whole table too).
    const dupNumbers = (await c.query(`select number from work_items group by site_id, number having count(*) > 1`)).rows;
    expect(dupNumbers, 'duplicate numbers').toEqual([]);

    // Every item has its 'created' event once, and the clocks its policies start on creation.
    const ids = items.map((i) => i.id);
    const created = new Map((await c.query<{ item_id: string; n: number }>(
      `select item_id, count(*)::int as n from work_item_events where type = 'created' and item_id = any($1) group by item_id`, [ids])).rows.map((r) => [r.item_id, r.n]));
    expect(ids.filter((id) => created.get(id) !== 1), "items without exactly one 'created' event").toEqual([]);
    const clocks = (await c.query<{ item_id: string; clock: string; due_at: Date | null; started_at: Date | null }>(
      `select item_id, clock, due_at, started_at from work_item_clocks where item_id = any($1)`, [ids])).rows;
    const started = new Map((await c.query<{ item_id: string; n: number }>(
      `select item_id, count(*)::int as n from work_item_events where type = 'clock' and action = 'started' and item_id = any($1) group by item_id`, [ids])).rows.map((r) => [r.item_id, r.n]));
    const clocksOf = new Map<string, typeof clocks>();
    for (const k of clocks) clocksOf.set(k.item_id, [...(clocksOf.get(k.item_id) ?? []), k]);
    const broken: string[] = [];
    for (const i of items) {
      const expected = policiesFor(i.kind as WorkItemKind, i.urgency as Urgency, i.category).filter((p) => p.startOn === 'create' && p.clock !== 'revisit').map((p) => p.clock).sort();
      const rows = clocksOf.get(i.id) ?? [];
      const have = rows.map((k) => k.clock).sort();
      if (i.category === 'plumbing.leak' && i.urgency === 'urgent') expect(expected).toEqual(['arrival', 'resolution']);
      // The clocks its policies start on creation (a later event, e.g. an on-call assignment, may add others).
      if (expected.some((k) => !have.includes(k))) broken.push(`${i.number} (${i.category}/${i.urgency}): clocks ${have.join(',') || 'none'}, expected at least ${expected.join(',')}`);
      else if (rows.some((k) => !k.due_at || !k.started_at || k.due_at <= k.started_at)) broken.push(`${i.number}: a clock without a sane due time`);
      else if ((started.get(i.id) ?? 0) < rows.length) broken.push(`${i.number}: ${started.get(i.id) ?? 0} 'started' clock events for ${rows.length} clocks`);
    }
    expect(broken, 'items whose clocks are not intact').toEqual([]);
  });
}

async function withDb<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `postgres://postgres:towerdesk-local@127.0.0.1:${pgPort}/towerdesk` });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

// ---- the server child --------------------------------------------------------------------------

const base = () => `http://127.0.0.1:${port}`;

async function startServer() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PG_PORT: String(pgPort),
    PG_DATA_DIR: dataDir,
    FILES_DIR: path.join(dir, 'files'),
    TOWERDESK_DEMO: '1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.TEST_PG_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  const keep = (b: Buffer) => {
    output += b.toString();
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before /api/health answered:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${base()}/api/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the server did not answer /api/health within 90 s:\n${output.slice(-4000)}`);
}

/** SIGKILL to the node process alone (not its process group): its PostgreSQL child lives on. */
async function killServer() {
  const child = server!;
  if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server had already exited:\n${output.slice(-4000)}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  server = null;
}

/** SIGTERM (the server stops HTTP and its PostgreSQL), SIGKILL after 30 s; the exit code. */
async function stopServer(): Promise<number | string | null> {
  const child = server;
  if (!child) return null;
  server = null;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

function postmasterPid(): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A postmaster left behind (a failed test after a kill): stop it before removing its folder. */
async function stopLeftoverPostgres() {
  const pid = postmasterPid();
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGQUIT');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Running (a zombie waiting for its new parent, init, to reap it counts as gone). */
function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

function freePort(avoid: number[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as net.AddressInfo;
      srv.close(() => (avoid.includes(p) ? freePort(avoid).then(resolve, reject) : resolve(p)));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
