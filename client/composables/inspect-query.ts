// The /inspect URL ⇄ the inspect store:
// `?level=grid&id=G012&at=107.38670,37.77660,16.20&cov=500&metric=overdue&hide=buildings,street_post&show=issues&rank=grid&cmp=G001,G002`.
// Pure functions, so that the mapping is the same when reading and when writing.
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { isAreaLevel } from '../api/inspect-types';
import { isMetric, METRIC_LEVELS, type MetricLevel } from '../../shared/map/area-metrics';
import { LAYER_SWITCHES, OPTIONAL_LAYERS } from '../map/layer-switches';
import type { InspectState, MapViewState } from '../stores/inspect';

const ID = /^[A-Za-z0-9_-]{1,40}$/;

function one(value: LocationQuery[string]): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : null;
}

export function parseView(text: string | null): MapViewState | null {
  const parts = (text ?? '').split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [lng, lat, zoom] = parts;
  if (Math.abs(lng) > 180 || Math.abs(lat) > 85 || zoom < 0 || zoom > 24) return null;
  return { lng, lat, zoom };
}

export function formatView(view: MapViewState): string {
  return `${view.lng.toFixed(5)},${view.lat.toFixed(5)},${view.zoom.toFixed(2)}`;
}

/** Rounded like the URL, so that a view read back compares equal to the one written. */
export function roundView(view: MapViewState): MapViewState {
  return parseView(formatView(view)) as MapViewState;
}

export function parseInspectQuery(query: LocationQuery): InspectState {
  const level = one(query.level);
  const id = one(query.id);
  const coverage = Number(one(query.cov));
  const selected =
    isAreaLevel(level) && level !== 'county' && id && ID.test(id)
      ? { level, id }
      : { level: 'county' as const, id: null };
  const metric = one(query.metric);
  const ranking = one(query.rank);
  const list = (value: string | null) => (value ?? '').split(',').filter(Boolean);
  return {
    ...selected,
    view: parseView(one(query.at)),
    coverageDistance: Number.isInteger(coverage) && coverage >= 50 && coverage <= 5000 ? coverage : null,
    metric: isMetric(metric) ? metric : null,
    // In the order of the switches, so that equal sets compare equal.
    hiddenLayers: LAYER_SWITCHES.filter((key) => list(one(query.hide)).includes(key)),
    shownLayers: OPTIONAL_LAYERS.filter((key) => list(one(query.show)).includes(key)),
    ranking: (METRIC_LEVELS as readonly string[]).includes(ranking ?? '') ? (ranking as MetricLevel) : null,
    compare: [...new Set(list(one(query.cmp)).filter((id) => ID.test(id)))].slice(0, 2),
  };
}

/** The query of a state; keys this page does not own (lang) are kept from `base`. */
export function toInspectQuery(state: InspectState, base: LocationQuery): LocationQueryRaw {
  const query: LocationQueryRaw = { ...base };
  for (const key of ['level', 'id', 'at', 'cov', 'metric', 'hide', 'show', 'rank', 'cmp']) delete query[key];
  if (state.level !== 'county' && state.id) Object.assign(query, { level: state.level, id: state.id });
  if (state.view) query.at = formatView(state.view);
  if (state.coverageDistance !== null) query.cov = String(state.coverageDistance);
  if (state.metric) query.metric = state.metric;
  if (state.hiddenLayers.length)
    query.hide = LAYER_SWITCHES.filter((key) => state.hiddenLayers.includes(key)).join(',');
  if (state.shownLayers.length) query.show = OPTIONAL_LAYERS.filter((key) => state.shownLayers.includes(key)).join(',');
  if (state.ranking) query.rank = state.ranking;
  if (state.compare.length) query.cmp = state.compare.join(',');
  return query;
}
