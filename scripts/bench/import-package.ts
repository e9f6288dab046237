// A synthetic county package as a surveying bureau hands one over, for bench:import: compounds as polygons with
// 编号, 小区名称, 户数, 所属社区 and 小区类型, and buildings as polygons inside them with 编号, 名称 and 户数 — as
// GeoPackages (the default), GeoJSON, or the compounds as a UTF-8 CSV of points. Compounds lie on a lattice
// of about 130 m cells near Yanchi, 50 to a community (5 × 10 cells); the files are written feature by feature,
// never held whole in memory.
import { execFileSync } from 'node:child_process';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { mulberry32 } from '../../shared/random.ts';

export type PackageFormat = 'gpkg' | 'geojson' | 'csv';

export interface PackageSize {
  compounds: number;
  buildings: number;
  households: number;
}

const TYPES = ['商品房', '老旧小区', '单位家属院', '安置小区'];
const CELL_LON = 0.0015;
const CELL_LAT = 0.0012;
const ORIGIN: [number, number] = [107.3, 37.7];

const round = (v: number) => Math.round(v * 1e7) / 1e7;
const box = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ].map(([x, y]) => [round(x), round(y)]),
  ],
});

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function close(out: Writable): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** Writes compounds and buildings (GeoJSON, or the compounds as CSV points) into `dir`; returns what it wrote. */
async function writeLayers(dir: string, compounds: number, buildings: number, csv: boolean): Promise<PackageSize> {
  const next = mulberry32(18);
  const columns = Math.ceil(Math.sqrt(compounds * 2));
  const q = createWriteStream(path.join(dir, csv ? 'compounds.csv' : 'compounds.geojson'));
  const b = buildings > 0 ? createWriteStream(path.join(dir, 'buildings.geojson')) : null;
  await put(q, csv ? '编号,小区名称,户数,所属社区,小区类型,经度,纬度\n' : '{"type":"FeatureCollection","features":[\n');
  if (b) await put(b, '{"type":"FeatureCollection","features":[\n');
  let households = 0;
  let written = 0;
  for (let i = 0; i < compounds; i++) {
    const row = Math.floor(i / columns);
    const col = i % columns;
    const community = `第${Math.floor(row / 5) * Math.ceil(columns / 10) + Math.floor(col / 10) + 1}社区`;
    const [x0, y0] = [ORIGIN[0] + col * CELL_LON, ORIGIN[1] + row * CELL_LAT];
    const [x1, y1] = [x0 + CELL_LON * 0.85, y0 + CELL_LAT * 0.85];
    const hh = 20 + Math.floor(next() * 180);
    households += hh;
    const name = `小区${i + 1}`;
    const type = TYPES[Math.floor(next() * TYPES.length)];
    if (csv)
      await put(q, `Q${i + 1},${name},${hh},${community},${type},${round((x0 + x1) / 2)},${round((y0 + y1) / 2)}\n`);
    else {
      const props = { 编号: `Q${i + 1}`, 小区名称: name, 户数: hh, 所属社区: community, 小区类型: type };
      await put(
        q,
        `${i ? ',\n' : ''}${JSON.stringify({ type: 'Feature', properties: props, geometry: box(x0, y0, x1, y1) })}`,
      );
    }
    // This compound's share of the buildings, laid out on a small lattice inside it, households split among them.
    const k = Math.floor(((i + 1) * buildings) / compounds) - Math.floor((i * buildings) / compounds);
    if (!b || k === 0) continue;
    const across = Math.ceil(Math.sqrt(k));
    const down = Math.ceil(k / across);
    const [w, h] = [(x1 - x0) / across, (y1 - y0) / down];
    for (let j = 0; j < k; j++) {
      const [bx, by] = [x0 + (j % across) * w, y0 + Math.floor(j / across) * h];
      const share = Math.floor(((j + 1) * hh) / k) - Math.floor((j * hh) / k);
      const props = { 编号: `B${written + 1}`, 名称: `${name}${j + 1}号楼`, 户数: share };
      const feature = {
        type: 'Feature',
        properties: props,
        geometry: box(bx + w * 0.15, by + h * 0.15, bx + w * 0.85, by + h * 0.85),
      };
      await put(b, `${written ? ',\n' : ''}${JSON.stringify(feature)}`);
      written++;
    }
  }
  if (!csv) await put(q, '\n]}\n');
  await close(q);
  if (b) {
    await put(b, '\n]}\n');
    await close(b);
  }
  return { compounds, buildings: written, households };
}

/** Turns a GeoJSON layer of the package into a GeoPackage (EPSG:4490, CGCS2000, as a bureau's would be). */
function toGeoPackage(dir: string, role: string): void {
  const source = path.join(dir, `${role}.geojson`);
  execFileSync('ogr2ogr', ['-f', 'GPKG', '-a_srs', 'EPSG:4490', '-nln', role, path.join(dir, `${role}.gpkg`), source]);
  rmSync(source);
}

/** Writes the package into `dir` (an empty folder). */
export async function writePackage(
  dir: string,
  compounds: number,
  buildings: number,
  format: PackageFormat,
): Promise<PackageSize> {
  const size = await writeLayers(dir, compounds, buildings, format === 'csv');
  if (format === 'gpkg')
    for (const role of ['compounds', 'buildings'].slice(0, buildings ? 2 : 1)) toGeoPackage(dir, role);
  const manifest = {
    format: 1,
    name: '基准县',
    name_en: 'Bench County',
    code: '999018',
    bounds: { min: 300, max: 500 },
  };
  writeFileSync(path.join(dir, 'county.json'), JSON.stringify(manifest));
  return size;
}
