/**
 * A synthetic (示例数据) history of issues for the demo data set, so that the work queue and the
 * dashboards have something true to show: deterministic (seeded PRNG, no Math.random), spread over
 * the last `days` days and over the compounds (old compounds and shop-lined commercial compounds as
 * hotspots), from riders, residents, grid workers and party members, each walked through the lifecycle
 * in working hours as far as "now" allows, so states, events, deadlines and overdue flags agree.
 * Pure: the database side (points inside compounds, grids by point in polygon, units) is
 * server/demo/issues.ts.
 */
import type { IssueSource, IssueState } from '../../shared/issue-states.ts';
import { addWorkingHours, type WorkingCalendar } from './working-hours.ts';
import { mulberry32 } from '../../shared/random.ts';

export interface DemoCompound {
  id: string;
  type: 'commercial_residential' | 'old' | 'transitional' | 'work_unit';
  /** Next to a farmers' market (a hotspot of every source). */
  nearMarket?: boolean;
}

export interface DemoCategory {
  id: string;
  timeLimitHours: number;
}

export interface DemoEvent {
  from: IssueState | null;
  to: IssueState;
  at: Date;
  role: 'reporter' | 'grid_worker' | 'dispatcher';
  reason?: string;
  fields?: Record<string, unknown>;
}

export interface DemoIssue {
  /** Stable key of the synthetic issue (its idempotency key). */
  key: string;
  compoundId: string;
  /** Seed of the point drawn inside the compound. */
  pointSeed: number;
  categoryId: string;
  source: IssueSource;
  description: string;
  reporterName: string;
  reporterPhone: string;
  state: IssueState;
  severity: number | null;
  deadline: Date | null;
  reworkCount: number;
  createdAt: Date;
  filedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  /** Member units summoned (how many; which ones is decided in SQL from the grid and the trade). */
  unitCount: number;
  dispatchedAt: Date | null;
  signedAt: Date | null;
  rating: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | null;
  events: DemoEvent[];
}

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export const seededRandom = mulberry32;

/**
 * What each source reports in a year, with weights; sized so that a year holds the report's figures: 260+
 * snap reports from delivery riders (food hygiene, safety hazards, …) and 1,200+ matters solved by member units.
 */
const SOURCE_MIX: Record<
  IssueSource,
  { count: number; categories: [string, number][]; hotspot: DemoCompound['type'] }
> = {
  rider: {
    count: 272,
    hotspot: 'commercial_residential',
    categories: [
      ['food_hygiene', 5],
      ['safety_hazard', 4],
      ['fire_escape_blocked', 2],
      ['street_litter', 3],
      ['parking', 3],
      ['manhole_cover', 2],
      ['facility_damage', 2],
      ['street_vending', 1],
    ],
  },
  resident: {
    count: 940,
    hotspot: 'old',
    categories: [
      ['property_service', 4],
      ['entry_and_stairs', 4],
      ['parking', 3],
      ['street_light', 2],
      ['water_supply', 2],
      ['exposed_garbage', 2],
      ['neighbour_dispute', 2],
      ['construction_nuisance', 1],
      ['illegal_building', 1],
    ],
  },
  grid_worker: {
    count: 380,
    hotspot: 'old',
    categories: [
      ['exposed_garbage', 3],
      ['illegal_advertising', 2],
      ['safety_hazard', 2],
      ['facility_damage', 2],
      ['illegal_building', 1],
    ],
  },
  party_member: {
    count: 150,
    hotspot: 'transitional',
    categories: [
      ['entry_and_stairs', 2],
      ['property_service', 2],
      ['street_light', 1],
      ['neighbour_dispute', 1],
    ],
  },
};

