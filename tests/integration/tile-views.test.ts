import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { findLayer, LAYERS } from '../../server/db/layers.ts';
import { tileQuery } from '../../server/db/tiles-repo.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { tilesCovering } from '../helpers/tiles.ts';

/**
 * What a map view transfers: minimum zooms per layer, coarser outlines and thinned labels at low zoom keep a
 * wide view within 2 MB (scale-100 figures in docs/scaling.md, `npm run bench:views`), while the town keeps
 * everything /inspect and /wall draw at their usual zooms.
 */
const pool = testPool();
afterAll(() => pool.end());
const BUDGET = 2 * 1024 * 1024;

/** XYZ tiles covering the town's communities at zoom z. */
const townTiles = (z: number) => tilesCovering(pool, 'communities', 'geom_3857', z);

async function fetchTile(layer: string, z: number, x: number, y: number) {
  const res = await get(`/tiles/${layer}/${z}/${x}/${y}.mvt`);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes: bytes.length, layer: new VectorTile(new PbfReader(bytes)).layers[layer] };
}

/** Ids of a layer's features over the town at zoom z, each counted in the tile that holds it (not a buffer). */
async function idsAt(layerId: string, z: number): Promise<string[]> {
  const ids: string[] = [];
  for (const [x, y] of await townTiles(z)) {
    const { layer } = await fetchTile(layerId, z, x, y);
    for (let i = 0; i < (layer?.length ?? 0); i++) {
      const f = layer.feature(i);
      const [[p]] = f.loadGeometry();
      if (f.type !== 1 || (p.x >= 0 && p.x < layer.extent && p.y >= 0 && p.y < layer.extent))
        ids.push(String(f.properties.id));
    }
  }
  return ids;
}

describe('bytes per map view', () => {
  it.each([10, 12])('a full z%i view of the town, every layer, stays within 2 MB and carries the grids', async (z) => {
    let bytes = 0;
    for (const [x, y] of await townTiles(z)) for (const l of LAYERS) bytes += (await fetchTile(l.id, z, x, y)).bytes;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(BUDGET);
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from grids where county_code = $1', [
      COUNTY,
    ]);
    expect(new Set(await idsAt('grids', z)).size).toBe(rows[0].n);
  });

  it('keeps every compound from z11, none below; buildings from z14', async () => {
    const { rows } = await pool.query<{ n: number }>(
      'select count(*)::int as n from compounds where county_code = $1',
      [COUNTY],
    );
    expect(await idsAt('compounds', 10)).toEqual([]);
    expect(new Set(await idsAt('compounds', 11)).size).toBe(rows[0].n);
    expect(new Set(await idsAt('compounds', 12)).size).toBe(rows[0].n);
    expect(await idsAt('buildings', 13)).toEqual([]);
    expect((await idsAt('buildings', 14)).length).toBeGreaterThan(1000);
  });

  it('draws coarser outlines below the layer’s full-detail zoom', async () => {
    // Community outlines below z12 are simplified to 2 px: fewer vertices than the same tiles at half a pixel.
    const communities = findLayer('communities')!;
    let coarse = 0;
    let fine = 0;
    for (const [x, y] of await townTiles(8)) {
      for (const [def, add] of [
        [communities, (n: number) => (coarse += n)],
        [{ ...communities, lowZoom: undefined }, (n: number) => (fine += n)],
      ] as const) {
        const { sql, args } = tileQuery(def, COUNTY, 8, x, y);
        const tile = (await pool.query<{ tile: Buffer }>(sql, args)).rows[0].tile;
        const layer = new VectorTile(new PbfReader(tile)).layers.communities;
        for (let i = 0; i < (layer?.length ?? 0); i++)
          for (const ring of layer.feature(i).loadGeometry()) add(ring.length);
      }
    }
    expect(coarse).toBeGreaterThan(0);
    expect(coarse).toBeLessThan(fine);
  });

  it('thins community labels below z12 to the largest community per 128-pixel cell, the same in every tile', async () => {
    const { rows } = await pool.query<{ n: number }>(
      'select count(*)::int as n from communities where county_code = $1',
      [COUNTY],
    );
    const all = await idsAt('community_labels', 12);
    expect(new Set(all).size).toBe(rows[0].n);
    const thinned = await idsAt('community_labels', 9);
    expect(thinned.length).toBeGreaterThan(0);
    expect(thinned.length).toBeLessThan(rows[0].n);
    // The kept label is the largest community of its cell.
    const largest = await pool.query<{ id: string }>(
      'select id from communities where county_code = $1 order by st_area(geom) desc limit 1',
      [COUNTY],
    );
    expect(thinned).toContain(largest.rows[0].id);
  });

  it('keeps only the main roads, water, green and the boundary in base map tiles below z12', async () => {
    const kinds = async (z: number) => {
      const seen = new Set<string>();
      for (const [x, y] of await townTiles(z)) {
        const { layer } = await fetchTile('basemap', z, x, y);
        for (let i = 0; i < (layer?.length ?? 0); i++) {
          const p = layer.feature(i).properties;
          seen.add(`${p.kind}/${p.class}`);
        }
      }
      return seen;
    };
    const low = await kinds(11);
    expect(low.has('road/primary')).toBe(true);
    expect(
      [...low].filter((k) => k.startsWith('block/urban') || k === 'road/residential' || k.startsWith('landmark/')),
    ).toEqual([]);
    const full = await kinds(12);
    expect(full.has('block/urban')).toBe(true);
    expect(full.has('road/residential')).toBe(true);
  });
});
