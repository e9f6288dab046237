// The wall's figures as tiles: label, raw value, the value as shown, and the phrase comparing it with the
// previous period. `key` becomes the tile's data-testid (wall-figure-<key>), which the e2e tests read.
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { WallFigure, WallRegisters } from '../api/wall-types';
import { COMPOUND_TYPES, STATION_KINDS } from '../../shared/map/kinds';
import { COMPOUND_TYPE_COLOURS, STATION_KIND_COLOURS } from '../../shared/map/palette';
import { useWallStore } from '../stores/wall';
import { useWallFormat, type FigureKind } from './wall-format';

export interface Tile {
  key: string;
  label: string;
  raw: number | null;
  /** The raw value written for the wall (separators, percentages, a dash for none). */
  display: string;
  note?: string;
  direction?: 'up' | 'down' | 'same' | 'none';
  upIsBad?: boolean;
  swatch?: string;
}
type TileOf = Omit<Tile, 'display'> & { kind: FigureKind };

const PEOPLE_KEYS = [
  'redStewards',
  'partyMembers',
  'inServiceMembers',
  'memberUnits',
  'socialOrganisations',
  'communityStaff',
  'auxiliaryWorkers',
  'retiredCadres',
  'riderWorkers',
] as const satisfies readonly (keyof WallRegisters)[];

export function useWallTiles() {
  const { t } = useI18n();
  const wall = useWallStore();
  const format = useWallFormat(() => wall.periodDays);
  const shown = (tiles: TileOf[]): Tile[] =>
    tiles.map(({ kind, ...tile }) => ({ ...tile, display: format.value(tile.raw, kind) }));
  /** A computed list of tiles, empty until the figures have `part`. */
  const tilesOf = <P>(part: () => P | null | undefined, make: (p: P) => TileOf[]) =>
    computed<Tile[]>(() => {
      const p = part();
      return p ? shown(make(p)) : [];
    });
  const registers = () => wall.figures?.registers;
  const issues = () => wall.figures?.issues;

  const label = (key: string) => t(`wall.figure.${key}`, { days: wall.periodDays });
  /** A count of all time, with the last period against the one before. */
  const withRecent = (key: string, c: { total: number; recent: number; previousRecent: number }): TileOf => ({
    key,
    label: label(key),
    raw: c.total,
    kind: 'count',
    note: t('wall.change.recent', { days: wall.periodDays, recent: c.recent, previous: c.previousRecent }),
  });
  /** A figure of the period with its change against the previous one. */
  const withChange = (key: string, figure: WallFigure, kind: FigureKind, upIsBad = false): TileOf => {
    const c = format.change(figure, kind);
    return { key, label: label(key), raw: figure.value, kind, note: c.text, direction: c.direction, upIsBad };
  };
  /** Counts by kind as rows, each with its colour on the map (the wall's legend). */
  const kindRows = <K extends string>(
    group: string,
    kinds: readonly K[],
    counts: Record<string, number>,
    colours: Record<K, string>,
  ) =>
    kinds.map((kind): TileOf => ({
      key: `${group}-${kind}`,
      label: t(`${group === 'compounds' ? 'compoundType' : 'stationKind'}.${kind}`),
      raw: counts[kind] ?? 0,
      kind: 'count',
      swatch: colours[kind],
    }));

  const placeTiles = tilesOf(registers, (r) =>
    (['compounds', 'grids', 'stations'] as const).map((key) => ({
      key,
      label: label(key),
      raw: r[key],
      kind: 'count' as const,
      note: t('wall.change.register'),
    })),
  );
  const compoundTypeRows = tilesOf(registers, (r) =>
    kindRows('compounds', COMPOUND_TYPES, r.compoundsByType, COMPOUND_TYPE_COLOURS),
  );
  const stationKindRows = tilesOf(registers, (r) =>
    kindRows('stations', STATION_KINDS, r.stationsByKind, STATION_KIND_COLOURS),
  );
  const peopleTiles = tilesOf(registers, (r) =>
    PEOPLE_KEYS.map((key) => ({ key, label: label(key), raw: r[key], kind: 'count' as const })),
  );

  const issueTiles = tilesOf(issues, (i) => {
    const s = wall.figures?.service;
    return [
      withRecent('riderReports', i.riderReports),
      withChange('reports', i.reports, 'count'),
      withChange('openIssues', i.openIssues, 'count', true),
      withChange('overdueIssues', i.overdueIssues, 'count', true),
      // Micro-wishes claimed and service activities held.
      ...(s ? [withRecent('wishesClaimed', s.wishesClaimed), withRecent('activities', s.activities)] : []),
    ];
  });
  const rateTiles = tilesOf(issues, (i) =>
    (['responseRate', 'resolutionRate', 'satisfactionRate', 'onTimeClosureRate'] as const).map((key) =>
      withChange(key, i[key], 'rate'),
    ),
  );

  return { placeTiles, compoundTypeRows, stationKindRows, peopleTiles, issueTiles, rateTiles };
}
