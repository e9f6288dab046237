-- The community workforce (社区工作者队伍, server/community/README.md): staff of the three teams
-- (专职 full-time: committee members and full-time grid workers; 兼职 part-time: riders and retired cadres;
-- 辅助 auxiliary: with a yearly subsidy), the rank sequence (正职 / 副职 / 成员 × 18 levels) with its monthly
-- allowance table, and mentors (导师帮带) with the new workers they guide. Figures per community: the view
-- community_workforce_figures (counts and means, never a person).

-- 任职补贴: the monthly allowance of each class and level, kept by the admin.
create table workforce_allowances (
  county_code text not null,
  rank_class text not null check (rank_class in ('head', 'deputy', 'member')),
  level integer not null check (level between 1 and 18),
  monthly_yuan integer not null check (monthly_yuan between 0 and 100000),
  updated_at timestamptz not null default now(),
  primary key (county_code, rank_class, level)
);

-- A person of the register serving a community in one team. Only the full-time team has a rank; only the
-- auxiliary team has the yearly subsidy.
create table workforce_staff (
  county_code text not null,
  person_id text not null,
  community_id text not null,
  grid_id text,
  team text not null check (team in ('full_time', 'part_time', 'auxiliary')),
  post text not null check (post in ('secretary', 'deputy_secretary', 'deputy_director', 'committee_member', 'grid_worker', 'rider_worker', 'retired_cadre', 'auxiliary_worker')),
  rank_class text,
  level integer,
  yearly_subsidy integer check (yearly_subsidy between 0 and 100000),
  hired_on date not null,
  synthetic boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (county_code, person_id),
  foreign key (county_code, person_id) references people,
  foreign key (county_code, community_id) references communities,
  -- A retired grid (plan publishing) leaves the record with no grid until the person's new one is copied over.
  foreign key (county_code, grid_id) references grids on delete set null (grid_id),
  foreign key (county_code, rank_class, level) references workforce_allowances,
  check ((team = 'full_time') = (rank_class is not null and level is not null)),
  check ((team = 'auxiliary') = (yearly_subsidy is not null))
);
create index workforce_staff_community on workforce_staff (county_code, community_id, team);

-- 导师帮带: a new worker guided by one mentor of the same community.
create table workforce_mentorships (
  county_code text not null,
  mentee_id text not null,
  mentor_id text not null check (mentor_id <> mentee_id),
  since date not null default current_date,
  synthetic boolean not null default false,
  primary key (county_code, mentee_id),
  foreign key (county_code, mentee_id) references workforce_staff on delete cascade,
  foreign key (county_code, mentor_id) references workforce_staff on delete cascade
);
create index workforce_mentorships_mentor on workforce_mentorships (county_code, mentor_id);

-- Per community: headcount by team, the auxiliary subsidy a year, the mean monthly allowance of each class
-- (from the allowance table as it is now), mentors and the new workers they guide.
create view community_workforce_figures as
select c.county_code, c.id as community_id, c.street_id,
       coalesce(s.full_time, 0)::integer as full_time,
       coalesce(s.part_time, 0)::integer as part_time,
       coalesce(s.auxiliary, 0)::integer as auxiliary,
       coalesce(s.subsidy_yearly, 0)::integer as auxiliary_subsidy_yearly,
       coalesce(s.heads, 0)::integer as heads,
       coalesce(s.deputies, 0)::integer as deputies,
       coalesce(s.members, 0)::integer as members,
       coalesce(s.head_allowance, 0)::bigint as head_allowance_sum,
       coalesce(s.deputy_allowance, 0)::bigint as deputy_allowance_sum,
       coalesce(s.member_allowance, 0)::bigint as member_allowance_sum,
       coalesce(m.mentors, 0)::integer as mentors,
       coalesce(m.mentees, 0)::integer as mentees
from communities c
left join (
  select w.county_code, w.community_id,
         count(*) filter (where w.team = 'full_time') as full_time,
         count(*) filter (where w.team = 'part_time') as part_time,
         count(*) filter (where w.team = 'auxiliary') as auxiliary,
         sum(w.yearly_subsidy) as subsidy_yearly,
         count(*) filter (where w.rank_class = 'head') as heads,
         count(*) filter (where w.rank_class = 'deputy') as deputies,
         count(*) filter (where w.rank_class = 'member') as members,
         sum(a.monthly_yuan) filter (where w.rank_class = 'head') as head_allowance,
         sum(a.monthly_yuan) filter (where w.rank_class = 'deputy') as deputy_allowance,
         sum(a.monthly_yuan) filter (where w.rank_class = 'member') as member_allowance
  from workforce_staff w
  left join workforce_allowances a on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
  group by w.county_code, w.community_id
) s on s.county_code = c.county_code and s.community_id = c.id
left join (
  select w.county_code, w.community_id, count(distinct m.mentor_id) as mentors, count(*) as mentees
  from workforce_mentorships m join workforce_staff w on w.county_code = m.county_code and w.person_id = m.mentee_id
  group by w.county_code, w.community_id
) m on m.county_code = c.county_code and m.community_id = c.id;
