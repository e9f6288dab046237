// The case page (/events): one step of a case through its action form.
import type { Page } from 'playwright-core';

/** Opens the action to `to`, lets `fill` fill its form, confirms, and waits for the case to show the new state. */
export async function actOnCase(page: Page, to: string, fill?: () => Promise<void>): Promise<void> {
  await page.click(`[data-testid="action"][data-to="${to}"]`);
  await page.waitForSelector(`[data-testid="action-form"][data-to="${to}"]`);
  await fill?.();
  await page.click('[data-testid="action-confirm"]');
  await page.waitForSelector(`[data-testid="event-detail"][data-state="${to}"]`, { timeout: 20_000 });
}
