-- The community's own service work (server/community/README.md): micro-wishes (微心愿) posted by grid
-- workers for residents and claimed by in-service party members (在职党员), service activities (活动) per grid,
-- and deliberation items (议事/协商) through the four steps. Counts per grid: view grid_service_counts.

create table micro_wishes (
  county_code text not null,
  id bigint generated always as identity,
  grid_id text not null,
  community_id text not null,
  title text not null check (length(title) between 1 and 100),
  description text,
  state text not null default 'posted' check (state in ('posted', 'claimed', 'fulfilled')),
  posted_by bigint,
  posted_at timestamptz not null default now(),
  -- The in-service party member who claimed it (a person of the register: personal, masked in lists).
  claimed_by text,
  claimed_at timestamptz,
  fulfilled_at timestamptz,
  fulfilment_note text,
  synthetic boolean not null default false,
  primary key (county_code, id),
  foreign key (county_code, grid_id) references grids,
  foreign key (county_code, community_id) references communities,
  foreign key (county_code, posted_by) references users,
  foreign key (county_code, claimed_by) references people,
  check ((state = 'posted') = (claimed_by is null)),
  check ((state = 'fulfilled') = (fulfilled_at is not null))
);
create index micro_wishes_grid on micro_wishes (county_code, grid_id, state);

create table service_activities (
  county_code text not null,
  id bigint generated always as identity,
  grid_id text not null,
  community_id text not null,
  kind text not null check (kind in ('volunteer', 'elderly_care', 'environment', 'culture', 'safety', 'health', 'policy')),
  title text not null check (length(title) between 1 and 100),
  -- Organised by a joint-committee member unit, or named freely (a party branch, a social organisation).
  organiser_unit_id text,
  organiser text not null check (length(organiser) between 1 and 100),
  participants integer not null check (participants between 1 and 10000),
  held_on date not null,
  logged_by bigint,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, grid_id) references grids,
  foreign key (county_code, community_id) references communities,
  foreign key (county_code, organiser_unit_id) references member_units,
  foreign key (county_code, logged_by) references users
);
create index service_activities_grid on service_activities (county_code, grid_id, held_on);

-- 议事: compound party branch proposes → owners' committee discusses → party members' meeting reviews →
-- building heads' meeting resolves (domain.md). A resolved item is a consultation problem solved.
create table deliberation_items (
  county_code text not null,
  id bigint generated always as identity,
  grid_id text not null,
  community_id text not null,
  topic text not null check (topic in ('entry', 'stairs', 'parking', 'property', 'environment', 'other')),
  title text not null check (length(title) between 1 and 100),
  step text not null default 'proposed' check (step in ('proposed', 'discussed', 'reviewed', 'resolved')),
  resolution text,
  created_by bigint,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, grid_id) references grids,
  foreign key (county_code, community_id) references communities,
  foreign key (county_code, created_by) references users,
  check ((step = 'resolved') = (resolution is not null))
);
create index deliberation_items_grid on deliberation_items (county_code, grid_id, step);

-- Each step an item went through, with who recorded it and the meeting's note.
create table deliberation_steps (
  county_code text not null,
  item_id bigint not null,
  step text not null check (step in ('proposed', 'discussed', 'reviewed', 'resolved')),
  note text,
  actor text not null,
  at timestamptz not null default now(),
  primary key (county_code, item_id, step),
  foreign key (county_code, item_id) references deliberation_items
);

-- Counts per grid for the inspection card and the wall: never a person.
create view grid_service_counts as
select g.county_code, g.id as grid_id, g.community_id,
       coalesce(w.posted, 0)::integer as wishes_posted,
       coalesce(w.claimed, 0)::integer as wishes_claimed,
       coalesce(w.fulfilled, 0)::integer as wishes_fulfilled,
       coalesce(a.activities, 0)::integer as activities,
       coalesce(a.participants, 0)::integer as activity_participants,
       coalesce(d.open, 0)::integer as deliberations_open,
       coalesce(d.resolved, 0)::integer as deliberations_resolved
from grids g
left join (
  select county_code, grid_id, count(*) as posted, count(*) filter (where state <> 'posted') as claimed,
         count(*) filter (where state = 'fulfilled') as fulfilled
  from micro_wishes group by county_code, grid_id
) w on w.county_code = g.county_code and w.grid_id = g.id
left join (
  select county_code, grid_id, count(*) as activities, sum(participants) as participants
  from service_activities group by county_code, grid_id
) a on a.county_code = g.county_code and a.grid_id = g.id
left join (
  select county_code, grid_id, count(*) filter (where step <> 'resolved') as open, count(*) filter (where step = 'resolved') as resolved
  from deliberation_items group by county_code, grid_id
) d on d.county_code = g.county_code and d.grid_id = g.id;
