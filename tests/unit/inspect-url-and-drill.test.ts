// The /inspect URL mapping and the drill-down rule: pure functions of the client.
import { describe, expect, it } from 'vitest';
import type { MapGeoJSONFeature } from 'maplibre-gl';
import { parseInspectQuery, toInspectQuery } from '../../client/composables/inspect-query.ts';
import { areasUnderPointer, drillTarget } from '../../client/map/drill-target.ts';

describe('inspect URL', () => {
  it('reads a grid, its view and coverage, and writes them back the same', () => {
    const query = { level: 'grid', id: 'G012', at: '107.38670,37.77660,16.20', cov: '200', lang: 'zh' };
    const state = parseInspectQuery(query);
    expect(state).toEqual({
      level: 'grid',
      id: 'G012',
      view: { lng: 107.3867, lat: 37.7766, zoom: 16.2 },
      coverageDistance: 200,
      metric: null,
      hiddenLayers: [],
      shownLayers: [],
      ranking: null,
      compare: [],
    });
    expect(toInspectQuery(state, { lang: 'zh' })).toEqual(query);
  });

  it('reads the metric, hidden layers, ranking and compared areas, and writes them back the same', () => {
    const query = {
      metric: 'overdue',
      hide: 'compounds,street_post',
      show: 'issues',
      rank: 'community',
      cmp: 'C01,C02',
    };
    const state = parseInspectQuery(query);
    expect(state).toMatchObject({
      metric: 'overdue',
      hiddenLayers: ['compounds', 'street_post'],
      shownLayers: ['issues'],
      ranking: 'community',
      compare: ['C01', 'C02'],
    });
    expect(toInspectQuery(state, {})).toEqual(query);
    // Unknown values are dropped, hidden layers put in their fixed order, at most two compared.
    expect(
      parseInspectQuery({
        metric: 'bogus',
        hide: 'street_post,nope,compounds',
        show: 'nope,issues',
        rank: 'building',
        cmp: 'A,B,C,a b',
      }),
    ).toMatchObject({
      metric: null,
      hiddenLayers: ['compounds', 'street_post'],
      shownLayers: ['issues'],
      ranking: null,
      compare: ['A', 'B'],
    });
  });

  it('falls back to the county for a missing or malformed selection and ignores bad views and radii', () => {
    expect(parseInspectQuery({ level: 'grid' })).toMatchObject({ level: 'county', id: null });
    expect(parseInspectQuery({ level: 'planet', id: 'X' })).toMatchObject({ level: 'county', id: null });
    expect(parseInspectQuery({ level: 'grid', id: 'a b' })).toMatchObject({ level: 'county', id: null });
    expect(parseInspectQuery({ at: '1,2', cov: '20' })).toMatchObject({ view: null, coverageDistance: null });
    expect(toInspectQuery(parseInspectQuery({}), { lang: 'en', level: 'grid' })).toEqual({ lang: 'en' });
  });
});

const feature = (layer: string, properties: Record<string, unknown>) =>
  ({ layer: { id: layer }, properties }) as unknown as MapGeoJSONFeature;
const under = areasUnderPointer([
  feature('buildings-fill', { id: 'B0001' }),
  feature('compounds-fill', { id: 'Q001' }),
  feature('grids-fill', { id: 'G006', community_id: 'C01' }),
]);

describe('drill-down', () => {
  it('finds community, grid, compound and building under the pointer', () => {
    expect(under.map((a) => `${a.level}:${a.id}`)).toEqual([
      'community:C01',
      'grid:G006',
      'compound:Q001',
      'building:B0001',
    ]);
  });

  it('goes one level down inside the selection', () => {
    expect(drillTarget({ level: 'county', id: null }, under)).toEqual({ level: 'community', id: 'C01' });
    expect(drillTarget({ level: 'community', id: 'C01' }, under)).toEqual({ level: 'grid', id: 'G006' });
    expect(drillTarget({ level: 'grid', id: 'G006' }, under)).toEqual({ level: 'compound', id: 'Q001' });
    expect(drillTarget({ level: 'compound', id: 'Q001' }, under)).toEqual({ level: 'building', id: 'B0001' });
    expect(drillTarget({ level: 'building', id: 'B0001' }, under)).toBeNull();
  });

  it('selects the clicked area of the same level outside the selection', () => {
    expect(drillTarget({ level: 'grid', id: 'G001' }, under)).toEqual({ level: 'grid', id: 'G006' });
    expect(drillTarget({ level: 'community', id: 'C02' }, under)).toEqual({ level: 'community', id: 'C01' });
    expect(drillTarget({ level: 'county', id: null }, [])).toBeNull();
  });
});
