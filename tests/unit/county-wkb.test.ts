import { describe, expect, it } from 'vitest';
import { toWkb } from '../../server/county/wkb.ts';

// Expected bytes as PostGIS writes them (select st_asbinary(st_geomfromtext(…), 'NDR')).
describe('toWkb', () => {
  it('writes a point as little-endian WKB', () => {
    expect(toWkb({ type: 'Point', coordinates: [1, 2] }).toString('hex')).toBe(
      '0101000000000000000000f03f0000000000000040',
    );
  });

  it('writes a polygon with its ring count, point count and coordinates, dropping a third dimension', () => {
    const wkb = toWkb({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0, 5],
          [1, 0, 5],
          [1, 1, 5],
          [0, 0, 5],
        ],
      ],
    });
    expect(wkb.toString('hex')).toBe(
      '010300000001000000040000000000000000000000000000000000000000000000' +
        '0000f03f0000000000000000000000000000f03f000000000000f03f0000000000' +
        '0000000000000000000000',
    );
  });

  it('writes every part of a multipolygon and of a collection', () => {
    const square = [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ];
    const multi = toWkb({ type: 'MultiPolygon', coordinates: [square, square] });
    expect(multi.length).toBe(9 + 2 * (9 + 4 + 4 * 16));
    expect(multi.readUInt32LE(1)).toBe(6);
    expect(multi.readUInt32LE(5)).toBe(2);
    expect(multi.readUInt32LE(10)).toBe(3);
    const collection = toWkb({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [3, 4] },
        {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [2, 2],
          ],
        },
      ],
    });
    expect(collection.length).toBe(9 + 21 + 9 + 32);
    expect(collection.readDoubleLE(9 + 5)).toBe(3);
  });
});
