// The TileJSON of the server's `issues` tile layer (bins below zoom 15, points above; server/db/layers.ts).
// Absolute: maplibre resolves the tile URLs of a TileJSON source against nothing else.
export function issueTileJsonUrl(): string {
  return new URL('/tiles/issues.json', window.location.origin).href;
}
