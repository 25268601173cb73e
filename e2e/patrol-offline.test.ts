import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { apiGet, apiPost, apiSession } from './api.ts';
import { launchBrowser, loginViaApi, shot, type BrowserSession } from './browser.ts';

/**
 * The offline scenario (IN-3, IN-4): a guard walks a night patrol on a 390×844 phone with
 * the network switched off through the DevTools protocol, scans checkpoints by opening their
 * /q/<token> labels, answers, takes a photo, finds a fault, reloads the page half-way (the service
 * worker serves the app, IndexedDB keeps the queue), finishes, and goes back online: the queue
 * drains and the server holds exactly one record per answer, one finding work item, and the
 * checkpoint times of the walk, not of the sync.
 */
const baseUrl = inject('baseUrl');
const T = 30_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-patrol-'));
const screenshots = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

async function docShot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  if (opts.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  const file = await shot(page, name, opts);
  fs.mkdirSync(screenshots, { recursive: true });
  fs.copyFileSync(file, path.join(screenshots, `${name}.png`));
}

/** A small valid PNG, standing in for the phone camera's photo. */
function pngFile(name: string, rgb: [number, number, number], w = 64, h = 48): string {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    let c = 0xffffffff;
    for (const b of td) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE((c ^ 0xffffffff) >>> 0);
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))), chunk('IEND', Buffer.alloc(0)),
  ]));
  return file;
}

/** Shanghai wall time of an instant, as the RRULE's BYHOUR/BYMINUTE. */
function shanghaiHM(d: Date) {
  const p = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(d);
  return { h: Number(p.find((x) => x.type === 'hour')!.value) % 24, m: Number(p.find((x) => x.type === 'minute')!.value) };
}
const shanghaiDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);

interface Detail {
  id: string; state: string; startsAt: string; startedAt: string | null; finishedAt: string | null;
  checkpoints: Array<{ order: number; placeToken: string; state: string; scannedAt: string | null; proof: string | null;
    items: Array<{ id: string; answer: null | { value: unknown; finding: boolean; findingItem: null | { id: string; number: string } } }> }>;
  findings: Array<{ id: string; number: string; state: string }>;
}

async function waitWaiting(page: Page, n: number) {
  try {
    await page.locator(`[data-testid=sync-bar][data-waiting="${n}"]`).first().waitFor({ timeout: T });
  } catch (e) {
    // What the phone shows instead helps explain a failure.
    await shot(page, `patrol-offline-waiting-${n}`, { fullPage: true }).catch(() => {});
    const seen = await page.locator('[data-testid=sync-bar]').first().getAttribute('data-waiting').catch(() => null);
    throw new Error(`expected ${n} entries waiting to sync, the phone shows ${seen}: ${(e as Error).message}`);
  }
}

