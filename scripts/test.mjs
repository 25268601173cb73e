#!/usr/bin/env node
// `npm test` — the whole suite, in turn:
//   1. unit + api tests (api on an embedded PostgreSQL, a fresh database per file)
//   2. api tests again on Debian's PostgreSQL 15 (installed and started here when absent)
//   3. browser tests in headless Chromium against the real server
// `npm run test:fast` (--fast) runs stage 1 only. Ends with one line `N passed, N failed, N skipped`
// summed over all stages (CI reads it) and exits 1 when anything failed or crashed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDeps, repoRoot } from './ensure-deps.mjs';
import { ensureWebBuilt } from './ensure-web.mjs';

const fast = process.argv.includes('--fast');
/** Extra arguments after `--` go to every vitest run, e.g. `npm test -- -t login`. */
const dashdash = process.argv.indexOf('--');
const extraArgs = dashdash >= 0 ? process.argv.slice(dashdash + 1) : [];
/** The whole suite must stay well under 15 minutes; a hung stage is stopped when the budget runs out. */
const BUDGET_MS = Number(process.env.TEST_BUDGET_S ?? 14 * 60) * 1000;

const say = (line) => process.stdout.write(`[test] ${line}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
const timings = [];
let current = null; // the running vitest child
let cleanups = [];

function finish(code) {
  const wall = Date.now() - started;
  process.stdout.write('\n');
  for (const t of timings) say(`${t.name.padEnd(40)} ${secs(t.ms).padStart(8)}  ${t.note}`);
  say(`${'total'.padEnd(40)} ${secs(wall).padStart(8)}`);
  for (const p of problems) say(`FAILED: ${p}`);
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(code);
}

async function runCleanups() {
  const list = cleanups;
  cleanups = [];
  for (const c of list.reverse()) await c().catch((e) => say(`cleanup failed: ${e.message}`));
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: stopping`);
    if (current && current.exitCode === null) {
      current.kill(signal);
      await new Promise((r) => {
        current.once('exit', r);
        setTimeout(r, 20_000).unref();
      });
    }
    await runCleanups();
    problems.push(`interrupted by ${signal}`);
    finish(130);
  });
}

/** Runs vitest with the JSON reporter beside the default one; resolves to this run's counts. */
async function vitest(name, args, env) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-vitest-'));
  const jsonFile = path.join(tmp, 'results.json');
  const remaining = BUDGET_MS - (Date.now() - started);
  const argv = [
    path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    ...args,
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${jsonFile}`,
    ...extraArgs,
  ];
  const childEnv = { ...process.env, ...env, NO_COLOR: '1' };
  delete childEnv.FORCE_COLOR;
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  let timedOut = false;
  const { code, signal } = await new Promise((resolve) => {
    current = spawn(process.execPath, argv, { cwd: repoRoot, stdio: 'inherit', env: childEnv });
    const timer = setTimeout(() => {
      timedOut = true;
      say(`${name}: the suite's time budget ran out; stopping vitest`);
      current.kill('SIGTERM');
      setTimeout(() => current.exitCode === null && current.kill('SIGKILL'), 30_000).unref();
    }, Math.max(remaining, 1000));
    current.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, signal: err.message });
    });
    current.on('exit', (c, s) => {
      clearTimeout(timer);
      resolve({ code: c, signal: s });
    });
  });
  current = null;

  const counts = { passed: 0, failed: 0, skipped: 0 };
  let report = null;
  try {
    report = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  } catch {
    report = null;
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  if (report) {
    counts.passed = report.numPassedTests ?? 0;
    counts.failed = report.numFailedTests ?? 0;
    counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A test file that fails to load (syntax error, failing beforeAll/import) has no failed test:
    // count the file itself so the summary line never says 0 failed when the run failed.
    for (const file of report.testResults ?? []) {
      const failedTests = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      if (file.status === 'failed' && failedTests === 0) {
        counts.failed += 1;
        const where = path.relative(repoRoot, file.name ?? '?');
        problems.push(`${name}: ${where} failed outside its tests: ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
      }
    }
  }
  if (timedOut) {
    counts.failed += 1;
    problems.push(`${name}: stopped after the ${secs(BUDGET_MS)} budget`);
  } else if (!report) {
    counts.failed += 1;
    problems.push(`${name}: vitest crashed (${code !== null ? `exit ${code}` : `signal ${signal}`}) without writing results; see its output above`);
  } else if (code !== 0 && counts.failed === 0) {
    // e.g. an unhandled error, a failing globalSetup, or a failed teardown
    counts.failed += 1;
    problems.push(`${name}: vitest exited ${code ?? signal} with no failed test (unhandled error or global setup/teardown failure; see above)`);
  }
  return counts;
}

async function stage(name, prepare, args) {
  if (interrupted) return;
  const t0 = Date.now();
  process.stdout.write(`\n[test] ===== ${name} =====\n`);
  let env = {};
  let note = '';
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    if (prepare) {
      const p0 = Date.now();
      env = await prepare();
      const setupMs = Date.now() - p0;
      if (setupMs >= 100) note = `(setup ${secs(setupMs)}) `;
    }
    counts = await vitest(name, args, env);
  } catch (err) {
    counts.failed += 1;
    problems.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    say(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await runCleanups();
  }
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  const ms = Date.now() - t0;
  note += `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  timings.push({ name, ms, note });
  say(`${name}: ${secs(ms)} — ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

async function main() {
  let t0 = Date.now();
  try {
    if (ensureDeps()) timings.push({ name: 'npm ci', ms: Date.now() - t0, note: '' });
  } catch (err) {
    totals.failed += 1;
    problems.push(`installing dependencies: ${err.message}`);
    finish(1);
  }
  t0 = Date.now();
  try {
    if (ensureWebBuilt()) timings.push({ name: 'web build', ms: Date.now() - t0, note: '' });
  } catch (err) {
    // Unit and API tests can still run; the browser tests would test a stale or missing build.
    totals.failed += 1;
    problems.push(`web build: ${err.message}`);
    timings.push({ name: 'web build', ms: Date.now() - t0, note: 'FAILED' });
  }

  // The embedded server, even when the caller's environment names an external one.
  await stage('unit + api (embedded PostgreSQL)', async () => ({ TEST_PG_URL: undefined }), ['--project', 'unit', '--project', 'api']);
  if (!fast) {
    const system = await import('./ensure-system.mjs');
    await stage(
      'api (Debian PostgreSQL 15)',
      async () => {
        const pg = await system.ensureDebianPostgres();
        cleanups.push(pg.stop);
        say(`PostgreSQL 15 at ${pg.url}`);
        return { TEST_PG_URL: pg.url };
      },
      ['--project', 'api'],
    );
    await stage(
      'e2e (headless Chromium)',
      async () => ({ CHROMIUM_PATH: await system.ensureChromium() }),
      ['--project', 'e2e'],
    );
  }
  finish(totals.failed > 0 || problems.length > 0 ? 1 : 0);
}

main().catch(async (err) => {
  await runCleanups();
  totals.failed += 1;
  problems.push(`test script: ${err instanceof Error ? err.stack : String(err)}`);
  finish(1);
});
