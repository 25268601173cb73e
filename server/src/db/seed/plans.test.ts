import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, asc, eq, gte } from 'drizzle-orm';
import {
  isWorkingDay, occurrencesBetween, PLAN_KINDS, planKindDef, shanghaiDate, shanghaiInstant, validateTemplate,
  type ChecklistItem, type HolidayRule, type PlanTemplate, type WorkingCalendar,
} from '@towerdesk/domain';
import { freshDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { siteCalendar } from '../../modules/calendar/service.ts';
import { seedDemoRoster } from '../../modules/duty/seed.ts';
import { companies, staff } from '../../modules/parties/schema.ts';
import { places } from '../../modules/places/schema.ts';
import { Template } from '../../modules/plans/routes.ts';
import { planVersions, plans, tasks } from '../../modules/plans/schema.ts';
import { DEMO_PASSWORD, DEMO_REFERENCE_DAY, seedDemo } from './index.ts';
import { demoLookups, demoPlans, seedDemoPlans } from './plans.ts';
import { addDays } from './rng.ts';

// The demo plans (issue 4 Deliver 2). seedIfEmpty runs seedDemoPlans after the roster and before
// the rounds history; that whole path is seeded by seed.test.ts and rounds-history.test.ts.
const database = await freshDatabase();
const { db } = database;
// A second tower seeded the day before 国庆 (2026-10-01 … 07, make-up Saturday 10-10), for the holiday rules.
const holidayDb = await freshDatabase();
// A third seeded on the same day as the first, to compare.
const againDb = await freshDatabase();

/** What `seedIfEmpty` takes as now for a pinned day. */
const NOW = shanghaiInstant(DEMO_REFERENCE_DAY, '10:30');
const WEEK_END = new Date(NOW.getTime() + 7 * 86_400_000);

type Plan = typeof plans.$inferSelect & { template: PlanTemplate };
let all: Plan[];
let cal: WorkingCalendar;
let siteId: string;
const plan = (name: string) => {
  const p = all.find((x) => x.name === name);
  if (!p) throw new Error(`no plan ${name}`);
  return p;
};
const ofKind = (kind: string) => all.filter((p) => p.kind === kind);
// The week ahead (in the full demo the rounds history fills the three months before now).
const weekTasks = (planId: string) => db.select().from(tasks).where(and(eq(tasks.planId, planId), gte(tasks.startsAt, NOW))).orderBy(asc(tasks.startsAt));
/** The Shanghai dates and HH:MM a plan fires on between two days, by the module's own recurrence. */
const occurs = (p: Plan, from: string, to: string) =>
  occurrencesBetween({ ...p, holidayRule: p.holidayRule as HolidayRule }, shanghaiInstant(from), shanghaiInstant(to), cal).map((o) => o.startsAt);
const hhmm = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
const items = (p: Plan) => p.template.checkpoints.flatMap((c) => c.items);
const item = (p: Plan, id: string) => items(p).find((i) => i.id === id)!;

/** The tower, its roster and its plans, as seedIfEmpty makes them (without the histories, which take a minute). */
async function seedTower(target: typeof db, today: string, now: Date) {
  await target.transaction(async (tx) => {
    const s = await seedDemo(tx, today);
    await seedDemoRoster(tx, s.siteId, today);
    await seedDemoPlans(tx, s.siteId, today, now);
  });
}

beforeAll(async () => {
  await seedTower(db, DEMO_REFERENCE_DAY, NOW);
  const rows = await db.select({ p: plans, template: planVersions.template }).from(plans)
    .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
    .orderBy(asc(plans.name));
  all = rows.map((r) => ({ ...r.p, template: r.template }));
  siteId = all[0]!.siteId;
  cal = await siteCalendar(db, siteId);
});

describe('the demo tower\'s plans (issue 4 Deliver 2)', () => {
  test('IN-1 IN-2 CL-1 CL-2 CL-3 CL-5 GR-1 GR-2 CM-1 CS-7 every plan kind is seeded, and every kind has tasks in each week ahead', async () => {
    expect(new Set(all.map((p) => p.kind))).toEqual(new Set(PLAN_KINDS));
    const rows = await db.select({ kind: plans.kind, startsAt: tasks.startsAt, state: tasks.state }).from(tasks).innerJoin(plans, eq(plans.id, tasks.planId)).where(gte(tasks.startsAt, NOW));
    expect(rows.length).toBeGreaterThan(150);
    for (const r of rows) {
      expect(r.startsAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime());
      expect(r.startsAt.getTime()).toBeLessThan(WEEK_END.getTime());
      expect(r.state).toBe('scheduled');
    }
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(PLAN_KINDS));
    // Every one of the 8 Shanghai days the week touches has work.
    expect(new Set(rows.map((r) => shanghaiDate(r.startsAt))).size).toBe(8);
    // Every plan that fires in the week has exactly its occurrences as tasks, no more, no fewer.
    for (const p of all) {
      const expected = occurrencesBetween({ ...p, holidayRule: p.holidayRule as HolidayRule }, NOW, WEEK_END, cal).map((o) => o.startsAt.toISOString());
      expect((await weekTasks(p.id)).map((t) => t.startsAt.toISOString()), p.name).toEqual(expected);
    }
  });

  test('IN-1 every template is valid as the API sees it, with Chinese labels and English translations, at the tower\'s places', async () => {
    const placeIds = new Set((await db.select({ id: places.id }).from(places).where(eq(places.siteId, siteId))).map((p) => p.id));
    for (const p of all) {
      expect(() => Template.parse(p.template), p.name).not.toThrow();
      expect(validateTemplate(p.template), p.name).toEqual([]);
      for (const c of p.template.checkpoints) expect(placeIds.has(c.placeId), p.name).toBe(true);
      expect(new Set(p.template.checkpoints.map((c) => c.placeId)).size, `${p.name} visits a place twice`).toBe(p.template.checkpoints.length);
      for (const i of items(p)) {
        expect(i.label, p.name).toMatch(/[\u4e00-\u9fff]/);
        expect(i.labelEn, `${p.name} ${i.id}`).toBeTruthy();
      }
      expect(p.nameEn, p.name).toBeTruthy();
    }
    // Between them the templates use every kind of item.
    expect(new Set(all.flatMap((p) => items(p).map((i) => i.kind)))).toEqual(new Set(['number', 'yes_no', 'single_choice', 'multi_choice', 'text', 'photo', 'meter']));
  });

  test('IN-1 IN-2 inspection routes: the switch room twice a day with 380 V ±10 % and a kWh meter, pumps and plant rooms daily, roof and façade weekly, fire equipment monthly', async () => {
    const hv = plan('高低压配电房巡检');
    expect(hv.kind).toBe('inspection');
    expect(item(hv, 'uab')).toMatchObject({ kind: 'number', unit: 'V', min: 342, max: 418 });
    expect(item(hv, 'kwh')).toMatchObject({ kind: 'meter', unit: 'kWh' });
    const hvTimes = (await weekTasks(hv.id)).map((t) => hhmm(t.startsAt));
    expect(new Set(hvTimes)).toEqual(new Set(['09:00', '15:00']));
    expect(hvTimes).toHaveLength(14);
    const pumps = plan('水泵房巡检');
    expect(item(pumps, 'pressure')).toMatchObject({ kind: 'number', unit: 'MPa', min: 0.3, max: 0.8 });
    expect(items(plan('空调机房及锅炉房巡检')).some((i) => i.kind === 'number' && i.unit === '℃')).toBe(true);
    for (const name of ['水泵房巡检', '空调机房及锅炉房巡检', '电梯机房巡检']) expect(await weekTasks(plan(name).id), name).toHaveLength(7);
    expect(await weekTasks(plan('屋顶与外立面巡检').id)).toHaveLength(1);
    // Plant rounds go to whoever the roster has on for the trade at the time.
    expect(hv.assignee).toEqual({ type: 'duty', trade: 'electrical' });
    const electricians = new Set((await db.select({ id: staff.id, trades: staff.trades }).from(staff)).filter((s) => s.trades.includes('electrical')).map((s) => s.id));
    const hvTasks = await weekTasks(hv.id);
    expect(hvTasks.filter((t) => t.assigneeStaffId).length).toBeGreaterThan(0);
    for (const t of hvTasks) if (t.assigneeStaffId) expect(electricians.has(t.assigneeStaffId)).toBe(true);

    // The fire check is on the 1st; 2027-01-01 is 元旦 and the next working day is Monday 4 January.
    const fire = plan('消防设施月检');
    expect(fire.holidayRule).toBe('next_working_day');
    expect(occurs(fire, '2026-12-01', '2027-03-01').map(shanghaiDate)).toEqual(['2026-12-01', '2027-01-04', '2027-02-01']);
  });

  test('IN-2 the night patrol falls every 2 hours from 20:00 to 06:00 Shanghai time, over every floor\'s stairwells and the car park, to the guard on duty', async () => {
    const [patrol] = ofKind('patrol');
    expect(patrol!.rrule).toContain('BYHOUR=20,22,0,2,4');
    const week = await weekTasks(patrol!.id);
    expect(week).toHaveLength(5 * 7);
    for (const t of week) expect(['20:00', '22:00', '00:00', '02:00', '04:00']).toContain(hhmm(t.startsAt));
    // Nights of five rounds two hours apart, each over by 06:00.
    for (let i = 0; i < week.length; i += 5) {
      const night = week.slice(i, i + 5);
      expect(hhmm(night[0]!.startsAt)).toBe('20:00');
      for (let k = 1; k < 5; k++) expect(night[k]!.startsAt.getTime() - night[k - 1]!.startsAt.getTime()).toBe(2 * 3_600_000);
      expect(hhmm(night[4]!.lateAt)).toBe('06:00');
    }
    // No round in daytime, on any day of a year.
    const year = occurs(patrol!, '2026-12-01', '2027-12-01').map(hhmm);
    expect(new Set(year)).toEqual(new Set(['20:00', '22:00', '00:00', '02:00', '04:00']));

    const placeRows = await db.select({ id: places.id, code: places.code, kind: places.kind }).from(places).where(eq(places.siteId, siteId));
    const visited = new Set(patrol!.template.checkpoints.map((c) => c.placeId));
    for (const s of placeRows.filter((x) => x.kind === 'stairwell' || x.kind === 'carpark_zone')) expect(visited.has(s.id), s.code).toBe(true);

    const guards = new Set((await db.select({ id: staff.id, trades: staff.trades }).from(staff)).filter((s) => s.trades.includes('security')).map((s) => s.id));
    const named = week.filter((t) => t.assigneeStaffId);
    expect(named.length).toBeGreaterThan(week.length / 2);
    for (const t of named) expect(guards.has(t.assigneeStaffId!)).toBe(true);
  });

  test('CL-1 CL-2 CL-3 cleaning: lobby, lift cars and washrooms at least 3 times a day, corridors and stairs daily; stone monthly, carpet quarterly, metal and glass weekly; waste runs weigh the four categories in kg', async () => {
    for (const name of ['大堂及出入口保洁', '电梯轿厢保洁', '卫生间保洁']) {
      const perDay = new Map<string, number>();
      for (const t of occurs(plan(name), '2026-12-01', '2026-12-31')) perDay.set(shanghaiDate(t), (perDay.get(shanghaiDate(t)) ?? 0) + 1);
      expect(perDay.size, name).toBe(30);
      for (const n of perDay.values()) expect(n, name).toBeGreaterThanOrEqual(3);
    }
    expect(occurs(plan('走廊及楼梯清扫'), '2026-12-01', '2026-12-31')).toHaveLength(30);
    expect(occurs(plan('大堂石材结晶养护'), '2027-01-01', '2028-01-01')).toHaveLength(12);
    expect(occurs(plan('地毯清洗'), '2027-01-01', '2028-01-01')).toHaveLength(4);
    expect(occurs(plan('金属及玻璃养护'), '2027-01-01', '2028-01-01')).toHaveLength(52);
    for (const p of ofKind('cleaning')) expect(p.holidayRule, p.name).toBe('run');

    const waste = plan('垃圾分类收运');
    const kg = items(waste).filter((i): i is Extract<ChecklistItem, { kind: 'number' }> => i.kind === 'number' && i.unit === 'kg');
    expect(kg.map((i) => i.label)).toEqual(['可回收物重量', '有害垃圾重量', '湿垃圾重量', '干垃圾重量']);
    expect(await weekTasks(waste.id)).toHaveLength(14);
  });

  test('CL-5 special cleaning: exterior walls twice a year by the named contractor, drainage quarterly, a seasonal deep clean', async () => {
    const walls = plan('外墙清洗（外包：上海洁宇高空外墙清洗有限公司）');
    expect(walls.kind).toBe('special_cleaning');
    expect(items(walls).some((i) => i.label.includes('上海洁宇高空外墙清洗有限公司'))).toBe(true);
    expect(occurs(walls, '2027-01-01', '2028-01-01').map(shanghaiDate)).toEqual(['2027-04-15', '2027-10-15']);
    const drains = plan('排水管道疏通');
    expect(occurs(drains, '2027-01-01', '2028-01-01')).toHaveLength(4);
    // Phased into the demo's first week, so the kind shows from day one.
    expect(await weekTasks(drains.id)).toHaveLength(1);
    expect(occurs(plan('季节性深度保洁'), '2027-01-01', '2028-01-01').map((d) => shanghaiDate(d).slice(5, 7))).toEqual(['03', '06', '09', '12']);
  });

  test('GR-1 GR-2 greening: pruning, mowing, fertilising, pest control with a chemical-use record, irrigation, flowers and landscape features', async () => {
    const names = ofKind('greening').map((p) => p.name);
    for (const n of ['乔灌木及绿篱修剪', '草坪修剪', '季节性施肥', '病虫害防治（用药记录）', '灌溉系统检查', '时花更换', '景观小品维护']) expect(names).toContain(n);
    const pest = plan('病虫害防治（用药记录）');
    expect(item(pest, 'product')).toMatchObject({ kind: 'text' });
    expect(item(pest, 'dose')).toMatchObject({ kind: 'number', unit: 'mL' });
    expect(item(pest, 'area')).toMatchObject({ kind: 'number', unit: 'm²' });
    expect(item(pest, 'weather')).toMatchObject({ kind: 'single_choice', failing: ['小雨', '大风'] });
    expect(occurs(plan('时花更换'), '2027-01-01', '2028-01-01')).toHaveLength(4);
    expect(occurs(plan('景观小品维护'), '2027-01-01', '2028-01-01')).toHaveLength(12);
    for (const p of ofKind('greening')) expect(p.assignee).toEqual({ type: 'trade', trade: 'greening' });
  });

  test('CM-1 customer interviews: every tenant company is on a plan — six key accounts monthly, the rest once every 12 weeks, one group each week', async () => {
    const firms = await db.select({ name: companies.name, unitIds: companies.unitIds }).from(companies).where(eq(companies.siteId, siteId));
    const interviews = ofKind('interview');
    const visited = interviews.flatMap((p) => p.template.checkpoints.map((c) => c.placeId));
    expect(new Set(visited).size).toBe(visited.length);
    expect(new Set(visited)).toEqual(new Set(firms.map((f) => f.unitIds[0])));
    // The record names the company and asks for follow-up actions.
    for (const f of firms) expect(interviews.some((p) => p.template.checkpoints.some((c) => c.items.some((i) => i.label.includes(f.name)))), f.name).toBe(true);
    const key = plan('重点客户月度走访');
    expect(key.template.checkpoints).toHaveLength(6);
    expect(item(key, 'follow_up')).toMatchObject({ kind: 'yes_no', expected: false });
    expect(item(key, 'actions')).toMatchObject({ kind: 'text' });
    expect(occurs(key, '2027-01-01', '2028-01-01')).toHaveLength(12);
    const groups = interviews.filter((p) => p !== key);
    expect(groups).toHaveLength(12);
    // Over twelve weeks every group goes once, one a week.
    const weeks = groups.flatMap((g) => occurs(g, '2027-01-04', '2027-03-29').map((d) => shanghaiDate(d)));
    expect(weeks).toHaveLength(12);
    expect(new Set(weeks).size).toBe(12);
  });

  test('CS-7 training: quarterly skills per department, laws yearly, team-work half-yearly; attendance as a number and the result', async () => {
    const trainings = ofKind('training');
    expect(trainings.filter((p) => p.name.endsWith('季度技能培训'))).toHaveLength(4);
    for (const p of trainings.filter((x) => x.name.endsWith('季度技能培训'))) expect(occurs(p, '2027-01-01', '2028-01-01'), p.name).toHaveLength(4);
    expect(occurs(plan('法律法规年度培训'), '2027-01-01', '2028-01-01')).toHaveLength(1);
    expect(occurs(plan('团队协作半年度培训'), '2027-01-01', '2028-01-01')).toHaveLength(2);
    for (const p of trainings) {
      expect(item(p, 'attended'), p.name).toMatchObject({ kind: 'number', unit: '人' });
      expect(item(p, 'result'), p.name).toMatchObject({ kind: 'single_choice', failing: ['不合格'] });
      expect(item(p, 'sign_in'), p.name).toMatchObject({ kind: 'photo', required: true });
    }
  });
});

