// How the wall writes its figures: whole numbers with separators, rates as percentages, and the change
// against the previous period as a short phrase.
import { useI18n } from 'vue-i18n';
import type { WallFigure } from '../api/wall-types';

export type FigureKind = 'count' | 'rate';

export function useWallFormat(periodDays: () => number) {
  const { t, locale } = useI18n();

  const count = (n: number | null) =>
    n === null ? '—' : new Intl.NumberFormat(locale.value === 'zh' ? 'zh-CN' : 'en').format(n);
  const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
  const value = (n: number | null, kind: FigureKind) => (kind === 'rate' ? rate(n) : count(n));

  /** "较前 30 天 ↑12" / "↓2.3 个百分点"; null when there is no previous period to compare with. */
  function change(figure: WallFigure, kind: FigureKind): { text: string; direction: 'up' | 'down' | 'same' | 'none' } {
    const days = periodDays();
    if (figure.value === null || figure.previous === null)
      return { text: t('wall.change.none', { days }), direction: 'none' };
    const delta = figure.value - figure.previous;
    if (Math.abs(delta) < (kind === 'rate' ? 0.0005 : 0.5))
      return { text: t('wall.change.same', { days }), direction: 'same' };
    const magnitude =
      kind === 'rate' ? t('wall.change.points', { n: (Math.abs(delta) * 100).toFixed(1) }) : count(Math.abs(delta));
    return delta > 0
      ? { text: t('wall.change.up', { days, delta: magnitude }), direction: 'up' }
      : { text: t('wall.change.down', { days, delta: magnitude }), direction: 'down' };
  }

  const time = (ms: number) =>
    new Date(ms).toLocaleTimeString(locale.value === 'zh' ? 'zh-CN' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });

  return { count, rate, value, change, time };
}
