import ExcelJS from 'exceljs';
import { and, eq, gte } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { staff } from '../parties/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { RECORDS_HEADERS, CHEMICAL_HEADERS } from './records.ts';
import { plans, taskAnswers, taskCheckpoints, tasks } from './schema.ts';

/**
 * Records of the rounds (IN-5, AR-1, GR-2) over a fixed set of tasks written straight into the
 * tables (the rounds service that fills them in real use has its own tests):
 *
 * 配电房巡检 (daily 08:00, window 60 min + grace 30: late after 09:30), done by 张师傅:
 *   2 Nov done on time, both checkpoints scanned, readings 0.45 MPa;
 *   3 Nov done late (10:00), checkpoint 2 scanned late and out of order, 0.70 MPa a finding → FD work item;
 *   4 Nov missed (no checkpoint);
 *   5 Nov done on time without checkpoint 2 (missed checkpoint).
 * 夜间巡逻 (daily 22:00 at the building), by 李保安: 2 Nov done on time; 3 Nov missed.
 * 病虫害防治 (greening, 3 Nov), two checkpoints: one spraying (product, dose, area, weather), one without product.
 * 季节性施肥 (greening, 3 Nov): a product but no dose item — fertiliser, not a chemical use.
 */
const t = await testApp();
const { siteId, buildingId, floor12Id, unitAId, unitBId, techStaffId, accountIds } = t.world;
for (const role of ['supervisor', 'agent', 'owner_rep', 'occupant', 'technician']) await t.login(role);

const at = (s: string) => new Date(`${s}+08:00`);
let planA = '';
let planB = '';
let planG = '';
let planF = '';
let guardId = '';
const taskA: Record<string, string> = {};
const taskB: Record<string, string> = {};
let findingNumber = '';

