// /admin/workforce in Chromium: an admin edits an allowance of the rank sequence and sees the community's mean
// change to what SQL computes; edits a worker's level; the inspection card shows the community's figures; the
// page speaks Chinese by default and English on request.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { MIN_GROUP_FOR_PUBLIC_MEAN } from '../../server/community/workforce.ts';

const pool = testPool();
const base = inject('baseUrl');
const COMMUNITY = 'C03';
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 1600, height: 1000 } });

afterAll(async () => {
  await pool.end();
});

const text = (selector: string) => page.textContent(selector).then((s) => (s ?? '').replace(/\s+/g, ' ').trim());
const attr = (selector: string, name: string) => page.getAttribute(selector, name);
const memberMean = `[data-testid="workforce-community-figures"] [data-testid="workforce-meanMember"]`;
/** The community's mean monthly allowance of members, in SQL (null when the public may not see it). */
async function sqlMemberMean(minGroup = 1): Promise<number | null> {
  const { rows } = await pool.query<{ n: number; members: number }>(
    `select round(avg(a.monthly_yuan))::int as n, count(*)::int as members from workforce_staff w join workforce_allowances a
       on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
     where w.county_code = $1 and w.community_id = $2 and w.rank_class = 'member'`,
    [COUNTY, COMMUNITY],
  );
  return rows[0].members < minGroup ? null : rows[0].n;
}

describe('the inspection card without an account', () => {
  it('shows the community workforce figures, but no mean over fewer than five people', async () => {
    await page.goto(`${base}/inspect?level=community&id=${COMMUNITY}&lang=zh`);
    await page.waitForSelector(`[data-testid="area-workforce"][data-area="${COMMUNITY}"]`, { timeout: 90_000 });
    expect(new URL(page.url()).pathname).toBe('/inspect');
    expect(await attr('[data-testid="area-workforce"] [data-testid="workforce-meanHead"]', 'data-value')).toBe('');
    expect(await text('[data-testid="area-workforce"] [data-testid="workforce-meanHead"] dd')).toBe('—');
    expect(await attr('[data-testid="area-workforce"] [data-testid="workforce-meanMember"]', 'data-value')).toBe(
      String((await sqlMemberMean(MIN_GROUP_FOR_PUBLIC_MEAN)) ?? ''),
    );
  });
});

