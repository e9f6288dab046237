// What the service tabs share: the caller's own area (grid, community or street; the county when none), its grids
// and counts from the view grid_service_counts, whether the caller may write, the lists, the writes and the
// server's message of a refused request.
import { computed, ref, shallowRef, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { fetchServiceCounts, type GridServiceCounts, type ServiceTotals } from '../api/service-work';
import { useSessionStore } from '../stores/session';

export const serverMessage = (error: unknown) =>
  error instanceof Error ? error.message.replace(/^\w+ \S+: HTTP \d+ /, '') : String(error);

/** Today's date in the browser's time zone, for a date input. */
export const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

export function useServiceArea() {
  const session = useSessionStore();
  const me = () => session.user;
  const counts = shallowRef<{ totals: ServiceTotals; grids: GridServiceCounts[] } | null>(null);
  const areaId = computed(() => {
    const scope = me()?.scope;
    return scope ? (scope.gridId ?? scope.communityId ?? scope.streetId ?? null) : null;
  });
  const canHandle = computed(() => me()?.permissions.includes('community-service:handle') ?? false);
  /** The grid a new record goes to by default: the caller's own, else the first of the area. */
  const defaultGrid = computed(() => me()?.scope.gridId ?? counts.value?.grids[0]?.gridId ?? '');

  async function loadCounts(): Promise<void> {
    counts.value = await fetchServiceCounts(areaId.value);
  }
  watch(
    () => me(),
    (account) => account && void loadCounts().catch(() => undefined),
    { immediate: true },
  );

  return { counts, areaId, canHandle, defaultGrid, loadCounts };
}

/** A list of a service tab: loaded by `fetch`, with the server's message when that fails. */
export function useServiceList<T>(fetch: () => Promise<T>) {
  const list = shallowRef<T | null>(null);
  const failure = ref<string | null>(null);
  async function load(): Promise<void> {
    try {
      list.value = await fetch();
      failure.value = null;
    } catch (error) {
      failure.value = serverMessage(error);
    }
  }
  return { list, failure, load };
}

/**
 * The writes of a service tab: `busy` while one runs; its outcome in `message` (the action's own text, or the
 * server's refusal), then `reload`. `refuse` shows a problem found before asking the server.
 */
export function useServiceWrite(reload: () => Promise<unknown>) {
  const { t } = useI18n();
  const busy = ref(false);
  const message = ref<{ ok: boolean; text: string } | null>(null);
  const refuse = (text: string) => void (message.value = { ok: false, text });
  async function run(action: () => Promise<string | void>): Promise<void> {
    busy.value = true;
    message.value = null;
    try {
      const text = await action();
      if (text) message.value = { ok: true, text };
      await reload();
    } catch (error) {
      refuse(t('events.form.failed', { message: serverMessage(error) }));
    } finally {
      busy.value = false;
    }
  }
  return { busy, message, run, refuse };
}