async function createPlan(body: Record<string, unknown>) {
  const res = await t.as('supervisor', { method: 'POST', url: '/api/plans', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** The plan's generated tasks by Shanghai day; the others are deleted (a fixed set). */
async function keepDays(planId: string, days: string[]) {
  const rows = await t.db.select().from(tasks).where(eq(tasks.planId, planId));
  const out: Record<string, string> = {};
  for (const r of rows) {
    const day = new Date(r.startsAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    if (days.includes(day)) out[day] = r.id;
    else await t.db.delete(tasks).where(eq(tasks.id, r.id));
  }
  expect(Object.keys(out).sort()).toEqual([...days].sort());
  return out;
}

const cp = (taskId: string, planId: string, checkpoint: number, placeId: string, v: Partial<typeof taskCheckpoints.$inferInsert> = {}) => ({
  siteId, taskId, planId, checkpoint, placeId, state: 'visited', receivedAt: v.at ?? new Date(), proof: 'qr', ...v,
});
const ans = (taskId: string, planId: string, checkpoint: number, placeId: string, itemId: string, kind: string, v: Partial<typeof taskAnswers.$inferInsert> & { at: Date }) => ({
  siteId, taskId, planId, checkpoint, placeId, itemId, kind, receivedAt: v.at, ...v,
});

beforeAll(async () => {
  const [g] = await t.db.insert(staff).values({ siteId, employeeNo: 'E077', name: '李保安', phone: '13900000077', position: '保安', trades: ['security'], hireDate: '2021-01-01', experienceYears: 3 }).returning();
  guardId = g!.id;
  t.clock.set('2026-11-02T06:00:00+08:00');
  planA = await createPlan({
    kind: 'inspection', name: '配电房巡检', nameEn: 'Electrical room rounds', rrule: 'FREQ=DAILY;BYHOUR=8;BYMINUTE=0', holidayRule: 'run',
    durationMinutes: 60, graceMinutes: 30, assignee: { type: 'staff', staffId: techStaffId },
    template: { checkpoints: [
      { placeId: floor12Id, order: 1, items: [
        { id: 'pressure', label: '出水压力', kind: 'number', unit: 'MPa', min: 0.3, max: 0.6 },
        { id: 'smell', label: '有无焦糊味', kind: 'yes_no', expected: false },
      ] },
      { placeId: unitAId, order: 2, items: [{ id: 'state', label: '设备状态', kind: 'single_choice', options: ['正常', '异响'], failing: ['异响'] }] },
    ] },
  });
  planB = await createPlan({
    kind: 'patrol', name: '夜间巡逻', rrule: 'FREQ=DAILY;BYHOUR=22;BYMINUTE=0', holidayRule: 'run', durationMinutes: 60, graceMinutes: 15,
    assignee: { type: 'staff', staffId: guardId },
    template: { checkpoints: [{ placeId: buildingId, order: 1, items: [{ id: 'door', label: '门已锁好', kind: 'yes_no', expected: true }] }] },
  });
  planG = await createPlan({
    kind: 'greening', name: '病虫害防治', rrule: 'FREQ=DAILY;BYHOUR=14;BYMINUTE=0', holidayRule: 'run', durationMinutes: 120, graceMinutes: 60,
    assignee: { type: 'staff', staffId: techStaffId },
    template: { checkpoints: [1, 2].map((order) => ({
      placeId: order === 1 ? unitBId : unitAId, order, items: [
        { id: 'product', label: '药剂名称', kind: 'text' },
        { id: 'dose', label: '用量', kind: 'number', unit: 'ml' },
        { id: 'area', label: '施用面积', kind: 'number', unit: 'm²' },
        { id: 'weather', label: '天气', kind: 'single_choice', options: ['晴', '多云', '阴'], failing: [] },
      ],
    })) },
  });
  planF = await createPlan({
    kind: 'greening', name: '季节性施肥', rrule: 'FREQ=DAILY;BYHOUR=15;BYMINUTE=0', holidayRule: 'run', durationMinutes: 120, graceMinutes: 60,
    assignee: { type: 'staff', staffId: techStaffId },
    template: { checkpoints: [{ placeId: unitBId, order: 1, items: [
      { id: 'product', label: '肥料名称及规格', kind: 'text' }, { id: 'amount', label: '施肥量', kind: 'number', unit: 'kg' }, { id: 'area', label: '施肥面积', kind: 'number', unit: 'm²' },
    ] }] },
  });
  const taskF = (await keepDays(planF, ['2026-11-03']))['2026-11-03']!;
  await t.db.insert(taskAnswers).values(ans(taskF, planF, 1, unitBId, 'product', 'text', { text: '复合肥 15-15-15', at: at('2026-11-03T15:10:00'), staffId: techStaffId }));
  Object.assign(taskA, await keepDays(planA, ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']));
  Object.assign(taskB, await keepDays(planB, ['2026-11-02', '2026-11-03']));
  const taskG = (await keepDays(planG, ['2026-11-03']))['2026-11-03']!;

  const [finding] = await t.db.insert(workItems).values({
    siteId, number: 'FD-20261103-0001', kind: 'finding', category: 'electrical', urgency: 'normal', state: 'open', title: '出水压力 0.7MPa 高于上限',
    description: '巡检发现', channel: 'task', createdBy: accountIds.supervisor, createdAt: at('2026-11-03T09:10:00'), updatedAt: at('2026-11-03T09:10:00'), placeId: floor12Id,
    taskId: taskA['2026-11-03'], taskCheckpoint: 1,
  }).returning();
  findingNumber = finding!.number;

  const done = (id: string, start: string, end: string, by: string) => t.db.update(tasks)
    .set({ state: 'done', startedAt: at(start), startedBy: by, finishedAt: at(end), finishedBy: by }).where(eq(tasks.id, id));
  // 2 Nov: on time.
  await done(taskA['2026-11-02']!, '2026-11-02T08:05:00', '2026-11-02T08:50:00', techStaffId);
  await t.db.insert(taskCheckpoints).values([
    cp(taskA['2026-11-02']!, planA, 1, floor12Id, { at: at('2026-11-02T08:10:00'), staffId: techStaffId }),
    cp(taskA['2026-11-02']!, planA, 2, unitAId, { at: at('2026-11-02T08:40:00'), staffId: techStaffId }),
  ]);
  await t.db.insert(taskAnswers).values([
    ans(taskA['2026-11-02']!, planA, 1, floor12Id, 'pressure', 'number', { num: 0.45, unit: 'MPa', at: at('2026-11-02T08:11:00'), staffId: techStaffId }),
    ans(taskA['2026-11-02']!, planA, 1, floor12Id, 'smell', 'yes_no', { bool: false, at: at('2026-11-02T08:12:00'), staffId: techStaffId }),
    ans(taskA['2026-11-02']!, planA, 2, unitAId, 'state', 'single_choice', { list: ['正常'], at: at('2026-11-02T08:41:00'), staffId: techStaffId }),
  ]);
  // 3 Nov: finished late; checkpoint 2 scanned first (out of order) and late.
  await done(taskA['2026-11-03']!, '2026-11-03T08:20:00', '2026-11-03T10:00:00', techStaffId);
  await t.db.insert(taskCheckpoints).values([
    cp(taskA['2026-11-03']!, planA, 2, unitAId, { at: at('2026-11-03T09:40:00'), staffId: techStaffId, outOfOrder: true, late: true }),
    cp(taskA['2026-11-03']!, planA, 1, floor12Id, { at: at('2026-11-03T09:05:00'), staffId: techStaffId, proof: 'manual', reason: '二维码污损' }),
  ]);
  await t.db.insert(taskAnswers).values([
    ans(taskA['2026-11-03']!, planA, 1, floor12Id, 'pressure', 'number', { num: 0.7, unit: 'MPa', finding: true, findingItemId: finding!.id, at: at('2026-11-03T09:06:00'), staffId: techStaffId }),
    ans(taskA['2026-11-03']!, planA, 2, unitAId, 'state', 'single_choice', { list: ['正常'], at: at('2026-11-03T09:41:00'), staffId: techStaffId }),
  ]);
  // 4 Nov: missed.
  await t.db.update(tasks).set({ state: 'missed' }).where(eq(tasks.id, taskA['2026-11-04']!));
  // 5 Nov: on time, checkpoint 2 never scanned.
  await done(taskA['2026-11-05']!, '2026-11-05T08:00:00', '2026-11-05T09:00:00', techStaffId);
  await t.db.insert(taskCheckpoints).values([
    cp(taskA['2026-11-05']!, planA, 1, floor12Id, { at: at('2026-11-05T08:10:00'), staffId: techStaffId }),
    cp(taskA['2026-11-05']!, planA, 2, unitAId, { state: 'missed', at: null, proof: null, receivedAt: at('2026-11-05T09:00:00') }),
  ]);
  await t.db.insert(taskAnswers).values(ans(taskA['2026-11-05']!, planA, 1, floor12Id, 'pressure', 'number', { num: 0.5, unit: 'MPa', at: at('2026-11-05T08:11:00'), staffId: techStaffId }));
  // Patrol: 2 Nov on time, 3 Nov missed.
  await done(taskB['2026-11-02']!, '2026-11-02T22:05:00', '2026-11-02T22:40:00', guardId);
  await t.db.insert(taskCheckpoints).values(cp(taskB['2026-11-02']!, planB, 1, buildingId, { at: at('2026-11-02T22:10:00'), staffId: guardId }));
  await t.db.insert(taskAnswers).values(ans(taskB['2026-11-02']!, planB, 1, buildingId, 'door', 'yes_no', { bool: true, at: at('2026-11-02T22:11:00'), staffId: guardId }));
  await t.db.update(tasks).set({ state: 'missed' }).where(eq(tasks.id, taskB['2026-11-03']!));
  // Greening: one spraying at 1202, nothing sprayed at 1201 (no product).
  await done(taskG, '2026-11-03T14:00:00', '2026-11-03T15:00:00', techStaffId);
  await t.db.insert(taskCheckpoints).values([
    cp(taskG, planG, 1, unitBId, { at: at('2026-11-03T14:05:00'), staffId: techStaffId }),
    cp(taskG, planG, 2, unitAId, { at: at('2026-11-03T14:35:00'), staffId: techStaffId }),
  ]);
  await t.db.insert(taskAnswers).values([
    ans(taskG, planG, 1, unitBId, 'product', 'text', { text: '吡虫啉 10% 可湿性粉剂', at: at('2026-11-03T14:10:00'), staffId: techStaffId }),
    ans(taskG, planG, 1, unitBId, 'dose', 'number', { num: 500, unit: 'ml', at: at('2026-11-03T14:11:00'), staffId: techStaffId }),
    ans(taskG, planG, 1, unitBId, 'area', 'number', { num: 120, unit: 'm²', at: at('2026-11-03T14:12:00'), staffId: techStaffId }),
    ans(taskG, planG, 1, unitBId, 'weather', 'single_choice', { list: ['晴'], at: at('2026-11-03T14:12:00'), staffId: techStaffId }),
    ans(taskG, planG, 2, unitAId, 'product', 'text', { text: '', at: at('2026-11-03T14:40:00'), staffId: techStaffId }),
    ans(taskG, planG, 2, unitAId, 'weather', 'single_choice', { list: ['晴'], at: at('2026-11-03T14:40:00'), staffId: techStaffId }),
  ]);
  await done(taskF, '2026-11-03T15:00:00', '2026-11-03T15:30:00', techStaffId);
  await t.db.insert(taskCheckpoints).values(cp(taskF, planF, 1, unitBId, { at: at('2026-11-03T15:05:00'), staffId: techStaffId }));
  t.clock.set('2026-11-10T12:00:00+08:00');
});

const get = (url: string, who = 'supervisor', lang?: string) => t.as(who, { method: 'GET', url, headers: lang ? { 'accept-language': lang } : undefined });
const P = 'from=2026-11-01&to=2026-11-09';
type Rec = { id: string; planName: string; state: string; late: boolean; missedCheckpoints: number; findings: number; checkpoints: Array<{ order: number; outOfOrder: boolean; late: boolean; proof: string }> };
const ids = (res: { json(): { items: Rec[] } }) => res.json().items.map((r) => r.id).sort();

describe('IN-5 AR-1 records search', () => {
  test('IN-5 records of a period list task and checkpoint records newest first with counts and flags', async () => {
    const res = await get(`/api/records/tasks?${P}&planId=${planA}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Rec[]; total: number };
    expect(body.total).toBe(4);
    expect(body.items.map((r) => r.id)).toEqual([taskA['2026-11-05'], taskA['2026-11-04'], taskA['2026-11-03'], taskA['2026-11-02']]);
    const late = body.items.find((r) => r.id === taskA['2026-11-03'])!;
    expect(late).toMatchObject({ state: 'done', late: true, findings: 1, missedCheckpoints: 0, planName: '配电房巡检' });
    expect(late.checkpoints).toEqual([
      expect.objectContaining({ order: 1, proof: 'manual', outOfOrder: false, late: false }),
      expect.objectContaining({ order: 2, proof: 'qr', outOfOrder: true, late: true }),
    ]);
    expect(body.items.find((r) => r.id === taskA['2026-11-05'])).toMatchObject({ late: false, missedCheckpoints: 1 });
    expect(body.items.find((r) => r.id === taskA['2026-11-04'])).toMatchObject({ state: 'missed', missedCheckpoints: 2 });
    // Paged: the total stays, the page is the limit.
    const page = await get(`/api/records/tasks?${P}&planId=${planA}&limit=1&offset=1`);
    expect(page.json()).toMatchObject({ total: 4, items: [{ id: taskA['2026-11-04'] }] });
  });

  test('IN-5 AR-1 filters: place subtree, person, kind and result (findings / missed / late)', async () => {
    // The floor holds 配电房巡检's checkpoints (the floor and 1201 inside it); the patrol's is the building above it.
    expect(ids(await get(`/api/records/tasks?${P}&placeId=${floor12Id}&kind=inspection`))).toEqual(Object.values(taskA).sort());
    expect(ids(await get(`/api/records/tasks?${P}&placeId=${unitAId}&kind=inspection`))).toEqual(Object.values(taskA).sort());
    expect(ids(await get(`/api/records/tasks?${P}&placeId=${buildingId}&kind=patrol`))).toEqual(Object.values(taskB).sort());
    expect(ids(await get(`/api/records/tasks?${P}&placeId=${unitBId}&kind=inspection`))).toEqual([]);
    expect(ids(await get(`/api/records/tasks?${P}&staffId=${guardId}`))).toEqual(Object.values(taskB).sort());
    expect(ids(await get(`/api/records/tasks?${P}&result=findings`))).toEqual([taskA['2026-11-03']]);
    expect(ids(await get(`/api/records/tasks?${P}&result=missed&kind=inspection`))).toEqual([taskA['2026-11-04'], taskA['2026-11-05']].sort());
    expect(ids(await get(`/api/records/tasks?${P}&result=missed&kind=patrol`))).toEqual([taskB['2026-11-03']]);
    expect(ids(await get(`/api/records/tasks?${P}&result=late&planId=${planA}`))).toEqual([taskA['2026-11-03']]);
    // A period that ends before the tasks finds none.
    expect((await get('/api/records/tasks?from=2026-10-01&to=2026-10-31')).json().total).toBe(0);
  });

  test('IN-5 AR-1 the XLSX export is a workbook with one row per answer, the expected headers, a missed sheet, and one audit row', async () => {
    const since = new Date();
    const res = await get(`/api/records/tasks.xlsx?${P}&planId=${planA}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('巡检记录-2026-11-01-2026-11-09.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('巡检记录')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(RECORDS_HEADERS);
    expect(ws.rowCount).toBe(1 + 6);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => (ws.getRow(i + 2).values as unknown[]).slice(1));
    const high = rows.find((r) => r[7] === '0.7MPa')!;
    expect(high).toEqual(['2026-11-03 09:06', '配电房巡检', '巡检', '2026-11-03 08:00', '12层', 'JW-T1-F12', '出水压力', '0.7MPa', '异常：0.7MPa 高于上限 0.6MPa', '张师傅', findingNumber]);
    expect(rows.find((r) => r[6] === '有无焦糊味')!.slice(7, 9)).toEqual(['否', '正常']);
    const missed = wb.getWorksheet('漏检')!;
    // 4 Nov's two checkpoints and 5 Nov's second.
    expect(missed.rowCount).toBe(1 + 3);
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'report.records_export'), gte(auditLog.at, new Date(since.getTime() - 86_400_000 * 30))));
    expect(row).toMatchObject({ entityType: 'task', after: expect.objectContaining({ rows: 6, missed: 3 }) });
  });
});

describe('IN-5 the desk\'s day board', () => {
  test('IN-5 a day\'s tasks come in start order with progress, late and missed flags, those still to come too', async () => {
    t.clock.set('2026-11-03T12:00:00+08:00');
    try {
      const res = await get('/api/records/day?date=2026-11-03');
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json().items as Array<{ id: string; state: string; late: boolean; visited: number; planned: number }>;
      // 08:00 rounds (done late), 14:00 spraying and 15:00 fertilising (still to come at noon), 22:00 patrol.
      expect(rows.map((r) => r.id)).toEqual([taskA['2026-11-03'], expect.any(String), expect.any(String), taskB['2026-11-03']]);
      expect(rows[0]).toMatchObject({ state: 'done', late: true, visited: 2, planned: 2 });
      const missed = await get('/api/records/day?date=2026-11-03&state=missed');
      expect(missed.json().items.map((r: { id: string }) => r.id)).toEqual([taskB['2026-11-03']]);
    } finally {
      t.clock.set('2026-11-10T12:00:00+08:00');
    }
  });
});

describe('IN-5 rates, missed checkpoints, readings, route report', () => {
  test('IN-5 completion and on-time rates per plan: done on time, done late, missed; checkpoints missed too', async () => {
    const res = await get(`/api/records/rates?${P}&by=plan`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const a = body.items.find((r: { key: string }) => r.key === planA);
    // 4 tasks: 3 done (2 on time, 1 late), 1 missed; checkpoints 8 planned, 5 visited.
    expect(a).toMatchObject({ name: '配电房巡检', kind: 'inspection', tasks: 4, done: 3, onTime: 2, missed: 1, completionRate: 0.75, onTimeRate: 0.5, checkpoints: 8, visitedCheckpoints: 5, missedCheckpoints: 3 });
    const b = body.items.find((r: { key: string }) => r.key === planB);
    expect(b).toMatchObject({ tasks: 2, done: 1, onTime: 1, missed: 1, completionRate: 0.5 });
    expect(body.total).toMatchObject({ tasks: 8, done: 6, onTime: 5, missed: 2 });

    const persons = (await get(`/api/records/rates?${P}&by=person&kind=patrol`)).json();
    expect(persons.items).toEqual([expect.objectContaining({ key: guardId, name: '李保安', tasks: 2, done: 1 })]);
    const weeks = (await get(`/api/records/rates?${P}&by=week&planId=${planA}`)).json();
    expect(weeks.items.map((w: { key: string; tasks: number }) => [w.key, w.tasks])).toEqual([['2026-W45', 4]]);
    const en = (await get(`/api/records/rates?${P}&by=kind`, 'supervisor', 'en')).json();
    expect(en.items.map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['Inspection', 'Security patrol', 'Greening']));
  });

  test('IN-5 missed checkpoints list: plan, task time, place, who should have been there', async () => {
    const res = await get(`/api/records/missed?${P}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toBe(4);
    expect(body.items.map((m: { startsAt: string; checkpoint: number; place: { name: string }; assigneeName: string }) => [m.startsAt, m.checkpoint, m.place.name, m.assigneeName])).toEqual([
      ['2026-11-05T00:00:00.000Z', 2, '1201室', '张师傅'],
      ['2026-11-03T14:00:00.000Z', 1, '主楼', '李保安'],
      ['2026-11-04T00:00:00.000Z', 1, '12层', '张师傅'],
      ['2026-11-04T00:00:00.000Z', 2, '1201室', '张师傅'],
    ].sort((x, y) => (y[0] as string).localeCompare(x[0] as string)));
    const at1201 = (await get(`/api/records/missed?${P}&placeId=${unitAId}`)).json();
    expect(at1201.total).toBe(2);
  });

  test('IN-5 readings: a time series of one item at one place with the template band', async () => {
    const items = (await get('/api/records/readings/items')).json().items;
    expect(items).toContainEqual(expect.objectContaining({ planId: planA, placeId: floor12Id, itemId: 'pressure', unit: 'MPa', min: 0.3, max: 0.6 }));
    const res = await get(`/api/records/readings?${P}&placeId=${floor12Id}&itemId=pressure`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.item).toMatchObject({ label: '出水压力', unit: 'MPa', min: 0.3, max: 0.6, placeName: '12层' });
    expect(body.points.map((p: { at: string; value: number; finding: boolean }) => [p.at, p.value, p.finding])).toEqual([
      ['2026-11-02T00:11:00.000Z', 0.45, false], ['2026-11-03T01:06:00.000Z', 0.7, true], ['2026-11-05T00:11:00.000Z', 0.5, false],
    ]);
    expect(body.summary).toMatchObject({ n: 3, min: 0.45, max: 0.7, outOfRange: 1 });
    const none = await get(`/api/records/readings?${P}&placeId=${unitAId}&itemId=pressure`);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].field).toBe('querystring.itemId');
  });

  test('IN-5 a month\'s route report per plan: tasks, done, on time, missed checkpoints, findings, answers', async () => {
    const res = await get('/api/records/routes/monthly?month=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json().items.find((r: { planId: string }) => r.planId === planA);
    expect(a).toMatchObject({ tasks: 4, decided: 4, done: 3, onTime: 2, missed: 1, missedCheckpoints: 3, answers: 6, findings: 1 });
    expect(res.json()).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    const bad = await get('/api/records/routes/monthly?month=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('querystring.month');
  });
});

describe('GR-2 chemical-use log', () => {
  test('GR-2 each pest and disease control use is one row with product, dose, area and weather (fertilising is not one); exported as XLSX with an audit row', async () => {
    const res = await get(`/api/records/chemicals?${P}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({
      planName: '病虫害防治', placeName: '1202室', product: '吡虫啉 10% 可湿性粉剂', dose: '500ml', area: '120m²', weather: '晴', staffName: '张师傅', at: '2026-11-03T06:10:00.000Z',
    })]);
    const before = await t.auditCount();
    const x = await get(`/api/records/chemicals.xlsx?${P}`);
    expect(x.statusCode, x.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(CHEMICAL_HEADERS);
    expect((ws.getRow(2).values as unknown[]).slice(1, 10)).toEqual(['2026-11-03 14:10', '病虫害防治', '1202室', '', '吡虫啉 10% 可湿性粉剂', '', '500ml', '120m²', '晴']);
    expect(await t.auditCount()).toBe(before + 1);
  });
});

describe('IN-5 bad input and who may see what', () => {
  test('IN-5 a missing or reversed period, an unknown plan or place → 400 naming the field; nothing is exported', async () => {
    const field = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      return res.json().error.fields.map((f: { field: string }) => f.field);
    };
    expect(await field('/api/records/tasks')).toEqual(expect.arrayContaining(['querystring.from', 'querystring.to']));
    expect(await field('/api/records/tasks?from=2026-11-09&to=2026-11-01')).toEqual(['querystring.to']);
    expect(await field('/api/records/tasks?from=2025-01-01&to=2026-11-01')).toEqual(['querystring.to']);
    expect(await field(`/api/records/rates?${P}&planId=${crypto.randomUUID()}`)).toEqual(['querystring.planId']);
    expect(await field(`/api/records/missed?${P}&placeId=${crypto.randomUUID()}`)).toEqual(['querystring.placeId']);
    expect(await field(`/api/records/rates?${P}&by=floor`)).toEqual(['querystring.by']);
    const before = await t.auditCount();
    expect(await field('/api/records/tasks.xlsx?from=2026-11-09&to=2026-11-01')).toEqual(['querystring.to']);
    expect(await field('/api/records/chemicals.xlsx?from=2026-11-01')).toEqual(['querystring.to']);
    expect(await t.auditCount()).toBe(before);
    const en = await get('/api/records/tasks?from=2026-11-09&to=2026-11-01', 'supervisor', 'en');
    expect(en.json().error.fields[0].message).toBe('The end date is before the start date');
  });

  test('IN-5 AR-1 the desk and the owner\'s representative read records; an occupant or a technician gets 403; an agent may not export', async () => {
    for (const who of ['supervisor', 'agent', 'owner_rep']) expect((await get(`/api/records/tasks?${P}`, who)).statusCode, who).toBe(200);
    for (const who of ['occupant', 'technician']) {
      expect((await get(`/api/records/tasks?${P}`, who)).statusCode, who).toBe(403);
      expect((await get(`/api/records/readings?${P}&placeId=${floor12Id}&itemId=pressure`, who)).statusCode, who).toBe(403);
    }
    expect((await get(`/api/records/tasks.xlsx?${P}`, 'agent')).statusCode).toBe(403);
    expect((await get(`/api/records/tasks.xlsx?${P}`, 'owner_rep')).statusCode).toBe(200);
    // Inactive plans' records stay readable.
    await t.db.update(plans).set({ active: false }).where(eq(plans.id, planB));
    expect((await get(`/api/records/tasks?${P}&planId=${planB}`)).json().total).toBe(2);
  });
});
