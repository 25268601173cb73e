import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import {
  freePort,
  median,
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
 * Start-up time (issue 2 "Benchmark"): process start to the first 200 on /api/health.
 * - cold: empty data folder (initdb, migrations, demo seed), warm: the same folder again;
 *   the server is run as `node --import tsx server/src/main.ts`, so npm's own start-up is not in
 *   the number; `npm start` itself is measured once cold and once warm.
 * - baseline: the bare embedded PostgreSQL — initdb + start (cold) and start (warm) — in the same run.
 * Median of RUNS each.
 */
export const name = 'start';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_COLD_S = 15;
const TARGET_WARM_S = 5;

export async function run({ repoRoot, log }: BenchContext): Promise<BenchRow[]> {
  // Build the web app now if stale, so `npm start` below does not build inside the measurement.
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-web.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  const buildNote = build.status === 0 ? '' : '; WEB BUILD FAILING: includes a failed build attempt';
  if (buildNote) log('the web build fails; `npm start` numbers include its failed build attempt');

  const pgCold: number[] = [];
  const pgWarm: number[] = [];
  const srvCold: number[] = [];
  const srvWarm: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    // Bare PostgreSQL, as the server starts it.
    const pgDir = tempDir('pg');
    pgCold.push(await timePostgres(path.join(pgDir, 'pg')));
    pgWarm.push(await timePostgres(path.join(pgDir, 'pg')));
    await removeDir(pgDir);

    // The server, same data folder twice.
    const dir = tempDir('server');
    srvCold.push(await timeServer(repoRoot, dir, false));
    srvWarm.push(await timeServer(repoRoot, dir, false));
    await removeDir(dir);
    log(
      `run ${i}/${RUNS}: postgres cold ${s(pgCold[i - 1])} warm ${s(pgWarm[i - 1])} · server cold ${s(srvCold[i - 1])} warm ${s(srvWarm[i - 1])}`,
    );
  }

  const dir = tempDir('npm');
  const npmCold = await timeServer(repoRoot, dir, true);
  const npmWarm = await timeServer(repoRoot, dir, true);
  await removeDir(dir);
  log(`npm start: cold ${s(npmCold)} warm ${s(npmWarm)}`);

  const sec = (ms: number) => round(ms / 1000);
  const baseCold = sec(median(pgCold));
  const baseWarm = sec(median(pgWarm));
  return [
    row({
      name: 'start.cold',
      label: `server cold start (empty data dir: initdb, migrate, demo seed) to first 200 on /api/health, median of ${RUNS}`,
      value: sec(median(srvCold)),
      unit: 's',
      baseline: baseCold,
      target: TARGET_COLD_S,
      samples: srvCold.map(sec),
    }),
    row({
      name: 'start.warm',
      label: `server warm start (same data dir) to first 200 on /api/health, median of ${RUNS}`,
      value: sec(median(srvWarm)),
      unit: 's',
      baseline: baseWarm,
      target: TARGET_WARM_S,
      samples: srvWarm.map(sec),
    }),
    row({
      name: 'start.npm-start.cold',
      label: `\`npm start\` cold (deps and web build already in place), 1 run${buildNote}`,
      value: sec(npmCold),
      unit: 's',
      baseline: baseCold,
      target: TARGET_COLD_S,
      samples: [sec(npmCold)],
    }),
    row({
      name: 'start.npm-start.warm',
      label: `\`npm start\` warm, 1 run${buildNote}`,
      value: sec(npmWarm),
      unit: 's',
      baseline: baseWarm,
      target: TARGET_WARM_S,
      samples: [sec(npmWarm)],
    }),
    row({
      name: 'start.baseline.postgres-cold',
      label: `bare embedded PostgreSQL initdb + start + create database, median of ${RUNS}`,
      value: baseCold,
      unit: 's',
      baseline: null,
      target: null,
      samples: pgCold.map(sec),
    }),
    row({
      name: 'start.baseline.postgres-warm',
      label: `bare embedded PostgreSQL start on an existing data dir, median of ${RUNS}`,
      value: baseWarm,
      unit: 's',
      baseline: null,
      target: null,
      samples: pgWarm.map(sec),
    }),
  ];
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timePostgres(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = Date.now();
  const pg = await startEmbeddedPostgres(dataDir, port);
  const ms = Date.now() - t0;
  await pg.stop();
  return ms;
}

/** Starts the server (directly, or through `npm start`), times the first 200, stops it cleanly. */
async function timeServer(repoRoot: string, dir: string, viaNpm: boolean): Promise<number> {
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
  const t0 = Date.now();
  const child = viaNpm
    ? spawnTracked('npm', ['start', '--silent'], { env, group: true })
    : spawnTracked(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'src', 'main.ts')], { env });
  try {
    return await waitFor200(`http://127.0.0.1:${port}/api/health`, t0, child);
  } finally {
    await stopChild(child, viaNpm);
    if (child.exitCode !== 0 && child.exitCode !== null && !viaNpm) {
      throw new Error(`the server exited ${child.exitCode} when stopped:\n${child.output()}`);
    }
  }
}
