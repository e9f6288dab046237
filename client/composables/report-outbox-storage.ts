// Where the report outbox is kept between page loads: the reports in localStorage (their photos in IndexedDB,
// report-photo-store, or as a data: URL here when there is no IndexedDB and they fit).
import type { DuplicateCandidate, ReportBody } from '../api/issues';

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

export function loadOutbox(): OutboxItem[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(items: OutboxItem[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  } catch {
    // Quota: keep the reports without their stored photos rather than nothing.
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify(items.map((i) => ({ ...i, photo: i.photo && { ...i.photo, dataUrl: null } }))),
    );
  }
}

/** A photo as a data: URL for localStorage, or null when it would not fit. */
export function readDataUrl(file: Blob): Promise<string | null> {
  if (file.size * 1.37 > MAX_STORED_PHOTO_CHARS) return Promise.resolve(null);
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(file);
  });
}
