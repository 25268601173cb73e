import { describe, expect, it } from 'vitest';
import { afterRetry, applyEntry, backoffMs, classify, currentCheckpoint, matchToken, mayStartNow, nextEntry, nextWake, requestOf, retryScope, viewOf, type Action, type QueueEntry } from './queue.ts';
import type { TaskDetail } from './types.ts';

const ctx = { lang: 'zh-CN' as const };
const T0 = '2026-12-03T12:00:00.000Z'; // 20:00 in Shanghai: a night patrol

function task(over: Partial<TaskDetail> = {}): TaskDetail {
  const cp = (order: number, token: string) => ({
    order, placeId: `place-${order}`, placeName: `${order + 1} 号楼梯间`, placePath: '金文大厦 / T1', placeToken: token,
    state: 'pending' as const, scannedAt: null, proof: null, outOfOrder: false, late: false,
    items: [
      { id: 'door', label: '消防门关闭', kind: 'yes_no' as const, expected: true, answer: null },
      { id: 'temp', label: '温度', kind: 'number' as const, unit: '°C', min: 5, max: 35, answer: null },
      { id: 'pic', label: '现场照片', kind: 'photo' as const, required: true, answer: null },
    ],
  });
  return {
    id: 'task-1', planId: 'plan-1', planName: '夜间巡逻', kind: 'patrol', kindName: '巡逻', planVersion: 1,
    startsAt: T0, dueAt: '2026-12-03T13:00:00.000Z', lateAt: '2026-12-03T13:30:00.000Z',
    state: 'scheduled', stateName: '待执行', assigneeStaffId: 's1', assigneeName: '保安甲', assigneeTrade: 'security',
    startedAt: null, startedByName: null, finishedAt: null, finishedByName: null, late: false,
    checkpoints: [cp(0, 'tokenAAAA0'), cp(1, 'tokenBBBB1'), cp(2, 'tokenCCCC2')], findings: [],
    ...over,
  };
}

let seq = 0;
function entry(action: Action, over: Partial<QueueEntry> = {}): QueueEntry {
  seq += 1;
  return { seq, key: `key-${seq}`, accountId: 'acc-1', byName: '保安甲', taskId: 'task-1', at: new Date(Date.parse(T0) + seq * 60_000).toISOString(), action, status: 'pending', attempts: 0, ...over };
}