const DESCRIPTIONS: Record<string, string[]> = {
  food_hygiene: ['小吃店后厨卫生差，餐具未消毒', '外卖店无健康证人员操作', '餐馆门口泔水桶未加盖'],
  safety_hazard: ['电动车在楼道内充电', '广告牌松动有坠落风险', '燃气管道有异味'],
  fire_escape_blocked: ['消防通道被杂物堵塞', '消防通道停放车辆'],
  street_litter: ['路面垃圾未清扫', '人行道有大量落叶和垃圾'],
  parking: ['车辆占用人行道停放', '小区门口乱停车影响通行', '电动车乱停乱放'],
  manhole_cover: ['井盖缺失，有安全隐患', '井盖破损下沉'],
  facility_damage: ['健身器材损坏', '路边护栏倒伏', '公共座椅损坏'],
  street_vending: ['商贩占道经营'],
  property_service: ['物业不及时维修电梯', '小区绿化无人养护', '物业费收支不公开'],
  entry_and_stairs: ['单元门门禁损坏', '楼道灯不亮', '楼梯扶手松动'],
  street_light: ['路灯不亮', '路灯白天常亮'],
  water_supply: ['供水管道漏水', '小区停水无通知'],
  exposed_garbage: ['垃圾桶满溢未清运', '建筑垃圾堆放'],
  neighbour_dispute: ['楼上漏水引发邻里纠纷', '噪音扰民'],
  construction_nuisance: ['夜间施工噪音扰民'],
  illegal_building: ['楼顶私搭乱建', '占用绿地搭建棚屋'],
  illegal_advertising: ['墙面小广告'],
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '马', '赵', '周', '吴', '孙', '郭', '何', '高', '田'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
];

const HOUR = 3_600_000;

export interface DemoHistoryOptions {
  now: Date;
  days: number;
  seed: number;
  calendar: WorkingCalendar;
  /**
   * A category that fell by `decline` (a share) against the year before: that year is generated for it too, in
   * the 365 days before the window (keys `synthetic-before-…`), so the fall is in real rows. Property-service
   * disputes fell by 58.2 % (the report).
   */
  yearBefore?: { categoryId: string; decline: number };
}

/** Property-service disputes (物业服务领域矛盾纠纷) fell by 58.2 % (the report). */
export const PROPERTY_DISPUTES_DECLINE = { categoryId: 'property_service', decline: 0.582 } as const;

/**
 * Reporting grows over the window as more riders and residents take part: the density falls linearly with age,
 * by GROWTH from the newest day to the oldest (the last weeks see about 1.4× the window's average).
 */
const GROWTH = 0.6;
/** A share of the window (0 newest … 1 oldest) for a uniform u, by the inverse of that density's distribution. */
const growingDaysAgo = (u: number) => (1 - Math.sqrt(1 - 2 * GROWTH * u * (1 - GROWTH / 2))) / GROWTH;

/** Of the issues closed and not rated, the share the reporter reopens within the window (7 days). */
const REOPEN_SHARE = 0.12;

