// One request at a time for a view: starting another, cancel(), or leaving the scope aborts the one in flight,
// so an older answer can never overwrite a newer one.
import { onScopeDispose } from 'vue';
import { toLoadFailure, type LoadFailure } from './load-failure';

export type RequestOutcome<T> = { value: T; failure?: undefined } | { value?: undefined; failure: LoadFailure };

export function latestRequest() {
  let controller: AbortController | null = null;
  const cancel = (): void => {
    controller?.abort();
    controller = null;
  };
  onScopeDispose(cancel);

  /** The value or the failure; undefined when the request was superseded or cancelled. */
  async function run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<RequestOutcome<T> | undefined> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const value = await request(current.signal);
      return current.signal.aborted ? undefined : { value };
    } catch (error) {
      return current.signal.aborted ? undefined : { failure: toLoadFailure(error) };
    }
  }

  return { run, cancel };
}
