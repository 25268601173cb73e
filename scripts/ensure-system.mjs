// System pieces the full test suite needs beyond npm: Debian's PostgreSQL 15 (a throwaway cluster)
// and Chromium with CJK fonts. Installs them through apt when run as root (CI is root); otherwise
// fails with a message saying what to install. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const CHROMIUM = '/usr/bin/chromium';
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const isRoot = () => process.getuid?.() === 0;
const say = (line) => process.stdout.write(`[ensure-system] ${line}\n`);

let aptUpdated = false;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

function runOrThrow(cmd, args, opts = {}) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})${out ? `:\n${out}` : ''}`);
  }
  return r;
}

/** apt-get install (with one apt-get update per run); root only. */
export function aptInstall(packages, why) {
  if (!isRoot()) {
    throw new Error(`${why}. Install it first: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = Date.now();
  if (!aptUpdated) {
    say(`${why}: apt-get update`);
    runOrThrow('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    aptUpdated = true;
  }
  say(`apt-get install -y ${packages.join(' ')}`);
  runOrThrow('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  say(`installed ${packages.join(' ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** A TCP port nobody listens on right now (the kernel picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as user postgres (root cannot run PostgreSQL) or as ourselves. */
function asPostgres(bin, args, opts = {}) {
  if (isRoot()) return run('runuser', ['-u', 'postgres', '--', bin, ...args], opts);
  return run(bin, args, opts);
}

/**
 * Starts a throwaway PostgreSQL 15 cluster (Debian's package, installed if absent) in a fresh temp
 * folder on a free port. Returns its admin URL and stop(), which stops it and removes the folder.
 */
export async function ensureDebianPostgres() {
  if (!fs.existsSync(`${PG_BIN}/initdb`)) aptInstall(['postgresql'], 'PostgreSQL 15 is not installed');
  if (!fs.existsSync(`${PG_BIN}/initdb`)) throw new Error(`${PG_BIN}/initdb is still missing after installing postgresql (not Debian 12?)`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-pg15-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (isRoot()) {
    const r = run('id', ['-u', 'postgres']);
    if (r.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error('user postgres does not exist (the postgresql package creates it); reinstall postgresql');
    }
    fs.chownSync(dir, Number(r.stdout.trim()), Number(run('id', ['-g', 'postgres']).stdout.trim()));
  }
  fs.chmodSync(dir, 0o755);
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });

  const init = asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (init.status !== 0) {
    cleanup();
    throw new Error(`initdb failed (exit ${init.status}):\n${init.stdout}${init.stderr}`);
  }

  let port = 0;
  let lastError = '';
  for (let attempt = 0; attempt < 3 && !port; attempt++) {
    const candidate = await freePort();
    const opts = `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const r = asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', logFile, '-o', opts, '-w', '-t', '60', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status === 0) port = candidate;
    else lastError = `${r.stdout}${r.stderr}${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`;
  }
  if (!port) {
    cleanup();
    throw new Error(`PostgreSQL 15 did not start:\n${lastError}`);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup();
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
}

/** Path of Debian's Chromium, installing it and the CJK fonts (Chinese renders as boxes without). */
export async function ensureChromium() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  if (!fs.existsSync(CJK_FONT)) missing.push('fonts-noto-cjk');
  if (missing.length) aptInstall(missing, `${missing.join(' and ')} not installed`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is still missing after apt-get install chromium`);
  return CHROMIUM;
}
