-- Plans of the planner (/plan): a draft is an assignment of units to grid labels, made from the current
-- grids and edited by hand or by the balancing engine (server/balance). Publishing (a later slice) turns a plan
-- into grids in one transaction.

-- The units a plan assigns: compounds of at most 500 households (the engine's default max: one grid can hold
-- them), and the buildings of heavier compounds, which must be split over ceil(W/500) grids. A compound without a
-- grid of its own (split in the data) takes the grid holding most of its households. No geometry here: the
-- GeoJSON is built from compounds and buildings in server/db/plans-repo.ts.
create view plan_units as
select c.county_code, c.id, 'compound'::text as kind, c.households, c.community_id, c.id as compound_id,
       coalesce(c.grid_id, (select b.grid_id from buildings b
                            where b.county_code = c.county_code and b.compound_id = c.id
                            group by b.grid_id order by sum(b.households) desc, b.grid_id limit 1)) as grid_id
from compounds c
where c.households <= 500
union all
select b.county_code, b.id, 'building'::text, b.households, c.community_id, c.id, b.grid_id
from buildings b
join compounds c on c.county_code = b.county_code and c.id = b.compound_id
where c.households > 500;

create table plans (
  county_code text not null,
  id bigint generated always as identity,
  name text not null check (length(name) between 1 and 100),
  author_id bigint not null,
  -- data_versions.version when the draft began: a publish over a newer version must rebase first.
  base_data_version bigint not null,
  status text not null default 'draft' check (status in ('draft', 'published')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, author_id) references users (county_code, id)
);

create table plan_assignments (
  county_code text not null,
  plan_id bigint not null,
  -- A compound, or a building of a split compound (see plan_units).
  unit_id text not null,
  -- The grid the unit lies in under this plan: an existing grid id (G012) or a new label; null = no grid.
  grid_label text check (grid_label ~ '^[A-Za-z0-9_-]{1,32}$'),
  primary key (county_code, plan_id, unit_id),
  foreign key (county_code, plan_id) references plans on delete cascade
);