test('IN-2 CL-5 CM-1 CS-7 whatever day of a year the demo is seeded on, every kind has tasks in its first week', async () => {
  const missing: string[] = [];
  const lookups = await demoLookups(db, siteId, DEMO_REFERENCE_DAY);
  for (let day = '2026-12-01'; day < '2027-12-01'; day = addDays(day, 1)) {
    const now = shanghaiInstant(day, '10:30');
    const to = new Date(now.getTime() + 7 * 86_400_000);
    const kinds = new Set(demoPlans({ ...lookups, today: day })
      .filter((p) => occurrencesBetween({ ...p, holidayRule: p.holidayRule ?? planKindDef(p.kind).defaultHolidayRule }, now, to, cal).length > 0)
      .map((p) => p.kind));
    // In a week that is mostly days off (春节, 国庆) the office routines rightly wait for the next
    // working day; the building's own (rounds, patrols, cleaning) never do.
    const working = [1, 2, 3, 4, 5, 6, 7].filter((n) => isWorkingDay(cal, addDays(day, n))).length;
    const needed = working >= 3 ? PLAN_KINDS : PLAN_KINDS.filter((k) => planKindDef(k).defaultHolidayRule === 'run');
    for (const k of needed) if (!kinds.has(k)) missing.push(`${day} ${k}`);
  }
  expect(missing).toEqual([]);
});

