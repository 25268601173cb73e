import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, loginViaApi, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const T = 30_000;
const screenshots = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
/** The report screens are read at a wide desk (a supervisor's office monitor). */
const VIEWPORT = { width: 1440, height: 900 };

/** A whole-page screenshot into docs/screenshots/ (the README and docs show them). */
async function docShot(page: Page, name: string) {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** Shanghai calendar day, `days` from today (negative: earlier). */
function shanghaiDay(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last whole month (the monthly report's default). */
function lastMonth(): string {
  const [y, m] = shanghaiDay().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const numberIn = (text: string | null) => Number(/(\d[\d,]*)/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

describe('desk reports at 1440×900 on the demo tower (RP-6 CP-6 RP-3 RP-10 RP-7)', () => {
  let supervisor: BrowserSession;
  let owner: BrowserSession;

  beforeAll(async () => {
    [supervisor, owner] = await Promise.all([launchBrowser('desk'), launchBrowser('desk')]);
    await Promise.all([supervisor.page.setViewportSize(VIEWPORT), owner.page.setViewportSize(VIEWPORT)]);
    await loginViaApi(supervisor.context, baseUrl, 'supervisor', 'towerdesk');
    await loginViaApi(owner.context, baseUrl, 'owner', 'towerdesk');
  });
  afterAll(async () => {
    await Promise.all([supervisor?.close(), owner?.close()]);
  });

  it('RP-6 the supervisor finds the report screens in the menu, searches the six-month archive and opens an item from it', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/work-items`);
    const menu = page.locator('.ant-menu');
    await menu.locator('.ant-menu-item-group-title', { hasText: '报表' }).waitFor({ timeout: T });
    for (const label of ['工单档案', '投诉月报', '服务时效', '质量抽检']) expect(await menu.locator('.ant-menu-title-content', { hasText: label }).count()).toBe(1);

    await menu.locator('.ant-menu-title-content', { hasText: '工单档案' }).click();
    await page.waitForURL((u) => u.pathname === '/reports/archive', { timeout: T });
    const sub = page.locator('.page-title .ant-typography-secondary');
    await sub.filter({ hasText: '共' }).waitFor({ timeout: T });
    const total = numberIn(await sub.textContent());
    expect(total).toBeGreaterThan(1000);
    const rows = page.locator('.ant-table-tbody tr[data-number]');
    await rows.first().waitFor({ timeout: T });
    expect(await rows.count()).toBe(20);
    await docShot(page, 'report-archive');

    // Only the items with a broken limit: fewer, and each row says so.
    await page.locator('[data-testid=archive-met]').click();
    await page.locator('.ant-select-item-option', { hasText: '超时' }).click();
    await expect.poll(async () => numberIn(await sub.textContent()), { timeout: T }).toBeLessThan(total);
    const broken = numberIn(await sub.textContent());
    expect(broken).toBeGreaterThan(0);
    await expect.poll(async () => (await rows.locator('td:nth-child(8)').allTextContents()).every((c) => c === '超时'), { timeout: T }).toBe(true);

    // A row opens the same drawer as the dispatch board.
    const number = await rows.first().getAttribute('data-number');
    await rows.first().click();
    await page.locator('[data-testid=drawer-number]', { hasText: number! }).waitFor({ timeout: T });
    await page.locator('.ant-drawer-close').click();
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached', timeout: T }).catch(() => {});
  });

  it('RP-6 the supervisor downloads the archive of a period as XLSX, named for the period', async () => {
    const { page } = supervisor;
    const from = shanghaiDay(-90);
    const to = shanghaiDay();
    // Without a period there is nothing to export (the server audits what left the building, by period).
    expect(await page.locator('[data-testid=archive-export]').isDisabled()).toBe(true);
    const inputs = page.locator('.rp-filters .ant-picker-range input');
    await inputs.first().click();
    await inputs.first().fill(from);
    await inputs.first().press('Enter');
    await inputs.nth(1).fill(to);
    await inputs.nth(1).press('Enter');
    await expect.poll(() => page.locator('[data-testid=archive-export]').isDisabled(), { timeout: T }).toBe(false);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-testid=archive-export]').click()]);
    expect(download.suggestedFilename()).toBe(`工单档案-${from}-${to}.xlsx`);
    const file = await download.path();
    const head = fs.readFileSync(file).subarray(0, 4);
    expect(head.toString('latin1')).toBe('PK\x03\x04'); // an XLSX is a zip
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  });

  it('CP-6 the monthly complaint report shows last month’s volume, a category chart, the repeats and the improvements, on an A4 sheet that prints without the desk around it', async () => {
    const { page } = supervisor;
    const month = lastMonth();
    await page.goto(`${baseUrl}/reports/complaints?month=${month}`);
    const sheet = page.locator('[data-testid=monthly-sheet]');
    await sheet.waitFor({ timeout: T });
    const [y, m] = month.split('-');
    expect(await sheet.locator('h1').textContent()).toBe(`${y}年${Number(m)}月投诉月报`);
    const total = numberIn(await sheet.locator('[data-testid=monthly-volume] .rp-figure-value').first().textContent());
    expect(total).toBeGreaterThan(0);
    await sheet.locator('[data-testid=category-chart] canvas').waitFor({ timeout: T });
    // Repeats: a company or a place with two or more complaints in the month.
    const repeats = sheet.locator('[data-testid=repeats-company] tbody tr.ant-table-row, [data-testid=repeats-place] tbody tr.ant-table-row');
    expect(await repeats.count()).toBeGreaterThan(0);
    expect(await sheet.locator('[data-testid=improvements] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await docShot(page, 'report-complaints');

    // The paper version: no menu, no header, no buttons; the sheet alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.shell-sider').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=print]').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    // Let the charts' resize observers redraw at the new width (two frames) before the picture.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await docShot(page, 'report-complaints-print');
    await page.setViewportSize(VIEWPORT);
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-testid=monthly-export]').click()]);
    expect(download.suggestedFilename()).toBe(`投诉月报-${month}.xlsx`);
  });

  it('RP-3 RP-10 the service-level page shows the urgent 30-minute arrival rate (QR-proven apart), first-time fix, reopens and the per-trade chart; a technician links to their items in the archive', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/reports/sla`);
    const arrival = page.locator('[data-testid=kpi-urgent-arrival]');
    await arrival.waitFor({ timeout: T });
    expect(await arrival.locator('.rp-kpi-label').textContent()).toBe('紧急报修 30 分钟内到场率');
    expect(await arrival.locator('.rp-kpi-value').textContent()).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.locator('[data-testid=kpi-proven] .rp-kpi-sub').textContent()).toMatch(/扫码 \d+ 单.*手动 \d+ 单/);
    expect(await page.locator('[data-testid=kpi-first-fix] .rp-kpi-value').textContent()).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.locator('[data-testid=kpi-reopen] .rp-kpi-value').textContent()).toMatch(/^\d{1,3}\.\d%$/);
    await page.locator('[data-testid=trade-chart] canvas').waitFor({ timeout: T });
    await page.locator('[data-testid=arrival-chart] canvas').waitFor({ timeout: T });
    expect(await page.locator('[data-testid=tech-table] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=responsible-table] tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await docShot(page, 'report-sla');

    // A technician's name opens their repairs of the period in the archive (a link that can be shared).
    const first = page.locator('[data-testid=tech-table] tbody tr.ant-table-row').first().locator('a');
    const name = (await first.textContent())!;
    await first.click();
    await page.waitForURL((u) => u.pathname === '/reports/archive' && u.searchParams.get('kind') === 'repair' && !!u.searchParams.get('technicianId'), { timeout: T });
    const rows = page.locator('.ant-table-tbody tr[data-number]');
    await rows.first().waitFor({ timeout: T });
    expect(new Set(await rows.locator('td:nth-child(6)').allTextContents())).toEqual(new Set([name]));
    await page.locator('.rp-filters .ant-select-content', { hasText: name }).or(page.locator('.rp-filters .ant-select-selection-item', { hasText: name })).first().waitFor({ timeout: T });
  });

  it('RP-7 the supervisor records a pass on last week’s spot-check proposal (it shows as checked and counts in the pass rate) and a fail with its note', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/reports/spot-checks`);
    const proposal = page.locator('[data-testid=proposal]');
    const pass = proposal.locator('[data-action=pass]');
    await pass.first().waitFor({ timeout: T });
    const checkedBefore = numberIn(await page.locator('[data-testid=kpi-pass-rate] .rp-kpi-sub').textContent().then((s) => s?.split('/')[1] ?? null));
    const row = proposal.locator('tr[data-number]', { has: page.locator('[data-action=pass]') }).first();
    const number = await row.getAttribute('data-number');
    await docShot(page, 'report-spot-checks');

    await row.locator('[data-action=pass]').click();
    const done = proposal.locator(`tr[data-number="${number}"] [data-testid=check-result]`);
    await done.waitFor({ timeout: T });
    expect(await done.textContent()).toContain('合格');
    await page.locator('[data-testid=recorded] tbody tr', { hasText: number! }).first().waitFor({ timeout: T });
    await expect.poll(async () => numberIn(await page.locator('[data-testid=kpi-pass-rate] .rp-kpi-sub').textContent().then((s) => s?.split('/')[1] ?? null)), { timeout: T })
      .toBe(checkedBefore + 1);

    // A fail needs a note saying what is wrong.
    const other = proposal.locator('tr[data-number]', { has: page.locator('[data-action=fail]') }).first();
    const failed = await other.getAttribute('data-number');
    await other.locator('[data-action=fail]').click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator('[data-testid=fail-ok]').click();
    await dialog.locator('.ant-form-item-explain-error', { hasText: '不合格须说明问题' }).waitFor({ timeout: T });
    await dialog.locator('textarea').fill('接头未做防水处理，仍有渗水');
    await dialog.locator('[data-testid=fail-ok]').click();
    const result = proposal.locator(`tr[data-number="${failed}"] [data-testid=check-result]`);
    await result.waitFor({ timeout: T });
    expect(await result.textContent()).toContain('不合格');
    expect(await result.textContent()).toContain('接头未做防水处理');
  });

  it('RP-6 RP-7 the owner’s representative reads every report but records no spot-checks', async () => {
    const { page } = owner;
    await page.goto(`${baseUrl}/reports/archive`);
    await page.locator('.ant-table-tbody tr[data-number]').first().waitFor({ timeout: T });
    expect(await page.locator('[data-testid=archive-export]').count()).toBe(1); // archive.export includes the owner's side

    await page.goto(`${baseUrl}/reports/complaints`);
    await page.locator('[data-testid=category-chart] canvas').waitFor({ timeout: T });
    await page.goto(`${baseUrl}/reports/sla`);
    await page.locator('[data-testid=kpi-urgent-arrival]').waitFor({ timeout: T });

    await page.goto(`${baseUrl}/reports/spot-checks`);
    await page.locator('[data-testid=proposal] tr[data-number]').first().waitFor({ timeout: T });
    await page.locator('[data-testid=recorded] tbody tr.ant-table-row').first().waitFor({ timeout: T });
    expect(await page.locator('[data-action=pass], [data-action=fail]').count()).toBe(0);
    expect(await page.locator('[data-testid=proposal]').textContent()).toContain('待抽检');

    // The same screens in English.
    await page.goto(`${baseUrl}/reports/sla`);
    await page.locator('[data-testid=kpi-urgent-arrival]').waitFor({ timeout: T });
    await page.locator('.ant-segmented-item', { hasText: 'English' }).click();
    await expect.poll(() => page.locator('[data-testid=kpi-urgent-arrival] .rp-kpi-label').textContent(), { timeout: T }).toBe('Urgent repairs reached within 30 min');
    expect(await page.locator('.ant-menu-item-group-title', { hasText: 'Reports' }).count()).toBe(1);
    expect(await page.locator('.page-title h3').textContent()).toBe('Service levels');
    // English lists and asides take English punctuation, not the Chinese 、 and （）.
    const trades = page.locator('[data-testid=tech-table] tbody tr.ant-table-row td:first-child .muted');
    await trades.first().waitFor({ timeout: T });
    expect((await trades.allTextContents()).join('|')).not.toMatch(/[、（）]/);

    await page.goto(`${baseUrl}/reports/complaints?month=${lastMonth()}`);
    const sheet = page.locator('[data-testid=monthly-sheet]');
    await sheet.locator('[data-testid=category-chart] canvas').waitFor({ timeout: T });
    const categories = sheet.locator('[data-testid=repeats-company] tbody tr.ant-table-row td:last-child, [data-testid=repeats-place] tbody tr.ant-table-row td:last-child');
    expect(await categories.count()).toBeGreaterThan(0);
    expect((await categories.allTextContents()).join('|')).not.toContain('、');
    expect(await sheet.locator('h2', { hasText: 'Improvements' }).locator('span').textContent()).toMatch(/^ \(\d+\)$/);
    expect(await sheet.locator('.rp-compact td').first().textContent()).toMatch(/^(—|\d{1,3}\.\d% \(\d+\/\d+\))$/);
    await docShot(page, 'report-complaints-en');

    // The week picker's rows are ISO weeks in English too: a Sunday belongs to the week before it.
    await page.goto(`${baseUrl}/reports/spot-checks`);
    const title = page.locator('[data-testid=proposal] .ant-card-head-title');
    await title.filter({ hasText: 'completed' }).waitFor({ timeout: T });
    const monday = /completed (\d{4}-\d{2}-\d{2})/.exec((await title.textContent())!)![1]!;
    const dayBefore = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    await page.locator('[data-testid=week-picker]').click();
    const panel = page.locator('.ant-picker-dropdown .ant-picker-week-panel');
    await panel.waitFor({ timeout: T });
    expect(await panel.locator('thead th').nth(1).textContent()).toBe('Mo');
    await panel.locator(`td[title="${dayBefore(monday, 1)}"]`).click();
    await title.filter({ hasText: `completed ${dayBefore(monday, 7)} to ${dayBefore(monday, 1)}` }).waitFor({ timeout: T });
  });

  it('CP-6 SEC-3 the desk agent reads the monthly complaint report but has no export button (exports are archive.export)', async () => {
    const agent = await launchBrowser('desk');
    try {
      await agent.page.setViewportSize(VIEWPORT);
      await loginViaApi(agent.context, baseUrl, 'agent', 'towerdesk');
      await agent.page.goto(`${baseUrl}/reports/complaints?month=${lastMonth()}`);
      await agent.page.locator('[data-testid=monthly-sheet] [data-testid=category-chart] canvas').waitFor({ timeout: T });
      expect(await agent.page.locator('[data-testid=print]').count()).toBe(1);
      expect(await agent.page.locator('[data-testid=monthly-export]').count()).toBe(0);
    } finally {
      await agent.close();
    }
  });
});
