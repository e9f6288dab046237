// The counties table (migration 049): a row per loaded data set, written from its manifest by the loader and
// read wherever the county's grid bounds or its synthetic flag matter.
import type { Queryable } from '../postgres/pool.ts';
import type { CountyManifest } from '../../shared/county-manifest.ts';
import type { CountyAnswer } from '../../shared/api/county.ts';

/** Records the manifest of the data set just loaded for `countyCode` (keyed by the server's county code). */
export async function upsertCounty(db: Queryable, countyCode: string, manifest: CountyManifest): Promise<void> {
  await db.query(
    `insert into counties (county_code, name, name_en, min_households, max_households, synthetic, manifest)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (county_code) do update set name = excluded.name, name_en = excluded.name_en,
       min_households = excluded.min_households, max_households = excluded.max_households,
       synthetic = excluded.synthetic, manifest = excluded.manifest, loaded_at = now()`,
    [
      countyCode,
      manifest.name,
      manifest.name_en ?? null,
      manifest.bounds.min,
      manifest.bounds.max,
      manifest.synthetic,
      JSON.stringify(manifest),
    ],
  );
}

/** The county of `countyCode`, or null before any data set was loaded for it. */
export async function queryCounty(db: Queryable, countyCode: string): Promise<CountyAnswer | null> {
  const { rows } = await db.query<CountyAnswer>(
    `select county_code as code, name, name_en, synthetic,
            json_build_object('min', min_households, 'max', max_households) as bounds
     from counties where county_code = $1`,
    [countyCode],
  );
  return rows[0] ?? null;
}

/** The county of `countyCode`; a server without one has no data to plan or show (start-up records it). */
export async function requireCounty(db: Queryable, countyCode: string): Promise<CountyAnswer> {
  const county = await queryCounty(db, countyCode);
  if (!county) throw new Error(`no county ${countyCode} is recorded: its data set was never loaded`);
  return county;
}

/** The extent [west, south, east, north] of the county's communities, or null while it has none. */
export async function queryCountyExtent(
  db: Queryable,
  countyCode: string,
): Promise<[number, number, number, number] | null> {
  const { rows } = await db.query<{ box: [number, number, number, number] | null }>(
    `select case when e is null then null else json_build_array(st_xmin(e), st_ymin(e), st_xmax(e), st_ymax(e)) end box
     from (select st_extent(geom)::geometry e from communities where county_code = $1) x`,
    [countyCode],
  );
  return rows[0]?.box ?? null;
}
