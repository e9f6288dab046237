// The planner's files for tests: a new plan and its export from the server, files made from an export with
// GDAL's tools (one layer, its rows picked and changed by an SQLite select) and read back, a folder for them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { afterAll, expect, inject } from 'vitest';

/** A folder for the files of a test file, removed after its tests. */
export function filesDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a GDAL tool (or another command line tool); what it prints. */
export const gdal = (tool: string, ...args: string[]): string =>
  execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 << 20 });

/** A layer of a file (the only one when not named) as GeoJSON, as ogr2ogr reads it. */
export const readLayer = (source: string, layer?: string) =>
  JSON.parse(gdal('ogr2ogr', '-f', 'GeoJSON', '/vsistdout/', source, ...(layer ? [layer] : []))) as FeatureCollection<
    MultiPolygon,
    Record<string, unknown>
  >;

/** Writes what an SQLite `select` over `source` gives to `target` as the one layer `layer` (ogr2ogr `options` last). */
export function ogrSelect(
  format: string,
  target: string,
  source: string,
  layer: string,
  select: string,
  ...options: string[]
) {
  gdal('ogr2ogr', '-f', format, target, source, '-nln', layer, '-dialect', 'SQLite', '-sql', select, ...options);
}

/** The files of the Shapefile `name` in `dir`, by extension (shp, shx, dbf, prj). */
export const shapefileSet = (dir: string, name: string): Record<string, Buffer> =>
  Object.fromEntries(['shp', 'shx', 'dbf', 'prj'].map((ext) => [ext, readFileSync(path.join(dir, `${name}.${ext}`))]));

/** As the planner (`cookie`): a new plan of the current grids; its id. */
export async function newPlan(cookie: string, name: string): Promise<number> {
  const res = await fetch(`${inject('baseUrl')}/api/plans`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** Writes the plan's export (`query`: `format=gpkg`, …) to `file`; returns `file`. */
export async function exportPlan(cookie: string, planId: number, query: string, file: string): Promise<string> {
  const res = await fetch(`${inject('baseUrl')}/api/plans/${planId}/export?${query}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}
