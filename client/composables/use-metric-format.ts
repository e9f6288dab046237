// Metric values and class bounds as text in the current language: shares as percentages, rates per 100
// households with two decimals, counts whole.
import { SHARE_METRICS, type Metric } from '../../shared/map/area-metrics';
import { useInspectFormat } from './use-inspect-format';

export function useMetricFormat() {
  const format = useInspectFormat();
  const { locale, share, t } = format;

  function metricText(metric: Metric, value: number | null): string {
    if (value === null) return '—';
    if (SHARE_METRICS.includes(metric)) return share(value);
    const digits = metric === 'issuesPer100' || metric === 'partyPer100' ? 2 : 0;
    return value.toLocaleString(locale.value === 'zh' ? 'zh-CN' : 'en', {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
  }

  /** "≤ 3", "3 – 5", "> 5" for a legend row. */
  function classRange(metric: Metric, from: number | null, to: number | null): string {
    if (from === null && to === null) return t('inspectAnalysis.allValues');
    if (from === null) return `≤ ${metricText(metric, to)}`;
    if (to === null) return `> ${metricText(metric, from)}`;
    return `${metricText(metric, from)} – ${metricText(metric, to)}`;
  }

  const metricName = (metric: Metric): string => t(`inspectAnalysis.metric.${metric}`);

  return { ...format, metricText, classRange, metricName };
}
