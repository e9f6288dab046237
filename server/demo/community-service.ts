/**
 * The synthetic twelve months of community service (示例数据; figures in server/community/service.ts
 * DEMO_SERVICE), generated in SQL with deterministic hashes (hashtext) so every database gets the same
 * history: micro-wishes claimed by in-service party members of the wish's community, activities organised by
 * the grid's member units or its party branch, deliberation items with their steps. Everything is marked synthetic.
 */
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import type { Config } from '../config.ts';
import { DEMO_SERVICE } from '../community/service.ts';
import { demoHistoryAllowed } from './synthetic-county.ts';

type Progress = (line: string) => void;

const WISH_TITLES = [
  '助老陪诊',
  '代购生活用品',
  '修理水龙头',
  '辅导孩子作业',
  '更换楼道灯泡',
  '上门理发',
  '借用轮椅',
  '书包文具',
  '代缴水电费',
  '智能手机教学',
];
const ACTIVITY_TITLES = [
  '志愿服务日',
  '敬老助老活动',
  '环境整治行动',
  '社区文化活动',
  '安全知识宣讲',
  '义诊健康讲座',
  '政策宣讲会',
];
const TOPIC_TITLES: Record<string, string> = {
  entry: '小区出入口改造',
  stairs: '楼道堆物清理与扶手加装',
  parking: '停车位规划与车辆乱停',
  property: '物业服务与收费协商',
  environment: '绿化与垃圾分类点设置',
  other: '邻里公约修订',
};

async function insertWishes(db: Pick<Pool, 'query'>, countyCode: string): Promise<number> {
  const { rowCount } = await db.query(
    `with g as (select id, community_id, row_number() over (order by id) as rn, count(*) over () as cnt from grids where county_code = $1),
     members as (select id, community_id, row_number() over (partition by community_id order by id) as rn,
                        count(*) over (partition by community_id) as cnt from people where county_code = $1 and in_service),
     everyone as (select id, row_number() over (order by id) as rn, count(*) over () as cnt from people where county_code = $1 and in_service),
     n as (select n, abs(hashtext('wish:' || n)) as h, abs(hashtext('wish-member:' || n)) as h2, abs(hashtext('wish-time:' || n)) as h3
           from generate_series(1, $2::int) n),
     planned as (
       select n.*, g.id as grid_id, g.community_id,
              now() - make_interval(days => (n.h3 % $3::int), hours => (n.h % 10)) as posted_at,
              n.n % $4::int <> 0 as claimed, n.h % 10 <> 0 as fulfilled
       from n join g on g.rn = 1 + n.h % (select max(cnt) from g)
     )
     insert into micro_wishes (county_code, grid_id, community_id, title, state, posted_at, claimed_by, claimed_at, fulfilled_at, fulfilment_note, synthetic)
     select $1, p.grid_id, p.community_id, ($5::text[])[1 + p.h % array_length($5::text[], 1)],
            case when not p.claimed then 'posted' when p.fulfilled then 'fulfilled' else 'claimed' end,
            p.posted_at,
            case when p.claimed then coalesce(m.id, e.id) end,
            case when p.claimed then least(now(), p.posted_at + make_interval(days => 1 + p.h2 % 3)) end,
            case when p.claimed and p.fulfilled then least(now(), p.posted_at + make_interval(days => 2 + p.h2 % 7)) end,
            case when p.claimed and p.fulfilled then '已完成（示例数据）' end,
            true
     from planned p
     left join members m on m.community_id = p.community_id and m.rn = 1 + p.h2 % m.cnt
     join everyone e on e.rn = 1 + p.h2 % e.cnt
     order by p.n`,
    [countyCode, DEMO_SERVICE.wishes, DEMO_SERVICE.days, DEMO_SERVICE.unclaimedEvery, WISH_TITLES],
  );
  return rowCount ?? 0;
}

