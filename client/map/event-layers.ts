// deck.gl layers for the work queue: one dot per issue, red when overdue, amber while open, grey once done;
// the selected case is drawn larger with a dark ring. Pure: `eventLayers(state, issues)`.
import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { QueueIssue } from '../api/events';
import { OPEN_STATES } from '../../shared/issue-states.ts';
import { hexToRgb } from '../../shared/map/palette';

export interface EventLayerState {
  /** The open case, drawn larger. @default null */
  selectedId: number | null;
}

/** Colours of the issue dots (the legend of /events reads them too). */
export const EVENT_COLOURS = {
  overdue: '#d32f2f',
  open: '#f9a825',
  done: '#78909c',
  selectedRing: '#1a237e',
} as const;

export function eventColour(issue: Pick<QueueIssue, 'overdue' | 'state'>): string {
  if (issue.overdue) return EVENT_COLOURS.overdue;
  return OPEN_STATES.includes(issue.state) ? EVENT_COLOURS.open : EVENT_COLOURS.done;
}

export function eventLayers(state: EventLayerState, issues: readonly QueueIssue[]): Layer[] {
  return [
    new ScatterplotLayer<QueueIssue>({
      id: 'events',
      data: issues,
      getPosition: (d) => [d.lon, d.lat],
      getRadius: (d) => (d.id === state.selectedId ? 10 : 6),
      radiusUnits: 'pixels',
      getFillColor: (d) => hexToRgb(eventColour(d)),
      getLineColor: (d) => (d.id === state.selectedId ? hexToRgb(EVENT_COLOURS.selectedRing) : [255, 255, 255]),
      getLineWidth: (d) => (d.id === state.selectedId ? 3 : 1.5),
      lineWidthUnits: 'pixels',
      stroked: true,
      pickable: true,
      updateTriggers: { getRadius: state.selectedId, getLineColor: state.selectedId, getLineWidth: state.selectedId },
    }),
  ];
}