describe('offline queue: ordering (IN-3)', () => {
  it('IN-3 sends the oldest pending entry of the signed-in account first', () => {
    const a = entry({ type: 'start' });
    const b = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' });
    const other = entry({ type: 'start' }, { accountId: 'acc-2', seq: 0 });
    expect(nextEntry([b, a, other], 'acc-1')).toBe(a);
    expect(nextEntry([other], 'acc-1')).toBeNull();
  });

  it('IN-3 a refused entry stops the rest of its task but not other tasks', () => {
    const refused = entry({ type: 'start' }, { status: 'conflict' });
    const later = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' });
    const otherTask = entry({ type: 'start' }, { taskId: 'task-2' });
    expect(nextEntry([refused, later, otherTask], 'acc-1')).toBe(otherTask);
    expect(nextEntry([refused, later], 'acc-1')).toBeNull();
  });

  it('IN-3 a failed entry set back to pending (重试) is sent again first, before the entries behind it', () => {
    const start = entry({ type: 'start' });
    const failed = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' }, { status: 'failed', error: { status: 422, code: 'wrong_place', message: '位置不符' } });
    const later = entry({ type: 'answers', checkpoint: 0, answers: [{ itemId: 'door', value: true }] });
    expect(nextEntry([failed, later], 'acc-1')).toBeNull();
    // Retry keeps the key (and so the same request): nothing new is made, only the status changes.
    const retried: QueueEntry = { ...failed, status: 'pending', error: null };
    expect(nextEntry([retried, later], 'acc-1')).toBe(retried);
    expect(retried.key).toBe(failed.key);
    expect(JSON.stringify(requestOf(retried, new Map()))).toBe(JSON.stringify(requestOf(failed, new Map())));
    expect(nextEntry([start, retried, later], 'acc-1')).toBe(start);
  });

  it('IN-3 a retryable error on one task holds that task only: other tasks go on, its own entries keep their order', () => {
    const a1 = entry({ type: 'start' });
    const a2 = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' });
    const b1 = entry({ type: 'start' }, { taskId: 'task-2' });
    const b2 = entry({ type: 'finish' }, { taskId: 'task-2' });
    const all = [a1, a2, b1, b2];
    const now = 1_000_000;
    const held = afterRetry(new Map(), all, 'acc-1', 'task-1', 'task', now);
    expect(held.get('task-1')).toEqual({ attempts: 1, until: now + 2000 });
    expect(held.has('task-2')).toBe(false);
    // task-1 waits: not a1, and never a2 ahead of it; task-2 goes on.
    expect(nextEntry(all, 'acc-1', held, now)).toBe(b1);
    expect(nextEntry([a1, a2, b2], 'acc-1', held, now)).toBe(b2);
    expect(nextEntry([a1, a2], 'acc-1', held, now)).toBeNull();
    expect(nextWake(held, [a1, a2], 'acc-1', now)).toBe(now + 2000);
    // Its turn comes back after the wait, starting with the entry that failed.
    expect(nextEntry(all, 'acc-1', held, now + 2000)).toBe(a1);
    // Each task backs off by its own count of failures.
    const twice = afterRetry(held, all, 'acc-1', 'task-1', 'task', now + 2000);
    expect(twice.get('task-1')).toEqual({ attempts: 2, until: now + 2000 + 4000 });
  });

  it('IN-3 the server not reached, overloaded or behind a failing gateway holds the whole queue', () => {
    expect(retryScope(0)).toBe('all');
    expect(retryScope(429)).toBe('all');
    expect(retryScope(502)).toBe('all');
    expect(retryScope(503)).toBe('all');
    expect(retryScope(504)).toBe('all');
    expect(retryScope(500)).toBe('task');
    expect(retryScope(408)).toBe('task');
    expect(retryScope(409)).toBe('task'); // idempotency_key_gone: about this request
    const a = entry({ type: 'start' });
    const b = entry({ type: 'start' }, { taskId: 'task-2' });
    const now = 5_000_000;
    const held = afterRetry(new Map(), [a, b], 'acc-1', 'task-1', 'all', now);
    expect(nextEntry([a, b], 'acc-1', held, now)).toBeNull();
    expect(held.get('task-2')!.until).toBe(now + 2000);
    expect(nextEntry([a, b], 'acc-1', held, now + 2000)).toBe(a);
  });

  it('IN-3 a refused scan of a label the phone could not place does not hold back its task', () => {
    const stray = entry({ type: 'scan', order: null, token: 'tokenZZZZ9' }, { status: 'failed', error: { status: 422, code: 'wrong_place', message: '位置不符' } });
    const next = entry({ type: 'scan', order: 1, token: 'tokenBBBB1' });
    expect(nextEntry([stray, next], 'acc-1')).toBe(next);
    // A conflict on it still stops the task: the task is someone else's.
    expect(nextEntry([{ ...stray, status: 'conflict' }, next], 'acc-1')).toBeNull();
  });

  it('IN-3 a label scanned while the task has queued entries is queued behind them, shows nothing until the server answers, and is sent by its token', () => {
    const start = entry({ type: 'start' });
    const stray = entry({ type: 'scan', order: null, token: 'tokenZZZZ9' });
    expect(nextEntry([stray, start], 'acc-1')).toBe(start);
    const v = viewOf(task(), [start, stray], ctx);
    expect(v.checkpoints.every((c) => c.state === 'pending')).toBe(true);
    expect(requestOf(stray, new Map())).toEqual({ method: 'POST', path: '/api/tasks/task-1/scan', body: { token: 'tokenZZZZ9', at: stray.at } });
  });
});

describe('offline queue: server answers (IN-3)', () => {
  it('IN-3 retries network errors and 5xx, stops on conflicts and refusals, waits on sign-in', () => {
    expect(classify(200)).toBe('done');
    expect(classify(201)).toBe('done');
    expect(classify(0)).toBe('retry');
    expect(classify(502)).toBe('retry');
    expect(classify(503)).toBe('retry');
    expect(classify(429)).toBe('retry');
    expect(classify(409, 'idempotency_key_gone')).toBe('retry');
    expect(classify(401)).toBe('auth');
    expect(classify(409, 'task_taken')).toBe('conflict');
    expect(classify(409, 'task_done')).toBe('conflict');
    expect(classify(409, 'task_not_due')).toBe('conflict');
    expect(classify(409, 'checkpoint_not_visited')).toBe('failed');
    expect(classify(400, 'invalid')).toBe('failed');
    expect(classify(422, 'wrong_place')).toBe('failed');
  });

  it('IN-3 backs off exponentially up to a minute', () => {
    expect(backoffMs(1)).toBe(2000);
    expect(backoffMs(2)).toBe(4000);
    expect(backoffMs(5)).toBe(32_000);
    expect(backoffMs(20)).toBe(60_000);
    expect(backoffMs(3, 0.99)).toBeGreaterThan(backoffMs(3, 0));
  });
});

