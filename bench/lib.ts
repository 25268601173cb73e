import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** One measured number. `bench/run.ts` adds `bench`, `date` and `machine` when a benchmark leaves them out. */
export interface BenchRow {
  /** Unique across all benchmarks, e.g. `start.cold`; a new run replaces the row with the same name. */
  name: string;
  value: number;
  unit: string;
  /** The same work done by the thing we build on (e.g. bare PostgreSQL), measured in the same run. */
  baseline: number | null;
  /** value / baseline */
  ratio: number | null;
  /** Upper bound we promise (same unit); null when there is none. */
  target: number | null;
  /** ISO date-time of the measurement. */
  date: string;
  /** Name of the benchmark that produced the row. */
  bench?: string;
  /** What the number is, in a few words (shown in RESULTS.md). */
  label?: string;
  /** The individual measurements the value is the median of. */
  samples?: number[];
  machine?: string;
}

export interface BenchContext {
  repoRoot: string;
  log(line: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()} ${process.arch}`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A row with ratio computed from value and baseline. */
export function row(r: Omit<BenchRow, 'ratio' | 'date'> & { date?: string }): BenchRow {
  return {
    ...r,
    ratio: r.baseline ? round(r.value / r.baseline) : null,
    date: r.date ?? new Date().toISOString(),
  };
}

export function freePort(avoid: number[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => (avoid.includes(port) ? freePort(avoid).then(resolve, reject) : resolve(port)));
    });
  });
}

// ---- temp folders and children that must not outlive the run ------------------------------

const liveDirs = new Set<string>();
const liveChildren = new Set<{ child: ChildProcess; group: boolean }>();

/** A fresh temp folder PostgreSQL (running as user postgres) can use; removed by cleanupAll(). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `towerdesk-bench-${prefix}-`));
  fs.chmodSync(dir, 0o755);
  liveDirs.add(dir);
  return dir;
}

export async function removeDir(dir: string) {
  await stopLeftoverPostgresIn(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** Spawns a child we will stop ourselves; `group` puts it in its own process group (for npm). */
export function spawnTracked(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; group?: boolean }): ChildProcess & { output(): string } {
  const child = spawn(cmd, args, {
    cwd: repoRoot,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 100_000) out = out.slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const entry = { child, group: opts.group ?? false };
  liveChildren.add(entry);
  child.once('exit', () => liveChildren.delete(entry));
  return Object.assign(child, { output: () => out });
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** SIGTERM (to the whole group for `group` children), SIGKILL after timeoutMs; resolves on exit. */
export async function stopChild(child: ChildProcess, group = false, timeoutMs = 30_000) {
  if (!running(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (sig: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  send('SIGTERM');
  const timer = setTimeout(() => send('SIGKILL'), timeoutMs);
  await exited;
  // The group's leader (npm) may exit before the server it ran has stopped its PostgreSQL.
  if (group && child.pid) while (groupAlive(child.pid)) await sleep(50);
  clearTimeout(timer);
}

function groupAlive(pgid: number) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster whose parent died keeps running; find it through postmaster.pid files and stop it. */
export async function stopLeftoverPostgresIn(dir: string) {
  const pidFiles: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && e.name === 'postmaster.pid') pidFiles.push(path.join(d, e.name));
      else if (e.isDirectory() && depth < 2) walk(path.join(d, e.name), depth + 1);
    }
  };
  walk(dir, 0);
  for (const f of pidFiles) {
    const pid = Number(fs.readFileSync(f, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) continue;
    process.kill(pid, 'SIGQUIT');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Stops every tracked child and removes every temp folder (on exit, on errors, on Ctrl+C). */
export async function cleanupAll() {
  for (const { child, group } of [...liveChildren]) await stopChild(child, group, 10_000);
  for (const dir of [...liveDirs]) await removeDir(dir);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `url` until it answers 200; returns the milliseconds since `since`. Throws (with the
 * child's output) if the child exits first or the timeout passes.
 */
export async function waitFor200(url: string, since: number, child: ChildProcess & { output(): string }, timeoutMs = 120_000): Promise<number> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(child)) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${url} answered 200:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return Date.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s:\n${child.output()}`);
}
