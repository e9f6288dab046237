// Small expressions shared by the layers of the gridlink style, and the source of a layer.
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';

/** Feature-state set by the client on the feature under the pointer / the one whose popup is open. */
export const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
export const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

export function kindIs(kind: string): ExpressionSpecification {
  return ['==', ['get', 'kind'], kind];
}

export const isPolygon: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
export const isLine: ExpressionSpecification = [
  'in',
  ['geometry-type'],
  ['literal', ['LineString', 'MultiLineString']],
];

/** A layer's source: each of our tile sets holds one layer named like it. */
export const from = (source: string) => ({ source, 'source-layer': source });
