// npm run bench:views [-- --url http://127.0.0.1:8080] — bytes a map view transfers: the tiles of every
// layer that a 1920×1080 view (512-px tiles) touches at each zoom z8–z16, over several places of the data
// (the centre of its extent, the county town, the quarter points), the largest view per zoom reported with
// its largest layers. Against a running server with --url, else a gridlink of its own (DATA_DIR).
import { LAYERS } from '../../server/db/layers.ts';
import { startToolInstance } from '../tool-instance.ts';

const BUDGET = 2 * 1024 * 1024;
const VIEW = { width: 1920, height: 1080 };
const ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16];

/** Tiles [x, y] a view of VIEW pixels centred on lon/lat touches at integer zoom z (512-px tiles). */
export function viewTiles(lon: number, lat: number, z: number): [number, number][] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const cx = ((lon + 180) / 360) * n * 512;
  const cy = ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n * 512;
  const range = (c: number, half: number) => [
    Math.max(0, Math.floor((c - half) / 512)),
    Math.min(n - 1, Math.floor((c + half) / 512)),
  ];
  const [x0, x1] = range(cx, VIEW.width / 2);
  const [y0, y1] = range(cy, VIEW.height / 2);
  const out: [number, number][] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  return out;
}

async function tileBytes(base: string, layer: string, z: number, x: number, y: number): Promise<number> {
  const res = await fetch(`${base}/tiles/${layer}/${z}/${x}/${y}.mvt`);
  if (res.status !== 200) throw new Error(`${layer}/${z}/${x}/${y} → ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
}

const urlAt = process.argv.indexOf('--url');
const tool = urlAt >= 0 ? undefined : await startToolInstance('views');
const base = urlAt >= 0 ? process.argv[urlAt + 1].replace(/\/+$/, '') : tool!.running.url;
try {
  const [w, s, e, n] = (await (await fetch(`${base}/tiles/compounds.json`)).json()).bounds as number[];
  const style = (await (await fetch(`${base}/styles/gridlink.json`)).json()) as { center: [number, number] };
  const places: [string, number, number][] = [
    ['centre', (w + e) / 2, (s + n) / 2],
    ['style centre', ...style.center],
    ['quarter SW', w + (e - w) / 4, s + (n - s) / 4],
    ['quarter NE', e - (e - w) / 4, n - (n - s) / 4],
  ];
  console.log(
    `extent ${[w, s, e, n].map((v) => v.toFixed(3)).join(', ')}; view ${VIEW.width}×${VIEW.height}, every layer; budget 2 MB`,
  );
  console.log('| zoom | tiles | largest view | at | largest layers | slowest |');
  console.log('|---|---|---|---|---|---|');
  let over = 0;
  for (const z of ZOOMS) {
    let worst = { bytes: -1, place: '', tiles: 0, byLayer: new Map<string, number>(), seconds: 0 };
    for (const [place, lon, lat] of places) {
      const tiles = viewTiles(lon, lat, z);
      const byLayer = new Map<string, number>();
      const t0 = performance.now();
      for (const layer of LAYERS) {
        let sum = 0;
        for (const [x, y] of tiles) sum += await tileBytes(base, layer.id, z, x, y);
        byLayer.set(layer.id, sum);
      }
      const bytes = [...byLayer.values()].reduce((a, b) => a + b, 0);
      if (bytes > worst.bytes)
        worst = { bytes, place, tiles: tiles.length, byLayer, seconds: (performance.now() - t0) / 1000 };
    }
    if (worst.bytes > BUDGET) over++;
    const top = [...worst.byLayer]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([l, b]) => `${l} ${(b / 1024).toFixed(0)} KB`);
    console.log(
      `| z${z} | ${worst.tiles} × ${LAYERS.length} | ${(worst.bytes / 1024 / 1024).toFixed(2)} MB | ${worst.place} | ` +
        `${top.join(', ')} | ${worst.seconds.toFixed(1)} s for the view |`,
    );
  }
  console.log(over ? `${over} zoom level(s) over 2 MB` : 'every view within 2 MB');
  if (over) process.exitCode = 1;
} finally {
  await tool?.running.stop();
}
