import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { shanghaiDate, shanghaiInstant } from '@towerdesk/domain';
import { buildApp } from '../server/src/app.ts';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { migrateDatabase, openDatabase } from '../server/src/db/index.ts';
import { seedIfEmpty } from '../server/src/db/seed/index.ts';
import { generateTasks } from '../server/src/modules/plans/service.ts';
import {
  freePort, median, removeDir, round, row, spawnTracked, stopChild, tempDir, waitFor200, type BenchContext, type BenchRow,
} from './lib.ts';

/**
 * Plans and rounds (issue 4 "Benchmarks"), three measurements:
 *
 * (a) rounds.generate — a year of tasks for GEN_PLANS plans of five realistic shapes (electrical
 *     rooms twice a day, plant rooms daily, night patrol every 2 h 20:00–04:00, roof weekly, fire
 *     equipment monthly) and all four holiday rules, generated as the sweep does it
 *     (`generateTasks(db, now, 365)`: claims 100 plans per transaction, RRULE expansion in
 *     Shanghai time on the working calendar, INSERT … SELECT FROM unnest). Baseline: the same task
 *     rows, read back beforehand, inserted raw with the same unnest statement into a scratch copy
 *     of the table (`create table … (like tasks including all)`: same indexes, no foreign keys).
 *     ratio = ours / raw (tasks/s): the share of bare-PostgreSQL speed we keep.
 *
 * (b) rounds.route_report — the month's route report (GET /api/records/routes/monthly through
 *     app.inject as the supervisor: both aggregate queries of records.ts `routeReport`, names,
 *     serialisation) over REC_PLANS plans × REC_DAYS of history generated in SQL: done (96 %) and
 *     missed tasks, REC_CPS checkpoints each (97 % visited), REC_ITEMS typed answers per visited
 *     checkpoint — ≈ 5M rows in task_answers at the defaults. Median and p95 of REC_RUNS runs.
 *     Baseline: the bare `select count(*) from task_answers where plan_id = any(…) and at in the
 *     month` on the same rows. Here ratio = baseline / value (≤ 1; higher is better: how close the
 *     full report comes to merely counting the month's answers).
 *
 * (c) rounds.sync — one phone syncing a round done offline: the real server as a child (as
 *     create-repair.ts), the demo tower, a plan of SYNC_CPS checkpoints × 10 items (number, yes/no,
 *     single and multiple choice, text, a required photo, a meter reading), signed in as the
 *     electrician `tech`. The queue is replayed exactly as web/src/mobile/offline/sync.ts sends it:
 *     one request per queued action, in order, one at a time, each with its own Idempotency-Key
 *     and the time it happened on the phone — start; per checkpoint the scan (QR token), the photo
 *     upload (multipart, a real JPEG made with sharp) and the checkpoint's answers in one PUT (the
 *     phone queues one `answers` action per "save" of a checkpoint); finish. Afterwards exactly
 *     SYNC_CPS × 10 answer rows, SYNC_CPS attached photos and one finding must exist; then the whole
 *     queue is sent again with the same keys (a reload mid-sync, worst case) and nothing may change.
 *     Baseline: as many sequential authenticated GET /api/auth/me on the same keep-alive
 *     connection: bare HTTP + session cost. ratio = value / baseline.
 */
export const name = 'rounds';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const GEN_PLANS = env('BENCH_ROUNDS_GEN_PLANS', 500);
const GEN_DAYS = env('BENCH_ROUNDS_GEN_DAYS', 365);
const REC_PLANS = env('BENCH_ROUNDS_REC_PLANS', 500);
const REC_DAYS = env('BENCH_ROUNDS_REC_DAYS', 365);
const REC_CPS = env('BENCH_ROUNDS_REC_CPS', 4);
const REC_ITEMS = env('BENCH_ROUNDS_REC_ITEMS', 5);
const REC_RUNS = env('BENCH_ROUNDS_REC_RUNS', 20);
const SYNC_CPS = env('BENCH_ROUNDS_SYNC_CPS', 50);
const PHOTO_PX = env('BENCH_ROUNDS_PHOTO_PX', 1024);
const TARGET_REPORT_MS = 300;
const TARGET_SYNC_S = 10;
const DAY = 86_400_000;

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};

