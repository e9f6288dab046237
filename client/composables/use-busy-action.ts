// One write at a time from a form: busy while the API call runs, then its outcome as a message. The message is
// kept as a key and its params, so that it follows a language switch.
import { shallowRef } from 'vue';
import { errorText } from './admin-format';

export interface KeyedMessage {
  ok: boolean;
  key: string;
  params: Record<string, unknown>;
}

/** A message key and its params. */
export type Outcome = [key: string, params?: Record<string, unknown>];

/** `refusal`: how a failed call reads, or the key of a message that gives the server's own words. */
export function useBusyAction(refusal: string | ((error: unknown) => Outcome)) {
  const failure = typeof refusal === 'string' ? (e: unknown): Outcome => [refusal, { message: errorText(e) }] : refusal;
  const busy = shallowRef(false);
  const message = shallowRef<KeyedMessage | null>(null);

  /** `then` runs after the message is shown and before the form is free again (e.g. reading the list anew). */
  async function run(action: () => Promise<Outcome>, then?: () => Promise<void> | void): Promise<void> {
    busy.value = true;
    message.value = null;
    try {
      const [key, params = {}] = await action();
      message.value = { ok: true, key, params };
      await then?.();
    } catch (e) {
      const [key, params = {}] = failure(e);
      message.value = { ok: false, key, params };
    } finally {
      busy.value = false;
    }
  }

  return { busy, message, run };
}
