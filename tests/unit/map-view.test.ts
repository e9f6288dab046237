import { describe, expect, it } from 'vitest';
import { viewOfExtent } from '../../server/style/map-view.ts';

describe("a county's first map view", () => {
  it('centres the demo town of 4 × 3 km at zoom 13.5', () => {
    expect(viewOfExtent([107.385, 37.7696, 107.425, 37.7984])).toEqual({ center: [107.405, 37.784], zoom: 13.5 });
  });

  it('zooms out for a county a hundred times wider, by log2 of the ratio', () => {
    const town = viewOfExtent([107.385, 37.7696, 107.425, 37.7984]);
    const wide = viewOfExtent([105.4, 36.3, 109.4, 39.2]);
    expect(town.zoom - wide.zoom).toBeCloseTo(Math.log2(100), 0);
  });

  it('caps the zoom on a single point and stays on the map for the whole world', () => {
    expect(viewOfExtent([107, 37, 107, 37]).zoom).toBe(17);
    const world = viewOfExtent([-180, -85, 180, 85]).zoom;
    expect(world).toBeGreaterThanOrEqual(0);
    expect(world).toBeLessThan(1);
  });
});
