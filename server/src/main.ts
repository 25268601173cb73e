import path from 'node:path';
import { buildApp } from './app.ts';
import { readConfig, repoRoot } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { migrateDatabase, openDatabase } from './db/index.ts';
import { startSweeps } from './sweeps.ts';
import { channelsFromConfig } from './modules/notifications/channels.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedIfEmpty } from './db/seed/index.ts';

/** Reads config, opens (or starts) the database, migrates, seeds, listens (DESIGN §4). */
async function main() {
  const config = readConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let embedded: EmbeddedServer | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    say(`[towerdesk] starting embedded PostgreSQL in ${config.PG_DATA_DIR} (port ${config.PG_PORT})`);
    embedded = await startEmbeddedPostgres(config.PG_DATA_DIR, config.PG_PORT, (m) => { if (/FATAL|PANIC|ERROR|earlier run/.test(m)) say(`[postgres] ${m}`); });
    url = embedded.url;
  }
  const database = openDatabase(url);
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  let sweeps: ReturnType<typeof startSweeps> | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`[towerdesk] ${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    sweeps?.stop();
    await app?.close().catch(() => {});
    await database.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    say('[towerdesk] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let seeded: Awaited<ReturnType<typeof seedIfEmpty>>;
  try {
    await migrateDatabase(database);
    seeded = await seedIfEmpty(database.db, { demo: config.TOWERDESK_DEMO === '1', log: say });
    app = await buildApp({
      db: database.db,
      webDir: path.join(repoRoot, 'web', 'dist'),
      logLevel: config.LOG_LEVEL,
      secureCookie: config.COOKIE_SECURE === '1',
      trustProxy: config.TRUST_PROXY === '1',
      filesDir: config.FILES_DIR,
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    sweeps = startSweeps(database.db, app.log, config.FILES_DIR, { channels: channelsFromConfig(config, app.log) });
  } catch (err) {
    // Never leave the embedded server running behind a failed start (e.g. the port is taken).
    await database.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }

  const base = `http://localhost:${config.PORT}`;
  say('');
  say(`  towerdesk 金文大厦物业运营平台 is running: ${base}`);
  say(`  API docs: ${base}/api/docs`);
  if (seeded.kind === 'admin-only') {
    say(`  New database without demo data. Admin login: admin / ${seeded.adminPassword}`);
    say('  (this password is shown once; change it after signing in)');
  } else if (seeded.hasDemo) {
    say(`  Demo logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.map((d) => `${d.username} (${d.label})`).join(', ')}`);
  }
  say('  Stop with Ctrl+C.');
  say('');
}

main().catch((err) => {
  process.stderr.write(`[towerdesk] failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
