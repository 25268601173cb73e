import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, loginViaApi, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const T = 30_000;
const screenshots = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };

async function docShot(page: Page, name: string) {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

describe('desk stock screens on the demo tower (RP-9 CL-4 AR-2)', () => {
  let supervisor: BrowserSession;

  beforeAll(async () => {
    supervisor = await launchBrowser('desk');
    await supervisor.page.setViewportSize(VIEWPORT);
    await loginViaApi(supervisor.context, baseUrl, 'supervisor', 'towerdesk');
  });
  afterAll(async () => {
    await supervisor?.close();
  });

  it('RP-9 CL-4 the supervisor finds 库存 in the menu: items with balances and low-stock flags, an item\'s ledger, and a receipt posted through the form', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/work-items`);
    const menu = page.locator('.ant-menu');
    await menu.locator('.ant-menu-item-group-title', { hasText: '库存' }).waitFor({ timeout: T });
    for (const label of ['工具借还', '补货建议', '成本月报']) expect(await menu.locator('.ant-menu-title-content', { hasText: label }).count()).toBe(1);
    await menu.locator('.ant-menu-title-content', { hasText: /^库存$/ }).click();
    await page.waitForURL((u) => u.pathname === '/stock/items', { timeout: T });
    const rows = page.locator('[data-testid=stock-table] .ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor({ timeout: T });
    expect(await rows.count()).toBeGreaterThanOrEqual(20);
    expect(await page.locator('[data-testid=low-tag]').count()).toBeGreaterThanOrEqual(2);
    await docShot(page, 'stock-items');

    await page.locator('[data-testid=low-filter]').click();
    await expect.poll(() => rows.count(), { timeout: T }).toBe(await page.locator('[data-testid=low-tag]').count());
    await page.locator('[data-testid=low-filter]').click();

    const tubes = rows.filter({ hasText: 'LED 灯管 T8 1.2m' });
    const before = Number((await tubes.locator('td:nth-child(4) b').textContent()) ?? NaN);
    await tubes.locator('td:nth-child(2) a').click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.locator('.ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: T });
    expect(await drawer.locator('.ant-table-tbody', { hasText: '领用出库' }).count()).toBe(1);
    await docShot(page, 'stock-ledger');
    await page.locator('.ant-drawer-close').click();

    await tubes.getByRole('button', { name: '出入库登记' }).click();
    const dialog = page.locator('.ant-modal', { hasText: '出入库登记' });
    await dialog.waitFor({ timeout: T });
    await dialog.locator('input#qty').fill('25');
    await dialog.locator('input#supplier').fill('上海飞乐照明');
    await docShot(page, 'stock-receive');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(async () => Number(await tubes.locator('td:nth-child(4) b').textContent()), { timeout: T }).toBe(before + 25);
  });

  it('RP-9 工具借还 lists the tools out with the overdue one in red; 补货建议 suggests orders in whole packs', async () => {
    const { page } = supervisor;
    await page.goto(`${baseUrl}/stock/tools`);
    const rows = page.locator('[data-testid=tools-table] .ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor({ timeout: T });
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=overdue-tag]').count()).toBe(1);
    await docShot(page, 'stock-tools');

    await page.goto(`${baseUrl}/stock/reorder`);
    const suggestions = page.locator('[data-testid=reorder-table] .ant-table-tbody tr.ant-table-row');
    await suggestions.first().waitFor({ timeout: T });
    expect(await suggestions.count()).toBeGreaterThanOrEqual(2);
    await suggestions.first().locator('.ant-table-row-expand-icon').click();
    await page.locator('.st-steps li').first().waitFor({ timeout: T });
    await docShot(page, 'stock-reorder');
  });

  it('AR-2 成本月报: last month\'s repairs cost parts + labour, by trade and by area, and the XLSX downloads', async () => {
    const { page } = supervisor;
    const d = new Date(Date.now() + 8 * 3_600_000);
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await page.goto(`${baseUrl}/stock/cost?month=${last}`);
    const byTrade = page.locator('[data-testid=cost-by-trade] .ant-table-tbody tr.ant-table-row');
    await byTrade.first().waitFor({ timeout: T });
    expect(await byTrade.count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid=cost-total]').textContent()).toMatch(/¥[1-9]/);
    await docShot(page, 'stock-cost-report');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-testid=cost-export]').click()]);
    expect(download.suggestedFilename()).toBe(`维修成本月报-${last}.xlsx`);
  });
});
