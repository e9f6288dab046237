// The real-world polygons vendored in tests/fixtures/real-world (sources, licences and what was reduced: its
// README.md). Large sets are stored gzipped; tools that take a file path get a decompressed copy.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { FeatureCollection } from 'geojson';

export type RealWorldSet = 'nc-counties' | 'ri-precincts';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/real-world');

function text(name: RealWorldSet): string {
  const plain = path.join(folder, `${name}.geojson`);
  return existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
}

export function realWorldCollection(name: RealWorldSet): FeatureCollection {
  return JSON.parse(text(name)) as FeatureCollection;
}

/** A plain GeoJSON file of the set: the vendored file itself, or (when stored gzipped) a copy written into `dir`. */
export function realWorldFile(name: RealWorldSet, dir: string): string {
  const plain = path.join(folder, `${name}.geojson`);
  if (existsSync(plain)) return plain;
  const copy = path.join(dir, `${name}.geojson`);
  if (!existsSync(copy)) writeFileSync(copy, text(name));
  return copy;
}
