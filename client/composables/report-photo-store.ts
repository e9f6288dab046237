// The queued report photos in IndexedDB: a phone photo (often 3–8 MB) does not fit in localStorage, and a
// report waiting for the network must keep its photo across a reload or a closed tab. Keyed by the report's
// idempotency key; removed once the server has the photo. Every call resolves (false / null) when IndexedDB
// is unavailable (private mode, old browsers): the outbox then falls back to a data: URL or memory.
const DB_NAME = 'gridlink-report-outbox';
const STORE = 'photos';

let opened: Promise<IDBDatabase | null> | null = null;

function open(): Promise<IDBDatabase | null> {
  opened ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opened;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  return open().then(
    (db) =>
      new Promise<T | null>((resolve) => {
        if (!db) return resolve(null);
        try {
          const tx = db.transaction(STORE, mode);
          const request = work(tx.objectStore(STORE));
          tx.oncomplete = () => resolve(request.result ?? null);
          tx.onerror = () => resolve(null);
          tx.onabort = () => resolve(null);
        } catch {
          resolve(null);
        }
      }),
  );
}

/** Keeps the photo; true when it is stored. */
export async function storeQueuedPhoto(key: string, photo: Blob): Promise<boolean> {
  const done = await run('readwrite', (store) => store.put(photo, key));
  return done !== null;
}

export async function loadQueuedPhoto(key: string): Promise<Blob | null> {
  const found = await run<unknown>('readonly', (store) => store.get(key));
  return found instanceof Blob ? found : null;
}

export async function deleteQueuedPhoto(key: string): Promise<void> {
  await run('readwrite', (store) => store.delete(key));
}
