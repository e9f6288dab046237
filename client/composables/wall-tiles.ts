// The wall's figures as tiles: label, raw value, kind and the phrase comparing it with the previous period.
// `key` becomes the tile's data-testid (wall-figure-<key>), which the e2e tests read.
import { computed, type ShallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { WallFigures } from '../api/wall-types';
import { COMPOUND_TYPES, STATION_KINDS } from '../../shared/map/kinds';
import { COMPOUND_TYPE_COLOURS, STATION_KIND_COLOURS } from '../../shared/map/palette';
import type { FigureKind, useWallFormat } from './wall-format';

export interface Tile {
  key: string;
  label: string;
  raw: number | null;
  kind: FigureKind;
  note?: string;
  direction?: 'up' | 'down' | 'same' | 'none';
  upIsBad?: boolean;
  swatch?: string;
}

export function useWallTiles(
  figures: ShallowRef<WallFigures | null>,
  periodDays: () => number,
  format: ReturnType<typeof useWallFormat>,
) {
  const { t } = useI18n();

  const registerNote = () => t('wall.change.register');

  const placeTiles = computed<Tile[]>(() => {
    const r = figures.value?.registers;
    if (!r) return [];
    return [
      { key: 'compounds', label: t('wall.figure.compounds'), raw: r.compounds, kind: 'count', note: registerNote() },
      { key: 'grids', label: t('wall.figure.grids'), raw: r.grids, kind: 'count', note: registerNote() },
      { key: 'stations', label: t('wall.figure.stations'), raw: r.stations, kind: 'count', note: registerNote() },
    ];
  });

  /** Compounds by type (the map's colours: the wall's legend) and stations by kind, as rows. */
  const compoundTypeRows = computed<Tile[]>(() => {
    const r = figures.value?.registers;
    if (!r) return [];
    return COMPOUND_TYPES.map((type) => ({
      key: `compounds-${type}`,
      label: t(`compoundType.${type}`),
      raw: r.compoundsByType[type] ?? 0,
      kind: 'count',
      swatch: COMPOUND_TYPE_COLOURS[type],
    }));
  });
  const stationKindRows = computed<Tile[]>(() => {
    const r = figures.value?.registers;
    if (!r) return [];
    return STATION_KINDS.map((kind) => ({
      key: `stations-${kind}`,
      label: t(`stationKind.${kind}`),
      raw: r.stationsByKind[kind] ?? 0,
      kind: 'count',
      swatch: STATION_KIND_COLOURS[kind],
    }));
  });

  const peopleTiles = computed<Tile[]>(() => {
    const r = figures.value?.registers;
    if (!r) return [];
    const keys = [
      'redStewards',
      'partyMembers',
      'inServiceMembers',
      'memberUnits',
      'socialOrganisations',
      'communityStaff',
      'auxiliaryWorkers',
      'riderWorkers',
    ] as const;
    return keys.map((key) => ({ key, label: t(`wall.figure.${key}`), raw: r[key], kind: 'count' as const }));
  });

  const issueTiles = computed<Tile[]>(() => {
    const i = figures.value?.issues;
    if (!i) return [];
    const days = periodDays();
    const withChange = (key: keyof typeof i, kind: FigureKind, upIsBad = false): Tile => {
      const figure = i[key] as { value: number | null; previous: number | null };
      const c = format.change(figure, kind);
      return {
        key,
        label: t(`wall.figure.${key}`, { days }),
        raw: figure.value,
        kind,
        note: c.text,
        direction: c.direction,
        upIsBad,
      };
    };
    const rider = i.riderReports;
    return [
      {
        key: 'riderReports',
        label: t('wall.figure.riderReports'),
        raw: rider.total,
        kind: 'count',
        note: t('wall.change.recent', { days, recent: rider.recent, previous: rider.previousRecent }),
      },
      withChange('reports', 'count'),
      withChange('openIssues', 'count', true),
      withChange('overdueIssues', 'count', true),
      ...serviceTiles(days),
    ];
  });

  /** Micro-wishes claimed and service activities held: all time, with the last period against the one before. */
  function serviceTiles(days: number): Tile[] {
    const s = figures.value?.service;
    if (!s) return [];
    return (['wishesClaimed', 'activities'] as const).map((key) => ({
      key,
      label: t(`wall.figure.${key}`),
      raw: s[key].total,
      kind: 'count' as const,
      note: t('wall.change.recent', { days, recent: s[key].recent, previous: s[key].previousRecent }),
    }));
  }

  const rateTiles = computed<Tile[]>(() => {
    const i = figures.value?.issues;
    if (!i) return [];
    return (['responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeClosureRate'] as const).map((key) => {
      const c = format.change(i[key], 'rate');
      return {
        key,
        label: t(`wall.figure.${key}`),
        raw: i[key].value,
        kind: 'rate' as const,
        note: c.text,
        direction: c.direction,
      };
    });
  });

  return { placeTiles, compoundTypeRows, stationKindRows, peopleTiles, issueTiles, rateTiles };
}
