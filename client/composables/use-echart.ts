// The daily line charts (an area's issue trend, the wall's issues by category) share the ECharts set-up: one
// chart on an element for the component's life, fonts loaded before drawing, and days along x.
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';
import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';

export const CHART_FONT = "'Noto Sans SC', sans-serif";

/**
 * A canvas does not wait for web fonts, and ECharts remembers text widths measured with the fallback font: load
 * the Noto Sans SC subsets of `text` at `px` before drawing.
 */
export const loadChartFont = (px: number, text: string) =>
  document.fonts.load(`${px}px 'Noto Sans SC'`, text).catch(() => undefined);

/** Days (YYYY-MM-DD, shown as MM-DD) along x, whole counts up y, an axis tooltip. */
export function dailyAxes(
  days: readonly string[],
  axisLabel: { color: string; fontSize?: number },
  splitColour: string,
  axisLine?: { lineStyle: { color: string } },
): EChartsCoreOption {
  return {
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.slice(5)),
      boundaryGap: false,
      axisLabel,
      ...(axisLine ? { axisLine } : {}),
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel, splitLine: { lineStyle: { color: splitColour } } },
  };
}

/**
 * An ECharts chart on `element` while the component lives: drawn from `option` when mounted and whenever
 * `sources` change, resized with the element (and drawn again when `redrawOnResize`: sizes taken from it).
 */
export function useEChart(
  element: Ref<HTMLElement | null>,
  option: (element: HTMLElement) => Promise<EChartsCoreOption>,
  sources: WatchSource[],
  { redrawOnResize = false, devicePixelRatio }: { redrawOnResize?: boolean; devicePixelRatio?: number } = {},
): void {
  let chart: ECharts | null = null;
  let observer: ResizeObserver | null = null;

  async function render(): Promise<void> {
    const el = element.value;
    if (!el || !chart) return;
    const next = await option(el);
    chart?.setOption(next, { notMerge: true });
  }

  onMounted(() => {
    const el = element.value;
    if (!el) return;
    chart = init(el, null, { renderer: 'canvas', ...(devicePixelRatio ? { devicePixelRatio } : {}) });
    void render();
    observer = new ResizeObserver(() => {
      chart?.resize();
      if (redrawOnResize) void render();
    });
    observer.observe(el);
  });
  watch(sources, () => void render());
  onBeforeUnmount(() => {
    observer?.disconnect();
    chart?.dispose();
    chart = null;
  });
}