describe('offline queue: requests (IN-3)', () => {
  it('IN-3 sends each action with its own time, photos under their server ids', () => {
    const scan = entry({ type: 'scan', order: 1, token: 'tokenBBBB1' });
    expect(requestOf(scan, new Map())).toEqual({ method: 'POST', path: '/api/tasks/task-1/scan', body: { token: 'tokenBBBB1', at: scan.at } });
    const manual = entry({ type: 'scan', order: 1, placeId: 'place-1', reason: '标签损坏' });
    expect(requestOf(manual, new Map())!.body).toEqual({ placeId: 'place-1', reason: '标签损坏', at: manual.at });
    const answers = entry({ type: 'answers', checkpoint: 1, answers: [{ itemId: 'temp', value: 21.5 }, { itemId: 'pic', value: ['local-1'] }] });
    expect(requestOf(answers, new Map())).toBeNull(); // never a local id to the server
    expect(requestOf(answers, new Map([['local-1', 'upload-9']]))).toEqual({
      method: 'PUT', path: '/api/tasks/task-1/answers',
      body: { checkpoint: 1, answers: [{ itemId: 'temp', value: 21.5 }, { itemId: 'pic', value: ['upload-9'] }], at: answers.at },
    });
    const problem = entry({ type: 'problem', checkpoint: 2, description: '楼梯间堆放杂物', photoIds: [] });
    expect(requestOf(problem, new Map())!.body).toEqual({ checkpoint: 2, description: '楼梯间堆放杂物', at: problem.at });
    const finish = entry({ type: 'finish' });
    expect(requestOf(finish, new Map())).toEqual({ method: 'POST', path: '/api/tasks/task-1/finish', body: { at: finish.at } });
  });

  it('IN-3 a photo whose upload was refused and discarded is left out; the checkpoint\'s other answers still go', () => {
    const answers = entry({ type: 'answers', checkpoint: 0, answers: [{ itemId: 'door', value: true }, { itemId: 'pic', value: ['local-1', 'local-2'] }] });
    expect(requestOf(answers, new Map([['local-1', null], ['local-2', 'upload-7']]))!.body).toEqual({
      checkpoint: 0, answers: [{ itemId: 'door', value: true }, { itemId: 'pic', value: ['upload-7'] }], at: answers.at,
    });
    // The only photo gone: the item goes empty (a required one is then refused by the server, naming it).
    expect(requestOf(answers, new Map<string, string | null>([['local-1', null], ['local-2', null]]))!.body).toMatchObject({ answers: [{ itemId: 'door', value: true }, { itemId: 'pic', value: [] }] });
    const problem = entry({ type: 'problem', checkpoint: 0, description: '墙面渗水', photoIds: ['local-1'] });
    expect(requestOf(problem, new Map([['local-1', null]]))!.body).toEqual({ checkpoint: 0, description: '墙面渗水', at: problem.at });
    // Not gone but not uploaded yet: never sent with a local id.
    expect(requestOf(answers, new Map([['local-1', null]]))).toBeNull();
  });

  it('IN-3 the same entry always makes the same request (a replay under its key is byte-identical)', () => {
    const e = entry({ type: 'answers', checkpoint: 0, answers: [{ itemId: 'pic', value: ['local-1'] }] });
    const ids = new Map([['local-1', 'upload-9']]);
    expect(JSON.stringify(requestOf(e, ids))).toBe(JSON.stringify(requestOf({ ...e, attempts: 3 }, ids)));
  });
});

