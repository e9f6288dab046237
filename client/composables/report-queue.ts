// The outbox of snap reports. A report is kept in localStorage with its idempotency key from the moment it is
// submitted until the server has it (and its photo, kept in IndexedDB whatever its size): retried with backoff
// and when the browser comes back online, never lost on a reload, never filed twice (the server answers a
// repeated key with the same issue, and a repeated photo key with the same photo).
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { ApiError } from '../api/http';
import { submitReport, uploadIssuePhoto, type DuplicateCandidate, type ReportBody } from '../api/issues';
import { deleteQueuedPhoto, loadQueuedPhoto, storeQueuedPhoto } from './report-photo-store';

export type OutboxStatus = 'sending' | 'retry' | 'sent' | 'duplicate' | 'outside' | 'failed';

export interface OutboxPhoto {
  name: string;
  type: string;
  /** Kept in IndexedDB under the report's key (survives a reload, any size). */
  inIndexedDb?: boolean;
  /** Without IndexedDB: a data: URL when it fits in localStorage; otherwise in memory only (this page load). */
  dataUrl: string | null;
}

export interface OutboxItem {
  key: string;
  body: ReportBody;
  photo: OutboxPhoto | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  issueId: number | null;
  code: string | null;
  photoSent: boolean;
  candidates: DuplicateCandidate[];
  error: string | null;
}

const STORAGE_KEY = 'gridlink.report.outbox';
const MAX_STORED_PHOTO_CHARS = 2_000_000;
const items = ref<OutboxItem[]>(load());
const files = new Map<string, Blob>();
const inflight = new Set<string>();
const timers = new Map<string, number>();
let onSentHandler: (() => void) | null = null;

function load(): OutboxItem[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
  } catch {
    return [];
  }
}

function save(): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(items.value));
  } catch {
    // Quota: keep the reports without their stored photos rather than nothing.
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify(items.value.map((i) => ({ ...i, photo: i.photo && { ...i.photo, dataUrl: null } }))),
    );
  }
}

function update(key: string, patch: Partial<OutboxItem>): OutboxItem | undefined {
  const index = items.value.findIndex((i) => i.key === key);
  if (index < 0) return undefined;
  items.value[index] = { ...items.value[index], ...patch };
  save();
  return items.value[index];
}

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
    window.setTimeout(() => void attempt(key), Math.max(0, at - Date.now())),
  );
}

async function attempt(key: string): Promise<void> {
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

function readDataUrl(file: Blob): Promise<string | null> {
  if (file.size * 1.37 > MAX_STORED_PHOTO_CHARS) return Promise.resolve(null);
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(file);
  });
}

/** Everything not yet on the server, now (start, `online`). */
function resumeAll(): void {
  for (const item of items.value) if (item.status === 'sending' || item.status === 'retry') void attempt(item.key);
}

export function useReportQueue(onSent?: () => void) {
  onMounted(() => {
    onSentHandler = onSent ?? null;
    window.addEventListener('online', resumeAll);
    resumeAll();
  });
  onBeforeUnmount(() => {
    window.removeEventListener('online', resumeAll);
    onSentHandler = null;
  });

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
    const finished = (i: OutboxItem) => i.status === 'sent' || i.status === 'failed' || i.status === 'outside';
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
    save();
    void attempt(key);
    return key;
  }

  /** The answer to a duplicate offer: join the open issue, or file this one anyway. */
  function resolveDuplicate(key: string, choice: { duplicateOf: number } | 'separate'): void {
    const item = items.value.find((i) => i.key === key);
    if (!item) return;
    const body: ReportBody =
      choice === 'separate' ? { ...item.body, join: false } : { ...item.body, duplicate_of: choice.duplicateOf };
    update(key, { body, status: 'sending', candidates: [] });
    void attempt(key);
  }

  function dismiss(key: string): void {
    window.clearTimeout(timers.get(key));
    files.delete(key);
    void deleteQueuedPhoto(key);
    items.value = items.value.filter((i) => i.key !== key);
    save();
  }

  return { items, enqueue, resolveDuplicate, dismiss, retryNow: attempt };
}
