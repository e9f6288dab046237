// GCJ-02 (the offset datum of Chinese web maps: AutoNavi/Gaode, Tencent) ↔ WGS84. The forward transform is the
// published standard one; there is no closed-form inverse, so gcj02ToWgs84 iterates the forward transform until
// the point maps back onto the given one (error ≪ 1 mm after a few steps). Points outside China are not offset.

const A = 6378245.0;
const EE = 0.006693421622965943;

export type LngLat = [number, number];

export function outOfChina([lng, lat]: LngLat): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(point: LngLat): LngLat {
  if (outOfChina(point)) return [point[0], point[1]];
  const [lng, lat] = point;
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (offsetLng(lng - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** The WGS84 point whose GCJ-02 image is `point`: fixed-point iteration on the forward transform. */
export function gcj02ToWgs84(point: LngLat, tolerance = 1e-10, maxSteps = 30): LngLat {
  if (outOfChina(point)) return [point[0], point[1]];
  let guess: LngLat = [point[0], point[1]];
  for (let step = 0; step < maxSteps; step++) {
    const image = wgs84ToGcj02(guess);
    const dLng = point[0] - image[0];
    const dLat = point[1] - image[1];
    guess = [guess[0] + dLng, guess[1] + dLat];
    if (Math.abs(dLng) < tolerance && Math.abs(dLat) < tolerance) break;
  }
  return guess;
}
