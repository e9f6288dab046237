// The work queue's data: the filtered list (from the URL), the open case's detail, and live updates from the
// SSE stream — a new or changed issue refetches the list (once per burst) and the open case if it is the one.
import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { fetchIssueDetail, fetchQueue, type IssueDetail, type QueueFilter, type QueuePage } from '../api/events';
import { openStream, type StreamConnection, type StreamStatus } from '../api/stream';
import { latestRequest } from './latest-request';
import type { LoadFailure } from './load-failure';
import { parseQueueQuery, toQueueQuery } from './event-queue-query';

const REFETCH_DEBOUNCE_MS = 400;
/** How long an issue that arrived on the stream stays highlighted in the list. */
const FRESH_MS = 20_000;

export function useEventQueue() {
  const route = useRoute();
  const router = useRouter();
  const parsed = computed(() => parseQueueQuery(route.query));
  const filter = computed(() => parsed.value.filter);
  const selectedId = computed(() => parsed.value.issueId);

  const page = shallowRef<QueuePage | null>(null);
  const listFailure = shallowRef<LoadFailure | null>(null);
  const listLoading = ref(false);
  const detail = shallowRef<IssueDetail | null>(null);
  const detailFailure = shallowRef<LoadFailure | null>(null);
  const streamStatus = ref<StreamStatus>('connecting');
  /** Issue ids changed on the stream lately, with when. */
  const fresh = ref<Record<number, number>>({});

  const listRequest = latestRequest();
  const detailRequest = latestRequest();
  let stream: StreamConnection | null = null;
  let refetchTimer: ReturnType<typeof setTimeout> | undefined;
  const pendingDetail = new Set<number>();

  async function loadList(): Promise<void> {
    listLoading.value = true;
    const outcome = await listRequest.run((signal) => fetchQueue(filter.value, signal));
    if (!outcome) return;
    listLoading.value = false;
    if (outcome.failure) listFailure.value = outcome.failure;
    else {
      page.value = outcome.value;
      listFailure.value = null;
    }
  }

  async function loadDetail(): Promise<void> {
    const id = selectedId.value;
    if (id === null) {
      detailRequest.cancel();
      detail.value = null;
      detailFailure.value = null;
      return;
    }
    const outcome = await detailRequest.run((signal) => fetchIssueDetail(id, signal));
    if (!outcome) return;
    if (outcome.failure) {
      detailFailure.value = outcome.failure;
      detail.value = null;
    } else {
      detail.value = outcome.value;
      detailFailure.value = null;
    }
  }

  function scheduleRefetch(): void {
    clearTimeout(refetchTimer);
    refetchTimer = setTimeout(() => {
      void loadList();
      if (selectedId.value !== null && pendingDetail.has(selectedId.value)) void loadDetail();
      pendingDetail.clear();
    }, REFETCH_DEBOUNCE_MS);
  }

  function markFresh(id: number): void {
    const now = Date.now();
    const kept = Object.entries(fresh.value).filter(([, at]) => now - at < FRESH_MS);
    fresh.value = { ...Object.fromEntries(kept), [id]: now };
  }

  async function setFilter(next: QueueFilter): Promise<void> {
    await router.replace({ path: '/events', query: toQueueQuery(next, selectedId.value, route.query) });
  }

  async function select(id: number | null): Promise<void> {
    await router.push({ path: '/events', query: toQueueQuery(filter.value, id, route.query) });
  }

  /** After the caller's own action: the answer is there before the stream's echo. */
  async function refresh(): Promise<void> {
    await Promise.all([loadList(), loadDetail()]);
  }

  watch(
    () => JSON.stringify(filter.value),
    () => void loadList(),
  );
  watch(selectedId, () => void loadDetail());

  onMounted(() => {
    void loadList();
    void loadDetail();
    stream = openStream({
      onHello: (reconnected) => {
        if (reconnected) void refresh();
      },
      onIssue: (item) => {
        markFresh(item.id);
        pendingDetail.add(item.id);
        scheduleRefetch();
      },
      onResync: () => void refresh(),
      onData: () => undefined,
      onActivity: () => undefined,
      onStatus: (status) => (streamStatus.value = status),
    });
  });
  onBeforeUnmount(() => {
    clearTimeout(refetchTimer);
    stream?.close();
  });

  return {
    filter,
    selectedId,
    page,
    listFailure,
    listLoading,
    detail,
    detailFailure,
    streamStatus,
    fresh,
    setFilter,
    select,
    refresh,
    reloadList: loadList,
  };
}
