import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extractShapefile, listZip, ZIP_LIMITS, ZipRefused } from '../../server/plans/zip-extract.ts';
import { normalizeGeoJson } from '../../server/plans/geojson-normalize.ts';
import { ImportRefused } from '../../server/plans/import-errors.ts';
import { gdalEnv, LOCKDOWN } from '../../server/plans/gdal-env.ts';
import { makeZip, shapefileMembers, type ZipMember } from '../fuzz/hostile-archives.ts';

// The zip reader that replaced GDAL's /vsizip/ for uploads, the GeoJSON rewrite, and the environment
// GDAL runs in.

const set = {
  shp: Buffer.from('shp-bytes'),
  shx: Buffer.from('shx-bytes'),
  dbf: Buffer.from('dbf-bytes'),
  prj: Buffer.from('GEOGCS["WGS 84"]'),
};
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'zip-extract-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refusal = async (zip: Buffer): Promise<string> => {
  const error = await extractShapefile(zip, dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZipRefused);
  expect(readdirSync(dir)).toEqual([]);
  return (error as Error).message;
};

describe('extractShapefile', () => {
  it('writes the members of the one Shapefile under fixed names, private to the server', async () => {
    const zip = makeZip([
      ...shapefileMembers(set, 'folder/网格'),
      { name: 'folder/', data: Buffer.alloc(0), method: 0 },
      { name: 'folder/网格.shp.xml', data: Buffer.from('<x/>') },
    ]);
    const out = await extractShapefile(zip, dir);
    expect(out).toEqual({ shp: path.join(dir, 'layer.shp'), layers: ['网格'], chosen: '网格' });
    expect(readdirSync(dir).sort()).toEqual(['layer.dbf', 'layer.prj', 'layer.shp', 'layer.shx']);
    for (const ext of ['shp', 'shx', 'dbf', 'prj'] as const)
      expect(readFileSync(path.join(dir, `layer.${ext}`))).toEqual(set[ext]);
    expect(statSync(path.join(dir, 'layer.shp')).mode & 0o777).toBe(0o600);
  });

  it('reads a zip written by the zip tool (stored and deflated members, data descriptors)', async () => {
    const src = mkdtempSync(path.join(tmpdir(), 'zip-extract-src-'));
    try {
      for (const [ext, data] of Object.entries(set))
        writeFileSync(path.join(src, `units.${ext}`), ext === 'dbf' ? Buffer.alloc(5000, 0x20) : data);
      execFileSync('zip', ['-q', '-fd', path.join(src, 'a.zip'), 'units.shp', 'units.shx', 'units.dbf', 'units.prj'], {
        cwd: src,
      });
      await extractShapefile(readFileSync(path.join(src, 'a.zip')), dir);
      expect(readFileSync(path.join(dir, 'layer.dbf'))).toEqual(Buffer.alloc(5000, 0x20));
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  it('takes "units" of several Shapefiles (a plan exported by gridlink), and refuses several without one', async () => {
    const both = makeZip([...shapefileMembers(set, 'grids'), ...shapefileMembers(set, 'units')]);
    expect((await extractShapefile(both, dir)).chosen).toBe('units');
    rmSync(dir, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'zip-extract-test-'));
    expect(await refusal(makeZip([...shapefileMembers(set, 'a'), ...shapefileMembers(set, 'b')]))).toMatch(
      /2 Shapefiles/,
    );
  });

  it.each<[string, ZipMember[], RegExp]>([
    ['no .shp (a VRT)', [{ name: 'units.vrt', data: Buffer.from('<OGRVRTDataSource/>') }], /no \.shp/],
    ['a missing .dbf', shapefileMembers({ shp: set.shp, shx: set.shx }, 'units'), /lacks its \.dbf/],
    ['a parent reference', shapefileMembers(set, '../units'), /"\.\."/],
    ['an absolute path', shapefileMembers(set, '/tmp/units'), /absolute/],
    ['a drive letter', shapefileMembers(set, 'C:units'), /absolute/],
    ['a backslash', shapefileMembers(set, 'a\\units'), /backslash/],
    ['two folder levels', shapefileMembers(set, 'a/b/units'), /one folder level/],
    ['an empty path part', shapefileMembers(set, 'a//units'), /empty path parts/],
    ['a control character', shapefileMembers(set, 'uni\ntts'), /control characters/],
    [
      'a symlink',
      [
        ...shapefileMembers({ shp: set.shp, shx: set.shx }, 'units'),
        { name: 'units.dbf', data: Buffer.from('/etc/passwd'), mode: 0o120777, method: 0 },
      ],
      /symbolic link/,
    ],
    [
      'a device file',
      [
        ...shapefileMembers({ shp: set.shp, shx: set.shx }, 'units'),
        { name: 'units.dbf', data: Buffer.from('x'), mode: 0o020666 },
      ],
      /not a regular file/,
    ],
    [
      'a duplicate name',
      [...shapefileMembers(set, 'units'), { name: 'UNITS.dbf', data: Buffer.from('x') }],
      /appears twice/,
    ],
    ['encryption', shapefileMembers(set, 'units').map((m) => ({ ...m, flags: 1 })), /encrypted/],
    ['an unknown method', shapefileMembers(set, 'units').map((m) => ({ ...m, method: 12 })), /method 12/],
    [
      'a size lie (more data than declared)',
      shapefileMembers(set, 'units').map((m) => ({ ...m, declaredSize: 3 })),
      /declared size/,
    ],
    [
      'a size lie (less data than declared)',
      shapefileMembers(set, 'units').map((m) => ({ ...m, declaredSize: 50 })),
      /declared size/,
    ],
    [
      'a stored size lie',
      shapefileMembers(set, 'units').map((m) => ({ ...m, method: 0, declaredSize: 50 })),
      /sizes disagree/,
    ],
    ['a bad checksum', shapefileMembers(set, 'units').map((m) => ({ ...m, declaredCrc: 1 })), /checksum/],
    [
      'a bomb',
      [...shapefileMembers(set, 'units'), { name: 'units.cpg', data: Buffer.alloc(32 << 20) }],
      new RegExp(`more than ${ZIP_LIMITS.ratio}:1`),
    ],
    [
      'too many entries',
      [
        ...shapefileMembers(set, 'units'),
        ...Array.from({ length: ZIP_LIMITS.members }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })),
      ],
      /entries/,
    ],
  ])('refuses %s, extracting nothing', async (_name, members, message) => {
    expect(await refusal(makeZip(members))).toMatch(message);
  });

  it('refuses more than the total uncompressed size, before inflating anything', async () => {
    const members = shapefileMembers(set, 'units').map((m) =>
      m.name.endsWith('.dbf') ? { ...m, declaredSize: ZIP_LIMITS.totalBytes + 1 } : m,
    );
    expect(await refusal(makeZip(members))).toMatch(/larger than 256 MB/);
  });

  it('refuses ZIP64, truncated and non-zip input', async () => {
    expect(await refusal(makeZip(shapefileMembers(set, 'units'), { zip64Marker: true }))).toMatch(/ZIP64/);
    const good = makeZip(shapefileMembers(set, 'units'));
    for (const cut of [1, 10, 22, good.length - 30])
      expect(await refusal(good.subarray(0, good.length - cut))).toMatch(/not a readable zip/);
    expect(await refusal(Buffer.from('PK\x03\x04 broken', 'latin1'))).toMatch(/not a readable zip/);
  });

  it('never throws anything but ZipRefused on random damage to a valid zip', async () => {
    const good = makeZip(shapefileMembers(set, 'units'));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const bad = Buffer.from(good);
      for (let k = 0; k < 3; k++) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      try {
        listZip(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(ZipRefused);
      }
    }
  });
});

