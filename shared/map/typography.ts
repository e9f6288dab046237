// Fonts of the map labels. There is no glyphs URL: maplibre draws every glyph with the browser's canvas,
// ideographs with `localIdeographFontFamily`, everything else with the `text-font` stack read as CSS
// families. The font is shipped by @fontsource/noto-sans-sc, so no system CJK font is needed.

/** The CSS family of the shipped font (the page uses it too). */
export const MAP_FONT_FAMILY = 'Noto Sans SC';

/** Value for maplibre's `localIdeographFontFamily` map option. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = `'${MAP_FONT_FAMILY}'`;

/** `text-font` stacks. Maplibre reads the weight from the first name ("Bold"); the second one matches CSS. */
export const TEXT_FONT_REGULAR = [MAP_FONT_FAMILY];
export const TEXT_FONT_BOLD = [`${MAP_FONT_FAMILY} Bold`, MAP_FONT_FAMILY];
