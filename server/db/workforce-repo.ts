/**
 * The community workforce (server/community/workforce.ts): staff with their team, post, rank and allowance,
 * the allowance table, mentors, and the figures per community from the view community_workforce_figures.
 * Lists are scoped to the caller's area in SQL.
 */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { placeholderIn, queryPage } from './paged-list.ts';
import type { Post, RankClass, Team } from '../../shared/workforce.ts';
import type { Allowance, StaffMember, WorkforceFigures } from '../../shared/api/workforce.ts';
import { meanOf, MIN_GROUP_FOR_PUBLIC_MEAN } from '../community/workforce.ts';
import { isSmallGroup } from '../community/small-groups.ts';

export type { Allowance, StaffMember, WorkforceFigures };

const STAFF_COLUMNS = `w.person_id as "personId", p.name, w.community_id as "communityId", w.grid_id as "gridId", w.team, w.post,
  w.rank_class as "rankClass", w.level, a.monthly_yuan as "monthlyAllowance", w.yearly_subsidy as "yearlySubsidy",
  to_char(w.hired_on, 'YYYY-MM-DD') as "hiredOn", extract(year from age(current_date, w.hired_on))::int as years,
  m.mentor_id as "mentorId",
  (select count(*)::int from workforce_mentorships x where x.county_code = w.county_code and x.mentor_id = w.person_id) as mentees,
  w.synthetic`;
const STAFF_FROM = `workforce_staff w
  join people p on p.county_code = w.county_code and p.id = w.person_id
  left join workforce_allowances a on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
  left join workforce_mentorships m on m.county_code = w.county_code and m.mentee_id = w.person_id`;

const scopeOf = (scope: AreaScope, params: unknown[]) =>
  areaCondition(scope, { county: 'w.county_code', grid: 'w.grid_id', community: 'w.community_id' }, params);

export async function listStaff(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: { communityId?: string; team?: Team; limit: number; offset: number },
): Promise<{ total: number; staff: StaffMember[] }> {
  const params: unknown[] = [countyCode];
  const add = placeholderIn(params);
  const where = ['w.county_code = $1', scopeOf(scope, params)];
  if (filter.communityId) where.push(`w.community_id = ${add(filter.communityId)}`);
  if (filter.team) where.push(`w.team = ${add(filter.team)}`);
  const orderBy = `w.community_id, array_position(array['full_time', 'part_time', 'auxiliary'], w.team),
     w.rank_class = 'member', w.rank_class = 'deputy', w.level desc nulls last, w.person_id`;
  const query = { columns: STAFF_COLUMNS, from: STAFF_FROM, where, orderBy };
  const { total, rows } = await queryPage<StaffMember>(db, query, params, filter);
  return { total, staff: rows };
}

/** One staff member inside the scope (all of the county when none is given). */
export async function findStaff(
  db: Queryable,
  countyCode: string,
  personId: string,
  scope?: AreaScope,
  forUpdate = false,
): Promise<StaffMember | undefined> {
  const params: unknown[] = [countyCode, personId];
  const inScope = scope ? scopeOf(scope, params) : 'true';
  const { rows } = await db.query<StaffMember>(
    `select ${STAFF_COLUMNS} from ${STAFF_FROM} where w.county_code = $1 and w.person_id = $2 and ${inScope} ${forUpdate ? 'for update of w' : ''}`,
    params,
  );
  return rows[0];
}

export async function updateStaff(
  db: Queryable,
  countyCode: string,
  personId: string,
  change: { post: Post; rankClass: RankClass | null; level: number | null },
): Promise<void> {
  await db.query(
    `update workforce_staff set post = $3, rank_class = $4, level = $5, updated_at = now() where county_code = $1 and person_id = $2`,
    [countyCode, personId, change.post, change.rankClass, change.level],
  );
}

export async function setMentor(
  db: Queryable,
  countyCode: string,
  menteeId: string,
  mentorId: string | null,
): Promise<void> {
  if (mentorId === null) {
    await db.query('delete from workforce_mentorships where county_code = $1 and mentee_id = $2', [
      countyCode,
      menteeId,
    ]);
    return;
  }
  await db.query(
    `insert into workforce_mentorships (county_code, mentee_id, mentor_id) values ($1, $2, $3)
     on conflict (county_code, mentee_id) do update set mentor_id = excluded.mentor_id, since = current_date, synthetic = false`,
    [countyCode, menteeId, mentorId],
  );
}

export async function listAllowances(db: Queryable, countyCode: string): Promise<Allowance[]> {
  const { rows } = await db.query<Allowance>(
    `select a.rank_class as "rankClass", a.level, a.monthly_yuan as "monthlyYuan",
            (select count(*)::int from workforce_staff w where w.county_code = a.county_code and w.rank_class = a.rank_class and w.level = a.level) as staff
     from workforce_allowances a where a.county_code = $1
     order by array_position(array['head', 'deputy', 'member'], a.rank_class), a.level`,
    [countyCode],
  );
  return rows;
}

