import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { PLACE_CODE_PATTERN, PLACE_KINDS, TRADE_LIST } from '@towerdesk/domain';
import { freshDatabase } from '../../../test/harness.ts';
import { openDatabase, type Database } from '../index.ts';
import { verifyPassword } from '../../modules/accounts/passwords.ts';
import { accounts } from '../../modules/accounts/schema.ts';
import { certificates, companies, contractors, occupants, staff } from '../../modules/parties/schema.ts';
import { places } from '../../modules/places/schema.ts';
import { sites } from '../../modules/sites/schema.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_REFERENCE_DAY, seedIfEmpty } from './index.ts';

async function load(database: Database) {
  const { db } = database;
  return {
    sites: await db.select().from(sites),
    places: await db.select().from(places).orderBy(asc(places.code)),
    companies: await db.select().from(companies).orderBy(asc(companies.name)),
    occupants: await db.select().from(occupants).orderBy(asc(occupants.phone)),
    staff: await db.select().from(staff).orderBy(asc(staff.employeeNo)),
    certificates: await db.select().from(certificates).orderBy(asc(certificates.number)),
    contractors: await db.select().from(contractors).orderBy(asc(contractors.name)),
    accounts: await db.select().from(accounts).orderBy(asc(accounts.username)),
  };
}

// Databases are made at the top: freshDatabase registers its own clean-up hook.
const one = await freshDatabase();
const two = await freshDatabase();
const raceDb = await freshDatabase();
// A second pool stands in for a second process: its own connections, racing for the lock.
const other = openDatabase(raceDb.url, 2);
afterAll(() => other.close());
const plain = await freshDatabase();

