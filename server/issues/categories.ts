/**
 * The starting category taxonomy (two levels): major classes after GB/T 30428 (digital urban management:
 * components and events), and minor classes including the ones Yanchi's snap reports name (food hygiene,
 * safety hazards, facility damage, parking, entry and stairs, property service). Time limits in working
 * hours (7 a working day), editable by an admin afterwards (PUT /api/admin/categories/:id); the trade
 * is that of the member units responsible (member_units.trade). Seeded once per county, never overwritten.
 */

export interface CategorySeed {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
  /** Working hours; null for a major class. */
  timeLimitHours: number | null;
  responsibleTrade: string | null;
}

const DAY = 7;

const major = (id: string, name: string, nameEn: string): CategorySeed => ({
  id,
  parentId: null,
  name,
  nameEn,
  timeLimitHours: null,
  responsibleTrade: null,
});
const minor = (
  parentId: string,
  id: string,
  name: string,
  nameEn: string,
  timeLimitHours: number,
  responsibleTrade: string,
): CategorySeed => ({
  id,
  parentId,
  name,
  nameEn,
  timeLimitHours,
  responsibleTrade,
});

export const CATEGORY_SEEDS: readonly CategorySeed[] = [
  major('public_facilities', '公用设施', 'Public facilities'),
  minor('public_facilities', 'facility_damage', '设施损坏', 'Facility damage', 2 * DAY, 'utility'),
  minor('public_facilities', 'manhole_cover', '井盖缺损', 'Missing or broken manhole cover', 4, 'utility'),
  minor('public_facilities', 'street_light', '路灯不亮', 'Street light out', 2 * DAY, 'utility'),
  minor('public_facilities', 'water_supply', '供水管道漏水', 'Water pipe leak', 1 * DAY, 'utility'),
  major('city_appearance', '市容环境', 'City appearance and environment'),
  minor('city_appearance', 'street_litter', '道路不洁', 'Street litter', 5, 'government'),
  minor('city_appearance', 'exposed_garbage', '暴露垃圾', 'Exposed garbage', 1 * DAY, 'government'),
  minor('city_appearance', 'illegal_advertising', '乱贴乱画', 'Illegal posters and graffiti', 2 * DAY, 'government'),
  major('street_order', '街面秩序', 'Street order'),
  minor('street_order', 'parking', '乱停乱放', 'Illegal parking', 4, 'government'),
  minor('street_order', 'street_vending', '占道经营', 'Street vending on the road', 1 * DAY, 'government'),
  major('construction', '施工管理', 'Construction'),
  minor('construction', 'illegal_building', '违法建设', 'Illegal building', 15 * DAY, 'government'),
  minor('construction', 'construction_nuisance', '施工扰民', 'Construction nuisance', 1 * DAY, 'government'),
  major('safety', '安全隐患', 'Safety'),
  minor('safety', 'safety_hazard', '安全隐患', 'Safety hazard', 4, 'government'),
  minor('safety', 'fire_escape_blocked', '消防通道堵塞', 'Fire escape blocked', 4, 'government'),
  major('food_health', '食品卫生', 'Food and health'),
  minor('food_health', 'food_hygiene', '食品卫生', 'Food hygiene', 2 * DAY, 'health'),
  major('community_governance', '小区治理', 'Compound governance'),
  minor('community_governance', 'entry_and_stairs', '出入口及楼道', 'Entry and stairs', 3 * DAY, 'enterprise'),
  minor('community_governance', 'property_service', '物业服务', 'Property service', 3 * DAY, 'enterprise'),
  minor('community_governance', 'neighbour_dispute', '邻里纠纷', 'Neighbour dispute', 5 * DAY, 'government'),
];

/**
 * Chinese public holidays and the weekend days worked in exchange, 2026, as set by 国务院办公厅关于2026年部分节假日
 * 安排的通知 (4 November 2025; checked day by day). An admin keeps the working_calendar table current for later years.
 */
export const CALENDAR_SEEDS: readonly { day: string; workday: boolean; name: string }[] = [
  ...['2026-01-01', '2026-01-02', '2026-01-03'].map((day) => ({ day, workday: false, name: '元旦' })),
  { day: '2026-01-04', workday: true, name: '元旦调休' },
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => ({
    day: `2026-02-${d}`,
    workday: false,
    name: '春节',
  })),
  { day: '2026-02-14', workday: true, name: '春节调休' },
  { day: '2026-02-28', workday: true, name: '春节调休' },
  ...['04', '05', '06'].map((d) => ({ day: `2026-04-${d}`, workday: false, name: '清明节' })),
  ...['01', '02', '03', '04', '05'].map((d) => ({ day: `2026-05-${d}`, workday: false, name: '劳动节' })),
  { day: '2026-05-09', workday: true, name: '劳动节调休' },
  ...['19', '20', '21'].map((d) => ({ day: `2026-06-${d}`, workday: false, name: '端午节' })),
  ...['25', '26', '27'].map((d) => ({ day: `2026-09-${d}`, workday: false, name: '中秋节' })),
  { day: '2026-09-20', workday: true, name: '国庆节调休' },
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ day: `2026-10-${d}`, workday: false, name: '国庆节' })),
  { day: '2026-10-10', workday: true, name: '国庆节调休' },
];