/** The synthetic history: deterministic for the same compounds, categories, seed and now. */
export function generateDemoHistory(
  compounds: readonly DemoCompound[],
  categories: readonly DemoCategory[],
  options: DemoHistoryOptions,
): DemoIssue[] {
  // Input validation
  if (compounds.length === 0) throw new Error('generateDemoHistory: no compounds');
  if (categories.length === 0) throw new Error('generateDemoHistory: no categories');
  const limits = new Map(categories.map((c) => [c.id, c.timeLimitHours]));
  // Main
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const weighted = <T>(items: readonly [T, number][]) => {
    let r = random() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1][0];
  };
  const uniform = (lo: number, hi: number) => lo + random() * (hi - lo);
  const work = (from: Date, hours: number) => addWorkingHours(from, hours, options.calendar);
  const now = options.now.getTime();
  const out: DemoIssue[] = [];

  // Hotspots: the source's compound type and the compounds by the farmers' markets (twice as likely).
  const marketCompounds = compounds.filter((c) => c.nearMarket);
  for (const source of Object.keys(SOURCE_MIX) as IssueSource[]) {
    const mix = SOURCE_MIX[source];
    const hotspots = [...compounds.filter((c) => c.type === mix.hotspot), ...marketCompounds, ...marketCompounds];
    for (let n = 0; n < mix.count; n++) {
      const known = mix.categories.filter(([id]) => limits.has(id));
      const categoryId = weighted(known.length ? known : categories.map((c): [string, number] => [c.id, 1]));
      // Hotspots get half the reports; the rest spread over every compound.
      const compound = hotspots.length && random() < 0.5 ? pick(hotspots) : pick(compounds);
      out.push(
        makeIssue(
          `synthetic-${source}-${String(n + 1).padStart(4, '0')}`,
          source,
          categoryId,
          compound,
          Math.floor(growingDaysAgo(random()) * (options.days - 1)),
        ),
      );
    }
  }
  const before = options.yearBefore;
  if (before && limits.has(before.categoryId)) {
    const thisYear = out.filter((i) => i.categoryId === before.categoryId).length;
    const count = Math.round(thisYear / (1 - before.decline));
    const sources: IssueSource[] = ['resident', 'resident', 'resident', 'party_member'];
    for (let n = 0; n < count; n++) {
      const key = `synthetic-before-${before.categoryId}-${String(n + 1).padStart(4, '0')}`;
      out.push(
        makeIssue(
          key,
          pick(sources),
          before.categoryId,
          random() < 0.5 ? (pick(compounds.filter((c) => c.type === 'old')) ?? pick(compounds)) : pick(compounds),
          366 + Math.floor(random() * 363),
        ),
      );
    }
  }
  out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.key.localeCompare(b.key));
  return out;

  /** An issue reported `daysAgo` days before now (in Beijing daytime), walked as far as now allows. */
  function makeIssue(
    key: string,
    source: IssueSource,
    categoryId: string,
    compound: DemoCompound,
    daysAgo: number,
  ): DemoIssue {
    // Reports come in daytime mostly: 7:00–22:00 Beijing on the day.
    const dayStart = now - daysAgo * 24 * HOUR;
    const created = new Date(Math.floor(dayStart / (24 * HOUR)) * 24 * HOUR - 8 * HOUR + uniform(7, 22) * HOUR);
    if (created.getTime() > now) created.setTime(now - uniform(0.2, 3) * HOUR);
    const issue: DemoIssue = {
      key,
      compoundId: compound.id,
      pointSeed: 1 + Math.floor(random() * 1_000_000),
      categoryId,
      source,
      description: pick(DESCRIPTIONS[categoryId] ?? ['问题待核实']) + '（示例数据）',
      reporterName: pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : ''),
      reporterPhone: `1${pick(['35', '38', '39', '51', '58', '77', '86', '89'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      state: 'reported',
      severity: null,
      deadline: null,
      reworkCount: 0,
      createdAt: created,
      filedAt: null,
      closedAt: null,
      updatedAt: created,
      unitCount: random() < 0.2 ? 2 + Math.floor(random() * 2) : 1,
      dispatchedAt: null,
      signedAt: null,
      rating: null,
      events: [
        {
          from: null,
          to: 'reported',
          at: created,
          role: source === 'grid_worker' ? 'grid_worker' : 'reporter',
          fields: { source },
        },
      ],
    };
    walk(issue, limits.get(categoryId)!);
    return issue;
  }

  /** Moves the issue through the lifecycle as far as now allows. */
  function walk(issue: DemoIssue, limit: number): void {
    const step = (to: IssueState, at: Date, role: DemoEvent['role'], extra: Partial<DemoEvent> = {}): boolean => {
      if (at.getTime() > now) return false;
      issue.events.push({ from: issue.state, to, at, role, ...extra });
      issue.state = to;
      issue.updatedAt = at;
      return true;
    };
    let t = issue.createdAt;
    const roll = random();
    if (roll < 0.03) {
      step('returned', work(t, uniform(0.2, 2)), 'grid_worker', {
        reason: '不属于本网格职责范围，已告知上报人（示例）',
      });
      return;
    }
    if (roll < 0.05) {
      step('void', work(t, uniform(0.2, 2)), 'dispatcher', { reason: '上报内容无法核实（示例）' });
      return;
    }
    if (!step('accepted', (t = work(t, uniform(0.1, 1.5))), 'grid_worker')) return;
    if (random() < (issue.source === 'grid_worker' ? 0.35 : 0.08)) {
      if (step('closed', (t = work(t, uniform(0.2, 1))), 'grid_worker', { fields: { note: '现场自行处置（示例）' } }))
        issue.closedAt = t;
      return;
    }
    if (!step('filed', (t = work(t, uniform(0.1, 1))), 'dispatcher')) return;
    issue.filedAt = t;
    issue.severity = 1 + Math.floor(random() * 3);
    issue.deadline = work(t, limit);
    issue.events[issue.events.length - 1].fields = {
      severity: issue.severity,
      deadline: issue.deadline.toISOString(),
      timeLimitHours: limit,
    };
    // A few cases stall: the recent ones are still open past their deadline (overdue), older ones closed late.
    const stalls = random() < 0.08;
    const stuck = stalls && now - issue.createdAt.getTime() < 30 * 24 * HOUR;
    // The steps after filing take a share of the category's time limit (at least 6 minutes): a street-litter case
    // is signed within minutes, an illegal building within days; most close within the limit.
    const part = (lo: number, hi: number) => Math.max(0.1, limit * uniform(lo, hi));
    let reopened = false;
    for (let round = 0; round < 3; round++) {
      if (
        !step('dispatched', (t = work(t, part(0.02, 0.08))), 'dispatcher', { fields: { unitCount: issue.unitCount } })
      )
        return;
      issue.dispatchedAt = t;
      issue.signedAt = null;
      if (!step('signed', (t = work(t, part(0.02, 0.1))), 'grid_worker')) return;
      issue.signedAt = t;
      if (!step('handling', (t = work(t, part(0, 0.05))), 'grid_worker') || stuck) return;
      const share = stalls ? uniform(1.5, 4) : random() < 0.85 ? uniform(0.15, 0.6) : uniform(0.8, 1.6);
      if (
        !step('feedback', (t = work(t, Math.max(0.2, limit * share))), 'grid_worker', {
          fields: { note: '已处置完毕（示例）' },
        })
      )
        return;
      if (round < 2 && random() < 0.08) {
        if (
          !step('rework', (t = work(t, part(0.03, 0.12))), 'dispatcher', {
            reason: '现场核查未整改到位（示例）',
            fields: { result: 'fail' },
          })
        )
          return;
        issue.reworkCount++;
        continue;
      }
      if (!step('verified', (t = work(t, part(0.03, 0.12))), 'dispatcher', { fields: { result: 'pass' } })) return;
      if (!step('closed', (t = work(t, part(0, 0.03))), 'dispatcher')) return;
      issue.closedAt = t;
      const after = random();
      if (after < 0.7) {
        if (step('rated', new Date(t.getTime() + uniform(12, 72) * HOUR), 'reporter')) {
          const r = random();
          issue.rating = r < 0.8 ? 'satisfied' : r < 0.95 ? 'basically_satisfied' : 'unsatisfied';
          issue.events[issue.events.length - 1].fields = { rating: issue.rating };
        }
        return;
      }
      // 重新打开: within the 7-day window the reporter reopens a few; the case is dispatched again with a new deadline.
      if (reopened || after > 0.7 + 0.3 * REOPEN_SHARE) return;
      if (
        !step('reopened', (t = new Date(t.getTime() + uniform(12, 150) * HOUR)), 'reporter', {
          reason: '问题再次出现（示例）',
        })
      )
        return;
      reopened = true;
      issue.closedAt = null;
      issue.deadline = work(t, limit);
      round = -1;
    }
  }
}
