import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { createDraft } from '../helpers/plan-page.ts';
import { useBrowsers } from './fixture.ts';

const base = inject('baseUrl');
const open = useBrowsers();

/** Violations are also reported as DOM events; record them before any script of the page runs. */
async function reportViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
}

describe('the content security policy in Chromium', () => {
  it('lets /inspect draw its map without a single violation', async () => {
    const { page, errors } = await open({ viewport: { width: 1200, height: 800 } });
    await reportViolations(page);
    const res = await page.goto(`${base}/inspect`);
    expect(res!.headers()['content-security-policy']).toContain("worker-src 'self' blob:");
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    expect(errors).toEqual([]);
  });

  it('lets a planner open /plan and a new draft without a single violation', async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const { page, errors } = await open({ viewport: { width: 1200, height: 800 }, cookie });
    await reportViolations(page);
    await page.goto(`${base}/plan`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await createDraft(page, `csp ${Date.now()}`);
    expect(errors).toEqual([]);
  });

  it('opens a wall with a display token: the cookie is kept, the token leaves the address bar', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    const { url } = await (
      await postJson(`${base}/api/admin/display-tokens`, { screen: 'e2e wall' }, { cookie: admin })
    ).json();
    const { page, context } = await open({ viewport: { width: 1200, height: 800 } });
    await page.goto(url);
    expect(page.url()).toBe(`${base}/wall`);
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ role: 'wall', screen: 'e2e wall' });
    const cookies = await context.cookies(base);
    const display = cookies.find((c) => c.name === 'gridlink_display')!;
    expect(display).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });
});