test('the same day gives the same plans and the same week of tasks (content, not ids)', async () => {
  await seedTower(againDb.db, DEMO_REFERENCE_DAY, NOW);
  const content = async (d: typeof db) => {
    const code = new Map((await d.select({ id: places.id, code: places.code }).from(places)).map((p) => [p.id, p.code]));
    const emp = new Map((await d.select({ id: staff.id, no: staff.employeeNo }).from(staff)).map((p) => [p.id, p.no]));
    const rows = await d.select({ p: plans, template: planVersions.template }).from(plans).innerJoin(planVersions, eq(planVersions.planId, plans.id)).orderBy(asc(plans.name));
    const taskRows = await d.select({ name: plans.name, startsAt: tasks.startsAt, who: tasks.assigneeStaffId }).from(tasks).innerJoin(plans, eq(plans.id, tasks.planId))
      .where(gte(tasks.startsAt, NOW)).orderBy(asc(plans.name), asc(tasks.startsAt));
    return {
      plans: rows.map(({ p, template }) => [p.kind, p.name, p.rrule, p.startsOn, p.holidayRule, p.durationMinutes, p.graceMinutes,
        p.assignee.type === 'staff' ? emp.get(p.assignee.staffId) : p.assignee,
        template.checkpoints.map((c) => [code.get(c.placeId), c.order, c.items])]),
      tasks: taskRows.map((t) => [t.name, t.startsAt.toISOString(), t.who ? emp.get(t.who) : null]),
    };
  };
  expect(await content(againDb.db)).toEqual(await content(db));
});

