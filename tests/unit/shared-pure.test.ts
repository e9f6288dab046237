// shared/ is what the server and the client both import: it must run unchanged in Node and in the browser, so it
// imports only itself and zod (plus the types of the map style spec, which vanish at build time).
import { describe, expect, it } from 'vitest';
import { describeImport, importsUnder } from '../helpers/imports.ts';

const ALLOWED_PACKAGES = new Set(['zod']);
const ALLOWED_TYPE_PACKAGES = new Set(['@maplibre/maplibre-gl-style-spec']);

describe('shared/', () => {
  const imports = importsUnder('shared');

  it('imports only shared/, zod and the style spec types', () => {
    expect(imports.length).toBeGreaterThan(0);
    const foreign = imports.filter((i) =>
      i.target === null
        ? !ALLOWED_PACKAGES.has(i.specifier) && !(i.typeOnly && ALLOWED_TYPE_PACKAGES.has(i.specifier))
        : !i.target.startsWith('shared/'),
    );
    expect(foreign.map(describeImport)).toEqual([]);
  });
});
