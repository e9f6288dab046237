// The county whose data is shown (GET /api/county), asked once per page load: the planner's grid bounds and the
// demo badge read it here. Until it is known nothing is labelled a demo — real data must never be.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { fetchCounty, type CountyAnswer } from '../api/county';

export const useCountyStore = defineStore('county', () => {
  const county = shallowRef<CountyAnswer | null>(null);
  let pending: Promise<CountyAnswer> | null = null;

  /** The data set's manifest says it is made up. */
  const synthetic = computed(() => county.value?.synthetic === true);
  /** Households per grid; null until the county is known. */
  const bounds = computed(() => county.value?.bounds ?? null);

  /** The county, asking only the first time; a failed ask (not logged in yet) is asked again next time. */
  function load(): Promise<CountyAnswer> {
    pending ??= fetchCounty().then(
      (answer) => (county.value = answer),
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  }

  /** The county's name in `locale` ('' until known). */
  function nameIn(locale: string): string {
    const c = county.value;
    return c ? (locale === 'en' ? (c.name_en ?? c.name) : c.name) : '';
  }

  return { county, synthetic, bounds, load, nameIn };
});
