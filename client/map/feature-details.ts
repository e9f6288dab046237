// Turns what is under a click into the content of a popup: a title and labelled rows. Labels are i18n keys
// (client/i18n/messages), so the popup follows the language switch.
import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { StationFeature } from '../api/types';
import { isCompoundType } from '../../shared/map/kinds';
import { CLICKABLE_LAYERS, LAYER_IDS } from '../../shared/map/style-ids';

export type DetailKind = 'station' | 'building' | 'compound' | 'grid';

export interface DetailRow {
  /** i18n key of the label, e.g. `popup.households`. */
  labelKey: string;
  /** Shown as is (numbers are formatted by the popup)… */
  value: string | number;
  /** …unless this i18n key is given (enumerations such as compound types)… */
  valueKey?: string;
  /** …or these, shown as a list (what a station offers)… */
  valueKeys?: string[];
  /** …or the locale is English and this is set (names). */
  valueEn?: string | null;
}

export interface FeatureDetails {
  kind: DetailKind;
  id: string;
  name: string | null;
  nameEn: string | null;
  rows: DetailRow[];
}

type Properties = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
}

function numberRow(labelKey: string, value: unknown): DetailRow[] {
  return typeof value === 'number' && Number.isFinite(value) ? [{ labelKey, value }] : [];
}

function nameRow(labelKey: string, properties: Properties | undefined): DetailRow[] {
  const name = text(properties?.name) ?? text(properties?.code) ?? text(properties?.id);
  return name ? [{ labelKey, value: name, valueEn: text(properties?.name_en) }] : [];
}

/** A station, with the name of the grid it lies in when that grid is known (`grid` tile properties). */
export function describeStation(station: StationFeature, grid?: Properties): FeatureDetails {
  const { id, name, name_en, kind, grid_id, facilities } = station.properties;
  const gridRows = nameRow('popup.grid', grid);
  const offers = facilities.map((f) => `stationFacility.${f}`);
  return {
    kind: 'station',
    id,
    name,
    nameEn: name_en || null,
    rows: [
      { labelKey: 'popup.kind', value: kind, valueKey: `stationKind.${kind}` },
      ...(gridRows.length ? gridRows : grid_id ? [{ labelKey: 'popup.gridId', value: grid_id }] : []),
      ...(offers.length ? [{ labelKey: 'popup.facilities', value: facilities.join(','), valueKeys: offers }] : []),
    ],
  };
}

/**
 * Describe the most specific clickable feature in `features` (as returned by queryRenderedFeatures on
 * CLICKABLE_LAYERS), with the grid and compound it lies in as context rows.
 */
export function describeMapFeatures(features: readonly MapGeoJSONFeature[]): FeatureDetails | null {
  const byLayer = (layerId: string): Properties | undefined =>
    features.find((feature) => feature.layer.id === layerId)?.properties as Properties | undefined;
  const top = CLICKABLE_LAYERS.find((layerId) => byLayer(layerId));
  if (!top) return null;
  const properties = byLayer(top) as Properties;
  const grid = byLayer(LAYER_IDS.gridsFill);
  const compound = byLayer(LAYER_IDS.compoundsFill);
  const id = text(properties.id) ?? '';

  if (top === LAYER_IDS.buildingsFill) {
    return {
      kind: 'building',
      id,
      name: text(properties.name),
      nameEn: text(properties.name_en),
      rows: [
        ...numberRow('popup.floors', properties.floors),
        ...numberRow('popup.households', properties.households),
        ...nameRow('popup.compound', compound),
        ...nameRow('popup.grid', grid),
      ],
    };
  }
  if (top === LAYER_IDS.compoundsFill) {
    const type = properties.type;
    return {
      kind: 'compound',
      id,
      name: text(properties.name),
      nameEn: text(properties.name_en),
      rows: [
        isCompoundType(type)
          ? { labelKey: 'popup.type', value: type, valueKey: `compoundType.${type}` }
          : { labelKey: 'popup.type', value: text(type) ?? '—' },
        ...numberRow('popup.households', properties.households),
        ...nameRow('popup.grid', grid),
      ],
    };
  }
  return {
    kind: 'grid',
    id,
    name: text(properties.name),
    nameEn: text(properties.name_en),
    rows: [
      ...(text(properties.code) ? [{ labelKey: 'popup.code', value: text(properties.code) as string }] : []),
      ...numberRow('popup.households', properties.households),
      ...(text(properties.community_id)
        ? [{ labelKey: 'popup.communityId', value: text(properties.community_id) as string }]
        : []),
    ],
  };
}
