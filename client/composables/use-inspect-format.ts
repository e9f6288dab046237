// Names and numbers of the inspection panel in the current language: English names where the data has
// them, numbers and shares formatted for the locale, enumerations through i18n with the raw value as fallback.
import { useI18n } from 'vue-i18n';

export function useInspectFormat() {
  const { t, te, locale } = useI18n();

  const placeName = (thing: { name: string; nameEn?: string | null }): string =>
    locale.value === 'en' && thing.nameEn ? thing.nameEn : thing.name;

  const count = (n: number): string => n.toLocaleString(locale.value === 'zh' ? 'zh-CN' : 'en');

  const share = (value: number | null): string =>
    value === null
      ? '—'
      : `${(value * 100).toLocaleString(locale.value === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 })}%`;

  /** `inspect.<group>.<value>` when translated, else the value itself. */
  const term = (group: string, value: unknown): string => {
    const text = value === null || value === undefined ? '—' : String(value);
    const key = `inspect.${group}.${text}`;
    return te(key) ? t(key) : text;
  };

  return { t, locale, placeName, count, share, term };
}
