// The text of a county package's problem, from its code and figures, in Chinese or English: the same words for
// `npm run county -- check` and the admin data page.
import type { Problem, ProblemCode } from './api/county-report.ts';

export type Lang = 'zh' | 'en';
type Details = Problem['details'];

const TEXT: Record<ProblemCode, Record<Lang, (d: Details) => string>> = {
  manifest_missing: { zh: () => '缺少清单文件 county.json', en: () => 'county.json is missing' },
  manifest_invalid: {
    zh: (d) => `county.json 有误：${d.field ?? ''} ${d.message}`,
    en: (d) => `county.json is wrong: ${d.field ?? ''} ${d.message}`,
  },
  file_missing: { zh: (d) => `找不到文件 ${d.file}`, en: (d) => `file ${d.file} is not in the package` },
  file_refused: { zh: (d) => `文件被拒绝：${d.message}`, en: (d) => `file refused: ${d.message}` },
  file_unreadable: {
    zh: (d) => `${d.file} 无法读取：${d.message}`,
    en: (d) => `${d.file} cannot be read: ${d.message}`,
  },
  encoding_unknown: {
    zh: (d) => `${d.file} 编码无法识别（请存为 UTF-8 或 GBK）：${d.message}`,
    en: (d) => `${d.file} is in an unknown encoding (save as UTF-8 or GBK): ${d.message}`,
  },
  layer_empty: { zh: (d) => `${d.file} 没有任何要素`, en: (d) => `${d.file} holds no feature` },
  columns_unmapped: {
    zh: (d) => `无法确定字段 ${d.fields} 所在的列（现有列：${d.columns}）；请在 county.json 的 fields 中指定`,
    en: (d) => `no column found for ${d.fields} (columns: ${d.columns}); name it under "fields" in county.json`,
  },
  column_missing: {
    zh: (d) => `county.json 指定的列 ${d.column} 不存在（现有列：${d.columns}）`,
    en: (d) => `column ${d.column} named in county.json is not in the file (columns: ${d.columns})`,
  },
  coordinates_missing: {
    zh: (d) => `缺少坐标或坐标不是数字（${d.lon}, ${d.lat}）`,
    en: (d) => `no coordinates, or not numbers (${d.lon}, ${d.lat})`,
  },
  coordinates_out_of_range: {
    zh: (d) => `${d.count} 个要素的坐标超出经纬度范围：文件可能是投影坐标，请在 county.json 的 crs 中给出 EPSG 代码`,
    en: (d) => `${d.count} features lie outside longitude/latitude: a projected file? Give its EPSG code under "crs"`,
  },
  geometry_malformed: { zh: (d) => `几何无法构建：${d.message}`, en: (d) => `geometry cannot be built: ${d.message}` },
  geometry_invalid: { zh: (d) => `几何无效：${d.reason}`, en: (d) => `invalid geometry: ${d.reason}` },
  compounds_overlap: {
    zh: (d) => `与小区 ${d.other_name || d.other_id} 重叠 ${d.area} 平方米`,
    en: (d) => `overlaps compound ${d.other_name || d.other_id} by ${d.area} m²`,
  },
  compound_outside_community: {
    zh: (d) => `不在所属社区 ${d.community} 的范围内`,
    en: (d) => `lies outside its community ${d.community}`,
  },
  community_unknown: {
    zh: (d) => `所属社区 ${d.community} 不在社区图层中`,
    en: (d) => `community ${d.community} is not in the communities layer`,
  },
  compound_outside_county: { zh: () => '不在县域范围内', en: () => 'lies outside the county' },
  compound_far_away: {
    zh: (d) => `距最近的小区 ${d.distance} 米，远离其他小区`,
    en: (d) => `${d.distance} m from the nearest compound, far from the rest`,
  },
  duplicate_name: {
    zh: (d) => `与 ${d.other_id} 同名，相距 ${d.distance} 米`,
    en: (d) => `same name as ${d.other_id}, ${d.distance} m away`,
  },
  households_missing: { zh: () => '缺少户数', en: () => 'households missing' },
  households_invalid: {
    zh: (d) => `户数“${d.value}”不是非负整数`,
    en: (d) => `households "${d.value}" is not a whole number ≥ 0`,
  },
  households_zero: { zh: () => '户数为 0（空置小区？）', en: () => 'households is 0 (an empty compound?)' },
  compound_too_heavy: {
    zh: (d) => `户数 ${d.households} 超过网格上限 ${d.max}：需按楼栋拆分`,
    en: (d) => `${d.households} households, above the grid maximum ${d.max}: split it by buildings`,
  },
  community_too_light: {
    zh: (d) => `社区共 ${d.households} 户，低于网格下限 ${d.min}`,
    en: (d) => `the community has ${d.households} households, below the grid minimum ${d.min}`,
  },
  communities_overlap: {
    zh: (d) => `与社区 ${d.other_name || d.other_id} 重叠 ${d.area} 平方米`,
    en: (d) => `overlaps community ${d.other_name || d.other_id} by ${d.area} m²`,
  },
  communities_gap: {
    zh: (d) => `社区之间有 ${d.area} 平方米的空隙`,
    en: (d) => `a gap of ${d.area} m² between communities`,
  },
  station_outside_county: { zh: () => '站点不在县域范围内', en: () => 'station lies outside the county' },
  person_place_unknown: {
    zh: (d) => `人员无法归入已知的网格或社区（所属网格“${d.grid}”，所属社区“${d.community}”）`,
    en: (d) => `the person names no known grid or community (grid "${d.grid}", community "${d.community}")`,
  },
  types_unknown: {
    zh: (d) => `${d.count} 个小区的类型无法识别：${d.words}`,
    en: (d) => `${d.count} compounds have a type we do not know: ${d.words}`,
  },
  crs_gcj02_likely: {
    zh: (d) =>
      `坐标可能是 GCJ-02（火星坐标）：按原样 ${d.inside_as_read}/${d.points} 个点落在所属区域内，转换后 ${d.inside_converted}/${d.points}（偏移约 ${d.shift} 米）；可在 crs 中写 "gcj02"`,
    en: (d) =>
      `coordinates are likely GCJ-02: ${d.inside_as_read}/${d.points} points fall in their area as read, ` +
      `${d.inside_converted}/${d.points} once converted (≈ ${d.shift} m); set "gcj02" under "crs"`,
  },
};

export function problemText(p: Problem, lang: Lang): string {
  return TEXT[p.code][lang](p.details);
}
