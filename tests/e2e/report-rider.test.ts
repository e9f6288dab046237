// A rider's account reports through /report (随手拍) in Chromium: the report is the rider's in the database
// (the page sends no source), and the wall's rider figure counts it.
import crypto from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './fixture.ts';
import { loginThroughForm } from '../helpers/login-page.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { demoGrids, freePoint } from '../helpers/issues-fixtures.ts';
import { pickedPoint, tapMapAt } from '../helpers/report-map.ts';
import { createUser } from '../../server/db/users-repo.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

const pool = testPool();
const { page, errors } = useBrowser({ viewport: { width: 375, height: 812 } });
afterAll(() => pool.end());

const riderReports = async () =>
  (
    await pool.query<{ n: number }>(
      `select count(*)::int as n from issues where county_code = $1 and source = 'rider'`,
      [COUNTY],
    )
  ).rows[0].n;

const wallRiderReports = async (): Promise<number> =>
  (
    (await (await fetch(`${inject('baseUrl')}/api/wall/figures`)).json()) as {
      issues: { riderReports: { total: number } };
    }
  ).issues.riderReports.total;

describe('a rider reports', () => {
  it('as a rider, and the wall counts it among the rider snap reports', async () => {
    const base = inject('baseUrl');
    const account = { username: `t-rider-${crypto.randomBytes(4).toString('hex')}`, password: 'Rider-e2e-Pass-1' };
    await createUser(pool, COUNTY, {
      username: account.username,
      passwordHash: await hashPassword(account.password),
      role: 'reporter',
      scope: { streetId: null, communityId: null, gridId: null },
      reportsAs: 'rider',
    });
    const before = await wallRiderReports();
    await loginThroughForm(page, `${base}/report?lang=zh`, account);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="report-category-major"] option[value="city_appearance"]', {
      state: 'attached',
    });
    await page.selectOption('[data-testid="report-category-major"]', 'city_appearance');
    await page.selectOption('[data-testid="report-category-minor"]', 'street_litter');
    await page.fill('[data-testid="report-description"]', '骑手随手拍：路边垃圾（端到端测试）');
    const { workerGrid } = await demoGrids(pool);
    const target = await freePoint(pool, workerGrid, 'street_litter', true);
    await tapMapAt(page, target.lon, target.lat);
    await pickedPoint(page);
    await page.click('[data-testid="report-submit"]');
    const status = await page.waitForSelector('[data-testid="report-status"][data-status="sent"]', { timeout: 30_000 });
    const id = Number(await status.getAttribute('data-issue'));
    const { rows } = await pool.query(
      `select i.source, u.username from issues i join users u on u.county_code = i.county_code and u.id = i.reporter_user_id
       where i.county_code = $1 and i.id = $2`,
      [COUNTY, id],
    );
    expect(rows[0]).toEqual({ source: 'rider', username: account.username });

    // The wall's figures (tests/e2e/wall.test.ts checks the tiles show them): one more rider report.
    const after = await wallRiderReports();
    expect(after).toBe(before + 1);
    expect(after).toBe(await riderReports());
    // The page's session check before the login answers 401; nothing else may fail.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
