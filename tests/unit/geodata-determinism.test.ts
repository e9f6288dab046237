// The generator is deterministic: a fresh run reproduces the committed files byte for byte,
// and --scale N lays out N towns with unique ids and N times the households.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIR, load, ROOT, sum } from './geodata-load';
const tmp = mkdtempSync(join(tmpdir(), 'geodata-'));
const run = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/geodata/generate.ts'), ...args], {
    cwd: ROOT,
    stdio: 'pipe',
  });

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generator', () => {
  it('regenerates the committed files byte for byte', () => {
    const out = join(tmp, 'one');
    run('--out', out);
    const files = readdirSync(DIR).sort();
    expect(files).toEqual(readdirSync(out).sort());
    expect(files).toHaveLength(11);
    expect(files).toContain('county.json');
    for (const f of files) expect(readFileSync(join(out, f)).equals(readFileSync(join(DIR, f))), f).toBe(true);
  });
  it('--scale 3 gives three towns, unique ids, three times the grids and households', () => {
    const out = join(tmp, 'three');
    run('--scale', '3', '--out', out);
    const d = load(out);
    const one = load();
    expect(d.grids).toHaveLength(3 * 116);
    expect(d.compounds).toHaveLength(3 * 185);
    for (const k of ['grids', 'compounds', 'buildings', 'stations', 'communities'] as const)
      expect(new Set(d[k].map((f) => f.id)).size, k).toBe(d[k].length);
    expect(new Set(d.people.map((p) => p.id)).size).toBe(d.people.length);
    expect(new Set(d.people.map((p) => p.phone)).size).toBe(d.people.length);
    // the first town is the committed town, only prefixed
    expect(d.grids.slice(0, 116).map((g) => g.properties.households)).toEqual(
      one.grids.map((g) => g.properties.households),
    );
    const hh = sum(d.grids.map((g) => g.properties.households));
    const hh1 = sum(one.grids.map((g) => g.properties.households));
    expect(hh).toBeGreaterThan(2.9 * hh1);
    expect(hh).toBeLessThan(3.1 * hh1);
    for (const g of d.grids) expect(g.properties.households).toBeGreaterThanOrEqual(300);
    // towns sit side by side: bounding boxes of the towns' grids do not overlap
    const xs = [1, 2, 3].map((t) =>
      d.grids
        .filter((g) => g.id.startsWith(`T00${t}-`))
        .flatMap((g) => g.geometry.coordinates[0].map((c: number[]) => c[0])),
    );
    expect(Math.max(...xs[0])).toBeLessThan(Math.min(...xs[1]));
    expect(Math.max(...xs[1])).toBeLessThan(Math.min(...xs[2]));
  });
});
