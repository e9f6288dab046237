// vue-i18n in composition mode: Chinese by default, English as the second language.
import { createI18n } from 'vue-i18n';
import en from './messages/en';
import zh, { type MessageSchema } from './messages/zh';
import { DEFAULT_LOCALE, type AppLocale } from '../../shared/locales';

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: { zh, en },
});

export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}
