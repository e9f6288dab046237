// deck.gl layers marking the units a draft moves away from their current grid: a thick magenta outline over the
// planner's grid colours (plan-layers.ts), so the changes of a plan can be reviewed on the map before publishing.
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { PlanUnitFeature } from '../api/plans';
import { hexToRgb } from '../../shared/map/palette';

export const PLAN_MOVED_LINE = '#d81b60';

export interface PlanDiffLayerOptions {
  /** Outline width of a moved unit, pixels. @default 4 */
  lineWidth: number;
}

export const PLAN_DIFF_LAYER_DEFAULTS: PlanDiffLayerOptions = { lineWidth: 4 };

export function planDiffLayers(moved: PlanUnitFeature[], options: Partial<PlanDiffLayerOptions> = {}): Layer[] {
  const settings = { ...PLAN_DIFF_LAYER_DEFAULTS, ...options };
  const colour = hexToRgb(PLAN_MOVED_LINE);
  return [
    new GeoJsonLayer<PlanUnitFeature['properties']>({
      id: 'plan-moved-units',
      data: moved,
      filled: true,
      stroked: true,
      pickable: false,
      lineWidthUnits: 'pixels',
      getLineWidth: settings.lineWidth,
      getLineColor: [...colour, 255],
      getFillColor: [...colour, 40],
    }),
  ];
}
