// Where the problem is: from the device (navigator.geolocation) or a point tapped on the map.
import { ref } from 'vue';

export interface ReportPoint {
  lon: number;
  lat: number;
  from: 'device' | 'map';
}

export type LocateProblem = 'denied' | 'unavailable' | 'unsupported' | null;

export function useReportLocation() {
  const point = ref<ReportPoint | null>(null);
  const locating = ref(false);
  const problem = ref<LocateProblem>(null);

  function pick(lon: number, lat: number): void {
    problem.value = null;
    point.value = { lon, lat, from: 'map' };
  }

  function locate(): void {
    problem.value = null;
    if (!('geolocation' in navigator)) {
      problem.value = 'unsupported';
      return;
    }
    locating.value = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        locating.value = false;
        point.value = { lon: position.coords.longitude, lat: position.coords.latitude, from: 'device' };
      },
      (error) => {
        locating.value = false;
        problem.value = error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable';
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  function reset(): void {
    point.value = null;
    problem.value = null;
  }

  return { point, locating, problem, pick, locate, reset };
}
