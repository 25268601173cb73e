import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, apiSession } from './api.ts';
import { launchBrowser, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');

async function signInOnPhone(page: Page, login: string) {
  await page.locator('input[name=login]').waitFor({ timeout: 30_000 });
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'towerdesk');
  await page.click('button[type=submit]');
}

async function signOutOnPhone(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.locator('input[name=login]').waitFor();
}

describe('phone at 390×844: field staff and occupants', () => {
  let browser: BrowserSession;
  let liftLobby: { id: string; code: string; name: string; qrToken: string };

  beforeAll(async () => {
    browser = await launchBrowser('phone');
    // The QR token of a real place, as the admin who prints labels sees it.
    const admin = await apiSession('admin');
    const found = await apiGet<{ items: Array<{ id: string; code: string; name: string; qrToken: string | null }> }>(admin, '/api/places?codePrefix=JW-T1-F12-LL');
    const place = found.items.find((p) => p.code === 'JW-T1-F12-LL');
    if (!place?.qrToken) throw new Error('seed has no JW-T1-F12-LL with a QR token');
    liftLobby = { ...place, qrToken: place.qrToken };
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a technician who signs in on the desk login is sent to the phone home', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/login`);
    await page.locator('#login').waitFor({ timeout: 30_000 });
    await page.fill('#login', 'tech');
    await page.fill('#password', 'towerdesk');
    await page.click('button[type=submit]');

    await page.waitForURL((u) => u.pathname === '/m/', { timeout: 30_000 });
    const name = page.locator('[data-testid=profile-name]');
    await name.waitFor({ timeout: 30_000 });
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(await name.textContent()).toBe(me.displayName);
    expect(me.layout).toBe('phone');
    // The phone page carries no antd (its own light entry).
    expect(await page.locator('[class*="ant-"]').count()).toBe(0);

    // The scan button is the biggest target on the page, and the day's calendar is shown.
    const scan = page.locator('[data-testid=scan-button]');
    expect(await scan.textContent()).toContain('扫码');
    const box = await scan.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(64);
    expect(box!.width).toBeGreaterThan(300);
    await page.locator('[data-testid=today]').waitFor();
    expect(await page.locator('[data-testid=today]').textContent()).toMatch(/工作日|休息日|节假日|调休上班/);
    // Their certificates are on the profile card.
    expect(await page.locator('.m-profile').textContent()).toContain('我的证书');

    const font = await name.evaluate((el) => getComputedStyle(el).font);
    const distinct = await page.evaluate(({ text, font }) => {
      const draw = (ch: string) => {
        const c = document.createElement('canvas');
        c.width = 60;
        c.height = 60;
        const g = c.getContext('2d')!;
        g.font = font;
        g.fillText(ch, 4, 44);
        return c.toDataURL();
      };
      const chars = [...new Set([...text])];
      return new Set(chars.map(draw)).size === chars.length && !chars.map(draw).includes(draw('\u{10FFFD}'));
    }, { text: '扫码今天工作', font });
    expect(distinct).toBe(true);
    await shot(page, 'phone-home-technician');
  });

  it('scanning a place label (/q/<token>) shows the place with its breadcrumb', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/q/${liftLobby.qrToken}`);
    const name = page.locator('[data-testid=place-name]');
    await name.waitFor({ timeout: 30_000 });
    expect(await name.textContent()).toBe(liftLobby.name);
    expect(await page.locator('[data-testid=place-code]').textContent()).toBe('JW-T1-F12-LL');
    expect(await page.locator('[data-testid=place-breadcrumb] a').allTextContents()).toEqual(['主楼', '12层']);
    await shot(page, 'phone-scan-place');

    // A token that is not (or no longer) a label says so, with a way back.
    await page.goto(`${baseUrl}/q/notARealToken123`);
    await page.locator('.m-notfound').waitFor({ timeout: 30_000 });
    expect(await page.locator('.m-notfound').textContent()).toContain('二维码无效');
    await signOutOnPhone(page);
  });

  it('an occupant who scans a label while signed out signs in and sees the place, then their home', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/q/${liftLobby.qrToken}`);
    // Signed out: the scan page asks for the sign-in first, then shows the place at the same URL.
    await signInOnPhone(page, 'occupant');
    await page.locator('[data-testid=place-name]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=place-name]').textContent()).toBe(liftLobby.name);
    expect(new URL(page.url()).pathname).toBe(`/q/${liftLobby.qrToken}`);

    await page.getByRole('link', { name: '返回首页' }).click();
    await page.locator('[data-testid=profile-name]').waitFor({ timeout: 30_000 });
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me.roles).toEqual(['occupant']);
    expect(await page.locator('[data-testid=profile-name]').textContent()).toBe(me.displayName);
    // Their company and units, read within their own scope.
    await page.locator('.m-list-item').first().waitFor();
    expect(await page.locator('main').textContent()).toContain('我的单元');
    await shot(page, 'phone-home-occupant');
  });
});
