import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isDecimalText } from '../../server/open311/decimal.ts';
import { ifNoneMatchHas } from '../../server/routes/tiles.ts';
import { buildStyle } from '../../server/style/gridlink-style.ts';
import { layerNamesOf } from '../../server/plans/ogr-listing.ts';
import { parsePeriods, parseWeekdays } from '../../server/issues/working-hours.ts';

/**
 * Regular-expression denial of service: every parser that reads a user's text gets 100 kB values of the
 * shapes that make a backtracking pattern super-linear (a long run the pattern can split two ways, then a
 * character that makes the match fail). Linear code takes about a millisecond; the patterns these replaced
 * took seconds to minutes.
 */
const N = 100_000;
const BOUND_MS = 250;

/** Runs `f` on each value; each call must end within BOUND_MS. */
function fast(label: string, values: string[], f: (s: string) => unknown): void {
  for (const value of values) {
    const start = performance.now();
    f(value);
    const ms = performance.now() - start;
    expect(ms, `${label} on ${JSON.stringify(value.slice(0, 12))}… (${value.length} chars)`).toBeLessThan(BOUND_MS);
  }
}

const long = (unit: string, tail = 'x') => unit.repeat(Math.ceil(N / unit.length)).slice(0, N) + tail;

describe('parsers of user text stay linear on 100 kB hostile values', () => {
  it('Open311 decimal numbers (lat, long)', () => {
    fast(
      'isDecimalText',
      [
        long('1'),
        long('1', '.x'),
        '1e' + long('1'),
        long('1', 'e') + long('1'),
        '.' + long('1'),
        long('1.'),
        long(' '),
        long('+'),
      ],
      isDecimalText,
    );
  });

  it('reads decimals as the old pattern did: the same accepted set on short texts', () => {
    const OLD = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    const text = fc.array(fc.constantFrom(...'0123456789.+-eEx '), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => isDecimalText(s) === OLD.test(s)),
      { numRuns: 5000 },
    );
    for (const s of ['37.8', '-.5', '+1e3', '1.', '1E-7']) expect(isDecimalText(s), s).toBe(true);
    for (const s of ['', '.', '1e', '0x10', '1,5', 'NaN', '1.2.3', ' 1']) expect(isDecimalText(s), s).toBe(false);
  });

  it('If-None-Match lists of tiles', () => {
    const etag = '"grids-3-14-1-2"';
    fast('ifNoneMatchHas', [long(' '), long(' ', ','), long(','), long(' ,'), long('"a", '), long('\t')], (s) =>
      ifNoneMatchHas(s, etag),
    );
    expect(ifNoneMatchHas(`"x" ,  ${etag} , "y"`, etag)).toBe(true);
    expect(ifNoneMatchHas(`${' '.repeat(N)},${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHas(etag, etag)).toBe(true);
    expect(ifNoneMatchHas('"grids-3-14-1-22"', etag)).toBe(false);
    expect(ifNoneMatchHas(undefined, etag)).toBe(false);
    expect(ifNoneMatchHas('', etag)).toBe(false);
  });

  it('the style origin (from the Host header)', () => {
    fast('buildStyle', ['http://' + long('/'), 'http://a' + long('/', '')], buildStyle);
    expect(JSON.stringify(buildStyle('http://h:8080///'))).toContain('"http://h:8080/tiles/');
  });

  it('ogrinfo layer listings (a layer name comes from the uploaded file)', () => {
    fast(
      'layerNamesOf',
      ['1: ' + long('a ('), '1: ' + long('a ()', ''), '1: ' + long(' (', ')'), long('1'), long('1: ', '')],
      layerNamesOf,
    );
    const OLD = /^\d+: (.+?)(?: \(.*\))?$/gm;
    const listings = [
      '1: units (Multi Polygon)\n2: roads (Line String)\n3: plain\n',
      'INFO: Open of `x.gpkg`\n      using driver `GPKG` successful.\n1: a (b) c (Polygon)\r\n2: x (\n3: y )\n4: (Polygon)\n5:  (z)\n',
      '12: 名称 (Point)\n0: a ()\nno: layer\n1:nospace\n',
    ];
    for (const listing of listings)
      expect(layerNamesOf(listing), listing).toEqual([...listing.matchAll(OLD)].map((m) => m[1]));
  });

  it('working days and hours (settings, read with the same care)', () => {
    fast('parsePeriods', [long(' '), long('1'), '08:30' + long(' '), long('08:30-12:00,')], (s) => {
      try {
        parsePeriods(s);
      } catch {
        /* refused */
      }
    });
    fast('parseWeekdays', [long(' '), '1' + long(' '), long('1-'), long(',')], (s) => {
      try {
        parseWeekdays(s);
      } catch {
        /* refused */
      }
    });
  });

  it("zod's date and web-address checks used on query and form values", () => {
    const dateTime = z.iso.datetime({ offset: true }).or(z.iso.date());
    fast('z.iso.datetime', ['2026-01-01T00:00:00.' + long('1'), long('2026-'), '2026-01-01T' + long('0')], (s) =>
      dateTime.safeParse(s),
    );
    const url = z.url({ protocol: /^https?$/ }).max(2000);
    fast('z.url', ['http://' + long('a.'), 'http://' + long('a-'), long('http://')], (s) => url.safeParse(s));
  });
});