describe('holiday rules on the working calendar', () => {
  let holidayPlans: Array<typeof plans.$inferSelect>;
  beforeAll(async () => {
    await seedTower(holidayDb.db, '2026-09-30', shanghaiInstant('2026-09-30', '10:30'));
    holidayPlans = await holidayDb.db.select().from(plans);
  });
  const datesOf = async (name: string) => (await holidayDb.db.select({ startsAt: tasks.startsAt }).from(tasks)
    .where(eq(tasks.planId, holidayPlans.find((p) => p.name === name)!.id)).orderBy(asc(tasks.startsAt))).map((t) => shanghaiDate(t.startsAt));

  test('IN-2 the desk opening check skips 国庆 (1–7 Oct) and runs on the 调休 Saturday; patrols and cleaning run through the holiday', async () => {
    // From 30 Sep 10:30 to 7 Oct 10:30: the 30th's 08:15 has passed, then a week of holiday.
    expect(await datesOf('服务台开班检查')).toEqual([]);
    const patrolDays = new Set(await datesOf('夜间安全巡逻'));
    for (const d of ['2026-10-01', '2026-10-04', '2026-10-07']) expect(patrolDays.has(d), d).toBe(true);
    // Washrooms every day of it: the 30th's afternoon rounds, 1–7 October.
    expect(new Set(await datesOf('卫生间保洁')).size).toBe(8);
    // Later on the same calendar: back on Thursday 8 Oct, on make-up Saturday 10 Oct, not on Sunday 11 Oct.
    const desk = holidayPlans.find((p) => p.name === '服务台开班检查')!;
    const later = occurrencesBetween({ ...desk, holidayRule: desk.holidayRule as HolidayRule }, shanghaiInstant('2026-10-01'), shanghaiInstant('2026-10-13'), await siteCalendar(holidayDb.db, desk.siteId));
    expect(later.map((o) => `${shanghaiDate(o.startsAt)} ${hhmm(o.startsAt)}`)).toEqual(['2026-10-08 08:15', '2026-10-09 08:15', '2026-10-10 08:15', '2026-10-12 08:15']);
  });
});

