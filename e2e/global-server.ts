import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real server the browser tests run against, e.g. http://127.0.0.1:41234 */
    baseUrl: string;
  }
}

const repoRoot = path.resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Once per e2e run: the real server (`node --import tsx server/src/main.ts`, as `npm start` runs it)
 * with the demo tower on a fresh embedded PostgreSQL in a temp folder, on free ports.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-e2e-'));
  fs.chmodSync(dir, 0o755); // postgres runs as user postgres and must reach the data folder
  const port = await freePort();
  const pgPort = await freePort([port]);
  const baseUrl = `http://127.0.0.1:${port}`;

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
  delete env.DATABASE_URL; // always the embedded server, whatever the caller's environment says
  delete env.TEST_PG_URL;

  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const stop = async () => {
    await stopChild(child);
    await stopLeftoverPostgres(path.join(dir, 'pg'));
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, START_TIMEOUT_MS);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output.trim() || '(none)'}\n---------------------`);
  }

  project.provide('baseUrl', baseUrl);
  return async () => {
    await stop();
    // Errors the server logged during the run (pino levels error=50, fatal=60) help explain a failed
    // test; E2E_SERVER_LOG=1 shows the whole output.
    if (process.env.E2E_SERVER_LOG === '1') {
      process.stdout.write(`[e2e] server output:\n${output.trim()}\n`);
    } else {
      const errors = output.split('\n').filter((l) => /"level":\s*(50|60)\b/.test(l));
      if (errors.length) process.stdout.write(`[e2e] the server logged ${errors.length} error(s):\n${errors.slice(-20).join('\n').slice(-8000)}\n`);
    }
  };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before answering /api/health`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer 200 on ${baseUrl}/api/health within ${timeoutMs / 1000} s`);
}

/** SIGTERM (the server stops HTTP and its PostgreSQL cleanly), SIGKILL if it hangs. */
async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** If the server had to be killed, its PostgreSQL may still run: stop it before removing its folder. */
async function stopLeftoverPostgres(dataDir: string) {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGQUIT'); // immediate shutdown: the folder is thrown away anyway
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freePort(avoid: number[] = []): Promise<number> {
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
