// A page behind the login: the page sends a visitor to /login, the form signs in and sends it back.
import type { Page } from 'playwright-core';

/** Opens url (a page of the app), signs in through the form it is sent to, and waits until it is back. */
export async function loginThroughForm(
  page: Page,
  url: string,
  account: { username: string; password: string },
): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
  await page.fill('[data-testid="login-username"]', account.username);
  await page.fill('[data-testid="login-password"]', account.password);
  await page.click('[data-testid="login-submit"]');
  const back = new URL(url).pathname;
  await page.waitForFunction((path) => location.pathname === path, back, { timeout: 30_000 });
}
