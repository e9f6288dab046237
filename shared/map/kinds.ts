// The enumerations the map colours and translates. They mirror the `type` of compounds and the `kind` of
// stations in geodata/yanchi (see docs/data-model.md); pure data so that server/style can import it too.

/** 小区 types of the report: 商住型, 老旧型, 过渡型 (resettlement), 单位型. */
export const COMPOUND_TYPES = ['commercial_residential', 'old', 'transitional', 'work_unit'] as const;
export type CompoundType = (typeof COMPOUND_TYPES)[number];

/** Service stations: 红色微客厅, 红色暖“新”驿站, 网格党群服务中心 / 户外劳动者驿站. */
export const STATION_KINDS = ['micro_living_room', 'street_post', 'grid_centre'] as const;
export type StationKind = (typeof STATION_KINDS)[number];

/**
 * What a station offers: the conveniences every post has (water dispenser, seats), those of the posts for
 * couriers and riders, and the services the report names (保健理疗, 心理咨询, 老年配餐).
 */
export const STATION_FACILITIES = [
  'water_dispenser',
  'seats',
  'phone_charging',
  'microwave',
  'first_aid',
  'reading',
  'health_therapy',
  'counselling',
  'elderly_meals',
] as const;
export type StationFacility = (typeof STATION_FACILITIES)[number];

export function isCompoundType(value: unknown): value is CompoundType {
  return typeof value === 'string' && (COMPOUND_TYPES as readonly string[]).includes(value);
}

export function isStationKind(value: unknown): value is StationKind {
  return typeof value === 'string' && (STATION_KINDS as readonly string[]).includes(value);
}
