// Shared loader for the geodata tests: reads the committed files once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIR = join(ROOT, 'geodata/yanchi');

export interface F<P = Record<string, any>> {
  type: 'Feature';
  id: string;
  properties: P & { id: string };
  geometry: { type: string; coordinates: any };
}

export const readJson = (file: string, dir = DIR): any => JSON.parse(readFileSync(join(dir, file), 'utf8'));
export const features = (file: string, dir = DIR): F[] => readJson(file, dir).features;

export function load(dir = DIR) {
  return {
    streets: features('streets.geojson', dir),
    communities: features('communities.geojson', dir),
    grids: features('grids.geojson', dir),
    compounds: features('compounds.geojson', dir),
    buildings: features('buildings.geojson', dir),
    stations: features('stations.geojson', dir),
    basemap: features('basemap.geojson', dir),
    people: readJson('people.json', dir) as any[],
    units: readJson('member_units.json', dir) as any[],
    orgs: readJson('social_organisations.json', dir) as any[],
  };
}

export const count = <T>(xs: T[], pred: (x: T) => boolean): number => xs.reduce((n, x) => n + (pred(x) ? 1 : 0), 0);
export const sum = (xs: number[]): number => xs.reduce((s, v) => s + v, 0);