async function insertActivities(db: Pick<Pool, 'query'>, countyCode: string): Promise<number> {
  const { rowCount } = await db.query(
    `with g as (select id, community_id, name, party_branch, row_number() over (order by id) as rn, count(*) over () as cnt from grids where county_code = $1),
     units as (select mg.grid_id, u.id, u.name, row_number() over (partition by mg.grid_id order by u.id) as rn,
                      count(*) over (partition by mg.grid_id) as cnt
               from member_unit_grids mg join member_units u on u.county_code = mg.county_code and u.id = mg.unit_id where mg.county_code = $1),
     n as (select n, abs(hashtext('activity:' || n)) as h, abs(hashtext('activity-b:' || n)) as h2 from generate_series(1, $2::int) n)
     insert into service_activities (county_code, grid_id, community_id, kind, title, organiser_unit_id, organiser, participants, held_on, synthetic)
     select $1, g.id, g.community_id, ($4::text[])[1 + n.h2 % 7], ($5::text[])[1 + n.h2 % 7],
            case when n.h % 3 <> 0 then u.id end,
            case when n.h % 3 <> 0 and u.id is not null then u.name else coalesce(g.party_branch, g.name || '党支部') end,
            5 + n.h2 % 56, (now() at time zone 'Asia/Shanghai')::date - (n.h2 % $3::int), true
     from n join g on g.rn = 1 + n.h % (select max(cnt) from g)
     left join units u on u.grid_id = g.id and u.rn = 1 + n.h2 % u.cnt
     order by n.n`,
    [
      countyCode,
      DEMO_SERVICE.activities,
      DEMO_SERVICE.days,
      ['volunteer', 'elderly_care', 'environment', 'culture', 'safety', 'health', 'policy'],
      ACTIVITY_TITLES,
    ],
  );
  return rowCount ?? 0;
}

async function insertDeliberations(db: Pick<Pool, 'query'>, countyCode: string): Promise<number> {
  // Entry, stairs and parking are most of what consultation meetings solve (domain.md).
  const weighted = [
    'entry',
    'entry',
    'stairs',
    'stairs',
    'parking',
    'parking',
    'parking',
    'property',
    'environment',
    'other',
  ];
  await db.query(
    `with g as (select id, community_id, row_number() over (order by id) as rn, count(*) over () as cnt from grids where county_code = $1),
     n as (select n, abs(hashtext('deliberation:' || n)) as h, abs(hashtext('deliberation-b:' || n)) as h2 from generate_series(1, $2::int) n),
     planned as (
       select n.n, g.id as grid_id, g.community_id, ($5::text[])[1 + n.h2 % array_length($5::text[], 1)] as topic,
              case when n.n <= $4::int then 'resolved' else ($6::text[])[1 + n.n % 3] end as step,
              now() - make_interval(days => 20 + n.h % ($3::int - 20)) as created_at
       from n join g on g.rn = 1 + n.h % (select max(cnt) from g)
     ),
     items as (
       insert into deliberation_items (county_code, grid_id, community_id, topic, title, step, resolution, synthetic, created_at, updated_at)
       select $1, p.grid_id, p.community_id, p.topic, ($8::jsonb ->> p.topic), p.step,
              case when p.step = 'resolved' then '楼栋长会议表决通过（示例数据）' end, true, p.created_at,
              p.created_at + make_interval(days => 3 * (array_position($7::text[], p.step) - 1))
       from planned p order by p.n
       returning id, step, created_at
     )
     insert into deliberation_steps (county_code, item_id, step, actor, note, at)
     select $1, i.id, s.step, 'synthetic (示例数据)', null, i.created_at + make_interval(days => (3 * (s.ord - 1))::int)
     from items i cross join lateral unnest($7::text[]) with ordinality as s(step, ord)
     where s.ord <= array_position($7::text[], i.step)`,
    [
      countyCode,
      DEMO_SERVICE.deliberations,
      DEMO_SERVICE.days,
      DEMO_SERVICE.resolved,
      weighted,
      ['proposed', 'discussed', 'reviewed'],
      ['proposed', 'discussed', 'reviewed', 'resolved'],
      JSON.stringify(TOPIC_TITLES),
    ],
  );
  return (
    await db.query<{ n: number }>('select count(*)::int as n from deliberation_items where county_code = $1', [
      countyCode,
    ])
  ).rows[0].n;
}

/** Outside production, on a database with the demo data and no service record yet: the synthetic year. */
export async function prepareCommunityService(pool: Pool, config: Config, progress: Progress): Promise<void> {
  if (!(await demoHistoryAllowed(pool, config))) return;
  const countyCode = config.countyCode;
  const { rowCount } = await pool.query(
    `select 1 where exists (select 1 from people where county_code = $1 and in_service)
       and not exists (select 1 from micro_wishes where county_code = $1)
       and not exists (select 1 from service_activities where county_code = $1)
       and not exists (select 1 from deliberation_items where county_code = $1)`,
    [countyCode],
  );
  if (!rowCount) return;
  const started = Date.now();
  const [wishes, activities, deliberations] = await inTransaction(pool, async (db) => [
    await insertWishes(db, countyCode),
    await insertActivities(db, countyCode),
    await insertDeliberations(db, countyCode),
  ]);
  await pool.query('analyze micro_wishes, service_activities, deliberation_items, deliberation_steps');
  progress(
    `  community service (synthetic, ${DEMO_SERVICE.days} days): ${wishes} micro-wishes, ${activities} activities, ` +
      `${deliberations} deliberation items (${Date.now() - started} ms)`,
  );
}