describe('demo tower', () => {
  let world: Awaited<ReturnType<typeof load>>;
  const lines: string[] = [];

  beforeAll(async () => {
    expect(await seedIfEmpty(one.db, { today: DEMO_REFERENCE_DAY, demo: true, log: (l) => lines.push(l) })).toEqual({ kind: 'demo', hasDemo: true });
    world = await load(one);
  });

  test('is the same on every run (content, not ids)', async () => {
    await seedIfEmpty(two.db, { today: DEMO_REFERENCE_DAY, demo: true });
    const again = await load(two);
    const content = (w: typeof world) => ({
      places: w.places.map((p) => [p.code, p.name, p.kind, p.sort, p.qrToken, p.areaM2]),
      companies: w.companies.map((c) => [c.name, c.nameEn, c.contactName, c.contactPhone, c.unitIds.length]),
      occupants: w.occupants.map((o) => [o.phone, o.name, o.companyRole]),
      staff: w.staff.map((s) => [s.employeeNo, s.name, s.phone, s.position, s.hireDate, s.experienceYears]),
      certificates: w.certificates.map((c) => [c.name, c.number, c.expiresOn]),
      contractors: w.contractors.map((c) => [c.name, c.contactPhone, c.contractEndsOn]),
    });
    expect(content(again)).toEqual(content(world));
  });

  test('logs one summary line', () => {
    expect(lines).toEqual([
      `[towerdesk] seeded demo tower 金文大厦: ${world.places.length} places, 60 companies, ${world.occupants.length} occupants, ${world.staff.length} staff`,
    ]);
  });

  test('has the sizes the issue asks for', () => {
    expect(world.sites.map((s) => [s.code, s.name])).toEqual([['JW', '金文大厦']]);
    const byKind = (k: string) => world.places.filter((p) => p.kind === k);
    expect(byKind('building').map((p) => p.code)).toEqual(['JW-T1']);
    const floors = byKind('floor').map((p) => p.code);
    expect(floors).toHaveLength(30);
    expect(floors).toEqual(expect.arrayContaining(['JW-T1-B2', 'JW-T1-B1', 'JW-T1-F01', 'JW-T1-F28']));
    expect(byKind('roof').map((p) => p.code)).toEqual(['JW-T1-RF']);
    expect(byKind('carpark_zone')).toHaveLength(4);
    expect(byKind('parking_space').length).toBeGreaterThanOrEqual(180);
    expect(byKind('parking_space').length).toBeLessThanOrEqual(220);
    const units = byKind('office_unit');
    expect(units.length).toBeGreaterThanOrEqual(100);
    expect(units.some((u) => u.code === 'JW-T1-F12-1201')).toBe(true);
    // Every floor's two fire stairs (the night patrol scans each, issue 4) are counted apart from the ~30 spaces.
    expect(byKind('stairwell')).toHaveLength(2 * floors.length);
    const structural = new Set(['building', 'floor', 'roof', 'office_unit', 'carpark_zone', 'parking_space', 'stairwell']);
    const spaces = world.places.filter((p) => !structural.has(p.kind));
    expect(spaces.length).toBeGreaterThanOrEqual(25);
    expect(spaces.length).toBeLessThanOrEqual(40);
    for (const kind of ['public_area', 'washroom', 'lift_lobby', 'stairwell', 'plant_room', 'electrical_room', 'water_pump_room', 'door', 'landscape_area', 'desk']) {
      expect(byKind(kind).length, kind).toBeGreaterThan(0);
    }

    expect(world.companies).toHaveLength(60);
    expect(world.occupants.length).toBeGreaterThanOrEqual(750);
    expect(world.occupants.length).toBeLessThanOrEqual(850);
    expect(world.staff.length).toBeGreaterThanOrEqual(35);
    expect(world.staff.length).toBeLessThanOrEqual(45);
    expect(new Set(world.staff.flatMap((s) => s.trades))).toEqual(new Set(TRADE_LIST));
    expect(world.contractors).toHaveLength(5);
  });

  test('the place tree is well formed', () => {
    const byId = new Map(world.places.map((p) => [p.id, p]));
    const siteId = world.sites[0]!.id;
    for (const p of world.places) {
      expect(p.siteId).toBe(siteId);
      expect(p.code).toMatch(PLACE_CODE_PATTERN);
      expect(Object.keys(PLACE_KINDS)).toContain(p.kind);
      expect(p.qrToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      if (p.kind === 'building') {
        expect(p.parentId).toBeNull();
        continue;
      }
      const parent = byId.get(p.parentId!);
      expect(parent, p.code).toBeDefined();
      expect(parent!.siteId).toBe(p.siteId);
      expect(p.code.startsWith(`${parent!.code}-`), p.code).toBe(true);
    }
    expect(new Set(world.places.map((p) => p.code)).size).toBe(world.places.length);
    expect(new Set(world.places.map((p) => p.qrToken)).size).toBe(world.places.length);
    // Sort positions are distinct within each parent.
    const sortKeys = world.places.map((p) => `${p.parentId}:${p.sort}`);
    expect(new Set(sortKeys).size).toBe(sortKeys.length);
  });

  test('companies lease 1–3 office units each, never the same unit twice', () => {
    const units = new Set(world.places.filter((p) => p.kind === 'office_unit').map((p) => p.id));
    const leased = world.companies.flatMap((c) => c.unitIds);
    for (const c of world.companies) {
      expect(c.unitIds.length).toBeGreaterThanOrEqual(1);
      expect(c.unitIds.length).toBeLessThanOrEqual(3);
      expect(c.contactPhone).toMatch(/^1[358]\d{9}$/);
    }
    expect(leased.every((id) => units.has(id))).toBe(true);
    expect(new Set(leased).size).toBe(leased.length);
  });

  test('each company has exactly one admin occupant, who is its contact', () => {
    for (const c of world.companies) {
      const people = world.occupants.filter((o) => o.companyId === c.id);
      const admins = people.filter((o) => o.companyRole === 'admin');
      expect(admins, c.name).toHaveLength(1);
      expect([admins[0]!.name, admins[0]!.phone]).toEqual([c.contactName, c.contactPhone]);
      for (const o of people) {
        expect(['admin', 'member']).toContain(o.companyRole);
        expect(o.unitIds.length).toBeGreaterThan(0);
        expect(o.unitIds.every((u) => c.unitIds.includes(u))).toBe(true);
      }
    }
  });

  test('phones are mobile numbers, unique across occupants and staff', () => {
    const phones = [...world.occupants.map((o) => o.phone), ...world.staff.map((s) => s.phone)];
    expect(new Set(phones).size).toBe(phones.length);
    for (const p of phones) expect(p).toMatch(/^1[358]\d{9}$/);
  });

  test('staff have numbers, dates and certificates; a few certificates need attention', () => {
    world.staff.forEach((s, i) => {
      expect(s.employeeNo).toBe(`JW-E${String(i + 1).padStart(3, '0')}`);
      expect(s.hireDate >= '2015-01-01' && s.hireDate <= DEMO_REFERENCE_DAY).toBe(true);
      expect(s.experienceYears).toBeGreaterThanOrEqual(0);
    });
    const certified = new Set(world.certificates.map((c) => c.staffId));
    for (const s of world.staff.filter((x) => x.trades.some((t) => ['electrical', 'elevator', 'fire', 'hvac', 'security'].includes(t)))) {
      expect(certified.has(s.id), `${s.employeeNo} ${s.position}`).toBe(true);
    }
    const in30 = new Date(Date.parse(DEMO_REFERENCE_DAY) + 30 * 86_400_000).toISOString().slice(0, 10);
    const expired = world.certificates.filter((c) => c.expiresOn && c.expiresOn < DEMO_REFERENCE_DAY);
    const soon = world.certificates.filter((c) => c.expiresOn && c.expiresOn >= DEMO_REFERENCE_DAY && c.expiresOn <= in30);
    expect(expired).toHaveLength(1);
    expect(soon.length).toBeGreaterThanOrEqual(3);
    expect(soon.length).toBeLessThanOrEqual(4);
  });

  test('every demo login exists with its roles and the demo password', async () => {
    const siteId = world.sites[0]!.id;
    expect(world.accounts.map((a) => a.username).sort()).toEqual(DEMO_LOGINS.map((d) => d.username).sort());
    for (const d of DEMO_LOGINS) {
      const a = world.accounts.find((x) => x.username === d.username)!;
      expect(a.roles, d.username).toEqual(d.roles);
      expect(a.siteId).toBe(siteId);
      expect(a.disabled).toBe(false);
    }
    // One hash for all: checking one account checks them all.
    expect(new Set(world.accounts.map((a) => a.passwordHash)).size).toBe(1);
    expect(await verifyPassword(world.accounts[0]!.passwordHash, DEMO_PASSWORD)).toBe(true);

    const get = (u: string) => world.accounts.find((a) => a.username === u)!;
    const staffOf = (u: string) => world.staff.find((s) => s.id === get(u).staffId)?.position;
    expect(staffOf('supervisor')).toBe('项目经理');
    expect(staffOf('agent')).toBe('客服专员');
    expect(staffOf('tech')).toBe('电工');
    expect(staffOf('guard')).toBe('保安员');
    expect(staffOf('cleaner')).toBe('保洁员');
    expect(staffOf('gardener')).toBe('绿化工');
    expect(get('admin').displayName).toBe('系统管理员');
    expect(get('owner')).toMatchObject({ displayName: '业主方代表', staffId: null, occupantId: null });

    const occ = world.occupants.find((o) => o.id === get('occupant').occupantId)!;
    expect(occ.companyRole).toBe('admin');
    expect(get('occupant').phone).toBe(occ.phone);
    expect(world.accounts.filter((a) => a.phone !== null).map((a) => a.username)).toEqual(['occupant']);
  });

  test('a second start seeds nothing', async () => {
    expect(await seedIfEmpty(one.db, { today: DEMO_REFERENCE_DAY, demo: true })).toEqual({ kind: 'existing', hasDemo: true });
    expect(await seedIfEmpty(one.db, { demo: false })).toEqual({ kind: 'existing', hasDemo: true });
    expect(await one.db.$count(places)).toBe(world.places.length);
    expect(await one.db.$count(occupants)).toBe(world.occupants.length);
  });
});

test('two processes starting together seed once', async () => {
  const t = raceDb;
  const results = await Promise.all([seedIfEmpty(t.db, { today: DEMO_REFERENCE_DAY, demo: true }), seedIfEmpty(other.db, { today: DEMO_REFERENCE_DAY, demo: true })]);
  expect(results.map((r) => r.kind).sort()).toEqual(['demo', 'existing']);
  expect(await t.db.$count(sites)).toBe(1);
  expect(await t.db.$count(accounts)).toBe(DEMO_LOGINS.length);
});

test('without the demo: only an admin account with a random 16-character password', async () => {
  const t = plain;
  const lines: string[] = [];
  const result = await seedIfEmpty(t.db, { demo: false, log: (l) => lines.push(l) });
  expect(result.kind).toBe('admin-only');
  expect(result.hasDemo).toBe(false);
  expect(result.adminPassword).toMatch(/^[A-Za-z0-9]{16}$/);
  expect(lines.join('\n')).not.toContain(result.adminPassword);

  const rows = await t.db.select().from(accounts);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ username: 'admin', roles: ['admin'], siteId: null, staffId: null, occupantId: null });
  expect(await verifyPassword(rows[0]!.passwordHash, result.adminPassword!)).toBe(true);
  for (const table of [sites, places, companies, occupants, staff]) expect(await t.db.$count(table)).toBe(0);

  // The next start finds the admin and leaves the database alone, even if asked for the demo.
  expect(await seedIfEmpty(t.db, { today: DEMO_REFERENCE_DAY, demo: true })).toEqual({ kind: 'existing', hasDemo: false });
  expect(await t.db.$count(sites)).toBe(0);
  expect((await t.db.select().from(accounts).where(eq(accounts.username, 'admin')))[0]!.passwordHash).toBe(rows[0]!.passwordHash);
});