describe('normalizeGeoJson', () => {
  const feature = { type: 'Feature', properties: { unit_id: 'X' }, geometry: { type: 'Point', coordinates: [1, 2] } };

  it('keeps features, properties, geometries and an EPSG CRS; drops every other member', () => {
    const out = JSON.parse(
      normalizeGeoJson(
        Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            name: 'x',
            crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } },
            features: [
              {
                ...feature,
                id: 4,
                extra: 1,
                geometry: { ...feature.geometry, crs: { type: 'link', properties: { href: 'http://x' } } },
              },
            ],
          }),
        ),
      ),
    );
    expect(out).toEqual({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } },
      features: [
        { type: 'Feature', id: 4, properties: { unit_id: 'X' }, geometry: { type: 'Point', coordinates: [1, 2] } },
      ],
    });
  });

  it.each([
    [
      'a linked CRS',
      {
        type: 'FeatureCollection',
        crs: { type: 'link', properties: { href: 'http://127.0.0.1/' } },
        features: [feature],
      },
      /crs/,
    ],
    [
      'a CRS naming a file',
      { type: 'FeatureCollection', crs: { type: 'name', properties: { name: '/etc/passwd' } }, features: [feature] },
      /crs/,
    ],
    [
      'a geometry nested too deep',
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [[1, 2]] } },
      /position/,
    ],
    [
      'a collection in a collection',
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] },
      },
      /not accepted/,
    ],
    [
      'a property nested 20 deep',
      { type: 'Feature', properties: { a: JSON.parse('['.repeat(20) + ']'.repeat(20)) }, geometry: null },
      /deeper than 16/,
    ],
    [
      'a non-finite number',
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, Infinity] } },
      /position/,
    ],
    ['a Topology', { type: 'Topology', objects: {} }, /FeatureCollection or a Feature/],
  ])('refuses %s', (_name, doc, message) => {
    expect(() => normalizeGeoJson(Buffer.from(JSON.stringify(doc).replace('1e+400', '1e400')))).toThrow(message);
  });

  it('refuses JSON nested 5 million deep before parsing it (parsing would hold the event loop for seconds)', () => {
    const deep = Buffer.from(
      `{"type":"Feature","properties":{"a":${'['.repeat(5e6)}${']'.repeat(5e6)}},"geometry":null}`,
    );
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(() => normalizeGeoJson(deep)).toThrow(ImportRefused);
      expect(() => normalizeGeoJson(deep)).toThrow(/deeper than 32/);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('counts brackets inside strings as text', () => {
    const doc = { type: 'Feature', properties: { a: '['.repeat(100), b: '"\\[' }, geometry: null };
    expect(JSON.parse(normalizeGeoJson(Buffer.from(JSON.stringify(doc)))).features[0].properties).toEqual(
      doc.properties,
    );
  });
});

