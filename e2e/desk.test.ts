import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');
const NEW_CODE = 'JW-T1-F12-E2E1';
const NEW_NAME = '12层E2E保洁间';

/**
 * Whether Chinese text is drawn with real glyphs. Without a CJK font Chromium draws every
 * character as the same empty box, so distinct characters would give identical pixels.
 */
async function cjkGlyphsDistinct(page: Page, text: string, font: string): Promise<boolean> {
  return page.evaluate(({ text, font }) => {
    const draw = (ch: string) => {
      const c = document.createElement('canvas');
      c.width = 40;
      c.height = 40;
      const g = c.getContext('2d')!;
      g.font = font;
      g.fillText(ch, 4, 30);
      return c.toDataURL();
    };
    const chars = [...new Set([...text])];
    const shapes = new Set(chars.map(draw));
    const notdef = draw('\u{10FFFD}'); // a code point no font has: the "missing glyph" box
    return shapes.size === chars.length && !shapes.has(notdef);
  }, { text, font });
}

describe('desk at 1280×800: admin works with places, labels, staff and calendar', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await launchBrowser('desk');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('admin signs in through the login form and lands on 位置管理, rendered in Chinese', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/`);
    // Not signed in: the desk sends the visitor to its login page.
    await page.locator('#login').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, 'desk-login');

    await page.fill('#login', 'admin');
    await page.fill('#password', 'towerdesk');
    await page.click('button[type=submit]');

    const heading = page.locator('.page-title h3');
    await heading.waitFor({ timeout: 30_000 });
    expect(await heading.textContent()).toBe('位置管理');
    expect(new URL(page.url()).pathname).toBe('/places');
    // The side navigation shows every admin screen in Chinese, grouped: service desk, plans and
    // rounds, reports, stock, the building, people, system.
    const nav = await page.locator('.ant-menu-title-content').allTextContents();
    expect(nav).toEqual([
      '工单台', '报修登记', '接待记录', '回访', '今日任务', '计划', '巡检记录', '完成率', '漏检', '读数趋势', '用药记录',
      '工单档案', '投诉月报', '服务时效', '质量抽检', '库存', '工具借还', '补货建议', '成本月报',
      '位置管理', '工作日历', '值班表', '租户单位', '业主/使用人', '员工花名册', '外包单位', '账号与角色', '审计日志',
    ]);

    const font = await heading.evaluate((el) => getComputedStyle(el).font);
    expect(await cjkGlyphsDistinct(page, '位置管理金文大厦', font)).toBe(true);
    await page.locator('[data-code="JW-T1"]').waitFor();
    await shot(page, 'desk-places');
  });

  it('selects 12层, creates a public area under it and prints its QR label sheet', async () => {
    const { page, context } = browser;
    // Open 主楼 and pick 12层 (JW-T1-F12) in the tree.
    await page.locator('.ant-tree-treenode', { has: page.locator('[data-code="JW-T1"]') }).locator('.ant-tree-switcher').click();
    await page.locator('[data-code="JW-T1-F12"]').click();
    const title = page.locator('[data-testid=place-title]');
    await expect.poll(() => title.textContent()).toBe('12层');

    await page.getByRole('button', { name: '新建下级位置' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#code').waitFor();
    // The code starts from the parent's code.
    expect(await dialog.locator('#code').inputValue()).toBe('JW-T1-F12-');
    await dialog.locator('#code').fill(NEW_CODE.toLowerCase()); // typed in lower case: the form upper-cases it
    await dialog.locator('#name').fill(NEW_NAME);
    await dialog.locator('[data-testid=place-kind]').click();
    await page.locator('.ant-select-item-option[title="公共区域"]').click();
    await shot(page, 'desk-place-create-dialog');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();

    await expect.poll(() => title.textContent(), { timeout: 15_000 }).toBe(NEW_NAME);
    await page.locator(`.ant-tree [data-code="${NEW_CODE}"]`).waitFor();
    const detail = await page.locator('.place-detail').textContent();
    expect(detail).toContain(NEW_CODE);
    expect(detail).toContain('公共区域');
    expect(detail).toContain('主楼');
    await shot(page, 'desk-place-created');

    // "打印二维码标签" opens the print page of this place's subtree in a new tab.
    const [sheet] = await Promise.all([context.waitForEvent('page'), page.locator('[data-testid=print-labels]').click()]);
    await sheet.waitForLoadState();
    expect(new URL(sheet.url()).pathname).toMatch(/^\/places\/[0-9a-f-]{36}\/labels$/);
    const label = sheet.locator(`.label[data-code="${NEW_CODE}"]`);
    await label.waitFor({ timeout: 30_000 });
    expect(await label.locator('.label-code').textContent()).toBe(NEW_CODE);
    expect(await label.locator('.label-name').textContent()).toBe(NEW_NAME);
    expect(await sheet.locator('.labels-toolbar h3').textContent()).toBe('二维码标签');

    // The QR is the server's SVG, shown as an image that actually decoded, encoding /q/<token>.
    const qr = label.locator('img.label-qr');
    const src = (await qr.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(src.slice(src.indexOf(',') + 1))).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await qr.getAttribute('alt')).toMatch(/\/q\/[A-Za-z0-9_-]{8,}$/);
    await shot(sheet, 'desk-qr-labels');

    // Printed: A4 sheets of 70 × 37 mm labels and nothing else on the paper.
    await sheet.emulateMedia({ media: 'print' });
    expect(await sheet.locator('.labels-toolbar').evaluate((el) => getComputedStyle(el).display)).toBe('none');
    const box = await sheet.locator('.label-sheet').first().boundingBox();
    expect(Math.round(box!.width)).toBe(794); // 210 mm at 96 dpi
    const labelBox = await label.boundingBox();
    expect(Math.round(labelBox!.width)).toBe(265); // 70 mm
    expect(Math.round(labelBox!.height)).toBe(140); // 37 mm
    await shot(sheet, 'desk-qr-labels-print', { fullPage: true });
    await sheet.close();
  });

  it('the staff register highlights certificates that expire within 30 days', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/staff`);
    await page.locator('.ant-table-row').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.page-title h3').textContent()).toBe('员工花名册');
    // Phones are masked in the list.
    expect(await page.locator('.ant-table-row .phone').first().textContent()).toMatch(/^1\d{2}\*{4}\d{4}$/);

    const expiring = page.locator('.ant-table-row.row-cert-expiring').first();
    await expiring.waitFor();
    const tag = expiring.locator('[data-expiry="expiring"]').first();
    expect(await tag.textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    // Orange: the tag's text and the row's background.
    expect(await tag.evaluate((el) => getComputedStyle(el).color)).toMatch(/^rgb\(2\d\d, 1\d\d, \d{1,2}\)$/);
    expect(await expiring.locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 247, 230)');
    await shot(page, 'desk-staff-register');

    // "Only staff with certificates to renew" also finds the expired one (red), wherever it is in the list.
    await page.locator('[data-testid=only-attention]').click();
    const expired = page.locator('.ant-table-row.row-cert-expired').first();
    await expired.waitFor();
    expect(await expired.locator('[data-expiry="expired"]').count()).toBeGreaterThan(0);
    expect(await expired.locator('td').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 241, 240)');
    await shot(page, 'desk-staff-certificates-to-renew');
  });

  it('the 2026 calendar shows the Spring Festival holidays and the make-up working days', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/calendar?year=2026`);
    await page.locator('[data-testid=year-grid]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=cal-year]').textContent()).toBe('2026 年');

    const runs = await page.locator('[data-testid=holiday-runs] li').allTextContents();
    const spring = runs.find((r) => r.startsWith('春节'));
    expect(spring).toBeDefined();
    // 2026 Spring Festival break per 国办发明电〔2025〕7号: 2月15日 – 2月23日.
    expect(spring).toContain('2月15日 – 2月23日');

    const festival = page.locator('[data-date="2026-02-17"]');
    expect(await festival.getAttribute('data-kind')).toBe('holiday');
    expect(await festival.getAttribute('title')).toContain('春节');
    expect(await festival.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 204, 199)');
    // A make-up working day (Saturday 2026-02-28) carries 班.
    const makeup = page.locator('[data-date="2026-02-28"]');
    expect(await makeup.getAttribute('data-kind')).toBe('makeup');
    expect(await makeup.textContent()).toContain('班');
    // An ordinary weekend is grey, not a holiday.
    expect(await page.locator('[data-date="2026-03-07"]').getAttribute('data-kind')).toBe('weekend');
    await shot(page, 'desk-calendar-2026', { fullPage: true });
  });
});
