import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';

// GDAL's OGC API – Features driver (Debian gdal-bin) is a real client of /ogc.
const ogc = () => `OAPIF:${inject('baseUrl')}/ogc`;
const gdal = (tool: string, ...args: string[]) =>
  execFileSync(tool, ['--config', 'GDAL_HTTP_TIMEOUT', '30', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });

const pool = testPool();
afterAll(() => pool.end());

const COLLECTIONS: [string, string, string[]][] = [
  ['streets', 'streets', ['id', 'name']],
  ['communities', 'communities', ['id', 'name', 'street_id', 'households']],
  ['grids', 'grids', ['id', 'code', 'name', 'community_id', 'households']],
  ['compounds', 'compounds', ['id', 'name', 'type', 'households', 'community_id']],
  ['buildings', 'buildings', ['id', 'compound_id', 'grid_id', 'households']],
  ['stations', 'stations', ['id', 'name', 'kind']],
];

describe('GDAL reads the OGC API', () => {
  it('lists every collection', () => {
    const out = gdal('ogrinfo', '-ro', ogc());
    for (const [id] of COLLECTIONS) expect(out).toMatch(new RegExp(`^\\d+: ${id}\\b`, 'm'));
  });

  it.each(COLLECTIONS)('reads every feature of %s, with its fields', async (id, table, fields) => {
    const { rows } = await pool.query(`select count(*)::int as n from ${table} where county_code = $1`, [COUNTY]);
    const summary = gdal('ogrinfo', '-ro', '-al', '-so', ogc(), id);
    for (const field of fields) expect(summary).toMatch(new RegExp(`^${field}: `, 'm'));
    const read = JSON.parse(gdal('ogr2ogr', '-f', 'GeoJSON', '/vsistdout/', ogc(), id));
    expect(read.features.length).toBe(rows[0].n);
    expect(new Set(read.features.map((f: { properties: { id: string } }) => f.properties.id)).size).toBe(rows[0].n);
  });

  it('reads every event (issue) completely, with its public fields only', async () => {
    const { rows } = await pool.query(
      `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate')`,
      [COUNTY],
    );
    const summary = gdal('ogrinfo', '-ro', '-al', '-so', ogc(), 'events');
    for (const field of [
      'code',
      'category',
      'category_major',
      'state',
      'source',
      'created_at',
      'closed_at',
      'overdue',
      'grid_code',
      'community_code',
    ]) {
      expect(summary).toMatch(new RegExp(`^${field}: `, 'm'));
    }
    expect(summary).not.toMatch(/^(description|reporter\w*|phone|photo\w*): /m);
    const read = JSON.parse(gdal('ogr2ogr', '-f', 'GeoJSON', '/vsistdout/', ogc(), 'events'));
    expect(read.features.length).toBe(rows[0].n);
    expect(new Set(read.features.map((f: { properties: { code: string } }) => f.properties.code)).size).toBe(rows[0].n);
    expect(read.features.every((f: { geometry: { type: string } }) => f.geometry.type === 'Point')).toBe(true);
  });
});
