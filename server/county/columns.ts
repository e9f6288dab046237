// Which column of a county file holds which of our fields: guessed from the names counties use (Chinese and
// English, case, spaces and a unit in brackets ignored), the manifest's `fields` winning; and the compound types of
// the data model read from the file's own words.
import type { CompoundType } from '../../shared/map/kinds.ts';
import { PACKAGE_FIELDS } from '../../shared/api/county-data.ts';

export const FIELDS = PACKAGE_FIELDS;
export type Field = (typeof FIELDS)[number];

const NAMES: Record<Field, string[]> = {
  id: ['id', 'fid', '编号', '编码', '代码', 'code'],
  name: ['小区名称', '名称', '小区', 'name', '社区名称', '网格名称', '站点名称', '姓名'],
  households: ['户数', '总户数', '住户数', '居民户数', 'households', 'hh', 'household'],
  lon: ['经度', 'lng', 'lon', 'long', 'longitude', 'x', 'x坐标'],
  lat: ['纬度', 'lat', 'latitude', 'y', 'y坐标'],
  community: ['所属社区', '社区', 'community', 'ward'],
  grid: ['所属网格', '网格', 'grid'],
  type: ['类型', '小区类型', 'type', 'kind'],
  address: ['地址', '详细地址', 'address', 'addr'],
};

/** A column name as compared: lower case, without spaces, underscores or a bracketed unit ("户数（户）"). */
export function normalizeColumn(name: string): string {
  return name
    .toLowerCase()
    .replace(/[(（][^)）]{0,20}[)）]/g, '')
    .replace(/[\s_-]/g, '');
}

export interface Mapping {
  fields: Partial<Record<Field, string>>;
  /** Manifest columns the file does not have. */
  missing: string[];
}

/** Maps our fields to the file's columns: the manifest's choice, else the first column whose name is known. */
export function guessMapping(columns: readonly string[], manifest: Record<string, string> = {}): Mapping {
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!byNorm.has(normalizeColumn(c))) byNorm.set(normalizeColumn(c), c);
  const fields: Mapping['fields'] = {};
  const missing: string[] = [];
  for (const field of FIELDS) {
    const given = manifest[field];
    if (given !== undefined) {
      if (columns.includes(given)) fields[field] = given;
      else missing.push(given);
      continue;
    }
    const found = NAMES[field].map((n) => byNorm.get(n)).find((c) => c !== undefined);
    if (found !== undefined) fields[field] = found;
  }
  return { fields, missing };
}

const TYPE_WORDS: [CompoundType, string[]][] = [
  [
    'commercial_residential',
    ['商品房', '商品房小区', '商品住宅', '商住', '商住型', '商住楼', 'commercial', 'commercialresidential'],
  ],
  ['old', ['老旧小区', '老旧', '老旧型', '老小区', '老旧住宅', 'old']],
  ['work_unit', ['单位家属院', '家属院', '单位型', '单位', '单位宿舍', '家属区', 'workunit']],
  ['transitional', ['安置小区', '安置房', '安置', '过渡型', '移民安置', '回迁房', 'resettlement', 'transitional']],
];
const TYPE_OF = new Map(TYPE_WORDS.flatMap(([type, words]) => words.map((w) => [w, type] as const)));

/** The compound type a file's word names, or null when the word is not one we know. */
export function compoundTypeOf(word: string): CompoundType | null {
  return TYPE_OF.get(normalizeColumn(word)) ?? null;
}

/** A household count as counties write it ("1,234", "120户", " 85 "); NaN when it is no number. */
export function householdsOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const text = String(value).trim().replace(/,/g, '').replace(/户$/, '');
  if (!text) return null;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}
