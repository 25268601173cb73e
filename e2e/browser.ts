import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The two screen sizes every browser scenario is checked at (issue 2). */
export const SIZES = {
  desk: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;
export type Size = keyof typeof SIZES;

export interface BrowserSession {
  context: BrowserContext;
  /** The page the persistent context opens with. */
  page: Page;
  /** Closes Chromium and removes its profile folder. */
  close(): Promise<void>;
}

export const artifactsDir = path.join(import.meta.dirname, 'artifacts');

/**
 * Headless Debian Chromium (CHROMIUM_PATH, set by scripts/test.mjs) with a fresh profile,
 * zh-CN locale and Shanghai time, at desk (1280×800) or phone (390×844 @2x, touch) size.
 */
export async function launchBrowser(size: Size = 'desk'): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...SIZES[size],
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot to e2e/artifacts/<name>.png and returns its path. */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}

/**
 * Signs in through the API; the session cookie (td_sid) lands in the context, so every page of
 * it is signed in. Throws with the server's answer when the login is refused.
 */
export async function loginViaApi(context: BrowserContext, baseUrl: string, username: string, password: string): Promise<unknown> {
  const res = await context.request.post(`${baseUrl}/api/auth/login`, {
    headers: { 'x-requested-with': 'towerdesk' },
    data: { login: username, password },
  });
  if (!res.ok()) throw new Error(`login as ${username} failed: ${res.status()} ${await res.text()}`);
  const cookies = await context.cookies(baseUrl);
  if (!cookies.some((c) => c.name === 'td_sid')) throw new Error(`login as ${username} answered ${res.status()} but set no td_sid cookie`);
  return res.json().catch(() => null);
}
