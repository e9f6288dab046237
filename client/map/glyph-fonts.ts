// Lets the map start before the CJK font has loaded. Maplibre rasterises the glyphs a tile asks for with
// canvas 2D in `localIdeographFontFamily`; a canvas does not wait for a web font, so a glyph drawn before
// its unicode-range subset of Noto Sans SC has loaded would be a box (and maplibre caches it). Instead of
// loading every subset before the map is created, each batch of glyphs first loads the subsets that cover
// its characters (`document.fonts.load(font, text)` matches unicode ranges), then is drawn.
import type { Map as MapLibreMap } from 'maplibre-gl';

/** What maplibre's glyph manager is asked for: font stack → variant → grapheme clusters. */
type GlyphRequest = Record<string, Record<string, Iterable<string | number>>>;
interface GlyphManagerLike {
  getGlyphs(glyphs: GlyphRequest): Promise<unknown>;
}

/** The characters of a glyph request (maplibre 6 asks by grapheme cluster; older versions by code point). */
export function glyphRequestText(glyphs: GlyphRequest): string {
  const chars = new Set<string>();
  for (const variants of Object.values(glyphs)) {
    for (const ids of Object.values(variants))
      for (const id of ids) chars.add(typeof id === 'number' ? String.fromCodePoint(id) : id);
  }
  return [...chars].join('');
}

/**
 * Makes the map's glyph manager load the faces of `family` covering each request before drawing it (bold
 * labels are drawn with the same faces, emboldened). Returns false when this maplibre has no glyph manager
 * where expected: the caller must then load every face before the map draws a label.
 */
export function drawGlyphsAfterFontLoad(map: MapLibreMap, family: string): boolean {
  const manager = (map as unknown as { style?: { glyphManager?: GlyphManagerLike } }).style?.glyphManager;
  if (!manager || typeof manager.getGlyphs !== 'function') return false;
  const draw = manager.getGlyphs.bind(manager);
  manager.getGlyphs = async (glyphs) => {
    const text = glyphRequestText(glyphs);
    if (text) await document.fonts.load(`16px '${family}'`, text).catch(() => []);
    return draw(glyphs);
  };
  return true;
}