describe('through the API', () => {
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-files-'));
  let app: Awaited<ReturnType<typeof buildApp>>;
  let cookie = '';
  beforeAll(async () => {
    app = await buildApp({ db, now: () => NOW, logLevel: 'silent', filesDir });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'supervisor', password: DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    cookie = res.cookies.find((c) => c.name === 'td_sid')!.value;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });
  const as = (opts: { method: 'GET' | 'POST'; url: string; payload?: unknown }) =>
    app.inject({ ...opts, payload: opts.payload as never, headers: { 'x-requested-with': 'towerdesk' }, cookies: { td_sid: cookie } });

  test('IN-1 IN-2 the supervisor lists the demo plans, and tonight\'s patrol rounds show on the day\'s tasks', async () => {
    const res = await as({ method: 'GET', url: '/api/plans' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(all.length);
    const night = await as({ method: 'GET', url: `/api/tasks?date=${DEMO_REFERENCE_DAY}&state=scheduled&planId=${ofKind('patrol')[0]!.id}` });
    expect(night.json().items.map((t: { startsAt: string }) => hhmm(new Date(t.startsAt)))).toEqual(['20:00', '22:00']);
  });

  // Last: it adds plans. The API accepts each seeded plan as it stands, so the seed bypasses none of its checks.
  test('IN-1 every seeded plan would be accepted by POST /api/plans unchanged', async () => {
    for (const p of all) {
      const res = await as({
        method: 'POST', url: '/api/plans', payload: {
          kind: p.kind, name: p.name, nameEn: p.nameEn, rrule: p.rrule, startsOn: p.startsOn, holidayRule: p.holidayRule,
          durationMinutes: p.durationMinutes, graceMinutes: p.graceMinutes, assignee: p.assignee, template: p.template,
        },
      });
      expect(res.statusCode, `${p.name}: ${res.body}`).toBe(201);
    }
  });
});
