// The languages of the app. Pure so that the map style builder can share the type.

export const SUPPORTED_LOCALES = ['zh', 'en'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh';

export function parseLocale(value: unknown): AppLocale | null {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
    ? (value as AppLocale)
    : null;
}
