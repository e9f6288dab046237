// The `text-field` expressions of labels in a given language: the name in that language first, then the
// other one, then any fallbacks (e.g. a grid's code), so a label never goes blank for want of a translation.
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { AppLocale } from '../locales';
import { LAYER_IDS } from './style-ids';

function localizedName(locale: AppLocale, fallbacks: readonly string[]): ExpressionSpecification {
  const names = locale === 'en' ? ['name_en', 'name'] : ['name', 'name_en'];
  const tried = [...names, ...fallbacks].map((property): ExpressionSpecification => ['get', property]);
  return ['coalesce', ...tried, ''] as ExpressionSpecification;
}

export function labelTextField(locale: AppLocale, fallbacks: readonly string[] = []): ExpressionSpecification {
  return localizedName(locale, fallbacks);
}

/** Zoom from which grid labels show the full name ("振兴社区第1网格") instead of the short one ("第1网格"). */
export const GRID_FULL_NAME_ZOOM = 15.5;

/** Where the community part of a grid name ends, per language ("振兴社区第1网格", "Zhenxing Community Grid 1"). */
const COMMUNITY_MARKER: Readonly<Record<AppLocale, string>> = { zh: '社区', en: 'Community ' };

/**
 * Grid labels: zoomed out, the community label already names the community, so only the part of the grid
 * name after it is shown; zoomed in, the full name (or the code when there is no name).
 */
export function gridLabelTextField(locale: AppLocale): ExpressionSpecification {
  const marker = COMMUNITY_MARKER[locale];
  const full = localizedName(locale, ['code']);
  const short: ExpressionSpecification = [
    'let',
    'full',
    full,
    [
      'let',
      'at',
      ['index-of', marker, ['var', 'full']],
      [
        'case',
        ['>=', ['var', 'at'], 0],
        ['slice', ['var', 'full'], ['+', ['var', 'at'], marker.length]],
        ['var', 'full'],
      ],
    ],
  ];
  return ['step', ['zoom'], short, GRID_FULL_NAME_ZOOM, full];
}

/** The `text-field` of a label layer of the gridlink style in `locale`. */
export function labelTextFor(layerId: string, locale: AppLocale): ExpressionSpecification {
  return layerId === LAYER_IDS.gridsLabel ? gridLabelTextField(locale) : labelTextField(locale);
}
