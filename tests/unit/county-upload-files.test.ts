// The files of an uploaded county package: a zip of the folder or files by role become a file per role under a
// name the server chooses; the manifest is the county.json with the form over it; hostile zips are refused.
import { describe, expect, it } from 'vitest';
import { makeZip } from '../fuzz/hostile-archives.ts';
import { mergedManifest, packageFiles, UploadRefused } from '../../server/county/upload-files.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const csv = Buffer.from('名称,户数,经度,纬度\n甲,1,107,37\n');
const refused = (fn: () => unknown, status: number, message: RegExp) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UploadRefused);
  expect((error as UploadRefused).status).toBe(status);
  expect((error as UploadRefused).message).toMatch(message);
};

describe('county package uploads', () => {
  it('reads a zip of the package folder: the files by the names county.json gives, renamed by role', () => {
    const zip = makeZip([
      { name: 'pkg/', data: Buffer.alloc(0) },
      { name: 'pkg/county.json', data: json({ name: '县', code: '999001', files: { compounds: '小区.csv' } }) },
      { name: 'pkg/小区.csv', data: csv },
      { name: 'pkg/communities.json', data: json({ type: 'FeatureCollection', features: [] }) },
      { name: 'pkg/readme.txt', data: Buffer.from('not read') },
      { name: '__MACOSX/pkg/._小区.csv', data: Buffer.from('clutter') },
    ]);
    const { manifest, files } = packageFiles([{ field: 'package', name: 'pkg.zip', bytes: zip }]);
    expect(manifest).toMatchObject({ name: '县', files: { compounds: '小区.csv' } });
    expect(files.map((f) => [f.role, f.name])).toEqual([
      ['communities', 'communities.geojson'],
      ['compounds', 'compounds.csv'],
    ]);
    expect(files[1].bytes.equals(csv)).toBe(true);
  });

  it('names a county outline given as .json county.geojson, never county.json', () => {
    const { files } = packageFiles([
      { field: 'county', name: 'outline.json', bytes: json({}) },
      { field: 'compounds', name: 'a.CSV', bytes: csv },
    ]);
    expect(files.map((f) => f.name)).toEqual(['county.geojson', 'compounds.csv']);
  });

  it('refuses zips that traverse, repeat a name in two folders, or are compressed like a bomb', () => {
    const traverse = makeZip([{ name: '../compounds.csv', data: csv }]);
    refused(() => packageFiles([{ field: 'package', name: 'a.zip', bytes: traverse }]), 400, /"\.\."/);
    const twice = makeZip([
      { name: 'a/compounds.csv', data: csv },
      { name: 'b/compounds.csv', data: csv },
    ]);
    refused(() => packageFiles([{ field: 'package', name: 'a.zip', bytes: twice }]), 400, /twice/);
    const bomb = makeZip([
      { name: 'county.json', data: json({ name: '县', code: '999001' }) },
      { name: 'compounds.csv', data: Buffer.alloc(4 * 1024 * 1024, 0x31) },
    ]);
    refused(() => packageFiles([{ field: 'package', name: 'a.zip', bytes: bomb }]), 400, /compressed more than 200:1/);
  });

  it('refuses an unknown role, a file of another kind, a zip beside other files and no file at all', () => {
    refused(() => packageFiles([{ field: 'houses', name: 'a.csv', bytes: csv }]), 400, /unknown role "houses"/);
    refused(() => packageFiles([{ field: 'compounds', name: 'a.exe', bytes: csv }]), 400, /is not one of/);
    refused(
      () =>
        packageFiles([
          { field: 'package', name: 'a.zip', bytes: makeZip([{ name: 'compounds.csv', data: csv }]) },
          { field: 'compounds', name: 'a.csv', bytes: csv },
        ]),
      400,
      /either one/,
    );
    refused(() => packageFiles([{ field: 'county.json', name: 'county.json', bytes: json({}) }]), 400, /no file/);
  });

  it('puts the form over the county.json, drops its file names, and names what is wrong', () => {
    const merged = mergedManifest(
      { name: '旧名', code: '999001', files: { compounds: 'x.csv' }, fields: { compounds: { name: 'A' } } },
      { name: '新名', fields: { compounds: { households: 'HH' } } },
    );
    expect(merged).toMatchObject({ name: '新名', code: '999001', fields: { compounds: { households: 'HH' } } });
    expect(merged.files).toBeUndefined();
    refused(() => mergedManifest({ name: '县', code: '12' }, null), 400, /code: code is the 6-digit division code/);
    refused(() => mergedManifest(null, null), 400, /no county\.json/);
  });
});
