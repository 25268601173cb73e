import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CSRF, apiGet, apiSession } from './api.ts';
import { launchBrowser, loginViaApi, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const T = 30_000;
const screenshots = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

/** A whole-page screenshot into docs/screenshots/ (the docs show them), and a copy in the artifacts. */
async function docShot(page: Page, name: string) {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  await shot(page, name);
}

/** No dropdown open and no dialog still zooming in: what a person would see once the screen is still. */
async function settled(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.ant-dropdown:not(.ant-dropdown-hidden), .ant-zoom-appear, .ant-zoom-enter, .ant-zoom-leave'), undefined, { timeout: T });
}

/** The desk at the size the service desk works at: a 1440×900 monitor. */
async function desk(login: string): Promise<BrowserSession> {
  const b = await launchBrowser('desk');
  await b.page.setViewportSize({ width: 1440, height: 900 });
  await loginViaApi(b.context, baseUrl, login, 'towerdesk');
  return b;
}

interface Item { id: string; number: string; kind: string; state: string; title: string; occupantId: string | null }

describe('service desk at 1440×900: reception records, duty roster, revisits (CS-3 CS-4 RP-8 CP-7)', () => {
  let agent: BrowserSession;
  let supervisor: BrowserSession;
  let agentCookie: string;

  beforeAll(async () => {
    agentCookie = await apiSession('agent');
    [agent, supervisor] = await Promise.all([desk('agent'), desk('supervisor')]);
  });
  afterAll(async () => {
    await Promise.all([agent?.close(), supervisor?.close()]);
  });

  it('CS-4 CS-5 RP-1 the agent looks up a caller by phone, sees their company, units and open items, and records a walk-in linked to one', async () => {
    // An occupant with an open repair, and their full number (the agent may reveal it; audited).
    const open = await apiGet<{ items: Item[] }>(agentCookie, '/api/work-items?open=true&kind=repair&limit=200');
    const item = open.items.find((i) => i.occupantId);
    if (!item) throw new Error('the demo tower has no open repair reported by an occupant');
    const person = await apiGet<{ id: string; name: string; companyName: string | null }>(agentCookie, `/api/occupants/${item.occupantId}`);
    const { phone } = await apiGet<{ phone: string }>(agentCookie, `/api/occupants/${item.occupantId}/phone`);

    const { page } = agent;
    await page.goto(`${baseUrl}/reception`);
    await page.locator('.page-title h3', { hasText: '接待记录' }).waitFor({ timeout: T });
    // The seeded desk contacts of the last 30 days are listed.
    await page.locator('.ant-table-row').first().waitFor({ timeout: T });

    await page.locator('[data-testid=rc-new]').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.locator('[data-testid=rc-phone] input').fill(phone);
    const found = drawer.locator('[data-testid=rc-person]', { hasText: person.name });
    await found.waitFor({ timeout: T });
    // The lookup shows the company and the units (with floor) of whoever has this number.
    if (person.companyName) expect(await found.textContent()).toContain(person.companyName);
    expect(await found.textContent()).toMatch(/\d+层/);
    await found.click();
    const picked = drawer.locator('[data-testid=rc-picked]');
    const openItem = picked.locator('label', { hasText: item.number });
    await openItem.waitFor({ timeout: T });
    await openItem.click();
    // 来访 (walk-in) is the default channel of a desk record; the topic is a repair.
    expect(await drawer.locator('.ant-radio-button-wrapper-checked', { hasText: '来访' }).count()).toBe(1);
    await drawer.locator('[data-testid=rc-summary]').fill('到前台询问报修进度，要求今天修好');
    await drawer.locator('textarea#actionTaken').fill('联系维修人员确认下午到场');
    await shot(page, 'desk-reception-form');
    await drawer.locator('[data-testid=rc-save]').click();
    await page.mouse.move(700, 600); // off the header: the user menu opens on hover where the save button was

    const row = page.locator('.ant-table-row', { hasText: '到前台询问报修进度' });
    await row.waitFor({ timeout: T });
    expect(await row.textContent()).toContain(item.number);
    expect(await row.textContent()).toContain('来访');
    const saved = await apiGet<{ items: Array<{ channel: string; occupant: { id: string } | null; workItems: Array<{ id: string }> }> }>(
      agentCookie, `/api/receptions?q=${encodeURIComponent('到前台询问报修进度')}`);
    expect(saved.items).toHaveLength(1);
    expect(saved.items[0]!.channel).toBe('walk_in');
    expect(saved.items[0]!.occupant?.id).toBe(person.id);
    expect(saved.items[0]!.workItems.map((w) => w.id)).toEqual([item.id]);
    await settled(page);
    await docShot(page, 'desk-reception');

    // The period's records as XLSX (Chinese headers, phones masked; audited on the server).
    const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-testid=rc-export]').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString('latin1')).toBe('PK');

    // CS-4 statistics by week: the seeded weeks are there, bars and all.
    await page.getByRole('tab', { name: '统计' }).click();
    await page.locator('.ant-segmented-item', { hasText: '按周' }).click();
    await page.locator('[data-testid=rc-stats] .rc-bar').nth(3).waitFor({ timeout: T });
    expect(await page.locator('[data-testid=rc-stats] .ant-table-row').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'desk-reception-stats');
  });

  it('RP-1 CS-5 a call pushed by the phone system waits under 待登记来电 until the agent records it', async () => {
    // The administrator registers the phone system; it signs each call with the secret (docs/integrations.md).
    const admin = await apiSession('admin');
    const made = await fetch(`${baseUrl}/api/integrations`, {
      method: 'POST', headers: { ...CSRF, cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'E2E 呼叫中心', kind: 'phone' }),
    });
    expect(made.status).toBe(201);
    const integration = (await made.json()) as { id: string; secret: string };
    const person = (await apiGet<{ items: Array<{ id: string; name: string }> }>(agentCookie, '/api/occupants?limit=1')).items[0]!;
    const { phone } = await apiGet<{ phone: string }>(agentCookie, `/api/occupants/${person.id}/phone`);
    const started = new Date(Date.now() - 3 * 60_000);
    const body = JSON.stringify({ callId: 'e2e-call-1', caller: phone, startedAt: started.toISOString(), endedAt: new Date(started.getTime() + 95_000).toISOString() });
    const t = Math.floor(Date.now() / 1000);
    const v1 = crypto.createHmac('sha256', integration.secret).update(`${t}.${body}`).digest('hex');
    const pushed = await fetch(`${baseUrl}/api/integrations/${integration.id}/calls`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-towerdesk-signature': `t=${t},v1=${v1}` }, body,
    });
    expect(pushed.status).toBe(201);

    const { page } = agent;
    await page.goto(`${baseUrl}/reception`);
    await page.getByRole('tab', { name: /待登记来电/ }).click();
    const row = page.locator('.ant-table-row', { hasText: person.name });
    await row.waitFor({ timeout: T });
    expect(await row.textContent()).toContain('1:35');
    await row.locator('[data-testid=rc-call-record]').click();
    const drawer = page.locator('.ant-drawer');
    // The caller is known from the number; the channel is the call.
    expect(await drawer.textContent()).toContain(person.name);
    expect(await drawer.locator('.ant-radio-button-wrapper-checked', { hasText: '来电' }).count()).toBe(1);
    await drawer.locator('.ant-radio-button-wrapper', { hasText: '咨询' }).click();
    await drawer.locator('[data-testid=rc-summary]').fill('来电咨询停车月卡续费');
    await drawer.locator('[data-testid=rc-save]').click();
    await page.locator('.ant-table-row', { hasText: '来电咨询停车月卡续费' }).waitFor({ timeout: T });
    const saved = await apiGet<{ items: Array<{ channel: string; callId: string | null; occupant: { id: string } | null }> }>(
      agentCookie, `/api/receptions?q=${encodeURIComponent('来电咨询停车月卡续费')}`);
    expect(saved.items).toHaveLength(1);
    expect(saved.items[0]).toMatchObject({ channel: 'call', occupant: { id: person.id } });
    expect(saved.items[0]!.callId).not.toBeNull();
  });

  it('CS-3 the supervisor edits a shift in the duty grid and downloads the week as XLSX', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/duty`);
    await page.locator('.page-title h3', { hasText: '值班表' }).waitFor({ timeout: T });
    const shift = page.locator('[data-testid=duty-shift]').first();
    await shift.waitFor({ timeout: T });
    // Night and weekend on-call show the number to call.
    expect(await page.locator('.duty-phone').count()).toBeGreaterThan(0);
    const id = await shift.getAttribute('data-shift');

    await shift.click();
    const modal = page.locator('.ant-modal');
    await modal.locator('[data-testid=duty-note]').waitFor({ timeout: T });
    await modal.locator('[data-testid=duty-note]').fill('E2E 与同事换班');
    await modal.locator('[data-testid=duty-save]').click();
    await page.locator(`[data-shift="${id}"][title="E2E 与同事换班"]`).waitFor({ timeout: T });
    const sup = await apiSession('supervisor');
    const week = await page.locator('[data-testid=duty-week]').textContent();
    const [from, to] = week!.split('–').map((s) => s.trim());
    const roster = await apiGet<{ items: Array<{ id: string; note: string | null }> }>(sup, `/api/duty?from=${from}&to=${to}`);
    expect(roster.items.find((s) => s.id === id)?.note).toBe('E2E 与同事换班');
    await docShot(page, 'desk-duty');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-testid=duty-export]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // an XLSX is a zip
    expect(bytes.length).toBeGreaterThan(1000);

    // By person: each row hands out that person's iCal feed link (a new one replaces the old).
    await page.locator('.ant-segmented-item', { hasText: '按人员' }).click();
    await page.locator('[data-testid=duty-feed]').first().click();
    const url = (await page.locator('[data-testid=duty-feed-url]').textContent({ timeout: T }))!;
    await settled(page);
    expect(url).toMatch(/\/api\/duty\/ical\/[\w-]+/);
    const feed = await fetch(url.trim());
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await shot(page, 'desk-duty-feed');
  });

  it('RP-8 CP-7 the agent records a satisfied revisit, and a dissatisfied one that reopens the repair', async () => {
    const pending = await apiGet<{ items: Array<{ id: string; itemId: string; number: string; kind: string }> }>(agentCookie, '/api/revisits?state=pending&limit=100');
    const withState = await Promise.all(pending.items.map(async (r) => ({ ...r, state: (await apiGet<Item>(agentCookie, `/api/work-items/${r.itemId}`)).state })));
    const toReopen = withState.find((r) => r.kind === 'repair' && r.state === 'completed');
    const toPraise = withState.find((r) => r !== toReopen);
    if (!toReopen || !toPraise) throw new Error(`the demo tower needs two pending revisits, one of a completed repair: ${JSON.stringify(withState)}`);

    const { page } = agent;
    await page.goto(`${baseUrl}/revisits`);
    await page.locator('.page-title h3', { hasText: '回访' }).waitFor({ timeout: T });
    const praiseBtn = page.locator(`[data-testid=rv-record][data-number="${toPraise.number}"]`);
    await praiseBtn.waitFor({ timeout: T });
    // Each row shows why it is revisited and how long is left.
    const praiseRow = page.locator('.ant-table-row', { has: praiseBtn });
    expect(await praiseRow.locator('[data-reason]').count()).toBe(1);
    expect(await praiseRow.textContent()).toMatch(/剩 |超时 /);
    await docShot(page, 'desk-revisits');

    await praiseBtn.click();
    let modal = page.locator('.ant-modal', { hasText: toPraise.number });
    await modal.getByText('满意', { exact: true }).click();
    await modal.locator('[data-testid=rv-comment]').fill('师傅很专业，已经修好');
    await modal.locator('[data-testid=rv-save]').click();
    await praiseBtn.waitFor({ state: 'detached', timeout: T });

    const reopenBtn = page.locator(`[data-testid=rv-record][data-number="${toReopen.number}"]`);
    await reopenBtn.click();
    modal = page.locator('.ant-modal', { hasText: toReopen.number });
    await modal.getByText('不满意', { exact: true }).click();
    // The form says what the server will do: a completed repair is reopened.
    expect(await modal.locator('[data-testid=rv-followup]').textContent()).toContain(`重新打开报修 ${toReopen.number}`);
    await modal.locator('[data-testid=rv-comment]').fill('空调还是不制冷');
    await shot(page, 'desk-revisit-dissatisfied');
    await modal.locator('[data-testid=rv-save]').click();
    await reopenBtn.waitFor({ state: 'detached', timeout: T });

    const done = await apiGet<{ items: Array<{ id: string; satisfied: boolean | null; followUp: string | null; channel: string | null }> }>(agentCookie, '/api/revisits?state=done&limit=20');
    expect(done.items.find((r) => r.id === toPraise.id)).toMatchObject({ satisfied: true, followUp: 'none', channel: 'phone' });
    expect(done.items.find((r) => r.id === toReopen.id)).toMatchObject({ satisfied: false, followUp: 'reopened' });
    expect((await apiGet<Item>(agentCookie, `/api/work-items/${toReopen.itemId}`)).state).not.toBe('completed');

    // Both appear under 已回访 with their result.
    await page.getByRole('tab', { name: '已回访' }).click();
    await page.locator('.ant-table-row', { hasText: toReopen.number }).locator('.ant-tag', { hasText: '已重新打开' }).waitFor({ timeout: T });
    await shot(page, 'desk-revisits-done');
  });
});
