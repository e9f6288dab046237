// Who is working the queue, and the areas they may filter by: the parts one level below their own area
// (a county account: the streets; a street: its communities; a community: its grids; a grid: none).
import { onMounted, ref, shallowRef } from 'vue';
import { fetchArea } from '../api/areas';
import { fetchMe, type Me } from '../api/events';
import type { AreaLevel, NamedThing } from '../api/inspect-types';

export function useEventAreas() {
  const me = shallowRef<Me | null>(null);
  const areas = ref<NamedThing[]>([]);
  /** The account was asked for (known, or failed to load): what depends on it may decide now. */
  const meSettled = ref(false);

  onMounted(async () => {
    try {
      const account = await fetchMe();
      me.value = account;
      meSettled.value = true;
      const { streetId, communityId, gridId } = account.scope;
      if (gridId) return;
      const [level, id]: [AreaLevel, string | null] = communityId
        ? ['community', communityId]
        : streetId
          ? ['street', streetId]
          : ['county', null];
      const card = await fetchArea(level, id);
      areas.value = card.children?.items.map(({ id: childId, name, nameEn }) => ({ id: childId, name, nameEn })) ?? [];
    } catch {
      // Without the list the queue still works: the area filter offers "all of my area" only.
      meSettled.value = true;
    }
  });

  return { me, meSettled, areas };
}