/** The five plan shapes of (a) and (b): hours of the day (Shanghai), ISO weekday / month day filters. */
const SHAPES = [
  { kind: 'inspection', name: '配电房巡检', rrule: 'FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0', hours: [8, 16], dow: 0, dom: 0, dur: 60, grace: 30, trade: 'electrical' },
  { kind: 'inspection', name: '水泵房巡检', rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0', hours: [10], dow: 0, dom: 0, dur: 60, grace: 60, trade: 'plumbing' },
  { kind: 'patrol', name: '夜间巡逻', rrule: 'FREQ=DAILY;BYHOUR=20,22,0,2,4;BYMINUTE=0', hours: [20, 22, 0, 2, 4], dow: 0, dom: 0, dur: 100, grace: 20, trade: 'security' },
  { kind: 'inspection', name: '屋面及外立面巡检', rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0', hours: [9], dow: 1, dom: 0, dur: 90, grace: 120, trade: 'general' },
  { kind: 'inspection', name: '消防设施月检', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=30', hours: [9], dow: 0, dom: 1, dur: 240, grace: 240, trade: 'fire' },
] as const;
/** Other work on this machine skews every number here: logged with each measurement. */
const loadavg = () => os.loadavg().map((x) => round(x)).join(' ');
const HOLIDAY_RULES = ['run', 'skip', 'previous_working_day', 'next_working_day'] as const;

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = tempDir('rounds');
  const pgServer = await startEmbeddedPostgres(path.join(dir, 'pg'), await freePort());
  const database = openDatabase(pgServer.url);
  const { db, pool } = database;
  try {
    await migrateDatabase(database);
    await seedIfEmpty(db, { demo: true });
    const siteId = (await pool.query<{ id: string }>(`select id from sites where code = 'JW'`)).rows[0]!.id;
    const placeIds = (await pool.query<{ id: string }>(`select id from places where site_id = $1 and active order by id`, [siteId])).rows.map((r) => r.id);
    rows.push(...await generateBench(ctx, pool, db, siteId, placeIds));
    rows.push(...await reportBench(ctx, pool, db, siteId, placeIds, dir));
  } finally {
    await database.close();
    await pgServer.stop();
    await removeDir(dir);
  }
  rows.push(...await syncBench(ctx));
  return rows;
}

/** A small valid template: `cps` checkpoints at the given places, items i1…iN of five kinds. */
function recordTemplate(places: string[], items: number) {
  const kinds = ['number', 'yes_no', 'single_choice', 'meter', 'text'] as const;
  return {
    checkpoints: places.map((placeId, c) => ({
      placeId, order: c + 1,
      items: Array.from({ length: items }, (_, i) => {
        const kind = kinds[i % kinds.length]!;
        const base = { id: `i${i + 1}`, label: `检查项${i + 1}`, kind };
        if (kind === 'number') return { ...base, unit: 'MPa', min: 0.2, max: 0.8 };
        if (kind === 'meter') return { ...base, unit: 'kWh', min: 0 };
        if (kind === 'yes_no') return { ...base, expected: true };
        if (kind === 'single_choice') return { ...base, options: ['正常', '异常'], failing: ['异常'] };
        return base;
      }),
    })),
  };
}

/** Inserts `n` plans of the five shapes (holiday rules rotating) with version 1 of a template; returns their ids in order. */
async function insertPlans(pool: pg.Pool, siteId: string, placeIds: string[], n: number, tag: string, startsOn: string, tasksUntil: Date | null, cps: number, items: number) {
  const specs = Array.from({ length: n }, (_, g) => {
    const s = SHAPES[g % SHAPES.length]!;
    return {
      kind: s.kind, name: `${s.name} ${tag}${g + 1}`, rrule: s.rrule, holiday: HOLIDAY_RULES[Math.floor(g / SHAPES.length) % HOLIDAY_RULES.length],
      dur: s.dur, grace: s.grace, trade: s.trade,
    };
  });
  const byName = new Map((await pool.query<{ id: string; name: string }>(`
    insert into plans (site_id, kind, name, rrule, starts_on, holiday_rule, duration_minutes, grace_minutes, assignee, current_version, active, tasks_until)
    select $1, x.kind, x.name, x.rrule, $2::date, x.holiday, x.dur, x.grace, jsonb_build_object('type', 'trade', 'trade', x.trade), 1, true, $3::timestamptz
    from jsonb_to_recordset($4::jsonb) as x(kind text, name text, rrule text, holiday text, dur int, grace int, trade text)
    returning id, name`, [siteId, startsOn, tasksUntil, JSON.stringify(specs)])).rows.map((r) => [r.name, r.id]));
  const ids = specs.map((s) => byName.get(s.name)!);
  const placesOf = (g: number) => Array.from({ length: cps }, (_, c) => placeIds[(g * 7 + c * 13) % placeIds.length]!);
  await pool.query(`insert into plan_versions (site_id, plan_id, version, template)
    select $1, x.plan_id, 1, x.template from jsonb_to_recordset($2::jsonb) as x(plan_id uuid, template jsonb)`,
  [siteId, JSON.stringify(ids.map((id, g) => ({ plan_id: id, template: recordTemplate(placesOf(g), items) })))]);
  return { ids, placesOf };
}

// =============================================================================================
// (a) a year of tasks for 500 plans

async function generateBench({ log }: BenchContext, pool: pg.Pool, db: ReturnType<typeof openDatabase>['db'], siteId: string, placeIds: string[]): Promise<BenchRow[]> {
  // Only the generated plans: the demo's own plans would otherwise be extended to a year too.
  await pool.query(`update plans set active = false`);
  const now = new Date();
  const { ids } = await insertPlans(pool, siteId, placeIds, GEN_PLANS, 'G', shanghaiDate(now), null, 3, 3);

  let t0 = performance.now();
  const inserted = await generateTasks(db, now, GEN_DAYS);
  const oursS = (performance.now() - t0) / 1000;
  const genLoad = loadavg();
  const count = Number((await pool.query(`select count(*) from tasks where plan_id = any($1)`, [ids])).rows[0].count);
  if (count !== inserted) throw new Error(`generateTasks said ${inserted} new tasks, the table has ${count}`);
  const again = await generateTasks(db, now, GEN_DAYS);
  if (again !== 0) throw new Error(`a second generation made ${again} more tasks`);
  log(`generate: ${GEN_PLANS} plans × ${GEN_DAYS} days → ${inserted} tasks in ${round(oursS)} s (${round(inserted / oursS, 0)} tasks/s); load average ${loadavg()}`);

  // Baseline: the same rows, computed beforehand, raw into a scratch copy of the table.
  const cols = ['site_id', 'plan_id', 'plan_version', 'occurrence', 'starts_at', 'due_at', 'late_at', 'assignee_staff_id', 'assignee_trade', 'created_at'] as const;
  const types = ['uuid', 'uuid', 'int', 'timestamptz', 'timestamptz', 'timestamptz', 'timestamptz', 'uuid', 'text', 'timestamptz'];
  const data = (await pool.query<Record<string, unknown>>(`select ${cols.join(', ')} from tasks where plan_id = any($1)`, [ids])).rows
    .map((r) => cols.map((c) => (r[c] instanceof Date ? (r[c] as Date).toISOString() : r[c])));
  await pool.query(`create table tasks_raw (like tasks including all)`);
  const client = await pool.connect();
  let rawS: number;
  try {
    t0 = performance.now();
    await client.query('begin');
    for (let i = 0; i < data.length; i += 20_000) {
      const chunk = data.slice(i, i + 20_000);
      await client.query(`insert into tasks_raw (${cols.join(', ')})
        select * from unnest(${types.map((ty, k) => `$${k + 1}::${ty}[]`).join(', ')})
        on conflict (plan_id, occurrence) do nothing`, cols.map((_, k) => chunk.map((r) => r[k])));
    }
    await client.query('commit');
    rawS = (performance.now() - t0) / 1000;
  } finally {
    client.release();
  }
  const rawCount = Number((await pool.query(`select count(*) from tasks_raw`)).rows[0].count);
  if (rawCount !== count) throw new Error(`raw baseline inserted ${rawCount} rows, expected ${count}`);
  await pool.query(`drop table tasks_raw`);
  log(`raw unnest INSERT of the same ${count} rows: ${round(rawS)} s (${round(count / rawS, 0)} rows/s)`);

  return [
    row({
      name: 'rounds.generate', label: `a year (${GEN_DAYS} days) of tasks for ${GEN_PLANS} plans (5 shapes: twice daily, daily, every 2 h 20:00–04:00, weekly, monthly; 4 holiday rules) by generateTasks as the sweep runs it, ${count} tasks in ${round(oursS)} s; baseline: the same rows (computed beforehand) by raw INSERT … SELECT FROM unnest into a scratch (like tasks including all) table, ${round(rawS)} s; ratio = ours / raw; load average ${genLoad}`,
      value: round(count / oursS, 0), unit: 'tasks/s', baseline: round(count / rawS, 0), target: null,
    }),
    row({ name: 'rounds.generate.seconds', label: `the same, wall time for the ${count} tasks`, value: round(oursS), unit: 's', baseline: round(rawS), target: null }),
  ];
}

// =============================================================================================
// (b) the month's route report over ≈ 5M answers

async function reportBench({ log }: BenchContext, pool: pg.Pool, db: ReturnType<typeof openDatabase>['db'], siteId: string, placeIds: string[], dir: string): Promise<BenchRow[]> {
  const now = new Date();
  const today = shanghaiDate(now);
  const day0 = shanghaiDate(new Date(now.getTime() - REC_DAYS * DAY));
  const tech = (await pool.query<{ staff_id: string }>(`select staff_id from accounts where username = 'tech'`)).rows[0]!.staff_id;
  let t0 = performance.now();
  let t = t0;
  const phase = (what: string) => { log(`  ${what}: ${round((performance.now() - t) / 1000, 1)} s`); t = performance.now(); };
  // Horizon far ahead: no sweep or generation ever touches these plans.
  const { ids, placesOf } = await insertPlans(pool, siteId, placeIds, REC_PLANS, 'R', day0, new Date(now.getTime() + 400 * DAY), REC_CPS, REC_ITEMS);
  await pool.query(`create table bench_rec_shapes (plan_id uuid primary key, hours int[], dow int, dom int, dur int, grace int, trade text, places uuid[])`);
  await pool.query(`insert into bench_rec_shapes select * from jsonb_to_recordset($1::jsonb) as x(plan_id uuid, hours int[], dow int, dom int, dur int, grace int, trade text, places uuid[])`,
    [JSON.stringify(ids.map((id, g) => { const s = SHAPES[g % SHAPES.length]!; return { plan_id: id, hours: s.hours, dow: s.dow, dom: s.dom, dur: s.dur, grace: s.grace, trade: s.trade, places: placesOf(g) }; }))]);

  const client = await pool.connect();
  // Bulk load as board.ts does: FK triggers off (rows are generated consistent), secondary
  // indexes of the two big tables dropped and rebuilt with their exact definitions.
  const indexes = (await client.query<{ indexname: string; indexdef: string }>(`
    select i.indexname, i.indexdef from pg_indexes i
    where i.tablename in ('task_checkpoints', 'task_answers') and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`)).rows;
  // Their primary keys too (random uuids: millions of scattered b-tree inserts; nothing references them).
  const pkeys = (await client.query<{ tbl: string; conname: string; def: string }>(`
    select c.conrelid::regclass::text as tbl, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
    where c.contype = 'p' and c.conrelid in ('task_checkpoints'::regclass, 'task_answers'::regclass)
      and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = c.conrelid)`)).rows;
  try {
    await client.query('set synchronous_commit = off');
    await client.query('set session_replication_role = replica');
    // Tasks: the shape's hours on each day of the period (weekly on Mondays, monthly on the 1st), all past; 4 % missed, 8 % finished late.
    await client.query(`
      insert into tasks (site_id, plan_id, plan_version, occurrence, starts_at, due_at, late_at, assignee_trade, state, started_at, started_by, finished_at, finished_by, created_at)
      select $1, s.plan_id, 1, x.ts, x.ts, x.ts + s.dur * interval '1 minute', x.ts + (s.dur + s.grace) * interval '1 minute', s.trade,
        case when x.r < 0.04 then 'missed' else 'done' end,
        case when x.r < 0.04 then null else x.ts + interval '3 minutes' end,
        case when x.r < 0.04 then null else $2::uuid end,
        case when x.r < 0.04 then null else x.ts + (case when x.r < 0.12 then s.dur + s.grace + 15 else s.dur * 0.8 end) * interval '1 minute' end,
        case when x.r < 0.04 then null else $2::uuid end,
        x.ts - interval '7 days'
      from bench_rec_shapes s
      cross join generate_series($3::timestamptz, $4::timestamptz, interval '1 day') d
      cross join unnest(s.hours) h
      cross join lateral (select d + h * interval '1 hour' as ts, random() as r) x
      where (s.dow = 0 or extract(isodow from d at time zone 'Asia/Shanghai') = s.dow)
        and (s.dom = 0 or extract(day from d at time zone 'Asia/Shanghai') = s.dom)
        and x.ts < $5::timestamptz`,
    [siteId, tech, shanghaiInstant(day0), shanghaiInstant(today), new Date(now.getTime() - DAY)]);
    phase('tasks');
    for (const i of indexes) await client.query(`drop index ${i.indexname}`);
    for (const k of pkeys) await client.query(`alter table ${k.tbl} drop constraint ${k.conname}`);
    // Checkpoints: 97 % of a done task's visited, in order, 4 minutes apart; the rest missed.
    await client.query(`
      insert into task_checkpoints (site_id, task_id, plan_id, checkpoint, place_id, state, at, received_at, staff_id, proof, out_of_order, late)
      select t.site_id, t.id, t.plan_id, c, s.places[c], case when v.ok then 'visited' else 'missed' end,
        case when v.ok then t.started_at + c * interval '4 minutes' end, case when v.ok then t.started_at + c * interval '4 minutes' else t.late_at end,
        case when v.ok then t.started_by end, case when v.ok then 'qr' end, false, false
      from tasks t join bench_rec_shapes s on s.plan_id = t.plan_id
      cross join generate_series(1, ${REC_CPS}) c
      cross join lateral (select t.state = 'done' and random() > 0.03 and c > 0 as ok) v`);
    phase('task_checkpoints');
    // Answers: every item of a visited checkpoint, typed as the template says; 1 % findings.
    await client.query(`
      insert into task_answers (site_id, task_id, plan_id, checkpoint, place_id, item_id, kind, num, unit, bool, text, list, finding, at, received_at, staff_id)
      select c.site_id, c.task_id, c.plan_id, c.checkpoint, c.place_id, 'i' || i, k.kind,
        case k.kind when 'number' then round((0.3 + random() * 0.4)::numeric, 2) when 'meter' then extract(epoch from c.at) / 3600 end,
        case k.kind when 'number' then 'MPa' when 'meter' then 'kWh' end,
        case when k.kind = 'yes_no' then true end, case when k.kind = 'text' then '运行正常' end,
        case when k.kind = 'single_choice' then '["正常"]'::jsonb end,
        random() < 0.01, c.at + i * interval '20 seconds', c.at + i * interval '20 seconds', c.staff_id
      from task_checkpoints c join bench_rec_shapes s on s.plan_id = c.plan_id
      cross join generate_series(1, ${REC_ITEMS}) i
      cross join lateral (select (array['number', 'yes_no', 'single_choice', 'meter', 'text'])[1 + (i - 1) % 5] as kind) k
      where c.state = 'visited'`);
    phase('task_answers');
    await client.query(`set maintenance_work_mem = '512MB'`);
    for (const k of pkeys) await client.query(`alter table ${k.tbl} add constraint ${k.conname} ${k.def}`);
    for (const i of indexes) await client.query(i.indexdef);
    phase(`${pkeys.length} primary keys and ${indexes.length} secondary indexes rebuilt`);
  } finally {
    await client.query('reset all').catch(() => {});
    client.release();
  }
  for (const tbl of ['tasks', 'task_checkpoints', 'task_answers']) await pool.query(`vacuum analyze ${tbl}`);
  phase('vacuum analyze');
  const counts = (await pool.query<{ tasks: string; cps: string; answers: string }>(`select (select count(*) from tasks) tasks, (select count(*) from task_checkpoints) cps, (select count(*) from task_answers) answers`)).rows[0]!;
  log(`generated ${REC_PLANS} plans × ${REC_DAYS} days: ${counts.tasks} tasks, ${counts.cps} checkpoint rows, ${counts.answers} answers in ${round((performance.now() - t0) / 1000, 1)} s`);

  // The last whole month (Shanghai).
  const [y, m] = today.split('-').map(Number) as [number, number];
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  const from = shanghaiInstant(`${month}-01`);
  const to = shanghaiInstant(`${today.slice(0, 7)}-01`);
  const sitePlans = (await pool.query<{ id: string }>(`select id from plans where site_id = $1`, [siteId])).rows.map((r) => r.id);
  const monthAnswers = Number((await pool.query(`select count(*) from task_answers where plan_id = any($1) and at >= $2 and at < $3`, [sitePlans, from, to])).rows[0].count);

  const app = await buildApp({ db, logLevel: 'silent', filesDir: path.join(dir, 'files') });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'supervisor', password: 'towerdesk' } });
    const sid = login.cookies.find((c) => c.name === 'td_sid')?.value;
    if (!sid) throw new Error(`supervisor login failed: ${login.statusCode} ${login.body}`);
    const report = async () => {
      const t1 = performance.now();
      const res = await app.inject({ method: 'GET', url: `/api/records/routes/monthly?month=${month}`, cookies: { td_sid: sid } });
      const ms = performance.now() - t1;
      if (res.statusCode !== 200) throw new Error(`route report: ${res.statusCode} ${res.body.slice(0, 500)}`);
      const body = res.json() as { items: Array<{ answers: number; tasks: number }> };
      const answers = body.items.reduce((n, i) => n + i.answers, 0);
      if (answers !== monthAnswers) throw new Error(`route report counts ${answers} answers in ${month}, the table has ${monthAnswers}`);
      return ms;
    };
    const bare = async () => {
      const t1 = performance.now();
      const r = await pool.query(`select count(*) from task_answers where plan_id = any($1) and at >= $2 and at < $3`, [sitePlans, from, to]);
      const ms = performance.now() - t1;
      if (Number(r.rows[0].count) !== monthAnswers) throw new Error('bare count differs');
      return ms;
    };
    for (let i = 0; i < 3; i++) { await report(); await bare(); }
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < REC_RUNS; i++) { ours.push(await report()); base.push(await bare()); }
    const reportLoad = loadavg();
    log(`route report ${month} (${monthAnswers} answers in the month, ${sitePlans.length} plans in the site): p50 ${round(median(ours))} ms, p95 ${round(pct(ours, 0.95))} ms · bare count: p50 ${round(median(base))} ms, p95 ${round(pct(base, 0.95))} ms; load average ${loadavg()}`);

    // The plans of the report's two queries as records.ts sends them, for the report (and the lead).
    const f = from.toISOString();
    const tt = to.toISOString();
    const n = now.toISOString();
    const decided = `(t.state in ('done', 'missed') or t.late_at <= '${n}'::timestamptz)`;
    const plans: Record<string, string> = {
      tasks: `select t.plan_id, count(*)::int as tasks, (count(*) filter (where ${decided}))::int as decided, (count(*) filter (where t.state = 'done'))::int as done,
          (count(*) filter (where t.state = 'done' and t.finished_at <= t.late_at))::int as on_time, (count(*) filter (where t.state = 'missed'))::int as missed,
          coalesce(sum(jsonb_array_length(pv.template -> 'checkpoints')) filter (where ${decided}), 0)::int as planned,
          coalesce(sum((select count(*) from task_checkpoints c where c.task_id = t.id and c.state = 'visited')) filter (where ${decided}), 0)::int as visited
        from tasks t join plan_versions pv on pv.plan_id = t.plan_id and pv.version = t.plan_version
        where t.site_id = '${siteId}' and t.starts_at >= '${f}'::timestamptz and t.starts_at < '${tt}'::timestamptz and t.starts_at <= '${n}'::timestamptz
        group by t.plan_id`,
      answers: `select p.id as plan_id, a.answers, a.findings from plans p cross join lateral (
          select count(*)::int as answers, (count(*) filter (where x.finding))::int as findings from task_answers x
          where x.plan_id = p.id and x.at >= '${f}'::timestamptz and x.at < '${tt}'::timestamptz) a
        where p.site_id = '${siteId}' and a.answers > 0`,
    };
    for (const [what, q] of Object.entries(plans)) {
      const plan = (await pool.query(`explain (analyze, buffers) ${q}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      log(`EXPLAIN ANALYZE ${what}:\n${plan}`);
    }

    if (process.env.BENCH_ROUNDS_DIAG) await diagnose(pool, log, plans, { siteId, f, tt, n, decided });

    const p50 = median(ours);
    const p95 = pct(ours, 0.95);
    const desc = `${counts.answers} answers in task_answers (${REC_PLANS} plans × ${REC_DAYS} days, ${REC_CPS} checkpoints × ${REC_ITEMS} items, ${counts.tasks} tasks), month ${month} (${monthAnswers} answers)`;
    // Here the ratio is baseline ÷ value (≤ 1, higher is better), as issue 4's brief asks; row() computes the other way.
    return [
      { ...row({ name: 'rounds.route_report', label: `GET /api/records/routes/monthly as supervisor via app.inject, ${desc}, median of ${REC_RUNS}; baseline: bare select count(*) of the month's answers of the site's plans; ratio = baseline ÷ value (≤ 1, higher is better); load average ${reportLoad}`, value: round(p50), unit: 'ms', baseline: round(median(base)), target: TARGET_REPORT_MS, samples: ours.map((x) => round(x, 1)) }), ratio: round(median(base) / p50, 3) },
      { ...row({ name: 'rounds.route_report.p95', label: `the same, p95 of ${REC_RUNS}; baseline: the bare count's p95; ratio = baseline ÷ value`, value: round(p95), unit: 'ms', baseline: round(pct(base, 0.95)), target: TARGET_REPORT_MS }), ratio: round(pct(base, 0.95) / p95, 3) },
    ];
  } finally {
    await app.close();
  }
}

