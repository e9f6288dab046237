// Who is logged in: asked once per page load (GET /api/session), again after a login, a logout or a password
// change. The navigation, the route guards and every page read it from here.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { fetchSession, type Session } from '../api/auth';

export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Session | null>(null);
  /** Asked (answered or failed): what depends on the account may decide now. */
  const settled = shallowRef(false);
  let pending: Promise<Session | null> | null = null;

  /** The account, not a wall display. */
  const user = computed(() => (me.value?.kind === 'user' ? me.value : null));

  /** Asks the server again; a failure counts as nobody (the server still checks every request). */
  function refresh(): Promise<Session | null> {
    const asked: Promise<Session | null> = fetchSession()
      .catch(() => null)
      .then((session) => {
        // An older answer that arrives late does not overwrite a newer one.
        if (pending !== asked) return pending!;
        me.value = session;
        settled.value = true;
        return session;
      });
    pending = asked;
    return asked;
  }

  /** The session, asking only the first time. */
  function load(): Promise<Session | null> {
    return pending ?? refresh();
  }

  return { me, user, settled, load, refresh };
});
