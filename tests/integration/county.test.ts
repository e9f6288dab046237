// The county as data (migration 049, server/db/counties-repo.ts): GET /api/county and the wall's synthetic flag
// come from the loaded data set's manifest — a county whose manifest is not synthetic is never labelled a demo —
// and the publish check holds a plan to the county's bounds.
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { readCountyManifest, recordCountyIfMissing } from '../../server/demo/data-set.ts';
import { queryCounty } from '../../server/db/counties-repo.ts';
import { planViolations, type PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';
import { CountyAnswer } from '../../shared/api/county.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { useRealCounty } from '../helpers/real-county.ts';

const pool = testPool();
const config = loadConfig();
const manifest = readCountyManifest(config.demoDataDir);
/** A county of no data but its row: real (not synthetic), with bounds of its own. */
const REAL = '999998';

// Registered first: after-hooks run last to first, and the real county's server closes before the pool.
afterAll(() => pool.end());
const realBase = useRealCounty(pool, REAL, { name: '实县', bounds: { min: 200, max: 400 } });

describe('GET /api/county', () => {
  it("answers the loaded data set's manifest: the demo county is synthetic, with its bounds", async () => {
    const res = await get('/api/county');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const county = CountyAnswer.parse(await res.json());
    expect(county).toEqual({
      code: COUNTY,
      name: manifest.name,
      name_en: manifest.name_en ?? null,
      bounds: manifest.bounds,
      synthetic: true,
    });
  });

  it('answers a county whose manifest is not synthetic as real, with its own bounds', async () => {
    const county = CountyAnswer.parse(await (await fetch(`${realBase()}/api/county`)).json());
    expect(county).toMatchObject({ code: REAL, name: '实县', synthetic: false, bounds: { min: 200, max: 400 } });
  });

  it("opens the map on the county's own extent: the demo town at zoom 13.5", async () => {
    const style = await (await get('/styles/gridlink.json')).json();
    expect(style).toMatchObject({ center: [107.405, 37.784], zoom: 13.5 });
  });

  it('refuses a query string (400)', async () => {
    expect((await get('/api/county?x=1')).status).toBe(400);
  });
});

describe("the wall's synthetic flag", () => {
  it('is true for the synthetic demo county and false for a real one', async () => {
    expect((await (await get('/api/wall/figures')).json()).synthetic).toBe(true);
    const res = await fetch(`${realBase()}/api/wall/figures`);
    expect(res.status).toBe(200);
    expect((await res.json()).synthetic).toBe(false);
  });
});

describe('recording the county', () => {
  it("leaves a recorded county as it is: a database loaded before keeps its row's flag", async () => {
    await recordCountyIfMissing(pool, config.demoDataDir, REAL);
    expect(await queryCounty(pool, REAL)).toMatchObject({ synthetic: false, bounds: { min: 200, max: 400 } });
  });
});

describe('the publish check', () => {
  it("holds the current grids to the county's bounds: valid within 300–500, grids over a lower max refused", async () => {
    const planner = await loginCookie(demoAccount('planner'));
    const units = (await (await get('/api/plan/units', { headers: { cookie: planner } })).json()) as PlanUnitsGeoJson;
    const current = Object.fromEntries(
      units.features.map((f) => [f.properties.id, (f.properties as { grid_id?: string }).grid_id ?? null]),
    );
    expect(planViolations(units, current, manifest.bounds)).toEqual([]);
    const lower = planViolations(units, current, { min: manifest.bounds.min, max: 450 });
    expect(lower.some((v) => v.kind === 'grid-over-max')).toBe(true);
    expect(lower.every((v) => v.kind === 'grid-over-max' || v.kind.startsWith('parent'))).toBe(true);
  });
});
