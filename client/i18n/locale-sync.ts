// Keeps the language in three places in step: the `?lang=` query (so a link reproduces the view), the
// browser's localStorage (so the choice survives a visit without the query) and vue-i18n.
import type { Router } from 'vue-router';
import { i18n } from './index';
import { DEFAULT_LOCALE, parseLocale, type AppLocale } from '../../shared/locales';

const STORAGE_KEY = 'gridlink.lang';

function storedLocale(): AppLocale | null {
  try {
    return parseLocale(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null; // storage disabled
  }
}

function applyLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage disabled: the URL still carries the choice
  }
}

/** Every navigation settles the locale (query, else stored, else Chinese) and writes it back into the URL. */
export function installLocaleSync(router: Router): void {
  router.beforeEach((to) => {
    const locale = parseLocale(to.query.lang) ?? storedLocale() ?? DEFAULT_LOCALE;
    applyLocale(locale);
    if (to.query.lang !== locale) {
      return { path: to.path, hash: to.hash, query: { ...to.query, lang: locale }, replace: true };
    }
    return true;
  });
}
