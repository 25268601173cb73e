import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/src/app.ts';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { migrateDatabase, openDatabase } from '../server/src/db/index.ts';
import { seedIfEmpty } from '../server/src/db/seed/index.ts';
import { companies, occupants } from '../server/src/db/schema.ts';
import { places } from '../server/src/modules/places/schema.ts';
import { freePort, median, removeDir, round, row, tempDir, type BenchContext, type BenchRow } from './lib.ts';

/**
 * Occupant import (issue 2 §6): a CSV of ROWS occupants through POST /api/occupants/import —
 * parse, validate every row with zod, resolve company names and unit codes, check duplicates in
 * the file and the database, insert, one audit row per record — against the baseline of the raw
 * multi-row INSERT of the same rows into the same table, in the same run. Median of RUNS.
 */
export const name = 'import';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_S = 10;

export async function run({ log }: BenchContext): Promise<BenchRow[]> {
  const dir = tempDir('import');
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), await freePort());
  const database = openDatabase(pg.url);
  try {
    await migrateDatabase(database);
    await seedIfEmpty(database.db, { demo: true });
    const app = await buildApp({ db: database.db, logLevel: 'silent' });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'agent', password: 'towerdesk' } });
    const cookie = login.cookies.find((c) => c.name === 'td_sid')!.value;
    const cs = await database.db.select({ id: companies.id, name: companies.name, unitIds: companies.unitIds }).from(companies);
    const units = new Map((await database.db.select({ id: places.id, code: places.code }).from(places)).map((p) => [p.id, p.code]));
    const siteId = (await database.db.execute<{ id: string }>(sql`select id from sites limit 1`)).rows[0]!.id;

    const imported: number[] = [];
    const raw: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const people = Array.from({ length: ROWS }, (_, i) => {
        const c = cs[i % cs.length]!;
        return { name: `测试住户${r}-${i}`, phone: `17${String(r).padStart(1, '0')}${String(i).padStart(8, '0')}`, company: c, unitCode: units.get(c.unitIds[0]!)! };
      });
      const csv = ['姓名,手机号,所属单位,所在单元,单位角色', ...people.map((p) => `${p.name},${p.phone},${p.company.name},${p.unitCode},员工`)].join('\r\n');
      const boundary = 'benchBoundary';
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="occupants.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.from(csv), Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      let t0 = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/occupants/import', payload, cookies: { td_sid: cookie }, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-requested-with': 'towerdesk' } });
      if (res.statusCode !== 200) throw new Error(`import failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
      imported.push((performance.now() - t0) / 1000);

      // Baseline: the same rows, other phones, straight into the table in chunks of 500.
      t0 = performance.now();
      await database.db.transaction(async (tx) => {
        for (let i = 0; i < people.length; i += 500) {
          await tx.insert(occupants).values(people.slice(i, i + 500).map((p) => ({ siteId, name: p.name, phone: `16${p.phone.slice(2)}`, companyId: p.company.id, unitIds: [p.company.unitIds[0]!], companyRole: 'member' })));
        }
      });
      raw.push((performance.now() - t0) / 1000);
      log(`run ${r + 1}/${RUNS}: import ${round(imported[r]!)} s, raw insert ${round(raw[r]!, 3)} s for ${ROWS} rows`);
    }
    await app.close();
    const value = round(median(imported));
    const baseline = round(median(raw), 3);
    return [
      row({ name: 'import.occupants', value, unit: 's', baseline, target: TARGET_S, label: `import of ${ROWS} occupants from CSV via the API (validate, resolve, dedupe, insert, audit), median of ${RUNS}; baseline: raw multi-row INSERT of the same rows`, samples: imported.map((x) => round(x)) }),
      row({ name: 'import.occupants.rows-per-s', value: round(ROWS / value, 0), unit: 'rows/s', baseline: round(ROWS / baseline, 0), target: null, label: 'the same, as a rate' }),
    ];
  } finally {
    await database.close();
    await pg.stop();
    await removeDir(dir);
  }
}
