// The map's first view of a county: the centre of its extent, zoomed so the extent fills about 660 px — it then
// sits inside the smallest map pane (the wall's, between its panels). MapLibre's world is 512 px wide at zoom 0.
export interface MapView {
  center: [number, number];
  zoom: number;
}

const FIT_PX = 660;
const MAX_ZOOM = 17;

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * (180 / Math.PI);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The view of the extent [west, south, east, north] (degrees, WGS84). */
export function viewOfExtent([w, s, e, n]: readonly [number, number, number, number]): MapView {
  const span = Math.max(e - w, mercatorY(n) - mercatorY(s), 1e-6);
  const zoom = Math.min(MAX_ZOOM, Math.log2((FIT_PX * 360) / (512 * span)));
  return { center: [round((w + e) / 2, 3), round((s + n) / 2, 3)], zoom: Math.max(0, round(zoom, 1)) };
}
