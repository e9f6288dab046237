// Who is working the queue (the session store), and the areas they may filter by: the parts one level below
// their own area (a county account: the streets; a street: its communities; a community: its grids; a grid: none).
import { onMounted, ref } from 'vue';
import { storeToRefs } from 'pinia';
import { fetchArea } from '../api/areas';
import type { AreaLevel, NamedThing } from '../api/inspect-types';
import { useSessionStore } from '../stores/session';

export function useEventAreas() {
  const session = useSessionStore();
  /** `meSettled`: the account was asked for (known, or failed to load): what depends on it may decide now. */
  const { user: me, settled: meSettled } = storeToRefs(session);
  const areas = ref<NamedThing[]>([]);

  onMounted(async () => {
    await session.load();
    if (!me.value) return;
    const { streetId, communityId, gridId } = me.value.scope;
    if (gridId) return;
    const [level, id]: [AreaLevel, string | null] = communityId
      ? ['community', communityId]
      : streetId
        ? ['street', streetId]
        : ['county', null];
    try {
      const card = await fetchArea(level, id);
      areas.value = card.children?.items.map(({ id: childId, name, nameEn }) => ({ id: childId, name, nameEn })) ?? [];
    } catch {
      // Without the list the queue still works: the area filter offers "all of my area" only.
    }
  });

  return { me, meSettled, areas };
}