/** The old amount, locking the row; undefined when there is no such cell. */
export async function lockAllowance(
  db: Queryable,
  countyCode: string,
  rankClass: RankClass,
  level: number,
): Promise<number | undefined> {
  const { rows } = await db.query<{ monthly_yuan: number }>(
    'select monthly_yuan from workforce_allowances where county_code = $1 and rank_class = $2 and level = $3 for update',
    [countyCode, rankClass, level],
  );
  return rows[0]?.monthly_yuan;
}

export async function setAllowance(
  db: Queryable,
  countyCode: string,
  rankClass: RankClass,
  level: number,
  monthlyYuan: number,
): Promise<void> {
  await db.query(
    'update workforce_allowances set monthly_yuan = $4, updated_at = now() where county_code = $1 and rank_class = $2 and level = $3',
    [countyCode, rankClass, level, monthlyYuan],
  );
}

interface FiguresRow {
  full_time: number;
  part_time: number;
  auxiliary: number;
  auxiliary_subsidy_yearly: number;
  heads: number;
  deputies: number;
  members: number;
  head_allowance_sum: string;
  deputy_allowance_sum: string;
  member_allowance_sum: string;
  mentors: number;
  mentees: number;
}

const SUMS = `sum(full_time)::int as full_time, sum(part_time)::int as part_time, sum(auxiliary)::int as auxiliary,
  sum(auxiliary_subsidy_yearly)::int as auxiliary_subsidy_yearly, sum(heads)::int as heads, sum(deputies)::int as deputies,
  sum(members)::int as members, sum(head_allowance_sum) as head_allowance_sum, sum(deputy_allowance_sum) as deputy_allowance_sum,
  sum(member_allowance_sum) as member_allowance_sum, sum(mentors)::int as mentors, sum(mentees)::int as mentees`;

function figuresOf(r: FiguresRow, minGroup: number): WorkforceFigures {
  return {
    fullTime: r.full_time ?? 0,
    partTime: r.part_time ?? 0,
    auxiliary: r.auxiliary ?? 0,
    // A few workers' subsidies summed are their own subsidies.
    auxiliarySubsidyYearly: isSmallGroup(r.auxiliary ?? 0, minGroup) ? null : (r.auxiliary_subsidy_yearly ?? 0),
    meanAllowance: {
      head: meanOf(Number(r.head_allowance_sum ?? 0), r.heads ?? 0, minGroup),
      deputy: meanOf(Number(r.deputy_allowance_sum ?? 0), r.deputies ?? 0, minGroup),
      member: meanOf(Number(r.member_allowance_sum ?? 0), r.members ?? 0, minGroup),
    },
    heads: r.heads ?? 0,
    deputies: r.deputies ?? 0,
    members: r.members ?? 0,
    mentors: r.mentors ?? 0,
    mentees: r.mentees ?? 0,
  };
}

/**
 * Per community of the area (a community or a street; the county when none) inside the caller's scope, and
 * their totals summed in SQL (means over everyone of the area, not a mean of means). `minGroup`: no mean over
 * fewer people (for callers who may not see staff).
 */
export async function workforceFigures(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  areaId: string | null,
  minGroup = 1,
): Promise<{ totals: WorkforceFigures; communities: (WorkforceFigures & { communityId: string; name: string })[] }> {
  const params: unknown[] = [countyCode];
  const where = [
    'f.county_code = $1',
    areaCondition(scope, { county: 'f.county_code', community: 'f.community_id', street: 'f.street_id' }, params),
  ];
  if (areaId) {
    params.push(areaId);
    where.push(`$${params.length} in (f.community_id, f.street_id)`);
  }
  const { rows } = await db.query<
    FiguresRow & { community_id: string; name: string; name_en: string | null; scope_totals: FiguresRow }
  >(
    `with f as (select f.*, c.name, c.name_en from community_workforce_figures f join communities c on c.county_code = f.county_code and c.id = f.community_id
                where ${where.join(' and ')})
     select f.*, (select row_to_json(t) from (select ${SUMS} from f) t) as scope_totals from f order by f.community_id`,
    params,
  );
  const totals = rows[0]?.scope_totals ?? ({} as FiguresRow);
  return {
    totals: figuresOf(totals, minGroup),
    communities: rows.map((r) => ({
      communityId: r.community_id,
      name: r.name,
      nameEn: r.name_en,
      ...figuresOf(r, minGroup),
    })),
  };
}

/** The whole county's figures (the wall: public, so no mean over a small group). */
export async function countyWorkforce(db: Queryable, countyCode: string): Promise<WorkforceFigures> {
  const { rows } = await db.query<FiguresRow>(
    `select ${SUMS} from community_workforce_figures where county_code = $1`,
    [countyCode],
  );
  return figuresOf(rows[0], MIN_GROUP_FOR_PUBLIC_MEAN);
}

/** Whether the workforce shown is the demo's (示例数据). */
export async function hasSyntheticStaff(db: Queryable, countyCode: string): Promise<boolean> {
  const { rows } = await db.query<{ yes: boolean }>(
    'select exists (select 1 from workforce_staff where county_code = $1 and synthetic) as yes',
    [countyCode],
  );
  return rows[0].yes;
}