describe('gdalEnv', () => {
  it('inherits nothing from the server but PATH-like basics; leaves only the drivers named', async () => {
    process.env.PGPASSWORD = 'secret-pg';
    process.env.DATABASE_URL = 'postgres://u:secret@h/db';
    try {
      const env = await gdalEnv('/tmp/x', ['GPKG', 'GeoJSONSeq']);
      expect(Object.values(env).join('\n')).not.toMatch(/secret/);
      expect(Object.keys(env).filter((k) => k.startsWith('PG') || k === 'DATABASE_URL')).toEqual([]);
      expect(env).toMatchObject({ ...LOCKDOWN, HOME: '/tmp/x', PROJ_NETWORK: 'OFF' });
      const skipped = env.GDAL_SKIP.split(',');
      expect(skipped).toEqual(
        expect.arrayContaining(['OGR_VRT', 'VRT', 'PostgreSQL', 'CSV', 'SQLite', 'ESRI Shapefile', 'GeoJSON', 'HTTP']),
      );
      expect(skipped).not.toContain('GPKG');
      expect(skipped).not.toContain('GeoJSONSeq');
      // GDAL itself reports only the two drivers left.
      const formats = execFileSync('ogrinfo', ['--formats'], { env, encoding: 'utf8' });
      expect(
        formats
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(' -')[0])
          .sort(),
      ).toEqual(['GPKG', 'GeoJSONSeq']);
    } finally {
      delete process.env.PGPASSWORD;
      delete process.env.DATABASE_URL;
    }
  });
});
