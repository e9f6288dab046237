// Which map layers the user has switched on: shared, serialisable view state (the legend writes it, the
// map reads it).
import { defineStore } from 'pinia';
import { STATION_KINDS, type StationKind } from '../../shared/map/kinds';

export const useMapLayersStore = defineStore('map-layers', {
  state: () => ({
    visibleStationKinds: [...STATION_KINDS] as StationKind[],
  }),
  actions: {
    toggleStationKind(kind: StationKind): void {
      const visible = this.visibleStationKinds;
      this.visibleStationKinds = visible.includes(kind)
        ? visible.filter((candidate) => candidate !== kind)
        : STATION_KINDS.filter((candidate) => candidate === kind || visible.includes(candidate));
    },
  },
});
