/**
 * Calls made while one is in progress share its result: a burst of requests for the same heavy figures makes
 * one computation. A caller that joins late gets figures begun a moment before it asked — no older than one
 * computation takes.
 */
export function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= run().finally(() => (pending = undefined)));
}
