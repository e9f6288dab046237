import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_AFTER_SECONDS, parseWallQuery } from '../../client/composables/wall-url.ts';
import {
  scaleStyleSizes,
  WALL_GRID_LABEL,
  wallDarkPaint,
  wallDarkStyle,
  WALL_DARK_COLOURS,
} from '../../client/map/wall-dark-theme.ts';
import { LAYER_IDS } from '../../shared/map/style-ids.ts';
import { classOf, METRIC_SCALES } from '../../client/map/wall-metric-style.ts';
import { buildStyle } from '../../server/style/gridlink-style.ts';

describe('parseWallQuery', () => {
  const none = { metric: null, view3d: false, playbackMinutes: null };
  it.each([
    [{}, { community: null, tourSeconds: null, staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS, ...none }],
    [
      { community: 'C03', tour: '60', staleAfter: '2' },
      { community: 'C03', tourSeconds: 60, staleAfterSeconds: 2, ...none },
    ],
    [
      { community: "C03'; drop", tour: '-5', staleAfter: 'x' },
      { community: null, tourSeconds: null, staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS, ...none },
    ],
    [{ tour: '1' }, { community: null, tourSeconds: 5, staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS, ...none }],
    [
      { community: ['C01', 'C02'], tour: '30.4' },
      { community: 'C01', tourSeconds: 30, staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS, ...none },
    ],
    [
      { metric: 'party', view: '3d', playback: '10' },
      {
        community: null,
        tourSeconds: null,
        staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS,
        metric: 'partyMembersPer100Households',
        view3d: true,
        playbackMinutes: 10,
      },
    ],
    [
      { metric: 'overdue' },
      {
        community: null,
        tourSeconds: null,
        staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS,
        ...none,
        metric: 'overdue',
      },
    ],
    [
      { metric: 'constructor', view: '2d', playback: '0' },
      { community: null, tourSeconds: null, staleAfterSeconds: DEFAULT_STALE_AFTER_SECONDS, ...none },
    ],
  ])('%j → %j', (query, expected) => {
    expect(parseWallQuery(query)).toEqual(expected);
  });
});

describe('fixed class breaks', () => {
  it('puts a value in its class, a break value in the class above, no value in none', () => {
    const scale = METRIC_SCALES.issuesPer100Households;
    expect([0, 0.2, 0.25, 0.7, 1, 1.49, 1.5, 9].map((v) => classOf(scale, v))).toEqual([0, 0, 1, 2, 3, 3, 4, 4]);
    expect(classOf(scale, null)).toBeNull();
    for (const s of Object.values(METRIC_SCALES)) expect(s.colours.length).toBe(s.breaks.length + 1);
  });
});

describe('scaleStyleSizes', () => {
  it.each([
    [12, 24],
    [
      ['interpolate', ['linear'], ['zoom'], 13, 11, 16, 14],
      ['interpolate', ['linear'], ['zoom'], 13, 22, 16, 28],
    ],
    [
      ['step', ['zoom'], 1, 15, 2],
      ['step', ['zoom'], 2, 15, 4],
    ],
    [
      [
        'interpolate',
        ['linear'],
        ['zoom'],
        12,
        ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, 0.8],
        17,
        4,
      ],
      [
        'interpolate',
        ['linear'],
        ['zoom'],
        12,
        ['case', ['boolean', ['feature-state', 'hover'], false], 5, 1.6],
        17,
        8,
      ],
    ],
    [
      ['match', ['get', 'class'], 'primary', 3, 1],
      ['match', ['get', 'class'], 'primary', 6, 2],
    ],
    ['red', 'red'],
  ])('%j × 2', (value, expected) => {
    expect(scaleStyleSizes(value, 2)).toEqual(expected);
  });
});

describe('the dark variant', () => {
  it('overrides only layers of the style, and leaves the light style itself unchanged', () => {
    const style = buildStyle('http://gridlink.test');
    const before = JSON.stringify(style);
    const ids = new Set(style.layers.map((l) => l.id));
    for (const [layer] of wallDarkPaint()) expect(ids.has(layer), layer).toBe(true);
    expect(wallDarkPaint().find(([l, p]) => l === 'background' && p === 'background-color')?.[2]).toBe(
      WALL_DARK_COLOURS.background,
    );
    expect(JSON.stringify(buildStyle('http://gridlink.test'))).toBe(before);
  });

  it('is made before the map exists: every paint override, grid codes as grid labels, sizes scaled on big screens only', () => {
    const style = buildStyle('http://gridlink.test');
    const before = JSON.stringify(style);
    const layer = (s: typeof style, id: string) =>
      s.layers.find((l) => l.id === id) as {
        paint?: Record<string, unknown>;
        layout?: Record<string, unknown>;
        minzoom?: number;
      };
    const dark = wallDarkStyle(style, 1);
    for (const [id, property, value] of wallDarkPaint())
      expect(layer(dark, id).paint?.[property], `${id} ${property}`).toEqual(value);
    expect(layer(dark, LAYER_IDS.gridsLabel).layout?.['text-field']).toEqual(WALL_GRID_LABEL);
    expect(layer(dark, LAYER_IDS.gridsLabel).minzoom).toBe(12);
    // 1080p keeps the served sizes; 2160p doubles text sizes and line widths.
    expect(layer(dark, LAYER_IDS.gridsLine).paint?.['line-width']).toEqual(
      layer(style, LAYER_IDS.gridsLine).paint?.['line-width'],
    );
    const big = wallDarkStyle(style, 2);
    expect(layer(big, LAYER_IDS.gridsLine).paint?.['line-width']).toEqual(
      scaleStyleSizes(layer(style, LAYER_IDS.gridsLine).paint?.['line-width'], 2),
    );
    expect(layer(big, LAYER_IDS.compoundsLabel).layout?.['text-size']).toEqual(
      scaleStyleSizes(layer(style, LAYER_IDS.compoundsLabel).layout?.['text-size'], 2),
    );
    expect(layer(big, LAYER_IDS.gridsLine).paint?.['line-color']).toBe(WALL_DARK_COLOURS.gridLine);
    expect(JSON.stringify(style)).toBe(before);
  });
});
