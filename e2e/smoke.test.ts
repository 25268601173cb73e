import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, loginViaApi, shot, type BrowserSession } from './browser.ts';

const baseUrl = inject('baseUrl');

describe('smoke: the real server in headless Chromium', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await launchBrowser('desk');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the Swagger UI at /api/docs', async () => {
    const { page } = browser;
    const res = await page.goto(`${baseUrl}/api/docs`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    const title = page.locator('.swagger-ui .info .title').first();
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    expect((await title.textContent())?.trim()).toBeTruthy();
    await shot(page, 'smoke-api-docs-desk');
  });

  it('answers /api/health with status and db ok', async () => {
    const res = await browser.page.request.get(`${baseUrl}/api/health`);
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok' });
  });

  it('signs the demo admin in through the API (cookie lands in the browser context)', async () => {
    await loginViaApi(browser.context, baseUrl, 'admin', 'towerdesk');
    const me = await browser.page.request.get(`${baseUrl}/api/auth/me`);
    expect(me.status()).toBe(200);
  });
});
