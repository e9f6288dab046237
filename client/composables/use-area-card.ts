// Loads the card of the selected area whenever the selection changes; a newer selection cancels the load
// of an older one.
import { fetchArea } from '../api/areas';
import { useInspectStore } from '../stores/inspect';
import { useKeyedLoad, type KeyedStatus } from './use-keyed-load';

/** Never 'off': there is always a selection (the county's when none is chosen). */
export type CardStatus = KeyedStatus;

export function useAreaCard() {
  const store = useInspectStore();
  const { value, status, failure, reload } = useKeyedLoad(
    () => ({ level: store.level, id: store.id }),
    (area, signal) => fetchArea(area.level, area.id, signal),
  );
  return { card: value, status, failure, reload };
}
