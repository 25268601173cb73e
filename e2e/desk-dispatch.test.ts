import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, apiSession } from './api.ts';
import { launchBrowser, loginViaApi, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const T = 30_000;
const screenshots = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

/** A screenshot of what is on screen into docs/screenshots/ (the docs show it), and a copy in the artifacts. */
async function docShot(page: Page, name: string) {
  const file = await shot(page, name);
  fs.mkdirSync(screenshots, { recursive: true });
  fs.copyFileSync(file, path.join(screenshots, `${name}.png`));
}

/** Nothing still moving (dialog zoom, dropdown slide): what a person would see once the screen is still. */
async function settled(page: Page) {
  await page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity); // not the live dot's pulse
    await Promise.all(finite.map((a) => a.finished.catch(() => null)));
  });
  await page.waitForFunction(() => !document.querySelector('.ant-zoom-appear, .ant-zoom-enter, .ant-zoom-leave, .ant-slide-up-appear, .ant-slide-up-enter'), undefined, { timeout: T });
}

interface Detail { id: string; number: string; state: string; urgency: string; category: string; channel: string; occupantId: string | null; assignee: { id: string; name: string } | null }

describe('manual dispatch from the desk at 1440×900 (RP-1 RP-2 CS-3 CS-5)', () => {
  let agent: BrowserSession;
  let tech: BrowserSession;
  let agentCookie: string;
  let caller: { id: string; name: string; phone: string };
  let electrician: { staffId: string; name: string };
  let item: { id: string; number: string };
  const description = `E2E 会议室顶灯不亮，需更换灯管 ${Date.now() % 100_000}`;

  beforeAll(async () => {
    agentCookie = await apiSession('agent');
    // The caller: the demo occupant; the agent may reveal their full number (audited), as caller ID would show it.
    const occ = await apiSession('occupant');
    const { occupantId } = await apiGet<{ occupantId: string }>(occ, '/api/auth/me');
    const person = await apiGet<{ id: string; name: string }>(agentCookie, `/api/occupants/${occupantId}`);
    const { phone } = await apiGet<{ phone: string }>(agentCookie, `/api/occupants/${occupantId}/phone`);
    caller = { id: person.id, name: person.name, phone };
    // The electrician who signs in as `tech` (the demo links it to the first 电工).
    const me = await apiGet<{ staffId: string | null; displayName: string }>(await apiSession('tech'), '/api/auth/me');
    if (!me.staffId) throw new Error('the demo account tech is linked to no staff member');
    const staff = await apiGet<{ id: string; name: string }>(agentCookie, `/api/staff/${me.staffId}`);
    electrician = { staffId: staff.id, name: staff.name };

    [agent, tech] = await Promise.all([launchBrowser('desk'), launchBrowser('phone')]);
    await agent.page.setViewportSize({ width: 1440, height: 900 });
    await Promise.all([loginViaApi(agent.context, baseUrl, 'agent', 'towerdesk'), loginViaApi(tech.context, baseUrl, 'tech', 'towerdesk')]);
  });
  afterAll(async () => {
    await Promise.all([agent?.close(), tech?.close()]);
  });

  it('RP-1 CS-5 the agent finds the caller by phone number and files a normal 电气·照明 repair by phone intake; nobody is assigned yet', async () => {
    const { page } = agent;
    await page.goto(`${baseUrl}/intake`);
    await page.locator('[data-testid=intake-phone] input').fill(caller.phone);
    const person = page.locator('[data-testid=intake-person]', { hasText: caller.name });
    await person.waitFor({ timeout: T });
    await person.click();
    // The caller's units fill the place; the channel of a registered caller is the phone.
    await page.locator('.intake-open').waitFor({ timeout: T });
    expect(await page.locator('.ant-radio-wrapper-checked', { hasText: '电话' }).count()).toBe(1);

    await page.locator('[data-testid=intake-category]').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '电气' }).first().click();
    await page.locator('.ant-cascader-menu-item', { hasText: '照明灯具' }).click();
    // Lighting is not urgent by category (RP-2): the urgency stays 普通.
    await page.locator('.ant-radio-wrapper-checked', { hasText: '普通' }).waitFor({ timeout: T });
    await page.locator('[data-testid=intake-description]').fill(description);
    await page.locator('[data-testid=intake-submit]').click();

    const done = page.locator('[data-testid=intake-done]');
    await done.waitFor({ timeout: T });
    const number = (await done.textContent())!.match(/BX-\d{8}-\d{4}/)?.[0];
    expect(number).toBeTruthy();
    const found = await apiGet<{ items: Array<{ id: string; number: string }> }>(agentCookie, `/api/work-items?open=true&kind=repair&limit=500`);
    const row = found.items.find((i) => i.number === number);
    if (!row) throw new Error(`${number} is not among the open repairs`);
    item = { id: row.id, number: number! };
    const saved = await apiGet<Detail>(agentCookie, `/api/work-items/${item.id}`);
    expect(saved).toMatchObject({ state: 'new', urgency: 'normal', category: 'electrical.lighting', channel: 'phone', occupantId: caller.id, assignee: null });
  });

  it('RP-2 CS-3 the agent dispatches it from the board\'s drawer to the suggested electrician; the board shows the assignee and 已派单', async () => {
    const { page } = agent;
    await page.getByRole('button', { name: '在工单台查看' }).click();
    await page.waitForURL((u) => u.pathname === '/work-items' && u.searchParams.get('item') === item.id, { timeout: T });
    const drawer = page.locator('.ant-drawer');
    expect(await drawer.locator('[data-testid=drawer-number]').textContent({ timeout: T })).toBe(item.number);
    await drawer.locator('[data-action=assign]').click();

    const modal = page.locator('.ant-modal', { hasText: `派单 · ${item.number}` });
    await modal.waitFor({ timeout: T });
    await page.evaluate(() => window.scrollTo(0, 0)); // the page behind scrolled a little as the drawer opened
    await settled(page);
    await modal.locator('.ant-select').first().click();
    // The suggestions are the electrical trade's people (on duty first, then fewest open items).
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.locator('.staff-option').first().waitFor({ timeout: T });
    let option = dropdown.locator(`[data-staff="${electrician.staffId}"]`);
    if (!(await option.count())) {
      // Not among the suggestions: widen the picker to all staff and search by name.
      await page.keyboard.press('Escape');
      await modal.locator('.ant-switch').click();
      await modal.locator('.ant-select').first().click();
      await page.keyboard.type(electrician.name);
      option = dropdown.locator(`[data-staff="${electrician.staffId}"]`);
    } else {
      expect(await modal.textContent()).toContain('电工工种');
    }
    await option.waitFor({ timeout: T });
    expect(await option.textContent()).toMatch(/在手 \d+ 单/);
    // The keys move the highlight to whom the agent is about to pick (a hover would scroll the page behind).
    const at = await dropdown.locator('.staff-option').evaluateAll((els, id) => els.findIndex((e) => e.getAttribute('data-staff') === id), electrician.staffId);
    const active = await dropdown.locator('.ant-select-item-option-active .staff-option').getAttribute('data-staff');
    const from = await dropdown.locator('.staff-option').evaluateAll((els, id) => els.findIndex((e) => e.getAttribute('data-staff') === id), active);
    for (let i = from; i < at; i++) await page.keyboard.press('ArrowDown');
    await settled(page);
    await docShot(page, 'desk-dispatch');
    await option.click();
    await modal.locator('[data-testid=action-ok]').click();
    await modal.waitFor({ state: 'detached', timeout: T });

    // The drawer and the board row show who and 已派单, without a reload.
    await drawer.locator('.ant-drawer-title [data-state=assigned]', { hasText: '已派单' }).waitFor({ timeout: T });
    expect(await drawer.locator('.ant-descriptions').textContent()).toContain(electrician.name);
    expect(await drawer.locator('[data-testid=drawer-timeline]').textContent()).toContain(electrician.name);
    await page.locator('.ant-drawer-close').click();
    const row = page.locator(`tr[data-number="${item.number}"]`);
    await row.locator('[data-state=assigned]', { hasText: '已派单' }).waitFor({ timeout: T });
    expect(await row.textContent()).toContain(electrician.name);
    await shot(page, 'desk-dispatch-board');

    const saved = await apiGet<Detail>(agentCookie, `/api/work-items/${item.id}`);
    expect(saved).toMatchObject({ state: 'assigned', assignee: { id: electrician.staffId } });
  });

  it('RP-2 the electrician signed in as tech sees it on their phone list (390×844) as 已派单', async () => {
    const { page } = tech;
    await page.goto(`${baseUrl}/m/items`);
    const row = page.locator(`[data-testid=item-list] [data-number="${item.number}"]`);
    await row.waitFor({ timeout: T });
    expect(await row.locator('[data-testid=state]').textContent()).toBe('已派单');
    expect(await row.textContent()).toContain('照明灯具');
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'phone-tech-dispatched');
    await row.click();
    await page.locator('[data-action=accept]').waitFor({ timeout: T });
  });
});