/**
 * BENCH_ROUNDS_DIAG=1: candidate fixes for the route report tried on the same rows (the numbers
 * for the lead; they change nothing measured above). Execution times of EXPLAIN ANALYZE.
 */
async function diagnose(pool: pg.Pool, log: (line: string) => void, plans: Record<string, string>, p: { siteId: string; f: string; tt: string; n: string; decided: string }) {
  const exec = async (q: string) => {
    const lines = (await pool.query(`explain (analyze, buffers) ${q}`)).rows.map((r) => r['QUERY PLAN'] as string);
    return `${lines.find((l) => l.startsWith('Execution Time')) ?? '?'} (${lines.filter((l) => /Index Only Scan|Index Scan|Seq Scan|Bitmap Heap/.test(l)).map((l) => l.trim().split('  (')[0]).join('; ')})`;
  };
  let t0 = performance.now();
  await pool.query(`create index bench_diag_answers_cover on task_answers (plan_id, at) include (finding)`);
  await pool.query(`vacuum analyze task_answers`);
  log(`DIAG answers with (plan_id, at) include (finding) [built in ${round((performance.now() - t0) / 1000, 1)} s]: ${await exec(plans.answers!)}`);
  t0 = performance.now();
  await pool.query(`create index bench_diag_cp_visited on task_checkpoints (task_id) where state = 'visited'`);
  await pool.query(`vacuum analyze task_checkpoints`);
  log(`DIAG tasks with partial index (task_id) where state = 'visited' [built in ${round((performance.now() - t0) / 1000, 1)} s]: ${await exec(plans.tasks!)}`);
  // A counter kept on the task (scan would add 1 in its transaction), groups by version before the template is read.
  await pool.query(`alter table tasks add column bench_visited int not null default 0`);
  await pool.query(`update tasks t set bench_visited = v.n from (select task_id, count(*)::int n from task_checkpoints where state = 'visited' group by task_id) v where v.task_id = t.id`);
  await pool.query(`vacuum analyze tasks`);
  const counter = `select x.plan_id, sum(x.tasks)::int tasks, sum(x.decided)::int decided, sum(x.done)::int done, sum(x.on_time)::int on_time, sum(x.missed)::int missed,
      sum(x.decided * jsonb_array_length(pv.template -> 'checkpoints'))::int planned, sum(x.visited)::int visited
    from (select t.plan_id, t.plan_version, count(*) tasks, count(*) filter (where ${p.decided}) decided, count(*) filter (where t.state = 'done') done,
        count(*) filter (where t.state = 'done' and t.finished_at <= t.late_at) on_time, count(*) filter (where t.state = 'missed') missed,
        coalesce(sum(t.bench_visited) filter (where ${p.decided}), 0) visited
      from tasks t where t.site_id = '${p.siteId}' and t.starts_at >= '${p.f}'::timestamptz and t.starts_at < '${p.tt}'::timestamptz and t.starts_at <= '${p.n}'::timestamptz
      group by t.plan_id, t.plan_version) x
    join plan_versions pv on pv.plan_id = x.plan_id and pv.version = x.plan_version group by x.plan_id`;
  log(`DIAG tasks with a visited counter on tasks, grouped by (plan, version) before joining the template: ${await exec(counter)}`);
  for (const q of ['drop index bench_diag_answers_cover', 'drop index bench_diag_cp_visited', 'alter table tasks drop column bench_visited']) await pool.query(q);
}

