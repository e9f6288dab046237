// The XYZ (web-mercator) tile a longitude / latitude falls in, computed here rather than by the server's code,
// for tests and benchmarks that name tiles.

/** The tile [x, y] holding a longitude / latitude at zoom z. */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n),
  ];
}
