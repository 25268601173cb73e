import { shanghaiDate, shanghaiInstant } from '@towerdesk/domain';
import { seedDemoRoster } from '../../modules/duty/seed.ts';
import { seedDemoReceptions } from '../../modules/reception/seed.ts';
import { seedDemoHistory } from './history.ts';
import { seedDemoStock } from './stock.ts';
import { seedDemoPlans } from './plans.ts';
import { seedDemoRoundsHistory } from './rounds-history.ts';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../index.ts';
import { hashPassword } from '../../modules/accounts/passwords.ts';
import { accounts } from '../../modules/accounts/schema.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from './demo.ts';

export { DEMO_LOGINS, DEMO_PASSWORD, DEMO_REFERENCE_DAY, seedDemo, type DemoSummary } from './demo.ts';

export interface SeedResult {
  /** 'demo': the demo tower was just created; 'admin-only': only an admin account; 'existing': nothing done. */
  kind: 'demo' | 'admin-only' | 'existing';
  /** The demo tower is in the database (so the demo logins are worth printing). */
  hasDemo: boolean;
  /** Only for 'admin-only': the generated password, shown once by the caller and stored nowhere else. */
  adminPassword?: string;
}

/**
 * Seeds an empty database (no site and no account): the demo tower, or with `demo: false` only an
 * `admin` account with a random password (TOWERDESK_DEMO=0, issue 2 §2).
 *
 * Everything happens in one transaction that first takes a transaction-scoped advisory lock, then
 * checks emptiness: two processes starting together against one database queue on the lock, and
 * the second finds the first one's rows. A crash midway rolls the whole seed back, so the next
 * start sees an empty database again rather than half a tower.
 */
export async function seedIfEmpty(db: Db, opts: { demo: boolean; log?: (line: string) => void; today?: string }): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('towerdesk:seed'))`);
    const { rows } = await tx.execute<{ has_site: boolean; has_account: boolean; has_demo: boolean }>(sql`
      select exists (select 1 from sites) as has_site,
             exists (select 1 from accounts) as has_account,
             exists (select 1 from sites where code = 'JW') as has_demo`);
    const state = rows[0]!;
    if (state.has_site || state.has_account) return { kind: 'existing', hasDemo: state.has_demo };

    if (opts.demo) {
      // One reading of the clock for every seed, so they agree on the day and on what has happened
      // by now: today's demo stops at this instant; a pinned day (tests) stops at 10:30 that day.
      const wall = new Date();
      const today = opts.today ?? shanghaiDate(wall);
      const now = shanghaiDate(wall) === today ? wall : shanghaiInstant(today, '10:30');
      const s = await seedDemo(tx, today);
      // A week of on-call rotation, so urgent repairs page someone from the first minute (CS-3).
      await seedDemoRoster(tx, s.siteId, today);
      await seedDemoHistory(tx, s.siteId, today, now);
      await seedDemoReceptions(tx, s.siteId, today, now);
      // The store's three months (RP-9): parts issued to the repairs the history just completed.
      await seedDemoStock(tx, s.siteId, today, now);
      // Plans of every kind and their week of tasks (issue 4); after the roster, which patrols follow.
      await seedDemoPlans(tx, s.siteId, today, now);
      // Three months of rounds done behind those plans (IN-5 records, rates, readings).
      await seedDemoRoundsHistory(tx, s.siteId, now);
      log(`[towerdesk] seeded demo tower 金文大厦: ${s.places} places, ${s.companies} companies, ${s.occupants} occupants, ${s.staff} staff`);
      return { kind: 'demo', hasDemo: true };
    }

    const adminPassword = randomPassword(16);
    await tx.insert(accounts).values({
      username: 'admin', displayName: '系统管理员', roles: ['admin'], siteId: null,
      passwordHash: await hashPassword(adminPassword),
    });
    log('[towerdesk] created the admin account (no demo data)');
    return { kind: 'admin-only', hasDemo: false, adminPassword };
  });
}

/** Letters and digits without look-alikes (0/O, 1/l/I): the password is read off a terminal once. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomPassword(length: number) {
  return Array.from({ length }, () => PASSWORD_ALPHABET[crypto.randomInt(PASSWORD_ALPHABET.length)]).join('');
}
