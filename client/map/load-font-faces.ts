// Loads every face of a CSS font family before the map draws its first label.
//
// Maplibre rasterises ideographs with canvas 2D in `localIdeographFontFamily`. A canvas does not wait for a
// web font: a glyph drawn before its face has loaded comes out in a fallback font, i.e. as a box on a machine
// without a CJK font, and maplibre caches that glyph. @fontsource splits Noto Sans SC into ~100
// unicode-range subsets which the browser fetches only when a page element uses them, so they are all loaded
// here up front.

export interface FontLoadResult {
  family: string;
  total: number;
  loaded: number;
  failed: number;
  timedOut: boolean;
}

function unquote(family: string): string {
  return family.replace(/^["']|["']$/g, '');
}

/**
 * Load all FontFaces of `family` registered in `document.fonts` (from CSS @font-face rules), waiting at most
 * `timeoutMs`. `weights` limits which faces are loaded (CSS weight strings, e.g. ['400']).
 */
export async function loadFontFaces(
  family: string,
  timeoutMs: number,
  weights: readonly string[] = ['400', 'normal'],
): Promise<FontLoadResult> {
  const faces: FontFace[] = [];
  document.fonts.forEach((face) => {
    if (unquote(face.family) === family && weights.includes(face.weight)) faces.push(face);
  });
  let loaded = 0;
  let failed = 0;
  const all = Promise.all(
    faces.map((face) =>
      face.load().then(
        () => void loaded++,
        () => void failed++,
      ),
    ),
  ).then(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const timedOut = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return { family, total: faces.length, loaded, failed, timedOut };
}