describe('offline queue: optimistic apply (IN-3, IN-4)', () => {
  it('IN-3 start and scans: the task starts, checkpoints record their own time, out of order is flagged', () => {
    const start = entry({ type: 'start' });
    const third = entry({ type: 'scan', order: 2, token: 'tokenCCCC2' });
    const v = viewOf(task(), [start, third], ctx);
    expect(v.state).toBe('in_progress');
    expect(v.startedAt).toBe(start.at);
    expect(v.startedByName).toBe('保安甲');
    expect(v.checkpoints[2]).toMatchObject({ state: 'visited', scannedAt: third.at, proof: 'qr', outOfOrder: true });
    expect(v.checkpoints[0]!.state).toBe('pending');
  });

  it('IN-3 a scan of a scheduled task starts it; a manual scan is marked manual', () => {
    const manual = entry({ type: 'scan', order: 0, placeId: 'place-0', reason: '标签损坏' });
    const v = applyEntry(task(), manual, ctx);
    expect(v.state).toBe('in_progress');
    expect(v.checkpoints[0]).toMatchObject({ state: 'visited', proof: 'manual', outOfOrder: false });
  });

  it('IN-3 applying an entry the server copy already shows changes nothing (reload mid-sync)', () => {
    const scan = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' });
    const once = applyEntry(task(), scan, ctx);
    const again = applyEntry(once, { ...scan, at: '2026-12-03T12:59:00.000Z' }, ctx);
    expect(again.checkpoints[0]!.scannedAt).toBe(scan.at);
    expect(again.startedAt).toBe(once.startedAt);
  });

  it('IN-4 a failing answer shows as a finding at once; re-answering replaces it', () => {
    const base = applyEntry(task(), entry({ type: 'scan', order: 0, token: 'tokenAAAA0' }), ctx);
    const bad = entry({ type: 'answers', checkpoint: 0, answers: [{ itemId: 'door', value: false }, { itemId: 'temp', value: 40 }] });
    const v = applyEntry(base, bad, ctx);
    const [door, temp] = v.checkpoints[0]!.items;
    expect(door!.answer).toMatchObject({ value: false, finding: true, answeredAt: bad.at, findingItem: null });
    expect(temp!.answer).toMatchObject({ value: 40, finding: true });
    expect(temp!.answer!.why).toContain('高于上限');
    const fixed = applyEntry(v, entry({ type: 'answers', checkpoint: 0, answers: [{ itemId: 'door', value: true }] }), ctx);
    expect(fixed.checkpoints[0]!.items[0]!.answer).toMatchObject({ value: true, finding: false });
  });

  it('IN-4 a reported problem is listed as waiting until the server numbers it', () => {
    const p = entry({ type: 'problem', checkpoint: 1, description: '楼梯间堆放杂物', photoIds: [] });
    const v = viewOf(task({ state: 'in_progress' }), [p, p], ctx);
    expect(v.findings).toEqual([{ id: `pending-${p.key}`, number: '', title: '楼梯间堆放杂物', state: 'pending', stateName: '待同步', checkpoint: 1 }]);
  });

  it('IN-3 finish marks unvisited checkpoints missed and nothing changes a done task', () => {
    const scan = entry({ type: 'scan', order: 0, token: 'tokenAAAA0' });
    const finish = entry({ type: 'finish' });
    const v = viewOf(task(), [scan, finish, entry({ type: 'scan', order: 1, token: 'tokenBBBB1' })], ctx);
    expect(v.state).toBe('done');
    expect(v.finishedAt).toBe(finish.at);
    expect(v.checkpoints.map((c) => c.state)).toEqual(['visited', 'missed', 'missed']);
  });

  it('IN-3 only entries of the task apply to it', () => {
    const v = viewOf(task(), [entry({ type: 'start' }, { taskId: 'task-2' })], ctx);
    expect(v.state).toBe('scheduled');
  });
});

describe('offline queue: scanned labels (IN-3)', () => {
  const now = Date.parse(T0);
  it('IN-3 a label of the task in progress is that checkpoint', () => {
    const running = task({ state: 'in_progress', startedAt: T0 });
    const m = matchToken([running], 'tokenBBBB1', now);
    expect(m.kind).toBe('checkpoint');
    expect(m.kind === 'checkpoint' && m.checkpoint.order).toBe(1);
  });

  it('IN-3 a label that is not in the task in progress says so', () => {
    const running = task({ state: 'in_progress', startedAt: T0 });
    expect(matchToken([running], 'tokenZZZZ9', now)).toEqual({ kind: 'not_in_task', task: running });
  });

  it('IN-3 with nothing in progress a label starts a task due now, not one due hours later', () => {
    expect(matchToken([task()], 'tokenAAAA0', now).kind).toBe('checkpoint');
    expect(matchToken([task()], 'tokenAAAA0', now - 3 * 3_600_000).kind).toBe('none');
    expect(matchToken([task({ state: 'done' })], 'tokenAAAA0', now).kind).toBe('none');
  });

  it('IN-3 the current checkpoint is the visited one still being answered, else the next to visit', () => {
    const t = task({ state: 'in_progress' });
    expect(currentCheckpoint(t)!.order).toBe(0);
    const scanned = applyEntry(t, entry({ type: 'scan', order: 1, token: 'tokenBBBB1' }), ctx);
    expect(currentCheckpoint(scanned)!.order).toBe(1);
  });
});

describe('IN-3 when 开始任务 is offered', () => {
  it('IN-3 a task can be started from an hour before its start, as the server allows (409 task_not_due before)', () => {
    const task = { startsAt: '2026-12-03T12:00:00.000Z' };
    expect(mayStartNow(task, Date.parse('2026-12-03T10:59:00.000Z'))).toBe(false);
    expect(mayStartNow(task, Date.parse('2026-12-03T11:00:00.000Z'))).toBe(true);
    expect(mayStartNow(task, Date.parse('2026-12-03T13:00:00.000Z'))).toBe(true);
  });
});
