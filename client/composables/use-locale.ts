// The current language and a way to change it (through the URL, see i18n/locale-sync.ts).
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import type { AppLocale } from '../../shared/locales';

export function useLocale() {
  const { locale } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const current = computed(() => locale.value as AppLocale);

  async function setLocale(next: AppLocale): Promise<void> {
    if (next === current.value) return;
    await router.replace({ path: route.path, hash: route.hash, query: { ...route.query, lang: next } });
  }

  return { locale: current, setLocale };
}