// =============================================================================================
// (c) one phone syncing a round of 500 answers with photos

interface Req { kind: 'start' | 'scan' | 'upload' | 'answers' | 'finish'; method: string; path: string; key: string; json?: unknown; photo?: Buffer; photoName?: string }

async function syncBench({ repoRoot, log }: BenchContext): Promise<BenchRow[]> {
  const dir = tempDir('rounds-sync');
  const port = await freePort();
  const pgPort = await freePort([port]);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', PG_PORT: String(pgPort), PG_DATA_DIR: path.join(dir, 'pg'),
    FILES_DIR: path.join(dir, 'files'), TOWERDESK_DEMO: '1', LOG_LEVEL: 'warn',
  };
  delete childEnv.DATABASE_URL;
  const base = `http://127.0.0.1:${port}`;
  const server = spawnTracked(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'src', 'main.ts')], { env: childEnv });
  const pool = new pg.Pool({ connectionString: `postgres://postgres:towerdesk-local@127.0.0.1:${pgPort}/towerdesk`, max: 2 });
  pool.on('error', () => {});
  try {
    await waitFor200(`${base}/api/health`, Date.now(), server);
    const login = async (who: string) => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk' }, body: JSON.stringify({ login: who, password: 'towerdesk' }),
      });
      const sid = /td_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      if (res.status !== 200 || !sid) throw new Error(`${who} login failed: ${res.status} ${await res.text()}`);
      return sid;
    };
    const site = (await pool.query<{ id: string }>(`select id from sites where code = 'JW'`)).rows[0]!.id;
    const places = (await pool.query<{ id: string; qr_token: string }>(`select id, qr_token from places where site_id = $1 and active order by id limit $2`, [site, SYNC_CPS])).rows;
    if (places.length < SYNC_CPS) throw new Error(`only ${places.length} places for ${SYNC_CPS} checkpoints`);

    // The plan, as a supervisor makes it: SYNC_CPS checkpoints, 10 items of every kind each.
    const template = {
      checkpoints: places.map((p, c) => ({
        placeId: p.id, order: c + 1, items: [
          { id: 't', label: '环境温度', kind: 'number', unit: '℃', min: 0, max: 40 },
          { id: 'p', label: '出水压力', kind: 'number', unit: 'MPa', min: 0.2, max: 0.8 },
          { id: 'v', label: '母线电压', kind: 'number', unit: 'V', min: 360, max: 420 },
          { id: 'ok', label: '设备运行正常', kind: 'yes_no', expected: true },
          { id: 'door', label: '门窗关闭', kind: 'yes_no', expected: true },
          { id: 'st', label: '指示灯状态', kind: 'single_choice', options: ['正常', '报警', '熄灭'], failing: ['报警', '熄灭'] },
          { id: 'mc', label: '现场情况', kind: 'multi_choice', options: ['无异味', '无渗漏', '无异响', '有积水'], failing: ['有积水'] },
          { id: 'note', label: '备注', kind: 'text' },
          { id: 'ph', label: '现场照片', kind: 'photo', required: true },
          { id: 'bkwh', label: '电表读数', kind: 'meter', unit: 'kWh', min: 0 },
        ],
      })),
    };
    const ITEMS = template.checkpoints[0]!.items.length;
    // One reading out of range on the way round: the finding work item is part of the work.
    const FAILING_CP = Math.ceil(SYNC_CPS / 2);
    const sup = await login('supervisor');
    const created = await fetch(`${base}/api/plans`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk', cookie: `td_sid=${sup}` },
      body: JSON.stringify({ kind: 'inspection', name: `机电设备全面巡检（${SYNC_CPS} 点位）`, rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0', holidayRule: 'run',
        durationMinutes: 600, graceMinutes: 600, assignee: { type: 'trade', trade: 'electrical' }, template }),
    });
    if (created.status !== 201) throw new Error(`create plan: ${created.status} ${(await created.text()).slice(0, 1000)}`);
    const planId = ((await created.json()) as { id: string }).id;
    const taskIds = (await pool.query<{ id: string }>(`select id from tasks where plan_id = $1 order by starts_at limit 2`, [planId])).rows.map((r) => r.id);
    if (taskIds.length < 2) throw new Error(`the plan generated ${taskIds.length} tasks`);
    const sid = await login('tech');

    // Photos as a phone would queue them: a real JPEG each (noise, so no two are the same bytes).
    // Blurred noise: photo-like detail for the encoder (a flat image would flatter it), unique bytes.
    const photos = await Promise.all(Array.from({ length: SYNC_CPS }, async () => {
      const noise = await sharp({
        create: { width: PHOTO_PX, height: Math.round(PHOTO_PX * 0.75), channels: 3, background: '#5a788c', noise: { type: 'gaussian', mean: 128, sigma: 20 } },
      }).png().toBuffer();
      return sharp(noise).blur(1.2).jpeg({ quality: 85 }).toBuffer();
    }));
    const photoKb = round(photos.reduce((n, p) => n + p.length, 0) / photos.length / 1024, 0);

    // The queue of one round done offline: times an hour ago onwards, 10 s apart, as the phone recorded them.
    const queueOf = (taskId: string, cps: number, meterBase: number) => {
      const t0 = Date.now() - 3_600_000;
      let step = 0;
      const at = () => new Date(t0 + 10_000 * step++).toISOString();
      const q: Req[] = [{ kind: 'start', method: 'POST', path: `/api/tasks/${taskId}/start`, key: crypto.randomUUID(), json: { at: at() } }];
      for (let c = 0; c < cps; c++) {
        const order = c + 1;
        q.push({ kind: 'scan', method: 'POST', path: `/api/tasks/${taskId}/scan`, key: crypto.randomUUID(), json: { token: places[c]!.qr_token, at: at() } });
        q.push({ kind: 'upload', method: 'POST', path: '/api/uploads', key: crypto.randomUUID(), photo: photos[c]!, photoName: `IMG_${1000 + c}.jpg` });
        q.push({
          kind: 'answers', method: 'PUT', path: `/api/tasks/${taskId}/answers`, key: crypto.randomUUID(),
          json: {
            checkpoint: order, at: at(), answers: [
              { itemId: 't', value: 24.5 }, { itemId: 'p', value: order === FAILING_CP ? 0.95 : 0.45 }, { itemId: 'v', value: 398 },
              { itemId: 'ok', value: true }, { itemId: 'door', value: true }, { itemId: 'st', value: '正常' },
              { itemId: 'mc', value: ['无异味', '无渗漏'] }, { itemId: 'note', value: '运行正常' }, { itemId: 'ph', value: ['<photo>'] },
              { itemId: 'bkwh', value: meterBase + order * 10 },
            ],
          },
        });
      }
      q.push({ kind: 'finish', method: 'POST', path: `/api/tasks/${taskId}/finish`, key: crypto.randomUUID(), json: { at: at() } });
      return q;
    };

    // One at a time, in order, on one keep-alive connection (undici's pool reuses it), as sync.ts sends.
    const send = async (q: Req[], perKind?: Map<string, number[]>) => {
      let upload = '';
      let replays = 0;
      for (const r of q) {
        const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'zh-CN', 'x-requested-with': 'towerdesk', 'idempotency-key': r.key, cookie: `td_sid=${sid}` };
        let body: BodyInit;
        if (r.photo) {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(r.photo)], { type: 'image/jpeg' }), r.photoName);
          body = form;
        } else {
          headers['content-type'] = 'application/json';
          const json = r.kind === 'answers'
            ? { ...(r.json as { answers: Array<{ itemId: string; value: unknown }> }), answers: (r.json as { answers: Array<{ itemId: string; value: unknown }> }).answers.map((a) => (a.itemId === 'ph' ? { ...a, value: [upload] } : a)) }
            : r.json;
          body = JSON.stringify(json);
        }
        const t1 = performance.now();
        const res = await fetch(`${base}${r.path}`, { method: r.method, headers, body });
        const text = await res.text();
        const ms = performance.now() - t1;
        if (perKind) perKind.set(r.kind, [...(perKind.get(r.kind) ?? []), ms]);
        if (res.status >= 300) throw new Error(`${r.kind} ${r.path}: ${res.status} ${text.slice(0, 800)}`);
        if (res.headers.get('idempotent-replay')) replays++;
        if (r.kind === 'upload') upload = (JSON.parse(text) as Array<{ id: string }>)[0]!.id;
      }
      return replays;
    };
    const bare = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${base}/api/auth/me`, { headers: { accept: 'application/json', cookie: `td_sid=${sid}` } });
        await res.text();
        if (res.status !== 200) throw new Error(`/api/auth/me: ${res.status}`);
      }
    };

    // Warm-up: a few checkpoints of the second task (compiles the routes, fills caches), and bare GETs.
    await send(queueOf(taskIds[1]!, 3, 11_000).filter((r) => r.kind !== 'finish'));
    await bare(50);

    const queue = queueOf(taskIds[0]!, SYNC_CPS, 12_000);
    const perKind = new Map<string, number[]>();
    let t0 = performance.now();
    await send(queue, perKind);
    const syncS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await bare(queue.length);
    const bareS = (performance.now() - t0) / 1000;
    const syncLoad = loadavg();
    log(`sync of ${queue.length} requests (${SYNC_CPS * ITEMS} answers, ${SYNC_CPS} photos of ~${photoKb} KB): ${round(syncS)} s; ${queue.length} bare GET /api/auth/me: ${round(bareS)} s; load average ${loadavg()}`);
    log(`per request, median ms: ${[...perKind].map(([k, xs]) => `${k} ${round(median(xs), 1)} (max ${round(Math.max(...xs), 1)}, n ${xs.length})`).join(' · ')}`);

    const check = async () => {
      const r = (await pool.query<{ answers: string; photos: string; findings: string; state: string; cps: string }>(`select
        (select count(*) from task_answers where task_id = $1) answers,
        (select count(*) from task_checkpoints where task_id = $1 and state = 'visited') cps,
        (select count(*) from attachments where entity_type = 'task' and entity_id = $1::text) photos,
        (select count(*) from work_items where task_id = $1) findings,
        (select state from tasks where id = $1) state`, [taskIds[0]])).rows[0]!;
      return { answers: Number(r.answers), cps: Number(r.cps), photos: Number(r.photos), findings: Number(r.findings), state: r.state };
    };
    const after = await check();
    const expected = { answers: SYNC_CPS * ITEMS, cps: SYNC_CPS, photos: SYNC_CPS, findings: 1, state: 'done' };
    if (JSON.stringify(after) !== JSON.stringify(expected)) throw new Error(`after sync: ${JSON.stringify(after)}, expected ${JSON.stringify(expected)}`);

    // A reload mid-sync at worst re-sends everything with the same keys: same answers, nothing new.
    t0 = performance.now();
    const replays = await send(queue);
    const replayS = (performance.now() - t0) / 1000;
    const again = await check();
    if (JSON.stringify(again) !== JSON.stringify(expected)) throw new Error(`after the replay: ${JSON.stringify(again)}, expected ${JSON.stringify(expected)}`);
    log(`the same queue again with the same keys: ${round(replayS)} s (${replays} uploads answered idempotent-replay; task actions send no such header); still ${again.answers} answers, ${again.photos} photos, ${again.findings} finding`);

    const what = `${SYNC_CPS} checkpoints × ${ITEMS} items = ${SYNC_CPS * ITEMS} answers + ${SYNC_CPS} photos (JPEG ${PHOTO_PX}×${Math.round(PHOTO_PX * 0.75)}, ~${photoKb} KB)`;
    return [
      row({ name: 'rounds.sync', label: `one phone's offline round synced over loopback HTTP to the real server (child process, demo tower), sent as web/src/mobile/offline/sync.ts does: ${queue.length} requests one at a time in order, each with its own Idempotency-Key — start, per checkpoint scan + photo upload + one PUT of its answers, finish — ${what}; checked afterwards: exactly ${SYNC_CPS * ITEMS} answer rows, ${SYNC_CPS} photos, 1 finding; baseline: ${queue.length} sequential GET /api/auth/me on the same connection; load average ${syncLoad}`, value: round(syncS), unit: 's', baseline: round(bareS), target: TARGET_SYNC_S }),
      row({ name: 'rounds.sync.per-request', label: `the same, mean per request (start ${round(median(perKind.get('start')!), 1)}, scan ${round(median(perKind.get('scan')!), 1)}, upload ${round(median(perKind.get('upload')!), 1)}, answers ${round(median(perKind.get('answers')!), 1)}, finish ${round(median(perKind.get('finish')!), 1)} ms median)`, value: round((syncS * 1000) / queue.length, 1), unit: 'ms', baseline: round((bareS * 1000) / queue.length, 1), target: null }),
      row({ name: 'rounds.sync.replay', label: `the whole queue sent again with the same keys (a reload mid-sync, worst case): every request 2xx, ${replays} uploads answered as replays, afterwards still exactly the same answers, photos and finding`, value: round(replayS), unit: 's', baseline: round(bareS), target: null }),
    ];
  } finally {
    await pool.end().catch(() => {});
    await stopChild(server);
    await removeDir(dir);
  }
}
