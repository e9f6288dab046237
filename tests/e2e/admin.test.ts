// /admin in Chromium: only admins get in (others are sent to the login with a notice); an admin creates an
// account, sees it in the accounts table and its creation in the audit log; a refused account says why and
// appears nowhere; the page is in Chinese by default and switches to English.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { createAccount, sendJson } from '../helpers/accounts.ts';
import { testPool } from '../helpers/db.ts';

const pool = testPool();
const base = inject('baseUrl');
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 1600, height: 1000 } });
const USERNAME = `e2e-admin-${Date.now().toString(36)}`;

afterAll(async () => {
  await pool.end();
});

const text = (selector: string) => page.textContent(selector).then((s) => (s ?? '').replace(/\s+/g, ' ').trim());

async function logIn(who: 'admin' | 'leader' | { username: string; password: string }): Promise<void> {
  const account = typeof who === 'string' ? demoAccount(who) : who;
  await page.fill('[data-testid="login-username"]', account.username);
  await page.fill('[data-testid="login-password"]', account.password);
  await page.click('[data-testid="login-submit"]');
}

describe('/admin in Chromium', () => {
  it('lets an admin create an account and shows it in the table and the audit log', async () => {
    await page.goto(`${base}/admin?lang=zh`);
    await page.waitForSelector('[data-testid="login-need-admin"]', { timeout: 30_000 });
    expect(await text('[data-testid="login-need-admin"]')).toContain('管理员');
    await logIn('admin');
    await page.waitForSelector('[data-testid="admin-user-row"][data-username="demo-admin"]', { timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(await text('h1')).toBe('系统管理');
    expect(await text('[data-testid="admin-users"] thead')).toContain('最近登录');

    // Refused by the server's password policy: the reason is shown, nothing is created.
    await page.fill('[data-testid="admin-new-username"]', USERNAME);
    await page.fill('[data-testid="admin-new-password"]', 'short');
    await page.click('[data-testid="admin-new-submit"]');
    await page.waitForSelector('[data-testid="admin-user-create-message"].error');
    expect(await text('[data-testid="admin-user-create-message"]')).toContain('at least 12 characters');
    expect((await pool.query('select 1 from users where username = $1', [USERNAME])).rowCount).toBe(0);

    await page.fill('[data-testid="admin-new-password"]', 'a good long password');
    await page.fill('[data-testid="admin-new-display-name"]', ' 测试调度员 ');
    await page.selectOption('[data-testid="admin-new-role"]', 'dispatcher');
    await page.selectOption('[data-testid="admin-new-scope-level"]', 'community');
    await page.fill('[data-testid="admin-new-scope-id"]', 'C02');
    await page.click('[data-testid="admin-new-submit"]');
    const row = `[data-testid="admin-user-row"][data-username="${USERNAME}"]`;
    await page.waitForSelector(row, { timeout: 10_000 });
    const rowText = await text(row);
    expect(rowText).toContain('调度员');
    expect(rowText).toContain('社区 C02');
    expect(rowText).toContain('从未登录');
    expect(rowText).toContain('启用');
    expect(await text(`${row} [data-testid="admin-user-display-name"]`)).toBe('测试调度员');
    expect(await text('[data-testid="admin-users"] thead')).toContain('显示名称');

    const { id } = (await pool.query('select id from users where username = $1', [USERNAME])).rows[0];
    const auditRow = `[data-testid="admin-audit-row"][data-action="user.create"][data-target="user:${id}"]`;
    await page.waitForSelector(auditRow, { timeout: 10_000 });
    const auditText = await text(auditRow);
    expect(auditText).toContain('demo-admin');
    expect(auditText).toContain(USERNAME);
    expect(auditText).not.toMatch(/scrypt|good long/);

    // The audit filter narrows to this account.
    await page.fill('[data-testid="admin-audit-entity"]', `user:${id}`);
    await page.click('[data-testid="admin-audit-apply"]');
    await page.waitForSelector('[data-testid="admin-audit-total"][data-total="1"]');
    expect(await page.$$('[data-testid="admin-audit-row"]')).toHaveLength(1);

    // Rename it in the editor, then disable it: the row says so.
    await page.click(`${row} [data-testid="admin-user-edit"]`);
    expect(await page.inputValue('[data-testid="admin-edit-display-name"]')).toBe('测试调度员');
    await page.fill('[data-testid="admin-edit-display-name"]', '社区调度 王');
    await page.click('[data-testid="admin-edit-save"]');
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '社区调度 王',
      `${row} [data-testid="admin-user-display-name"]`,
    );
    expect(
      (await pool.query('select display_name from users where username = $1', [USERNAME])).rows[0].display_name,
    ).toBe('社区调度 王');
    await page.click('[data-testid="admin-edit-toggle"]');
    await page.waitForSelector(`${row}[data-disabled="true"]`);
    expect(await text(row)).toContain('已停用');

    // A wall display token: its address is shown once; revoked after a confirmation.
    await page.fill('[data-testid="admin-token-screen"]', '指挥中心 e2e');
    await page.click('[data-testid="admin-token-create"]');
    await page.waitForSelector('[data-testid="admin-token-row"][data-screen="指挥中心 e2e"][data-revoked="false"]');
    expect(await text('[data-testid="admin-token-url"]')).toMatch(/\/wall\?token=[\w-]{43}/);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-testid="admin-token-row"][data-screen="指挥中心 e2e"] [data-testid="admin-token-revoke"]');
    await page.waitForSelector('[data-testid="admin-token-row"][data-screen="指挥中心 e2e"][data-revoked="true"]');
    expect(
      (await pool.query(`select revoked_at is not null as revoked from display_tokens where screen = '指挥中心 e2e'`))
        .rows,
    ).toEqual([{ revoked: true }]);

    // A category's time limit: saved through the page, audited, then put back (other tests rely on the seeds).
    const category = await page.$eval('[data-testid="admin-category-row"]', (r) => ({
      id: r.getAttribute('data-id')!,
      hours: Number(r.getAttribute('data-hours')),
    }));
    const categoryRow = `[data-testid="admin-category-row"][data-id="${category.id}"]`;
    const setHours = async (hours: number) => {
      await page.fill(`${categoryRow} [data-testid="admin-category-hours"]`, String(hours));
      await page.click(`${categoryRow} [data-testid="admin-category-save"]`);
      await page.waitForSelector(`${categoryRow}[data-hours="${hours}"]`);
    };
    await setHours(category.hours + 1);
    expect(
      Number(
        (await pool.query('select time_limit_hours from issue_categories where id = $1', [category.id])).rows[0]
          .time_limit_hours,
      ),
    ).toBe(category.hours + 1);
    expect(await text('[data-testid="admin-category-message"]')).toContain(`${category.hours + 1} 工作小时`);
    await setHours(category.hours);

    const pixels = await screenshotPixels(page, 'admin-zh.png');
    expect(pixels.length).toBeGreaterThan(0);

    await page.click('[data-testid="language-switch"] button[data-locale="en"]');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Administration');
    expect(await text(row)).toContain('Dispatcher');
    expect(await text('[data-testid="admin-users"] h2')).toBe('Accounts');
    await screenshotPixels(page, 'admin-en.png');
  });

  it('sends an account of another role to the login with a notice', async () => {
    await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }));
    await page.goto(`${base}/login?lang=zh`);
    await logIn('leader');
    await page.waitForFunction(() => location.pathname === '/inspect', undefined, { timeout: 30_000 });
    await page.goto(`${base}/admin?lang=zh`);
    await page.waitForSelector('[data-testid="login-need-admin"]', { timeout: 30_000 });
    expect(await page.$('[data-testid="admin-users"]')).toBeNull();
    // 400: the short password refused on purpose; 401/403: the guard asking who is there.
    expect(consoleErrors.filter((e) => !/status of 40[013]/.test(e))).toEqual([]);
  });

  it('lets a user change their own password on /account, ending their other logins, and log out', async () => {
    const adminCookie = await loginCookie(demoAccount('admin'));
    const account = await createAccount(adminCookie, 'planner', undefined, 'e2e-self');
    expect(
      (await sendJson('PATCH', `/api/admin/users/${account.id}`, { displayName: '规划科 小李' }, adminCookie)).status,
    ).toBe(200);
    const elsewhere = await loginCookie(account);
    await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }));
    await page.goto(`${base}/account?lang=zh`);
    await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
    await logIn(account);
    await page.waitForSelector('[data-testid="account-who"]', { timeout: 30_000 });
    expect(await text('[data-testid="account-who"]')).toBe(`${account.username}（规划人员）`);
    expect(await text('[data-testid="account-display-name"]')).toBe('他人看到的名称：规划科 小李');

    await page.fill('[data-testid="account-current"]', 'not my password');
    await page.fill('[data-testid="account-next"]', 'my brand new password');
    await page.fill('[data-testid="account-repeat"]', 'my brand new password');
    await page.click('[data-testid="account-submit"]');
    await page.waitForSelector('[data-testid="account-message"].error');
    expect(await text('[data-testid="account-message"]')).toBe('当前密码不正确。');

    await page.fill('[data-testid="account-current"]', account.password);
    await page.click('[data-testid="account-submit"]');
    await page.waitForSelector('[data-testid="account-message"].ok');
    expect(await text('[data-testid="account-message"]')).toContain('（1 个）');
    expect((await fetch(`${base}/api/me`, { headers: { cookie: elsewhere } })).status).toBe(401);
    await screenshotPixels(page, 'account-zh.png');

    await page.click('[data-testid="account-logout"]');
    await page.waitForFunction(() => location.pathname === '/login');
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(401);
  });
});
