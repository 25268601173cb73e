import path from 'node:path';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.ts';

export type Db = NodePgDatabase<typeof schema>;
/** A transaction handle; services take `Tx | Db` so a use case can join a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

// DATE columns stay 'YYYY-MM-DD' strings: a date in the building's calendar is not an instant.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function openDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a client the pool is still closing when the embedded server stops (pool.end() resolves
  // before each client's own end): its "terminating connection" error would be unhandled.
  // A query in flight still rejects with the error; only the stray event is dropped.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

export const migrationsFolder = path.join(import.meta.dirname, 'migrations');

/**
 * Applies pending migrations under a session advisory lock, so several processes starting
 * against one database (DESIGN §4) apply each migration once.
 */
export async function migrateDatabase(database: Pick<Database, 'pool'>) {
  const client = await database.pool.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('towerdesk:migrate'))`);
    await migrate(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query(`select pg_advisory_unlock(hashtext('towerdesk:migrate'))`).catch(() => {});
    client.release();
  }
}
