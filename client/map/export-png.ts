// The current map view as a PNG for reports: the map canvas and the deck.gl overlay (stations), composed
// in the same task in which both were drawn, under a title band, with the legend, a scale bar, the date and
// the demo-data note drawn on a 2D canvas.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Deck } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import { MAP_FONT_FAMILY } from '../../shared/map/typography';

export interface LegendRow {
  colour: string;
  label: string;
  shape: 'box' | 'dot';
}

export interface ExportInfo {
  title: string;
  subtitle: string;
  /** "导出日期 2026-11-25" etc. */
  dateLine: string;
  /** The demo-data note; null for a real county's data. */
  note: string | null;
  legendTitle: string;
  legend: LegendRow[];
}

/** Layout of the picture in CSS pixels (multiplied by the device pixel ratio); tests read the regions. */
export const EXPORT_LAYOUT = { titleBand: 64, margin: 12, legendWidth: 210, legendRow: 20, scaleBarMax: 120 } as const;

const font = (px: number, weight = 400) => `${weight} ${px}px '${MAP_FONT_FAMILY}', sans-serif`;

/** A round length (1, 2 or 5 × 10ⁿ metres) not longer than `metres`. */
export function niceLength(metres: number): number {
  const power = 10 ** Math.floor(Math.log10(metres));
  return [5, 2, 1].map((f) => f * power).find((l) => l <= metres) ?? power;
}

/** The deck.gl instance of an overlay: MapLibreOverlay keeps it private, and only it can redraw now. */
function deckOf(overlay: MapLibreOverlay | null): Deck | undefined {
  return (overlay as unknown as { _deck?: Deck } | null)?._deck;
}

/** Draws the map and the overlay, then copies both before the browser presents (and may clear) them. */
function grabLayers(map: MapLibreMap, overlay: MapLibreOverlay | null): Promise<HTMLCanvasElement[]> {
  return new Promise((resolve) => {
    map.once('render', () => {
      const deck = deckOf(overlay);
      deck?.redraw('export');
      const canvases = [map.getCanvas(), deck?.getCanvas()].filter((c): c is HTMLCanvasElement => !!c && c.width > 0);
      resolve(
        canvases.map((source) => {
          const copy = document.createElement('canvas');
          copy.width = source.width;
          copy.height = source.height;
          copy.getContext('2d')!.drawImage(source, 0, 0);
          return copy;
        }),
      );
    });
    map.triggerRepaint();
  });
}

function drawScaleBar(ctx: CanvasRenderingContext2D, map: MapLibreMap, x: number, y: number, dpr: number): void {
  const css = map.getCanvas().clientHeight - 40;
  const max = EXPORT_LAYOUT.scaleBarMax;
  const metres = map.unproject([20, css]).distanceTo(map.unproject([20 + max, css]));
  const length = niceLength(metres);
  const width = (max * length) / metres;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(x - 6 * dpr, y - 22 * dpr, (width + 60) * dpr, 30 * dpr);
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(x, y - 8 * dpr);
  ctx.lineTo(x, y);
  ctx.lineTo(x + width * dpr, y);
  ctx.lineTo(x + width * dpr, y - 8 * dpr);
  ctx.stroke();
  ctx.fillStyle = '#222';
  ctx.font = font(12 * dpr);
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(length >= 1000 ? `${length / 1000} km` : `${length} m`, x + (width + 6) * dpr, y);
}

function drawLegend(ctx: CanvasRenderingContext2D, info: ExportInfo, right: number, bottom: number, dpr: number): void {
  const { legendWidth, legendRow } = EXPORT_LAYOUT;
  const height = (30 + info.legend.length * legendRow + 6) * dpr;
  const x = right - legendWidth * dpr;
  const y = bottom - height;
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(x, y, legendWidth * dpr, height);
  ctx.strokeStyle = '#c9ced8';
  ctx.lineWidth = dpr;
  ctx.strokeRect(x, y, legendWidth * dpr, height);
  ctx.fillStyle = '#1f3a68';
  ctx.font = font(13 * dpr, 700);
  ctx.textBaseline = 'middle';
  ctx.fillText(info.legendTitle, x + 10 * dpr, y + 16 * dpr);
  info.legend.forEach((row, k) => {
    const cy = y + (30 + k * legendRow + legendRow / 2) * dpr;
    ctx.fillStyle = row.colour;
    if (row.shape === 'dot') {
      ctx.beginPath();
      ctx.arc(x + 18 * dpr, cy, 6 * dpr, 0, 2 * Math.PI);
      ctx.fill();
    } else ctx.fillRect(x + 10 * dpr, cy - 7 * dpr, 18 * dpr, 14 * dpr);
    ctx.fillStyle = '#333';
    ctx.font = font(12 * dpr);
    ctx.fillText(row.label, x + 36 * dpr, cy);
  });
}

export async function exportMapPng(map: MapLibreMap, overlay: MapLibreOverlay | null, info: ExportInfo): Promise<Blob> {
  const text = [
    info.title,
    info.subtitle,
    info.dateLine,
    info.note ?? '',
    info.legendTitle,
    ...info.legend.map((r) => r.label),
  ].join('');
  await document.fonts.load(font(16), text).catch(() => undefined);
  const layers = await grabLayers(map, overlay);
  const dpr = layers[0].width / map.getCanvas().clientWidth;
  const band = EXPORT_LAYOUT.titleBand * dpr;
  const margin = EXPORT_LAYOUT.margin * dpr;
  const out = document.createElement('canvas');
  out.width = layers[0].width;
  out.height = layers[0].height + band;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, band);
  for (const layer of layers) ctx.drawImage(layer, 0, band, out.width, layers[0].height);

  ctx.fillStyle = '#1f3a68';
  ctx.font = font(20 * dpr, 700);
  ctx.textBaseline = 'top';
  ctx.fillText(info.title, margin, 10 * dpr);
  ctx.fillStyle = '#555';
  ctx.font = font(12 * dpr);
  ctx.fillText(info.subtitle, margin, 38 * dpr);
  ctx.textAlign = 'right';
  ctx.fillText(info.dateLine, out.width - margin, 12 * dpr);
  ctx.fillStyle = '#a12622';
  if (info.note) ctx.fillText(info.note, out.width - margin, 38 * dpr);
  ctx.textAlign = 'left';

  drawLegend(ctx, info, out.width - margin, out.height - margin, dpr);
  drawScaleBar(ctx, map, margin + 6 * dpr, out.height - margin - 8 * dpr, dpr);
  return new Promise((resolve, reject) =>
    out.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))),
      'image/png',
    ),
  );
}
