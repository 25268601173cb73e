import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../src/app.ts';
import { openDatabase, type Database } from '../src/db/index.ts';
import { hashPassword } from '../src/modules/accounts/passwords.ts';
import { accounts } from '../src/modules/accounts/schema.ts';
import { auditLog } from '../src/modules/audit/schema.ts';
import { companies, occupants, staff } from '../src/modules/parties/schema.ts';
import { places } from '../src/modules/places/schema.ts';
import { sites } from '../src/modules/sites/schema.ts';
import type { Role } from '../src/platform/permissions.ts';
import { ROLES } from '../src/platform/permissions.ts';
import { withDatabase } from './global-db.ts';

export const PASSWORD = 'test-password';

/** A fresh database copied from the migrated template; dropped when the file's tests end. */
export async function freshDatabase(): Promise<Database & { url: string }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `td_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = openDatabase(url, 5);
  afterAll(async () => {
    await database.close();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await a.end();
  });
  return { ...database, url };
}

/** A clock the test moves by hand (session expiry, SLA clocks). */
export function testClock(start = '2026-11-24T09:00:00+08:00') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(minutes: number) { t += minutes * 60_000; },
    set(iso: string) { t = new Date(iso).getTime(); },
  };
}

/**
 * The small world most API tests share: one site (JW) with a floor and two office units, two
 * companies (A with an admin contact and a member, B with a member), a staff member, and one
 * account per role. Returns ids so tests can build on it.
 */
export async function seedWorld(database: Database) {
  const { db } = database;
  const passwordHash = await hashPassword(PASSWORD);
  const [site] = await db.insert(sites).values({ code: 'JW', name: '金文大厦', nameEn: 'Jinwen Tower' }).returning();
  const siteId = site!.id;
  const token = () => crypto.randomBytes(12).toString('base64url');
  const [building] = await db.insert(places).values({ siteId, code: 'JW-T1', name: '主楼', kind: 'building', qrToken: token() }).returning();
  const [floor12] = await db.insert(places).values({ siteId, parentId: building!.id, code: 'JW-T1-F12', name: '12层', kind: 'floor', qrToken: token() }).returning();
  const [unitA] = await db.insert(places).values({ siteId, parentId: floor12!.id, code: 'JW-T1-F12-1201', name: '1201室', kind: 'office_unit', qrToken: token() }).returning();
  const [unitB] = await db.insert(places).values({ siteId, parentId: floor12!.id, code: 'JW-T1-F12-1202', name: '1202室', kind: 'office_unit', qrToken: token() }).returning();
  const [companyA] = await db.insert(companies).values({ siteId, name: '甲公司', unitIds: [unitA!.id], contactName: '王甲', contactPhone: '13800000001' }).returning();
  const [companyB] = await db.insert(companies).values({ siteId, name: '乙公司', unitIds: [unitB!.id], contactName: '李乙', contactPhone: '13800000002' }).returning();
  const [occA] = await db.insert(occupants).values({ siteId, companyId: companyA!.id, name: '王甲', phone: '13800000001', companyRole: 'admin', unitIds: [unitA!.id] }).returning();
  const [occA2] = await db.insert(occupants).values({ siteId, companyId: companyA!.id, name: '赵甲', phone: '13800000003', companyRole: 'member', unitIds: [unitA!.id] }).returning();
  const [occB] = await db.insert(occupants).values({ siteId, companyId: companyB!.id, name: '李乙', phone: '13800000002', companyRole: 'member', unitIds: [unitB!.id] }).returning();
  const [tech] = await db.insert(staff).values({ siteId, employeeNo: 'E001', name: '张师傅', phone: '13900000001', position: '电工', trades: ['electrical'], hireDate: '2020-03-01', experienceYears: 8 }).returning();
  const ids = {} as Record<Role | "occupantB" | "occupantA2", string>;
  for (const role of ROLES) {
    const [a] = await db.insert(accounts).values({
      siteId, username: role, displayName: `测试${role}`, passwordHash, roles: [role],
      staffId: role === 'technician' ? tech!.id : null,
      occupantId: role === 'occupant' ? occA!.id : null,
    }).returning();
    ids[role] = a!.id;
  }
  // A second occupant account: a plain member of company B.
  const [b] = await db.insert(accounts).values({ siteId, username: 'occupantB', displayName: '李乙', passwordHash, roles: ['occupant'], occupantId: occB!.id }).returning();
  const [a2] = await db.insert(accounts).values({ siteId, username: 'occupantA2', displayName: '赵甲', passwordHash, roles: ['occupant'], occupantId: occA2!.id }).returning();
  return {
    siteId, buildingId: building!.id, floor12Id: floor12!.id, unitAId: unitA!.id, unitBId: unitB!.id,
    companyAId: companyA!.id, companyBId: companyB!.id, occAId: occA!.id, occA2Id: occA2!.id, occBId: occB!.id, techStaffId: tech!.id,
    accountIds: { ...ids, occupantB: b!.id, occupantA2: a2!.id },
  };
}

export type World = Awaited<ReturnType<typeof seedWorld>>;

/** An app on a fresh database with the small world, a test clock, and sign-in helpers. */
export async function testApp(opts: { liveBeatMs?: number } = {}) {
  const database = await freshDatabase();
  const clock = testClock();
  const world = await seedWorld(database);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-files-'));
  const app = await buildApp({ db: database.db, now: clock.now, logLevel: 'silent', filesDir, liveBeatMs: opts.liveBeatMs });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });
  const cookies = new Map<string, string>();

  async function login(username: string, password = PASSWORD) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const c = res.cookies.find((k) => k.name === 'td_sid')!;
    cookies.set(username, c.value);
    return c.value;
  }

  /** Sends a request as `who` (a role's demo username, or null for no session), with the CSRF header. */
  async function as(who: Role | string | null, opts: InjectOptions & { url: string }) {
    const headers: Record<string, string> = { 'x-requested-with': 'towerdesk', ...(opts.headers as Record<string, string> | undefined) };
    const cookieJar: Record<string, string> = {};
    if (who) cookieJar.td_sid = cookies.get(who) ?? (await login(who));
    return app.inject({ ...opts, headers, cookies: cookieJar });
  }

  const auditCount = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n;

  return { app: app as FastifyInstance, db: database.db, database, clock, world, login, as, auditCount, cookies, filesDir };
}
