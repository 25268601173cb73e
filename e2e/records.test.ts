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
const numberIn = (text: string | null) => Number(/(\d[\d,]*)/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

describe('plans and round records on the desk at 1440×900, demo tower (IN-5 AR-1 GR-2)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await launchBrowser('desk');
    await s.page.setViewportSize(VIEWPORT);
    await loginViaApi(s.context, baseUrl, 'supervisor', 'towerdesk');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('IN-5 AR-1 the supervisor searches three months of round records, opens a task record, and sees the rates', async () => {
    const { page } = s;
    await page.goto(`${baseUrl}/tasks/today`);
    const menu = page.locator('.ant-menu');
    await menu.locator('.ant-menu-item-group-title', { hasText: '计划与巡检' }).waitFor({ timeout: T });
    for (const label of ['今日任务', '计划', '巡检记录', '完成率', '漏检', '读数趋势', '用药记录']) {
      expect(await menu.locator('.ant-menu-title-content', { hasText: new RegExp(`^${label}$`) }).count(), label).toBe(1);
    }
    await page.locator('[data-testid="today-card"]').first().waitFor({ timeout: T });
    await docShot(page, 'records-today');

    await page.goto(`${baseUrl}/records/search`);
    const sub = page.locator('.page-title .ant-typography-secondary');
    await sub.filter({ hasText: '共' }).waitFor({ timeout: T });
    expect(numberIn(await sub.textContent())).toBeGreaterThan(500);
    await page.locator('[data-testid="filter-result"]').click();
    const filtered = page.waitForResponse((r) => r.url().includes('/api/records/tasks?') && r.url().includes('result=findings'), { timeout: T });
    await page.locator('.ant-select-item-option', { hasText: '有异常' }).click();
    await filtered;
    await page.locator('.ant-table-tbody tr.clickable').first().waitFor({ timeout: T });
    await page.waitForFunction(() => !document.querySelector('.ant-table .ant-spin-spinning'), undefined, { timeout: T });
    // Every row found has at least one finding.
    const findings = await page.locator('.ant-table-tbody tr.clickable td:nth-child(7)').allTextContents();
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => Number(f) > 0)).toBe(true);
    await docShot(page, 'records-search');
    await page.locator('.ant-table-tbody tr.clickable').first().click();
    const drawer = page.locator('[data-testid="task-drawer"]');
    await drawer.locator('[data-testid="task-checkpoint"]').first().waitFor({ timeout: T });
    await drawer.locator('[data-testid="task-findings"]').waitFor({ timeout: T });
    await page.screenshot({ path: path.join(screenshots, 'records-task.png') });

    await page.goto(`${baseUrl}/records/rates`);
    await page.locator('[data-testid="rates-table"] .ant-table-tbody tr.ant-table-row').nth(2).waitFor({ timeout: T });
    await page.locator('[data-testid="route-report"] .ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: T });
    await docShot(page, 'records-rates');

    await page.goto(`${baseUrl}/records/missed`);
    await page.locator('[data-testid="missed-table"] .ant-table-tbody tr.clickable').first().waitFor({ timeout: T });
    await docShot(page, 'records-missed');
  }, 120_000);

  it('IN-5 GR-2 the readings chart shows a pump pressure against its band; the chemical-use log lists the sprayings; plans show their checklist', async () => {
    const { page } = s;
    await page.goto(`${baseUrl}/records/readings`);
    await page.locator('[data-testid="reading-item"]').waitFor({ timeout: T });
    await page.locator('[data-testid="reading-item"]').click();
    await page.keyboard.type('压力');
    await page.locator('.ant-select-item-option').first().click();
    await page.keyboard.press('Escape');
    await page.locator('.rp-card .ant-card-head-title', { hasText: '压力' }).waitFor({ timeout: T });
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden', timeout: T }).catch(() => {});
    await page.locator('[data-testid="readings-chart"] canvas').waitFor({ timeout: T });
    await docShot(page, 'records-readings');

    await page.goto(`${baseUrl}/records/chemicals`);
    await page.locator('[data-testid="chem-table"] .ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: T });
    expect(await page.locator('[data-testid="chem-table"] .ant-table-tbody').textContent()).toMatch(/PD\d+/);
    await docShot(page, 'records-chemicals');

    await page.goto(`${baseUrl}/plans`);
    await page.locator('[data-testid="plans-table"] .ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: T });
    expect(await page.locator('[data-testid="plans-table"]').textContent()).toContain('每天');
    await docShot(page, 'plans-list');
    await page.locator('[data-testid="plans-table"] .ant-table-tbody tr.ant-table-row').first().locator('button.ant-btn-link').click();
    await page.locator('[data-testid="template-drawer"] .pl-template-cp').first().waitFor({ timeout: T });
    await page.screenshot({ path: path.join(screenshots, 'plans-template.png') });

    // The same screens in English: labels and server names (kinds, states) follow the language.
    await page.keyboard.press('Escape');
    await page.locator('.ant-segmented-item', { hasText: 'English' }).click();
    await page.goto(`${baseUrl}/records/rates?by=kind`);
    await page.locator('[data-testid="rates-table"] .ant-table-tbody tr.ant-table-row').first().waitFor({ timeout: T });
    expect(await page.locator('.page-title h3').textContent()).toBe('Completion rates');
    expect(await page.locator('[data-testid="rates-table"]').textContent()).toContain('Inspection');
    await docShot(page, 'records-rates-en');
  }, 120_000);
});