describe('/admin/workforce in Chromium', () => {
  it('edits an allowance and shows the community mean change, equal to SQL', async () => {
    await page.goto(`${base}/admin?lang=zh`);
    await page.waitForSelector('[data-testid="login-username"]', { timeout: 30_000 });
    const admin = demoAccount('admin');
    await page.fill('[data-testid="login-username"]', admin.username);
    await page.fill('[data-testid="login-password"]', admin.password);
    await page.click('[data-testid="login-submit"]');
    await page.click('[data-testid="admin-workforce-link"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="workforce-staff-row"]', { timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/admin/workforce');
    expect(await text('h1')).toContain('社区工作者队伍');
    expect(await text('h1')).toContain('示例数据');

    await page.selectOption('[data-testid="workforce-community"]', COMMUNITY);
    await page.waitForSelector(`[data-testid="workforce-community-figures"][data-community="${COMMUNITY}"]`);
    const staffCount = (
      await pool.query<{ n: number }>(
        'select count(*)::int as n from workforce_staff where county_code = $1 and community_id = $2',
        [COUNTY, COMMUNITY],
      )
    ).rows[0].n;
    await page.waitForSelector(`[data-testid="workforce-staff-count"][data-total="${staffCount}"]`);
    const before = Number(await attr(memberMean, 'data-value'));
    expect(before).toBe(await sqlMemberMean());
    expect(await text(memberMean)).toContain(before.toLocaleString('zh-CN'));

    // A member level held by someone of the community: raise its allowance by 600 yuan.
    const { rows } = await pool.query<{ level: number; monthly_yuan: number; staff: number }>(
      `select w.level, a.monthly_yuan, count(*)::int as staff from workforce_staff w join workforce_allowances a
         on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
       where w.county_code = $1 and w.community_id = $2 and w.rank_class = 'member' group by w.level, a.monthly_yuan order by count(*) desc, w.level limit 1`,
      [COUNTY, COMMUNITY],
    );
    const cell = `[data-testid="workforce-allowance-cell"][data-class="member"][data-level="${rows[0].level}"]`;
    await page.fill(`${cell} [data-testid="workforce-allowance-input"]`, String(rows[0].monthly_yuan + 600));
    await page.click(`${cell} [data-testid="workforce-allowance-save"]`);
    await page.waitForSelector(`${cell}[data-yuan="${rows[0].monthly_yuan + 600}"]`);
    await page.waitForFunction(([sel, old]) => document.querySelector(sel!)?.getAttribute('data-value') !== old, [
      memberMean,
      String(before),
    ] as const);
    const after = Number(await attr(memberMean, 'data-value'));
    expect(after).toBe(await sqlMemberMean());
    expect(after).toBeGreaterThan(before);
    expect(await text('[data-testid="workforce-allowance-message"]')).toContain(String(rows[0].monthly_yuan + 600));
    const audit = await pool.query(
      `select 1 from audit_log where county_code = $1 and action = 'workforce.allowance_set' and target = $2`,
      [COUNTY, `allowance:member:${rows[0].level}`],
    );
    expect(audit.rowCount).toBeGreaterThanOrEqual(1);
    await screenshotPixels(page, 'workforce-zh.png');

    // Put it back through the page.
    await page.fill(`${cell} [data-testid="workforce-allowance-input"]`, String(rows[0].monthly_yuan));
    await page.click(`${cell} [data-testid="workforce-allowance-save"]`);
    await page.waitForSelector(`${cell}[data-yuan="${rows[0].monthly_yuan}"]`);
  });

  it('edits a worker level; the row and the database agree', async () => {
    const worker = (
      await pool.query<{ person_id: string; level: number }>(
        `select person_id, level from workforce_staff where county_code = $1 and community_id = $2 and post = 'grid_worker' order by person_id limit 1`,
        [COUNTY, COMMUNITY],
      )
    ).rows[0];
    const row = `[data-testid="workforce-staff-row"][data-id="${worker.person_id}"]`;
    const next = worker.level === 18 ? 17 : worker.level + 1;
    await page.click(`${row} [data-testid="workforce-edit"]`);
    await page.fill(`${row} [data-testid="workforce-edit-level"]`, String(next));
    await page.click(`${row} [data-testid="workforce-edit-save"]`);
    await page.waitForSelector(`${row}[data-level="${next}"]`);
    const stored = await pool.query<{ level: number }>(
      'select level from workforce_staff where county_code = $1 and person_id = $2',
      [COUNTY, worker.person_id],
    );
    expect(stored.rows[0].level).toBe(next);
    // Names are masked on the page too.
    expect(await text(`${row} td`)).toMatch(/^.\*+ /u);
    await pool.query('update workforce_staff set level = $3 where county_code = $1 and person_id = $2', [
      COUNTY,
      worker.person_id,
      worker.level,
    ]);
  });

  it('speaks English on request, and the inspection card shows the community figures equal to SQL', async () => {
    await page.goto(`${base}/admin/workforce?lang=en`);
    await page.waitForSelector('[data-testid="workforce-staff-row"]', { timeout: 30_000 });
    expect(await text('h1')).toContain('Community workforce');
    expect(await text('[data-testid="workforce-allowances"] h2')).toBe('Rank sequence and monthly allowance (yuan)');
    expect(await text('[data-testid="workforce-community"] option:checked')).toMatch(/^[A-Za-z]/);
    await screenshotPixels(page, 'workforce-en.png');

    await page.goto(`${base}/inspect?level=community&id=${COMMUNITY}&lang=zh`);
    await page.waitForSelector(`[data-testid="area-workforce"][data-area="${COMMUNITY}"]`, { timeout: 90_000 });
    expect(
      Number(await attr('[data-testid="area-workforce"] [data-testid="workforce-meanMember"]', 'data-value')),
    ).toBe(await sqlMemberMean());
    const fullTime = (
      await pool.query<{ n: number }>(
        `select count(*)::int as n from workforce_staff where county_code = $1 and community_id = $2 and team = 'full_time'`,
        [COUNTY, COMMUNITY],
      )
    ).rows[0].n;
    expect(Number(await attr('[data-testid="area-workforce"] [data-testid="workforce-fullTime"]', 'data-value'))).toBe(
      fullTime,
    );
    expect(await text('[data-testid="area-workforce"] h3')).toContain('示例数据');
    await page.$eval('[data-testid="area-workforce"]', (e) => e.scrollIntoView());
    await screenshotPixels(page, 'inspect-workforce.png');
    expect(consoleErrors.filter((e) => !/status of 40[013]/.test(e))).toEqual([]);
  });
});
