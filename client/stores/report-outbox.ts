// The outbox of snap reports. A report is kept (report-outbox-storage) with its idempotency key from the moment
// it is submitted until the server has it (and its photo, kept in IndexedDB whatever its size): retried with
// backoff and when the browser comes back online, never lost on a reload, never filed twice (the server answers
// a repeated key with the same issue, and a repeated photo key with the same photo).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/http';
import { submitReport, uploadIssuePhoto, type ReportBody } from '../api/issues';
import { deleteQueuedPhoto, loadQueuedPhoto, storeQueuedPhoto } from '../composables/report-photo-store';
import {
  loadOutbox,
  readDataUrl,
  saveOutbox,
  type OutboxItem,
  type OutboxPhoto,
} from '../composables/report-outbox-storage';

export type { OutboxItem } from '../composables/report-outbox-storage';

export function newIdempotencyKey(): string {
  return `r-${crypto.randomUUID()}`;
}

/** Backoff: 2 s, 4 s, 8 s … at most a minute. */
export function retryDelay(attempts: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  if (error.kind === 'unreachable') return true;
  const status = error.status ?? 0;
  return status === 401 || status === 408 || status === 429 || status >= 500;
}

const finished = (i: OutboxItem) => i.status === 'sent' || i.status === 'failed' || i.status === 'outside';

export const useReportOutboxStore = defineStore('report-outbox', () => {
  const items = ref<OutboxItem[]>(loadOutbox());
  /** The report the page shows: the latest one. */
  const current = computed(() => items.value.at(-1) ?? null);
  // Not state: the photos of this page load, the reports being sent, their retry timers.
  const files = new Map<string, Blob>();
  const inflight = new Set<string>();
  const timers = new Map<string, number>();
  let onSentHandler: (() => void) | null = null;

  function update(key: string, patch: Partial<OutboxItem>): OutboxItem | undefined {
    const index = items.value.findIndex((i) => i.key === key);
    if (index < 0) return undefined;
    items.value[index] = { ...items.value[index], ...patch };
    saveOutbox(items.value);
    return items.value[index];
  }

  async function photoBlob(item: OutboxItem): Promise<Blob | null> {
    const inMemory = files.get(item.key);
    if (inMemory) return inMemory;
    if (item.photo?.inIndexedDb) {
      const stored = await loadQueuedPhoto(item.key);
      if (stored) return stored;
    }
    if (!item.photo?.dataUrl) return null;
    return (await fetch(item.photo.dataUrl)).blob();
  }

  function schedule(key: string, at: number): void {
    window.clearTimeout(timers.get(key));
    timers.set(
      key,
      window.setTimeout(() => void retryNow(key), Math.max(0, at - Date.now())),
    );
  }

  /** One attempt at sending the report (and then its photo). */
  async function retryNow(key: string): Promise<void> {
    if (inflight.has(key)) return;
    let item = items.value.find((i) => i.key === key);
    if (!item || !['sending', 'retry'].includes(item.status)) return;
    inflight.add(key);
    item = update(key, { status: 'sending' })!;
    try {
      if (item.issueId === null) {
        const outcome = await submitReport(item.body, item.key);
        if (outcome.kind === 'duplicate')
          return void update(key, { status: 'duplicate', candidates: outcome.candidates });
        if (outcome.kind === 'outside') return void update(key, { status: 'outside' });
        if (outcome.kind === 'rejected') return void update(key, { status: 'failed', error: outcome.message });
        item = update(key, { issueId: outcome.id, code: outcome.code })!;
      }
      if (item.photo && !item.photoSent) {
        const blob = await photoBlob(item);
        if (blob) {
          try {
            await uploadIssuePhoto(item.issueId!, blob, item.photo.name, 'report', `${item.key}:photo`);
          } catch (error) {
            if (isRetryable(error)) throw error;
            update(key, { error: error instanceof Error ? error.message : String(error) });
          }
        }
        update(key, { photoSent: true });
      }
      update(key, { status: 'sent', attempts: 0 });
      files.delete(key);
      void deleteQueuedPhoto(key);
      onSentHandler?.();
    } catch (error) {
      const attempts = item.attempts + 1;
      const nextAttemptAt = Date.now() + retryDelay(attempts);
      update(key, {
        status: 'retry',
        attempts,
        nextAttemptAt,
        error: error instanceof Error ? error.message : String(error),
      });
      schedule(key, nextAttemptAt);
    } finally {
      inflight.delete(key);
    }
  }

  /** Everything not yet on the server, now (start, `online`). */
  function resumeAll(): void {
    for (const item of items.value) if (item.status === 'sending' || item.status === 'retry') void retryNow(item.key);
  }

  /** The page is open: send what is waiting, and again whenever the browser comes back online. */
  function start(onSent?: () => void): void {
    onSentHandler = onSent ?? null;
    window.addEventListener('online', resumeAll);
    resumeAll();
  }

  function stop(): void {
    window.removeEventListener('online', resumeAll);
    onSentHandler = null;
  }

  /** Keeps the report (and its photo) first, then sends it. */
  async function enqueue(body: ReportBody, photo: File | null): Promise<string> {
    const key = newIdempotencyKey();
    if (photo) files.set(key, photo);
    const inIndexedDb = photo ? await storeQueuedPhoto(key, photo) : false;
    const stored: OutboxPhoto | null = photo
      ? {
          name: photo.name || 'photo.jpg',
          type: photo.type,
          inIndexedDb,
          dataUrl: inIndexedDb ? null : await readDataUrl(photo),
        }
      : null;
    for (const done of items.value.filter(finished)) void deleteQueuedPhoto(done.key);
    items.value = [
      ...items.value.filter((i) => !finished(i)),
      {
        key,
        body,
        photo: stored,
        status: 'sending',
        attempts: 0,
        nextAttemptAt: Date.now(),
        issueId: null,
        code: null,
        photoSent: false,
        candidates: [],
        error: null,
      },
    ];
    saveOutbox(items.value);
    void retryNow(key);
    return key;
  }

  /** The answer to a duplicate offer: join the open issue, or file this one anyway. */
  function resolveDuplicate(key: string, choice: { duplicateOf: number } | 'separate'): void {
    const item = items.value.find((i) => i.key === key);
    if (!item) return;
    const body: ReportBody =
      choice === 'separate' ? { ...item.body, join: false } : { ...item.body, duplicate_of: choice.duplicateOf };
    update(key, { body, status: 'sending', candidates: [] });
    void retryNow(key);
  }

  function dismiss(key: string): void {
    window.clearTimeout(timers.get(key));
    files.delete(key);
    void deleteQueuedPhoto(key);
    items.value = items.value.filter((i) => i.key !== key);
    saveOutbox(items.value);
  }

  return { items, current, start, stop, enqueue, resolveDuplicate, dismiss, retryNow };
});
