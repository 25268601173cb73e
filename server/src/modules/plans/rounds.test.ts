import { and, eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { PASSWORD, testApp } from '../../../test/harness.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { accounts } from '../accounts/schema.ts';
import { auditLog } from '../audit/schema.ts';
import { notifications } from '../notifications/schema.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { flagOverdueTasks } from './rounds.ts';
import { taskAnswers, taskCheckpoints, tasks } from './schema.ts';

const t = await testApp();
const { floor12Id, unitAId, unitBId, siteId } = t.world;
for (const role of ['supervisor', 'technician', 'guard']) await t.login(role);

// A second electrician, to show who owns a task once it is started.
const [tech2] = await t.db.insert(staff).values({ siteId, employeeNo: 'E002', name: '李师傅', phone: '13900000002', position: '电工', trades: ['electrical'], hireDate: '2021-05-01' }).returning();
await t.db.insert(accounts).values({ siteId, username: 'tech2', displayName: '李师傅', passwordHash: await hashPassword(PASSWORD), roles: ['technician'], staffId: tech2!.id });

const tokenOf = async (placeId: string) => (await t.db.select({ q: places.qrToken }).from(places).where(eq(places.id, placeId)))[0]!.q;

async function upload(who: string, key?: string) {
  const sharp = (await import('sharp')).default;
  const bytes = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#fff' } }).jpeg().toBuffer();
  const b = 'rdBoundary';
  const res = await t.as(who, {
    method: 'POST', url: '/api/uploads', headers: { 'content-type': `multipart/form-data; boundary=${b}`, ...(key ? { 'idempotency-key': key } : {}) },
    payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`)]),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0].id as string;
}

const template = {
  checkpoints: [
    { placeId: floor12Id, order: 1, items: [
      { id: 'temp', label: '配电柜温度', kind: 'number', unit: '℃', min: 0, max: 45 },
      { id: 'smell', label: '有无焦糊味', kind: 'yes_no', expected: false },
      { id: 'photo', label: '配电柜照片', kind: 'photo', required: true },
    ] },
    { placeId: unitAId, order: 2, items: [
      { id: 'state', label: '设备状态', kind: 'single_choice', options: ['正常', '异响', '漏水'], failing: ['异响', '漏水'] },
      { id: 'kwh', label: '电表读数', kind: 'meter', unit: 'kWh' },
    ] },
    { placeId: unitBId, order: 3, items: [{ id: 'note', label: '备注', kind: 'text' }] },
  ],
};

/** A plan whose first task starts at 10:00 (the clock is set before), with a 60-minute window and 30 minutes' grace. */
async function taskAt(day: string, name = '配电房巡检') {
  t.clock.set(`${day}T09:00:00+08:00`);
  // Sessions idle out when the test clock jumps days ahead: sign in afresh.
  t.cookies.clear();
  const res = await t.as('supervisor', {
    method: 'POST', url: '/api/plans',
    payload: { kind: 'inspection', name, rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0', holidayRule: 'run', durationMinutes: 60, graceMinutes: 30, assignee: { type: 'trade', trade: 'electrical' }, template },
  });
  expect(res.statusCode, res.body).toBe(201);
  const [task] = await t.db.select().from(tasks).where(eq(tasks.planId, res.json().id)).orderBy(tasks.startsAt).limit(1);
  t.clock.set(`${day}T10:05:00+08:00`);
  t.cookies.clear();
  return task!.id;
}

type Detail = {
  state: string; late: boolean; startedByName: string | null; checkpoints: Array<{ order: number; state: string; proof: string | null; outOfOrder: boolean; scannedAt: string | null; placeToken: string;
    items: Array<{ id: string; answer: null | { value: unknown; finding: boolean; findingItem: null | { id: string; number: string } } }> }>;
  findings: Array<{ id: string; number: string; checkpoint: number }>;
};
const act = (who: string, id: string, what: string, payload: Record<string, unknown>, key?: string) =>
  t.as(who, { method: what === 'answers' ? 'PUT' : 'POST', url: `/api/tasks/${id}/${what}`, payload, headers: key ? { 'idempotency-key': key } : {} });
const ok = async (res: Awaited<ReturnType<typeof act>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
const fields = (res: { json(): { error: { fields: Array<{ field: string }> } } }) => res.json().error.fields.map((f) => f.field);
const counts = async (taskId: string) => ({
  cps: await t.db.$count(taskCheckpoints, eq(taskCheckpoints.taskId, taskId)),
  answers: await t.db.$count(taskAnswers, eq(taskAnswers.taskId, taskId)),
  findings: await t.db.$count(workItems, eq(workItems.taskId, taskId)),
  audit: await t.db.$count(auditLog, eq(auditLog.entityId, taskId)),
});

describe('IN-3 doing a task on the phone', () => {
  test('IN-3 a full round through the API: my tasks today, start, scan each checkpoint, typed answers with a photo, finish', async () => {
    const id = await taskAt('2026-11-24');
    const today = await t.as('technician', { method: 'GET', url: '/api/tasks/today' });
    expect(today.statusCode, today.body).toBe(200);
    const listed = today.json().items.find((x: { id: string }) => x.id === id);
    expect(listed).toMatchObject({ state: 'scheduled', stateName: '待执行', planName: '配电房巡检' });
    expect(listed.checkpoints.map((c: { placeName: string; placePath: string }) => [c.placeName, c.placePath])).toEqual([['12层', '主楼'], ['1201室', '主楼 / 12层'], ['1202室', '主楼 / 12层']]);

    let d = await ok(await act('technician', id, 'start', {}));
    expect(d).toMatchObject({ state: 'in_progress', startedByName: '张师傅' });
    d = await ok(await act('technician', id, 'scan', { token: await tokenOf(floor12Id) }));
    expect(d.checkpoints[0]).toMatchObject({ state: 'visited', proof: 'qr', outOfOrder: false });
    const photo = await upload('technician');
    d = await ok(await act('technician', id, 'answers', { checkpoint: 1, answers: [{ itemId: 'temp', value: 38.5 }, { itemId: 'smell', value: false }, { itemId: 'photo', value: [photo] }] }));
    await ok(await act('technician', id, 'scan', { token: await tokenOf(unitAId) }));
    await ok(await act('technician', id, 'answers', { checkpoint: 2, answers: [{ itemId: 'state', value: '正常' }, { itemId: 'kwh', value: 1024.5 }] }));
    await ok(await act('technician', id, 'scan', { token: await tokenOf(unitBId) }));
    await ok(await act('technician', id, 'answers', { checkpoint: 3, answers: [{ itemId: 'note', value: '无异常' }] }));
    d = await ok(await act('technician', id, 'finish', { note: '一切正常' }));
    expect(d).toMatchObject({ state: 'done', late: false, findings: [] });

    // Stored typed, never one text blob: the number as a number with its unit, yes/no as a boolean.
    const rows = await t.db.select().from(taskAnswers).where(eq(taskAnswers.taskId, id));
    expect(rows.find((r) => r.itemId === 'temp')).toMatchObject({ kind: 'number', num: 38.5, unit: '℃', finding: false });
    expect(rows.find((r) => r.itemId === 'smell')).toMatchObject({ kind: 'yes_no', bool: false });
    expect(rows.find((r) => r.itemId === 'state')).toMatchObject({ list: ['正常'] });
    expect(rows.find((r) => r.itemId === 'kwh')).toMatchObject({ kind: 'meter', num: 1024.5, unit: 'kWh' });
    // The photo is the task's now, readable by staff.
    const file = await t.as('supervisor', { method: 'GET', url: `/api/attachments/${photo}/content` });
    expect(file.statusCode).toBe(200);
    const audits = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['task.start', 'task.scan', 'task.answer', 'task.finish']));
    // A done task changes no more.
    expect((await act('technician', id, 'answers', { checkpoint: 3, answers: [{ itemId: 'note', value: 'x' }] })).json().error.code).toBe('task_done');
  });

  test('IN-3 a scan of a place that is not on the task → 422 and nothing recorded', async () => {
    const id = await taskAt('2026-11-25');
    const [other] = await t.db.insert(places).values({ siteId, parentId: floor12Id, code: 'JW-T1-F12-1299', name: '1299室', kind: 'office_unit', qrToken: 'not-on-route-token' }).returning();
    const before = await counts(id);
    const res = await act('technician', id, 'scan', { token: 'not-on-route-token' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'wrong_place', message: expect.stringContaining('不在本任务') });
    expect(fields(res)).toEqual(['body.token']);
    const byHand = await act('technician', id, 'scan', { placeId: other!.id, reason: '二维码损坏' });
    expect(byHand.statusCode).toBe(422);
    expect(fields(byHand)).toEqual(['body.placeId']);
    expect(await counts(id)).toEqual(before);
    // The scan of a scheduled task that fails does not start it either.
    expect((await t.db.select({ s: tasks.state }).from(tasks).where(eq(tasks.id, id)))[0]!.s).toBe('scheduled');
  });

  test('IN-3 answers of the wrong type or outside the allowed set → 400 naming the item, nothing stored', async () => {
    const id = await taskAt('2026-11-26');
    await ok(await act('technician', id, 'scan', { token: await tokenOf(floor12Id) }));
    const before = await counts(id);
    const res = await act('technician', id, 'answers', { checkpoint: 1, answers: [{ itemId: 'temp', value: '38' }, { itemId: 'smell', value: 'no' }, { itemId: 'photo', value: [] }] });
    expect(res.statusCode).toBe(400);
    const body = res.json().error;
    expect(body.fields.map((f: { field: string }) => f.field)).toEqual(['body.answers.0.value', 'body.answers.1.value', 'body.answers.2.value']);
    expect(body.fields[0].message).toContain('配电柜温度');
    expect(body.fields[2].message).toContain('须拍照');
    // Not on this checkpoint, and an option that is not offered.
    expect(fields(await act('technician', id, 'answers', { checkpoint: 1, answers: [{ itemId: 'state', value: '正常' }] }))).toEqual(['body.answers.0.itemId']);
    await ok(await act('technician', id, 'scan', { token: await tokenOf(unitAId) }));
    const choice = await act('technician', id, 'answers', { checkpoint: 2, answers: [{ itemId: 'state', value: '还行' }] });
    expect(choice.statusCode).toBe(400);
    expect(choice.json().error.fields[0]).toMatchObject({ field: 'body.answers.0.value', message: expect.stringContaining('设备状态') });
    expect(fields(await act('technician', id, 'answers', { checkpoint: 9, answers: [{ itemId: 'temp', value: 1 }] }))).toEqual(['body.checkpoint']);
    expect((await counts(id)).answers).toBe(before.answers);
    // A checkpoint not scanned yet cannot be answered.
    expect((await act('technician', id, 'answers', { checkpoint: 3, answers: [{ itemId: 'note', value: 'x' }] })).json().error.code).toBe('checkpoint_not_visited');
    // A time in the future is refused (a phone's clock far ahead).
    expect(fields(await act('technician', id, 'scan', { token: await tokenOf(unitBId), at: '2026-11-27T10:00:00+08:00' }))).toEqual(['body.at']);
  });

  test('IN-3 a sync replay of an already applied change gives the same result with no duplicate; the same key with another body → 422', async () => {
    const id = await taskAt('2026-11-27');
    const scan = { token: await tokenOf(floor12Id), at: '2026-11-27T10:01:00+08:00' };
    const first = await ok(await act('technician', id, 'scan', scan, 'sync-scan-0001'));
    const answers = { checkpoint: 1, answers: [{ itemId: 'temp', value: 30 }, { itemId: 'smell', value: true }], at: '2026-11-27T10:02:00+08:00' };
    await ok(await act('technician', id, 'answers', answers, 'sync-answer-0001'));
    const before = await counts(id);
    const again = await act('technician', id, 'scan', scan, 'sync-scan-0001');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect((again.json() as Detail).checkpoints[0]!.scannedAt).toBe(first.checkpoints[0]!.scannedAt);
    await ok(await act('technician', id, 'answers', answers, 'sync-answer-0001'));
    // Replayed three times at once (a reload mid-sync re-sends what was in flight).
    await Promise.all([1, 2, 3].map(() => act('technician', id, 'answers', answers, 'sync-answer-0001')));
    expect(await counts(id)).toEqual(before);
    const reused = await act('technician', id, 'answers', { ...answers, answers: [{ itemId: 'temp', value: 31 }] }, 'sync-answer-0001');
    expect(reused.statusCode).toBe(422);
    expect(fields(reused)).toEqual(['headers.idempotency-key']);
    // A photo re-sent under its key is the same upload, not a second one.
    expect(await upload('technician', 'sync-photo-0001')).toBe(await upload('technician', 'sync-photo-0001'));
    // The yes/no answered "true" where "no" was expected raised exactly one finding.
    expect(before.findings).toBe(1);
    // Offline times are kept: the scan is recorded at the phone's time, not the sync's.
    const [cp] = await t.db.select().from(taskCheckpoints).where(eq(taskCheckpoints.taskId, id));
    expect(cp!.at!.toISOString()).toBe('2026-11-27T02:01:00.000Z');
  });

  test('IN-3 out-of-order scans are allowed and flagged; unvisited checkpoints are missed at finish; unanswered items block the finish', async () => {
    const id = await taskAt('2026-11-28');
    let d = await ok(await act('technician', id, 'scan', { token: await tokenOf(unitAId) }));
    expect(d.state).toBe('in_progress');
    expect(d.checkpoints[1]).toMatchObject({ state: 'visited', outOfOrder: true });
    const unanswered = await act('technician', id, 'finish', {});
    expect(unanswered.statusCode).toBe(400);
    expect(unanswered.json().error.fields.map((f: { message: string }) => f.message)).toEqual(['点位 2：“设备状态”未填写', '点位 2：“电表读数”未填写']);
    await ok(await act('technician', id, 'answers', { checkpoint: 2, answers: [{ itemId: 'state', value: '正常' }, { itemId: 'kwh', value: 2000 }] }));
    await t.db.delete(notifications);
    d = await ok(await act('technician', id, 'finish', {}));
    expect(d.checkpoints.map((c) => c.state)).toEqual(['missed', 'visited', 'missed']);
    const told = await t.db.select().from(notifications).where(eq(notifications.accountId, t.world.accountIds.supervisor));
    expect(told.map((n) => n.titleZh)).toEqual(['漏检 2 个点位：配电房巡检']);
  });

  test('IN-3 conflict rule: the first start to reach the server owns the task; a second person gets 409 task_taken; a guard may not take an electrician\'s task', async () => {
    const id = await taskAt('2026-11-29');
    expect((await act('guard', id, 'start', {})).statusCode).toBe(403);
    // Nor may the guard learn which places are on the route.
    expect((await act('guard', id, 'scan', { token: 'not-on-route-token' })).statusCode).toBe(403);
    // Tomorrow's round cannot be done tonight: at most an hour before its start.
    const [tomorrow] = await t.db.select().from(tasks).where(and(eq(tasks.planId, (await t.db.select({ p: tasks.planId }).from(tasks).where(eq(tasks.id, id)))[0]!.p), eq(tasks.startsAt, new Date('2026-11-30T10:00:00+08:00'))));
    expect((await act('technician', tomorrow!.id, 'start', {})).json().error.code).toBe('task_not_due');
    await ok(await act('tech2', id, 'start', { at: '2026-11-29T10:01:00+08:00' }));
    const second = await act('technician', id, 'scan', { token: await tokenOf(floor12Id) });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('task_taken');
    // The owner's own repeated start is harmless.
    expect((await ok(await act('tech2', id, 'start', {}))).startedByName).toBe('李师傅');
    // Taken tasks leave the other electrician's list; the owner keeps it.
    const mine = (who: string) => t.as(who, { method: 'GET', url: '/api/tasks/today' }).then((r) => r.json().items.map((x: { id: string }) => x.id));
    expect(await mine('technician')).not.toContain(id);
    expect(await mine('tech2')).toContain(id);
  });

  test('IN-3 a round that started before midnight and is still open stays on my tasks after midnight', async () => {
    t.clock.set('2026-12-05T21:00:00+08:00');
    t.cookies.clear();
    const res = await t.as('supervisor', {
      method: 'POST', url: '/api/plans',
      payload: { kind: 'inspection', name: '夜间配电巡视', rrule: 'FREQ=DAILY;BYHOUR=23;BYMINUTE=0', holidayRule: 'run', durationMinutes: 120, graceMinutes: 30, assignee: { type: 'trade', trade: 'electrical' }, template },
    });
    expect(res.statusCode, res.body).toBe(201);
    t.clock.set('2026-12-06T00:30:00+08:00');
    t.cookies.clear();
    const mine = (await t.as('technician', { method: 'GET', url: '/api/tasks/today' })).json().items as Array<{ planName: string; startsAt: string }>;
    expect(mine.filter((x) => x.planName === '夜间配电巡视').map((x) => x.startsAt)).toEqual(['2026-12-05T15:00:00.000Z', '2026-12-06T15:00:00.000Z']);
  });
});

describe('IN-4 findings become work items', () => {
  test('IN-4 an out-of-range reading and a failing choice raise finding work items routed by trade, linked both ways; a correction keeps the item; a reported problem carries its photo', async () => {
    const id = await taskAt('2026-11-30');
    await ok(await act('technician', id, 'scan', { token: await tokenOf(floor12Id) }));
    const photo = await upload('technician');
    let d = await ok(await act('technician', id, 'answers', { checkpoint: 1, answers: [{ itemId: 'temp', value: 52 }, { itemId: 'smell', value: false }, { itemId: 'photo', value: [photo] }] }));
    const temp = d.checkpoints[0]!.items.find((i) => i.id === 'temp')!;
    expect(temp.answer).toMatchObject({ value: 52, finding: true, findingItem: { number: expect.stringMatching(/^XJ-20261130-\d{4}$/) } });
    const itemId = temp.answer!.findingItem!.id;
    const [w] = await t.db.select().from(workItems).where(eq(workItems.id, itemId));
    expect(w).toMatchObject({ kind: 'finding', category: 'electrical', placeId: floor12Id, taskId: id, taskCheckpoint: 1, channel: 'task', state: 'new' });
    expect(w!.description).toContain('52℃');
    // The checkpoint's photo goes with it: the same file, shown on the work item.
    const photos = (await t.as('supervisor', { method: 'GET', url: `/api/work-items/${itemId}` })).json().attachments as Array<{ id: string; url: string }>;
    expect(photos.length).toBe(1);
    const [mine, shared] = await Promise.all([photo, photos[0]!.id].map((a) => t.as('supervisor', { method: 'GET', url: `/api/attachments/${a}/content` })));
    expect(shared!.statusCode).toBe(200);
    expect(shared!.rawPayload.equals(mine!.rawPayload)).toBe(true);
    // The work item shows where it came from; the desk sees it on the board like a repair.
    const view = await t.as('supervisor', { method: 'GET', url: `/api/work-items/${itemId}` });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ kind: 'finding', number: w!.number });
    expect(view.json().clocks.map((c: { clock: string }) => c.clock).sort()).toEqual(['resolution', 'response']);

    // Corrected to a normal value: the answer changes, the work item stays (someone may be on the way).
    d = await ok(await act('technician', id, 'answers', { checkpoint: 1, answers: [{ itemId: 'temp', value: 40 }] }));
    expect(d.checkpoints[0]!.items.find((i) => i.id === 'temp')!.answer).toMatchObject({ value: 40, finding: false, findingItem: { id: itemId } });
    expect(await t.db.$count(taskAnswers, and(eq(taskAnswers.taskId, id), eq(taskAnswers.itemId, 'temp')))).toBe(1);

    await ok(await act('technician', id, 'scan', { token: await tokenOf(unitAId) }));
    d = await ok(await act('technician', id, 'answers', { checkpoint: 2, answers: [{ itemId: 'state', value: '漏水' }, { itemId: 'kwh', value: 2100 }] }));
    const shot = await upload('technician');
    d = await ok(await act('technician', id, 'problems', { checkpoint: 2, description: '地面有积水，疑似空调冷凝水管滴漏', category: 'hvac', urgency: 'urgent', attachmentIds: [shot] }));
    expect(d.findings.map((f) => f.checkpoint)).toEqual([1, 2, 2]);
    const [problem] = await t.db.select().from(workItems).where(and(eq(workItems.taskId, id), eq(workItems.category, 'hvac')));
    expect(problem).toMatchObject({ kind: 'finding', urgency: 'urgent', title: '地面有积水，疑似空调冷凝水管滴漏' });
    const pv = await t.as('supervisor', { method: 'GET', url: `/api/work-items/${problem!.id}` });
    expect(pv.json().attachments.map((a: { id: string }) => a.id)).toEqual([shot]);
    // Findings are not filed from the intake form.
    const filed = await t.as('agent', { method: 'POST', url: '/api/work-items', payload: { kind: 'finding', category: 'electrical', description: '测试' } });
    expect(filed.statusCode).toBe(400);
  });
});

describe('IN-3 the sweep flags late and missed tasks', () => {
  test('IN-3 a task not started by the end of its grace is missed with all its checkpoints, supervisors told once; a phone that started it in time offline takes it back', async () => {
    const id = await taskAt('2026-12-01');
    await t.db.delete(notifications);
    // 10:00 + 60 min + 30 min grace = 11:30.
    await flagOverdueTasks(t.db, new Date('2026-12-01T11:29:00+08:00'));
    expect((await t.db.select().from(tasks).where(eq(tasks.id, id)))[0]!.state).toBe('scheduled');
    await t.db.delete(notifications);
    await flagOverdueTasks(t.db, new Date('2026-12-01T11:31:00+08:00'));
    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, id));
    expect(row!.state).toBe('missed');
    expect(await t.db.$count(taskCheckpoints, and(eq(taskCheckpoints.taskId, id), eq(taskCheckpoints.state, 'missed')))).toBe(3);
    await flagOverdueTasks(t.db, new Date('2026-12-01T11:40:00+08:00'));
    const told = await t.db.select().from(notifications).where(and(eq(notifications.accountId, t.world.accountIds.supervisor), eq(notifications.kind, 'task.missed')));
    expect(told.length).toBe(1);
    expect(told[0]!.titleZh).toMatch(/个任务漏检$/);

    // The guard's phone was offline in the basement: it started at 10:10 and syncs at 11:45.
    t.clock.set('2026-12-01T11:45:00+08:00');
    t.cookies.clear();
    const late = await act('technician', id, 'scan', { token: await tokenOf(floor12Id), at: '2026-12-01T11:35:00+08:00' });
    expect(late.json().error.code).toBe('task_missed');
    const d = await ok(await act('technician', id, 'scan', { token: await tokenOf(floor12Id), at: '2026-12-01T10:10:00+08:00' }));
    expect(d.state).toBe('in_progress');
    expect(d.checkpoints.map((c) => c.state)).toEqual(['visited', 'pending', 'pending']);
  });

  test('IN-3 a started task past its window is late (told once), and a day later closed as missed keeping what was visited', async () => {
    const id = await taskAt('2026-12-02');
    await ok(await act('technician', id, 'scan', { token: await tokenOf(floor12Id) }));
    await t.db.delete(notifications);
    await flagOverdueTasks(t.db, new Date('2026-12-02T12:00:00+08:00'));
    await flagOverdueTasks(t.db, new Date('2026-12-02T13:00:00+08:00'));
    const late = await t.db.select().from(notifications).where(and(eq(notifications.accountId, t.world.accountIds.supervisor), eq(notifications.kind, 'task.late')));
    expect(late.length).toBe(1);
    expect((await t.db.select({ s: tasks.state }).from(tasks).where(eq(tasks.id, id)))[0]!.s).toBe('in_progress');
    // A day after the late notice (12:00), not a day after the window.
    await flagOverdueTasks(t.db, new Date('2026-12-03T11:31:00+08:00'));
    expect((await t.db.select({ s: tasks.state }).from(tasks).where(eq(tasks.id, id)))[0]!.s).toBe('in_progress');
    await flagOverdueTasks(t.db, new Date('2026-12-03T12:01:00+08:00'));
    const cps = await t.db.select({ c: taskCheckpoints.checkpoint, s: taskCheckpoints.state }).from(taskCheckpoints).where(eq(taskCheckpoints.taskId, id)).orderBy(taskCheckpoints.checkpoint);
    expect(cps).toEqual([{ c: 1, s: 'visited' }, { c: 2, s: 'missed' }, { c: 3, s: 'missed' }]);
    expect((await t.db.select({ s: tasks.state }).from(tasks).where(eq(tasks.id, id)))[0]!.s).toBe('missed');
    expect(await t.db.$count(auditLog, and(eq(auditLog.entityId, id), eq(auditLog.action, 'task.missed')))).toBe(1);
  });
});
