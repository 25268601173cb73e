import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, loginViaApi, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const CSRF = { 'x-requested-with': 'towerdesk' };
const T = 30_000;

/** Signs in over HTTP (no browser) and returns the session cookie, for setting up the scenario. */
async function apiSession(login: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { ...CSRF, 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: 'towerdesk' }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('td_sid='));
  if (!cookie) throw new Error(`login ${login} set no td_sid cookie`);
  return cookie.split(';')[0]!;
}

async function apiGet<T>(cookie: string, p: string): Promise<T> {
  const res = await fetch(`${baseUrl}${p}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A small real PNG (a photo stand-in): solid colour, w×h, valid CRCs so the server's decoder takes it. */
function pngFile(name: string, rgb: [number, number, number], w = 64, h = 48): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())]);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, png);
  return file;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-wi-'));

/** A whole-page screenshot from the top (the phone's sticky bar stays at the top of the image). */
async function fullShot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name, { fullPage: true });
}

async function stateText(page: Page) {
  return (await page.locator('[data-testid=state]').first().textContent())?.trim();
}

async function waitState(page: Page, text: string) {
  await page.locator('[data-testid=state]', { hasText: text }).first().waitFor({ timeout: T });
}

describe('work items: an occupant reports a fault, the desk dispatches, the technician fixes it, the occupant rates (RP-1 RP-2 RP-3 RP-4 CS-5)', () => {
  let occupant: BrowserSession;
  let agent: BrowserSession;
  let tech: BrowserSession;
  let unit: { id: string; code: string; name: string; qrToken: string };
  let otherToken: string;
  let techMe: { displayName: string; staffId: string };
  let electricians: string[];
  let item: { id: string; number: string; scheduled: boolean };
  const beforePhoto = pngFile('before.png', [200, 60, 40]);
  const afterPhoto = pngFile('after.png', [40, 160, 80]);

  beforeAll(async () => {
    // The occupant's own unit, and its QR token as the admin who prints labels sees it.
    const occ = await apiSession('occupant');
    const me = await apiGet<{ occupantId: string }>(occ, '/api/auth/me');
    const person = await apiGet<{ unitIds: string[] }>(occ, `/api/occupants/${me.occupantId}`);
    const admin = await apiSession('admin');
    const place = await apiGet<{ id: string; code: string; name: string; qrToken: string | null }>(admin, `/api/places/${person.unitIds[0]}`);
    if (!place.qrToken) throw new Error('the occupant’s unit has no QR token');
    unit = { id: place.id, code: place.code, name: place.name, qrToken: place.qrToken };
    const lobby = await apiGet<{ items: Array<{ code: string; qrToken: string | null }> }>(admin, '/api/places?codePrefix=JW-T1-F12-LL');
    otherToken = lobby.items.find((p) => p.code === 'JW-T1-F12-LL')!.qrToken!;
    techMe = await apiGet(await apiSession('tech'), '/api/auth/me');
    electricians = (await apiGet<{ items: Array<{ name: string }> }>(admin, '/api/staff?trade=electrical&limit=100')).items.map((s) => s.name);

    [occupant, agent, tech] = await Promise.all([launchBrowser('phone'), launchBrowser('desk'), launchBrowser('phone')]);
    await loginViaApi(occupant.context, baseUrl, 'occupant', 'towerdesk');
    await loginViaApi(agent.context, baseUrl, 'agent', 'towerdesk');
    await loginViaApi(tech.context, baseUrl, 'tech', 'towerdesk');
  });
  afterAll(async () => {
    await Promise.all([occupant?.close(), agent?.close(), tech?.close()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // A normal fault (an urgent one would go straight to whoever is on call, RP-2), so the desk dispatches it.
  it('the occupant reports a lighting fault in their unit with a photo, on the phone (RP-1, CS-2)', async () => {
    const { page } = occupant;
    await page.goto(`${baseUrl}/m/`);
    await page.locator('[data-testid=report-button]').click({ timeout: T });
    // Two-level category tree with big tiles.
    await page.locator('[data-code=electrical]').click({ timeout: T });
    const leaf = page.locator('[data-code="electrical.lighting"]');
    expect(await leaf.textContent()).toContain('照明灯具');
    const box = await leaf.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(56);
    await leaf.click();
    expect(await page.locator('[data-testid=picked-category]').textContent()).toContain('电气 › 照明灯具');
    // The occupant has one unit: it is the place unless they change it.
    await page.locator('[data-testid=picked-place]', { hasText: unit.name }).waitFor({ timeout: T });
    await page.fill('textarea[name=description]', '会议室两排灯管不亮，开关无反应');
    await page.locator('[data-testid=report-photos-album]').setInputFiles(beforePhoto);
    await page.locator('[data-testid=report-photos] .m-photo img').waitFor({ timeout: T });
    expect(await page.locator('[data-testid=report-photos] .m-photo img').count()).toBe(1);
    // Not urgent by category (RP-2); the occupant could still say it is.
    expect(await page.locator('.m-check input[type=checkbox]').isChecked()).toBe(false);
    await fullShot(page, 'wi-1-occupant-report-form');

    await page.locator('[data-testid=report-submit]').click();
    const number = page.locator('[data-testid=new-number]');
    await number.waitFor({ timeout: T });
    const no = (await number.textContent())!.trim();
    expect(no).toMatch(/^BX-\d{8}-\d{4}$/);
    // Outside working time the occupant is told when work starts (CS-2).
    const filed = await page.evaluate(async (n) => (await (await fetch(`/api/work-items?q=${n}`)).json()).items[0], no);
    expect(await page.locator('[data-testid=offhours]').count()).toBe(filed.scheduledFor ? 1 : 0);
    if (filed.scheduledFor) expect(await page.locator('[data-testid=offhours]').textContent()).toMatch(/^非工作时间受理，将于 .+ 起处理$/);
    await shot(page, 'wi-2-occupant-submitted');

    await page.getByRole('button', { name: '查看进度' }).click();
    await page.locator('[data-testid=steps]').waitFor({ timeout: T });
    item = { id: new URL(page.url()).pathname.split('/').pop()!, number: no, scheduled: !!filed.scheduledFor };
    expect(await stateText(page)).toBe('已提交');
    expect(await page.locator('[data-testid=before-photos] img').count()).toBe(1);
    // The occupant may cancel before dispatch.
    expect(await page.locator('[data-action=cancel]').count()).toBe(1);
  });

  it('the agent sees it on the dispatch board with its clock and assigns the electrician (RP-2, CS-3)', async () => {
    const { page } = agent;
    await page.goto(`${baseUrl}/`);
    // Agents land on the board.
    await page.waitForURL((u) => u.pathname === '/work-items', { timeout: T });
    const row = page.locator(`tr[data-number="${item.number}"]`);
    await row.waitFor({ timeout: T });
    const text = await row.textContent();
    expect(text).toContain('普通');
    expect(text).toContain('待派单');
    expect(text).toContain('响应时限');
    // Its clocks count from now, or (reported off-hours) from the next working period.
    expect(text).toMatch(item.scheduled ? /起计时/ : /剩 \d+|截止/);
    expect(await row.locator('[data-clock=response]').getAttribute('data-status')).toBe(item.scheduled ? 'scheduled' : 'ok');
    await shot(page, 'wi-3-agent-board');

    await row.click();
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('[data-testid=drawer-number]', { hasText: item.number }).waitFor({ timeout: T });
    await drawer.locator('[data-testid=photos-before] img').first().waitFor({ timeout: T });
    await drawer.locator('[data-action=assign]').click();
    const modal = page.locator('.ant-modal');
    await modal.locator('.ant-select').first().click();
    // The picker suggests the electricians (the category's trade), on duty first; pick our technician.
    const option = page.locator('.ant-select-item-option', { hasText: techMe.displayName });
    await option.waitFor({ timeout: T });
    const offered = await page.locator('.ant-select-item-option .staff-option > span:first-child').allTextContents();
    expect(offered.length).toBeGreaterThan(1);
    for (const o of offered) expect(electricians.some((e) => o.startsWith(e))).toBe(true);
    await option.click();
    await shot(page, 'wi-4-agent-assign-dialog');
    await modal.locator('[data-testid=action-ok]').click();
    await drawer.locator('.ant-tag', { hasText: '已派单' }).waitFor({ timeout: T });
    expect(await drawer.textContent()).toContain(techMe.displayName);
    await shot(page, 'wi-5-agent-drawer-assigned');
  });

  it('the technician accepts, sets out, arrives by opening the place label, starts and completes with an after-photo (RP-3, RP-5)', async () => {
    const { page } = tech;
    await page.goto(`${baseUrl}/m/`);
    const row = page.locator(`[data-testid=home-items] [data-number="${item.number}"]`);
    await row.waitFor({ timeout: T });
    expect(await row.locator('[data-testid=countdown]').textContent()).toMatch(item.scheduled ? /时限 · .+ 起计时/ : /时限 · (剩 \d+|.+ 截止)/);
    // The dispatch reached them as a notification.
    await page.locator('[data-testid=bell-count]').waitFor({ timeout: T });
    await shot(page, 'wi-6-tech-home');

    await row.click();
    await page.locator('[data-action=accept]').click({ timeout: T });
    await waitState(page, '已接单');
    await page.locator('[data-action=depart]').click({ timeout: T });
    await waitState(page, '在途');
    await fullShot(page, 'wi-7-tech-on-the-way');

    // A label of another place is refused plainly (422 wrong_place) and changes nothing.
    const wrong = await page.evaluate(async ({ id, token }) => {
      const res = await fetch(`/api/work-items/${id}/actions/arrive`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'towerdesk' }, body: JSON.stringify({ qrToken: token }),
      });
      return { status: res.status, body: await res.json() };
    }, { id: item.id, token: otherToken });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('wrong_place');
    expect(wrong.body.error.message).toBe('扫描的二维码不是本工单的位置');

    // Arrive by opening the place's label URL (as the phone camera or WeChat Scan does).
    await page.goto(`${baseUrl}/q/${unit.qrToken}`);
    const here = page.locator(`[data-testid=arrive-here][data-number="${item.number}"]`);
    await here.waitFor({ timeout: T });
    await shot(page, 'wi-8-tech-scan-label');
    await here.getByRole('button', { name: '确认到场' }).click();
    await page.waitForURL((u) => u.pathname === `/m/items/${item.id}`, { timeout: T });
    await waitState(page, '已到场');
    expect(await page.locator('[data-testid=timeline]').textContent()).toContain('扫码到场');

    await page.locator('[data-action=start]').click({ timeout: T });
    await waitState(page, '维修中');
    await page.locator('[data-action=complete]').click();
    const sheet = page.locator('[data-testid=sheet-complete]');
    await sheet.waitFor({ timeout: T });
    // Completing without an after-photo is refused on the phone already.
    await sheet.getByRole('button', { name: '完工' }).click();
    expect(await sheet.locator('[role=alert]').textContent()).toContain('请上传完工照片');
    await sheet.locator('[data-testid=after-photos-album]').setInputFiles(afterPhoto);
    await sheet.locator('[data-testid=after-photos] .m-photo img').waitFor({ timeout: T });
    await sheet.locator('textarea[name=note]').fill('更换 2 支 LED 灯管和镇流器，已恢复照明');
    await shot(page, 'wi-9-tech-complete-sheet');
    await sheet.getByRole('button', { name: '完工' }).click();
    await waitState(page, '已完成');
    await page.locator('[data-testid=after-photos-view] img').waitFor({ timeout: T });
    await fullShot(page, 'wi-10-tech-completed');
  });

  it('the occupant sees 已完成 with its progress and times, and closes it with 5 stars (RP-4)', async () => {
    const { page } = occupant;
    await page.goto(`${baseUrl}/m/`);
    // Each step notified the occupant.
    await page.locator('[data-testid=bell-count]').waitFor({ timeout: T });
    await page.locator(`[data-testid=home-items] [data-number="${item.number}"]`).click({ timeout: T });
    await waitState(page, '已完成');
    const steps = page.locator('[data-testid=steps] li');
    expect(await steps.count()).toBe(5);
    expect(await steps.locator('.m-step-name').allTextContents()).toEqual(['已提交', '已接单', '师傅已到场', '维修中', '已完成']);
    // Every step has its time.
    for (const at of await steps.locator('.m-step-at').allTextContents()) expect(at).toMatch(/\d{2}:\d{2}/);
    const timeline = await page.locator('[data-testid=timeline]').textContent();
    expect(timeline).toContain('师傅已到场');
    expect(timeline).toContain('更换 2 支 LED 灯管');
    await fullShot(page, 'wi-11-occupant-completed');

    await page.locator('[data-action=close]').click();
    const sheet = page.locator('[data-testid=sheet-close]');
    await sheet.locator('[data-testid=star-5]').click();
    await sheet.locator('textarea[name=note]').fill('师傅来得很快，谢谢！');
    await shot(page, 'wi-12-occupant-rating');
    await sheet.getByRole('button', { name: '提交评价' }).click();
    await waitState(page, '已关闭');
    expect(await page.locator('[data-testid=rating] .m-star-on').count()).toBe(5);
    await fullShot(page, 'wi-13-occupant-closed');

    const detail = await page.evaluate(async (id) => (await fetch(`/api/work-items/${id}`)).json(), item.id);
    expect(detail).toMatchObject({ state: 'closed', rating: 5, arrivalProof: 'qr' });
    // Accepted well within 2 working hours (RP-10).
    expect(detail.clocks.find((c: { clock: string }) => c.clock === 'response')).toMatchObject({ met: true });
  });
});
