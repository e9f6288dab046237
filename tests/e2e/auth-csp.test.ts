import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';

const base = inject('baseUrl');
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  browser = await launchBrowser({ width: 1200, height: 800 });
});
afterAll(() => browser?.close());

describe('the content security policy in Chromium', () => {
  it('lets /inspect draw its map without a single violation', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    // Violations are also reported as DOM events; record them before any script of the page runs.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const res = await page.goto(`${base}/inspect`);
    expect(res!.headers()['content-security-policy']).toContain("worker-src 'self' blob:");
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await page.waitForTimeout(500);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a wall with a display token: the cookie is kept, the token leaves the address bar', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    const { url } = await (
      await postJson(`${base}/api/admin/display-tokens`, { screen: 'e2e wall' }, { cookie: admin })
    ).json();
    const page = await browser.context.newPage();
    await page.goto(url);
    expect(page.url()).toBe(`${base}/wall`);
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ role: 'wall', screen: 'e2e wall' });
    const cookies = await browser.context.cookies(base);
    const display = cookies.find((c) => c.name === 'gridlink_display')!;
    expect(display).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.close();
  });
});
