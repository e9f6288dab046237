// Pure parts of the inspection map's analyses: choropleth classes and colours, ranking order, CSV, scale bar.
import { describe, expect, it } from 'vitest';
import {
  classColour,
  classOf,
  colourOf,
  legendClasses,
  METRIC_PALETTES,
  NO_DATA_COLOUR,
} from '../../client/map/choropleth.ts';
import { rankRows } from '../../client/map/ranking.ts';
import { toCsv } from '../../client/composables/file-export.ts';
import { niceLength } from '../../client/map/export-png.ts';
import { distinctBreaks } from '../../server/db/inspect-metrics-repo.ts';

describe('choropleth classes', () => {
  const breaks = [1, 2, 3, 4];
  it('puts a value in (b[k-1], b[k]]', () => {
    expect([0, 1, 1.5, 2, 3.5, 4, 9].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 3, 3, 4]);
  });
  it('spreads fewer classes over the palette ends and greys missing values', () => {
    const palette = METRIC_PALETTES.overdue;
    expect(classColour('overdue', 0, 2)).toBe(palette[0]);
    expect(classColour('overdue', 1, 2)).toBe(palette[4]);
    expect(classColour('overdue', 0, 1)).toBe(palette[2]);
    expect(colourOf('overdue', null, breaks)).toBe(NO_DATA_COLOUR);
    expect(colourOf('overdue', 9, breaks)).toBe(palette[4]);
  });
  it('labels every class with its bounds', () => {
    expect(legendClasses('households', [10, 20]).map((c) => [c.from, c.to])).toEqual([
      [null, 10],
      [10, 20],
      [20, null],
    ]);
  });
  it('merges equal quantile breaks', () => {
    expect(distinctBreaks([0, 0, 0.30000000000000004, 0.3, null])).toEqual([0, 0.3]);
  });
});

describe('ranking', () => {
  const row = (id: string, v: number | null) => ({ id, values: { households: v } as never });
  it('sorts by value, ties by id, missing values last either way', () => {
    const rows = [row('B', 2), row('A', 2), row('C', null), row('D', 5)];
    expect(rankRows(rows, 'households', true).map((r) => r.id)).toEqual(['D', 'A', 'B', 'C']);
    expect(rankRows(rows, 'households', false).map((r) => r.id)).toEqual(['A', 'B', 'D', 'C']);
  });
});

describe('CSV', () => {
  it('starts with a byte-order mark, quotes what needs quoting, ends lines with CRLF', () => {
    expect(
      toCsv([
        ['名称', 'n'],
        ['振兴社区, "东"', 3],
        ['x', null],
      ]),
    ).toBe('\uFEFF名称,n\r\n"振兴社区, ""东""",3\r\nx,\r\n');
  });
});

describe('scale bar', () => {
  it('rounds down to 1, 2 or 5 × 10ⁿ metres', () => {
    expect([0.9, 1, 180, 240, 999, 4800].map(niceLength)).toEqual([0.5, 1, 100, 200, 500, 2000]);
  });
});
