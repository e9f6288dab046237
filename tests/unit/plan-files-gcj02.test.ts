import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from '../../server/plans/gcj02.ts';

// Reference pairs of the standard transform (as published by coordtransform and its ports).
describe('GCJ-02', () => {
  it('offsets a WGS84 point in Beijing as the standard transform does', () => {
    const [lng, lat] = wgs84ToGcj02([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.41024449916938, 11);
    expect(lat).toBeCloseTo(39.91640428150164, 11);
  });

  it('inverts the offset exactly, where the one-step inverse is metres off', () => {
    const [lng, lat] = gcj02ToWgs84([116.41024449916938, 39.91640428150164]);
    expect(lng).toBeCloseTo(116.404, 9);
    expect(lat).toBeCloseTo(39.915, 9);
    // The common one-step inverse of GCJ (116.404, 39.915) gives (116.39775550083061, 39.91359571849836); the
    // iterated one lands within a metre of it but not on it.
    const [iLng, iLat] = gcj02ToWgs84([116.404, 39.915]);
    expect(Math.abs(iLng - 116.39775550083061)).toBeLessThan(1e-5);
    expect(Math.abs(iLng - 116.39775550083061) + Math.abs(iLat - 39.91359571849836)).toBeGreaterThan(1e-8);
    const back = wgs84ToGcj02([iLng, iLat]);
    expect(back[0]).toBeCloseTo(116.404, 9);
    expect(back[1]).toBeCloseTo(39.915, 9);
  });

  it('round-trips points across Yanchi County to well under a millimetre', () => {
    for (let lng = 106.9; lng <= 107.9; lng += 0.1) {
      for (let lat = 37.2; lat <= 38.2; lat += 0.1) {
        const gcj = wgs84ToGcj02([lng, lat]);
        // The offset there is hundreds of metres.
        expect(Math.hypot(gcj[0] - lng, gcj[1] - lat)).toBeGreaterThan(0.001);
        const [bLng, bLat] = gcj02ToWgs84(gcj);
        expect(Math.abs(bLng - lng)).toBeLessThan(1e-9);
        expect(Math.abs(bLat - lat)).toBeLessThan(1e-9);
      }
    }
  });

  it('leaves points outside China alone', () => {
    expect(outOfChina([2.35, 48.85])).toBe(true);
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });
});
