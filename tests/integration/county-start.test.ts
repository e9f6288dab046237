import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { prepareDatabase } from '../../server/start.ts';
import { badPackages, projectedPackage } from '../fixtures/county-packages/build.ts';
import { databaseUrl, testPool } from '../helpers/db.ts';

/**
 * npm start with COUNTY_DIR: on a database without that county its package is imported instead of the demo
 * (North Carolina's counties as compounds, tests/fixtures/county-packages), once; a real county gets no synthetic
 * history; a package that blocks stops the start with its report and writes nothing.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-start-'));
const pool = testPool();
const CODE = '999104';
const ncDir = projectedPackage(path.join(work, 'nc'), { min: 5_000, max: 30_000 }, { name: '启动县', code: CODE });

const configFor = (countyDir: string) => ({
  ...loadConfig({ ...process.env, DATABASE_URL: databaseUrl(), COUNTY_DIR: countyDir }),
  port: 0,
  dataDir: work,
});

async function count(table: string, code: string): Promise<number> {
  return (await pool.query(`select count(*)::int n from ${table} where county_code = $1`, [code])).rows[0].n;
}

/** Every row of the county, table by table, retried until the foreign keys let each go. */
async function removeCounty(code: string) {
  const { rows } = await pool.query<{ t: string }>(
    `select quote_ident(c.table_name) t from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and c.column_name = 'county_code' and t.table_type = 'BASE TABLE'`,
  );
  let left = rows.map((r) => r.t);
  for (let pass = 0; pass < left.length + 1 && left.length; pass++) {
    const failed: string[] = [];
    for (const t of left)
      await pool.query(`delete from ${t} where county_code = $1`, [code]).catch(() => failed.push(t));
    left = failed;
  }
}

afterAll(async () => {
  await removeCounty(CODE);
  await pool.end();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('npm start with COUNTY_DIR', { timeout: 240_000 }, () => {
  it("serves the package's own county code", () => {
    expect(configFor(ncDir).countyCode).toBe(CODE);
  });

  it('imports the package on the first start only, with no synthetic history for a real county', async () => {
    for (let start = 0; start < 2; start++) await (await prepareDatabase(configFor(ncDir))).stop();
    const county = await pool.query('select name, synthetic from counties where county_code = $1', [CODE]);
    expect(county.rows).toEqual([{ name: '启动县', synthetic: false }]);
    expect(await count('compounds', CODE)).toBe(100);
    expect(await count('grids', CODE)).toBeGreaterThan(0);
    const imports = await pool.query(
      `select actor from audit_log where county_code = $1 and action = 'county.import'`,
      [CODE],
    );
    expect(imports.rows).toEqual([{ actor: 'npm start' }]);
    for (const table of ['issues', 'micro_wishes', 'service_activities', 'deliberation_items', 'workforce_staff'])
      expect(await count(table, CODE), table).toBe(0);
    // The reference data a county needs to take reports is there.
    expect(await count('issue_categories', CODE)).toBeGreaterThan(0);
  });

  it('stops on a package that blocks, saying why, and writes nothing', async () => {
    const heavy = badPackages(path.join(work, 'bad')).heavy;
    const config = configFor(heavy);
    await expect(prepareDatabase(config)).rejects.toThrow(/blocking problems[\s\S]*households/i);
    expect(await count('counties', config.countyCode)).toBe(0);
    expect(await count('compounds', config.countyCode)).toBe(0);
  });

  it('refuses a COUNTY_DIR that is no county package, naming the variable', () => {
    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    expect(() => loadConfig({ COUNTY_DIR: empty })).toThrow(/COUNTY_DIR .*county\.json/);
    fs.writeFileSync(path.join(empty, 'county.json'), JSON.stringify({ name: 'x', code: '12' }));
    expect(() => loadConfig({ COUNTY_DIR: empty })).toThrow(/COUNTY_DIR: county\.json .*code/);
  });
});