describe('a guard does a night patrol offline on the phone; back online it syncs with no duplicates and nothing lost (IN-3, IN-4)', () => {
  let phone: BrowserSession;
  let cdp: CDPSession;
  let sup: string;
  let taskId: string;
  let conflictTaskId: string;
  let stairs: Array<{ id: string; code: string; name: string; qrToken: string }>;
  let strangerToken: string;
  /** Phone time just before and after each offline scan, to check the server kept the walk's times. */
  const scanWindows: Array<[number, number]> = [];
  let offlineFrom = 0;
  let onlineAt = 0;
  const photo = pngFile('stairs.png', [200, 120, 40]);

  beforeAll(async () => {
    sup = await apiSession('supervisor');
    const admin = await apiSession('admin');
    const guard = await apiSession('guard');
    const me = await apiGet<{ staffId: string }>(guard, '/api/auth/me');
    const places = await apiGet<{ items: Array<{ id: string; code: string; name: string; qrToken: string | null; active: boolean }> }>(admin, '/api/places?kind=stairwell&limit=200');
    const usable = places.items.filter((p) => p.qrToken && p.active);
    if (usable.length < 4) throw new Error('the demo tower has fewer than 4 stairwells with labels');
    stairs = usable.slice(-3).map((p) => ({ id: p.id, code: p.code, name: p.name, qrToken: p.qrToken! }));
    strangerToken = usable[0]!.qrToken!;

    // A patrol whose task starts two minutes from now (tasks are generated from now on), named to the guard.
    const at = shanghaiHM(new Date(Date.now() + 2 * 60_000));
    const plan = await apiPost<{ id: string }>(sup, '/api/plans', {
      kind: 'patrol', name: `E2E 离线夜巡 ${Date.now() % 100_000}`, rrule: `FREQ=DAILY;BYHOUR=${at.h};BYMINUTE=${at.m}`, holidayRule: 'run',
      durationMinutes: 60, graceMinutes: 30, assignee: { type: 'staff', staffId: me.staffId },
      template: {
        checkpoints: [
          { placeId: stairs[0]!.id, order: 1, items: [
            { id: 'door', label: '防火门已关闭', labelEn: 'Fire door closed', kind: 'yes_no', expected: true },
            { id: 'pic', label: '现场照片', labelEn: 'Photo', kind: 'photo', required: true },
          ] },
          { placeId: stairs[1]!.id, order: 2, items: [
            { id: 'light', label: '应急灯正常', labelEn: 'Emergency light works', kind: 'yes_no', expected: true },
            { id: 'battery', label: '应急灯电量', labelEn: 'Emergency light battery', kind: 'number', unit: '%', min: 20, max: 100 },
          ] },
          { placeId: stairs[2]!.id, order: 3, items: [
            { id: 'way', label: '通道状况', labelEn: 'Passage', kind: 'single_choice', options: ['畅通', '堆放杂物'], failing: ['堆放杂物'] },
          ] },
        ],
      },
    });
    const tasks = await apiGet<{ items: Array<{ id: string }> }>(sup, `/api/tasks?planId=${plan.id}&limit=1`);
    taskId = tasks.items[0]!.id;
    // A second round, for the conflict: the guard's trade pool, so the supervisor may take it too.
    const pooled = await apiPost<{ id: string }>(sup, '/api/plans', {
      kind: 'patrol', name: `E2E 冲突巡逻 ${Date.now() % 100_000}`, rrule: `FREQ=DAILY;BYHOUR=${at.h};BYMINUTE=${at.m}`, holidayRule: 'run',
      durationMinutes: 60, graceMinutes: 30, assignee: { type: 'trade', trade: 'security' },
      template: { checkpoints: [{ placeId: stairs[0]!.id, order: 1, items: [{ id: 'door', label: '防火门已关闭', kind: 'yes_no', expected: true }] }] },
    });
    conflictTaskId = (await apiGet<{ items: Array<{ id: string }> }>(sup, `/api/tasks?planId=${pooled.id}&limit=1`)).items[0]!.id;

    phone = await launchBrowser('phone');
    await loginViaApi(phone.context, baseUrl, 'guard', 'towerdesk');
    cdp = await phone.context.newCDPSession(phone.page);
    await cdp.send('Network.enable');
  });
  afterAll(async () => {
    await phone?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The phone's network through the DevTools protocol (and Playwright's switch, which covers the worker too); `latency` in ms. */
  async function network(on: boolean, latency = 0) {
    await phone.context.setOffline(!on);
    await cdp.send('Network.emulateNetworkConditions', { offline: !on, latency, downloadThroughput: -1, uploadThroughput: -1 });
  }

  /** Opens a label's URL as the phone camera would; offline the service worker serves the page. */
  async function scanLabel(token: string) {
    const before = Date.now();
    await phone.page.goto(`${baseUrl}/q/${token}`);
    return before;
  }

  it('IN-3 the phone app is installable: manifest, icons and a service worker that controls the page', async () => {
    const { page } = phone;
    const manifest = await page.request.get(`${baseUrl}/manifest.webmanifest`);
    expect(manifest.ok()).toBe(true);
    expect(manifest.headers()['content-type']).toContain('application/manifest+json');
    const m = await manifest.json();
    expect(m).toMatchObject({ name: '楼宇运维 towerdesk', start_url: '/m/', scope: '/', display: 'standalone', theme_color: '#0b5cab' });
    for (const icon of m.icons as Array<{ src: string }>) expect((await page.request.get(`${baseUrl}${icon.src}`)).headers()['content-type']).toBe('image/png');
    const sw = await page.request.get(`${baseUrl}/sw.js`);
    expect(sw.headers()['content-type']).toContain('javascript');

    await page.goto(`${baseUrl}/m/`);
    await page.locator('[data-testid=tasks-button]').waitFor({ timeout: T });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // The worker claims the open page once active.
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: T });
    expect(await page.locator('link[rel=manifest]').getAttribute('href')).toBe('/manifest.webmanifest');
  });

  it('IN-3 my tasks lists the patrol; the guard opens it and starts it while online', async () => {
    const { page } = phone;
    await page.locator('[data-testid=tasks-button]').click();
    const row = page.locator(`[data-testid=task-row][data-task="${taskId}"]`);
    await row.waitFor({ timeout: T });
    expect(await row.getAttribute('data-state')).toBe('scheduled');
    await docShot(page, 'phone-tasks-1-list', { fullPage: true });
    await row.click();
    await page.locator('[data-testid=task-start]').click({ timeout: T });
    await page.locator('[data-testid=task][data-state=in_progress]').waitFor({ timeout: T });
    await waitWaiting(page, 0);
    const d = await apiGet<Detail>(sup, `/api/tasks/${taskId}`);
    expect(d.state).toBe('in_progress');
  });

  it('IN-3 offline: scanning labels records the checkpoints; answers and a photo wait in the queue; a failed reading raises a finding on the phone (IN-4)', async () => {
    const { page } = phone;
    await network(false);
    offlineFrom = Date.now();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'offline'))).toBe('offline');

    // Checkpoint 1: the label opens the task at that checkpoint; fire door closed, a photo.
    let before = await scanLabel(stairs[0]!.qrToken);
    await page.locator('[data-testid=cp-panel][data-order="1"]').waitFor({ timeout: T });
    scanWindows.push([before, Date.now()]);
    await page.locator('[data-testid=sync-bar][data-online="0"]').waitFor({ timeout: T });
    await page.locator('[data-testid=yes-door]').click();
    await page.locator('[data-testid=photo-pic-camera]').setInputFiles(photo);
    await page.locator('[data-testid=photo-pic] .m-photo img').waitFor({ timeout: T });
    await page.locator('[data-testid=save-cp]').click();
    await page.locator('[data-testid=item-pic][data-answered="1"]').waitFor({ timeout: T });
    await waitWaiting(page, 3); // scan, photo upload, answers

    // A label that is not on this route says so, and records nothing.
    await scanLabel(strangerToken);
    await page.locator('[data-testid=not-in-task]').waitFor({ timeout: T });
    await docShot(page, 'phone-tasks-2-offline-wrong-label');
    await waitWaiting(page, 3);

    // Checkpoint 2: the light works but its battery is at 15 % (allowed 20–100): a finding.
    before = await scanLabel(stairs[1]!.qrToken);
    await page.locator('[data-testid=cp-panel][data-order="2"]').waitFor({ timeout: T });
    scanWindows.push([before, Date.now()]);
    await page.locator('[data-testid=yes-light]').click();
    await page.locator('[data-testid=input-battery]').fill('15');
    await page.locator('[data-testid=save-cp]').click();
    await page.locator('[data-testid=item-battery] [data-testid=item-finding]').waitFor({ timeout: T });
    await waitWaiting(page, 5);
    await docShot(page, 'phone-tasks-3-offline-finding', { fullPage: true });
  });

  it('IN-3 a reload while offline: the service worker serves the app and the queue is still there', async () => {
    const { page } = phone;
    await page.reload();
    await page.locator('[data-testid=task][data-state=in_progress]').waitFor({ timeout: T });
    await waitWaiting(page, 5);
    const states = await page.locator('[data-testid=cp-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states).toEqual(['visited', 'visited', 'pending']);
    expect(await page.locator('[data-testid=item-battery] [data-testid=item-finding]').count()).toBe(1);

    // Checkpoint 3 and finish, still offline.
    const before = await scanLabel(stairs[2]!.qrToken);
    await page.locator('[data-testid=cp-panel][data-order="3"]').waitFor({ timeout: T });
    scanWindows.push([before, Date.now()]);
    await page.locator('[data-testid=opt-way]', { hasText: '畅通' }).click();
    await page.locator('[data-testid=save-cp]').click();
    await page.locator('[data-testid=item-way][data-answered="1"]').waitFor({ timeout: T });
    await page.locator('[data-testid=task-finish]').click();
    await page.locator('[data-testid=finish-sheet]').waitFor({ timeout: T });
    await docShot(page, 'phone-tasks-4-offline-finish');
    await page.locator('[data-testid=finish-sheet] button[type=submit]').click();
    await page.locator('[data-testid=task][data-state=done]').waitFor({ timeout: T });
    await waitWaiting(page, 8);
    await page.locator('[data-testid=sync-count]').click();
    await page.locator('[data-testid=sync-list]').waitFor({ timeout: T });
    await docShot(page, 'phone-tasks-5-offline-queue', { fullPage: true });
    // Nothing reached the server while offline.
    expect((await apiGet<Detail>(sup, `/api/tasks/${taskId}`)).checkpoints.filter((c) => c.state === 'visited')).toHaveLength(0);
  });

  it('IN-3 IN-4 back online the queue drains in order, through a reload mid-sync: one record per answer, one finding work item, the walk\'s own times', async () => {
    const { page } = phone;
    onlineAt = Date.now();
    // A slow network, and a reload as soon as the first changes are acknowledged: the entry in
    // flight is sent again after the reload under the same key.
    await network(true, 400);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sync-bar]')?.getAttribute('data-waiting') ?? 8) < 8, null, { timeout: T });
    await page.reload();
    await network(true);
    await waitWaiting(page, 0);
    await page.locator('[data-testid=finding]').first().waitFor({ timeout: T });
    await docShot(page, 'phone-tasks-6-synced', { fullPage: true });

    const d = await apiGet<Detail>(sup, `/api/tasks/${taskId}`);
    expect(d.state).toBe('done');
    expect(d.checkpoints.map((c) => [c.order, c.state, c.proof])).toEqual([[1, 'visited', 'qr'], [2, 'visited', 'qr'], [3, 'visited', 'qr']]);
    // Each checkpoint carries the time it was scanned on the phone, offline — not the sync's.
    d.checkpoints.forEach((c, i) => {
      const at = Date.parse(c.scannedAt!);
      expect(at).toBeGreaterThanOrEqual(scanWindows[i]![0] - 1000);
      expect(at).toBeLessThanOrEqual(scanWindows[i]![1] + 1000);
      expect(at).toBeLessThan(onlineAt);
      expect(at).toBeGreaterThanOrEqual(offlineFrom - 1000);
    });
    expect(Date.parse(d.finishedAt!)).toBeLessThan(onlineAt);
    const answers = d.checkpoints.flatMap((c) => c.items.map((i) => [i.id, i.answer?.value ?? null]));
    expect(answers).toEqual([['door', true], ['pic', [expect.any(String)]], ['light', true], ['battery', 15], ['way', '畅通']]);

    // The server's own count of answer records for the task: exactly one per item answered.
    const records = await apiGet<{ items: Array<{ id: string; answers: number; findings: number; visited: number }> }>(sup, `/api/records/day?date=${shanghaiDay(new Date(d.startsAt))}&kind=patrol&state=done`);
    const rec = records.items.find((r) => r.id === taskId);
    expect(rec).toMatchObject({ answers: 5, findings: 1, visited: 3 });

    // One finding work item (IN-4), linked from the failing answer, of kind finding.
    expect(d.findings).toHaveLength(1);
    const battery = d.checkpoints[1]!.items.find((i) => i.id === 'battery')!;
    expect(battery.answer).toMatchObject({ finding: true });
    expect(battery.answer!.findingItem!.id).toBe(d.findings[0]!.id);
    const item = await apiGet<{ kind: string; number: string }>(sup, `/api/work-items/${d.findings[0]!.id}`);
    expect(item.kind).toBe('finding');
    await page.locator(`[data-testid=finding][data-number="${item.number}"]`).waitFor({ timeout: T });

    // The photo went up once and is the task's now.
    const pic = d.checkpoints[0]!.items.find((i) => i.id === 'pic')!.answer!.value as string[];
    const file = await fetch(`${baseUrl}/api/attachments/${pic[0]}/content?size=thumb`, { headers: { cookie: sup } });
    expect(file.status).toBe(200);
  });

  it('IN-3 the conflict rule: the first start to reach the server owns the task; the phone shows the refusal, keeps its records and lets the guard discard them', async () => {
    const { page } = phone;
    await page.goto(`${baseUrl}/m/tasks/${conflictTaskId}`);
    await page.locator('[data-testid=task][data-state=scheduled]').waitFor({ timeout: T });
    await network(false);
    await page.locator('[data-testid=task-start]').click();
    await page.locator('[data-testid=task][data-state=in_progress]').waitFor({ timeout: T });
    await waitWaiting(page, 1);
    // Meanwhile the supervisor, online, starts the same round: the server's first start.
    const sup2 = await apiPost<Detail>(sup, `/api/tasks/${conflictTaskId}/start`, {});
    expect(sup2.state).toBe('in_progress');

    // The phone's first attempt is refused with a 400 (the route answers it before the server):
    // the record shows as refused with 重试; the retry goes to the server under the same key.
    const keys: string[] = [];
    const onRequest = (r: import('playwright-core').Request) => {
      if (r.url().endsWith(`/api/tasks/${conflictTaskId}/start`)) keys.push(r.headers()['idempotency-key'] ?? '');
    };
    page.on('request', onRequest);
    const startUrl = `${baseUrl}/api/tasks/${conflictTaskId}/start`;
    await page.route(startUrl, (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'invalid', message: '测试：请求被拒绝', details: [] } }),
    }));
    await network(true);
    await page.locator('[data-testid=refused-entry]').waitFor({ timeout: T });
    expect(await page.locator('[data-testid=refused]').textContent()).toContain('测试：请求被拒绝');
    await docShot(page, 'phone-tasks-8-refused');
    await page.unroute(startUrl);
    await page.locator('[data-testid=refused-retry]').click();

    await page.locator('[data-testid=conflict]').waitFor({ timeout: T });
    page.off('request', onRequest);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(await page.locator('[data-testid=conflict]').textContent()).toContain('该任务已由他人开始执行');
    await waitWaiting(page, 1); // kept, not retried
    await docShot(page, 'phone-tasks-7-conflict');
    await page.locator('[data-testid=discard-all]').click();
    // The confirmation says how many records go.
    expect(await page.locator('[data-testid=discard-all-count]').getAttribute('data-n')).toBe('1');
    await docShot(page, 'phone-tasks-9-discard-all');
    await page.locator('[data-testid=discard-all-sheet] button[type=submit]').click();
    await waitWaiting(page, 0);
    const d = await apiGet<Detail & { startedByName: string }>(sup, `/api/tasks/${conflictTaskId}`);
    expect(d.startedByName).not.toBe(null);
    expect(d.startedByName).not.toBe((await apiGet<Detail & { startedByName: string }>(sup, `/api/tasks/${taskId}`)).startedByName);
  });
});
