// "Export PNG" of the leaders' map: the title names the area and the metric, the legend is the choropleth's
// classes (or the compound types and station kinds without one), with the date and, for a synthetic county, the
// demo-data note.
import { shallowRef, type Ref } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { AreaCard } from '../api/inspect-types';
import type { Metric } from '../../shared/map/area-metrics';
import { legendClasses, type ChoroplethData } from '../map/choropleth';
import { exportMapPng, type LegendRow } from '../map/export-png';
import { COMPOUND_TYPES, STATION_KINDS } from '../../shared/map/kinds';
import { COMPOUND_TYPE_COLOURS, STATION_KIND_COLOURS } from '../../shared/map/palette';
import { useCountyStore } from '../stores/county';
import { useMetricFormat } from './use-metric-format';
import { localDate, saveBlob } from './file-export';

export interface MapExportInputs {
  map: Ref<MapLibreMap | null>;
  overlay: Ref<MapLibreOverlay | null>;
  card: Ref<AreaCard | null>;
  /** The choropleth shown at the current zoom, if any. */
  shown: Ref<ChoroplethData | null>;
  metric: Ref<Metric | null>;
}

export function useMapExport({ map, overlay, card, shown, metric }: MapExportInputs) {
  const { t, placeName, metricName, classRange } = useMetricFormat();
  const county = useCountyStore();
  const status = shallowRef<'idle' | 'working' | 'error'>('idle');
  const message = shallowRef('');

  function legend(): { title: string; rows: LegendRow[] } {
    const data = shown.value;
    if (metric.value && data) {
      return {
        title: `${metricName(data.metric)}（${t(`inspect.level.${data.level}`)}）`,
        rows: legendClasses(data.metric, data.breaks).map((c) => ({
          colour: c.colour,
          label: classRange(data.metric, c.from, c.to),
          shape: 'box',
        })),
      };
    }
    return {
      title: t('legend.title'),
      rows: [
        ...COMPOUND_TYPES.map((type) => ({
          colour: COMPOUND_TYPE_COLOURS[type],
          label: t(`compoundType.${type}`),
          shape: 'box' as const,
        })),
        ...STATION_KINDS.map((kind) => ({
          colour: STATION_KIND_COLOURS[kind],
          label: t(`stationKind.${kind}`),
          shape: 'dot' as const,
        })),
      ],
    };
  }

  async function exportPng(): Promise<void> {
    const current = map.value;
    const area = card.value;
    if (!current || !area) return;
    status.value = 'working';
    try {
      const date = localDate();
      const { title: legendTitle, rows } = legend();
      const areaName = placeName(area);
      const blob = await exportMapPng(current, overlay.value, {
        title: metric.value
          ? `${areaName} · ${metricName(metric.value)}`
          : `${areaName} · ${t('inspectAnalysis.exportTitle')}`,
        subtitle: [...area.parents.map((p) => placeName(p)), areaName].join(' › '),
        dateLine: t('inspectAnalysis.exportDate', { date }),
        note: county.synthetic ? t('badge.synthetic') : null,
        legendTitle,
        legend: rows,
      });
      saveBlob(blob, `gridlink-${area.level}-${area.id}${metric.value ? `-${metric.value}` : ''}-${date}.png`);
      status.value = 'idle';
    } catch (error) {
      message.value = error instanceof Error ? error.message : String(error);
      status.value = 'error';
    }
  }

  return { exportPng, status, message };
}
