-- Issues (事件) from snap report to closure (随手拍 → 结案): the category taxonomy with its time limits, the
-- working-hours calendar, issues, their lifecycle events, member-unit assignments, photos and ratings.
-- Like every table, each starts its key with county_code (docs/data-model.md). The lifecycle's states and
-- transitions are in shared/issue-states.ts; its writes in server/db/issues-workflow.ts.

-- Two levels: major classes (parent_id null) and minor classes. Minor classes carry the time limit in
-- working hours (admin-editable) and the trade of the member units responsible for them.
create table issue_categories (
  county_code text not null,
  id text not null check (id ~ '^[A-Za-z0-9_-]{1,40}$'),
  parent_id text,
  name text not null,
  name_en text not null,
  time_limit_hours numeric(7, 2) check (time_limit_hours > 0),
  responsible_trade text,
  sort integer not null default 0,
  primary key (county_code, id),
  foreign key (county_code, parent_id) references issue_categories,
  check ((parent_id is null) = (time_limit_hours is null))
);

-- Exceptions to the weekly working pattern: public holidays (workday = false) and the weekend days
-- worked in exchange (调休, workday = true). The weekly pattern itself is in server/config.ts.
create table working_calendar (
  county_code text not null,
  day date not null,
  workday boolean not null,
  name text not null,
  primary key (county_code, day)
);

create table issues (
  county_code text not null,
  id bigint generated always as identity,
  code text not null,
  category_id text not null,
  source text not null check (source in ('resident', 'rider', 'grid_worker', 'party_member')),
  description text not null,
  location geometry(Point, 4326) not null,
  -- Resolved in SQL at insert, point in polygon.
  grid_id text not null,
  community_id text not null,
  street_id text not null,
  compound_id text,
  state text not null check (state in ('reported', 'accepted', 'filed', 'dispatched', 'signed', 'handling', 'feedback',
    'verified', 'closed', 'rework', 'rated', 'reopened', 'returned', 'duplicate', 'deferred', 'void')),
  severity smallint check (severity between 1 and 3),
  deadline timestamptz,
  reporter_user_id bigint,
  -- The reporter's contact as given with the report: personal, masked for most roles.
  reporter_name text,
  reporter_phone text,
  idempotency_key text,
  duplicate_of bigint,
  rework_count integer not null default 0,
  synthetic boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  filed_at timestamptz,
  closed_at timestamptz,
  primary key (county_code, id),
  unique (county_code, code),
  foreign key (county_code, category_id) references issue_categories,
  foreign key (county_code, grid_id) references grids,
  foreign key (county_code, duplicate_of) references issues,
  foreign key (county_code, reporter_user_id) references users
);
-- One issue per reporter and idempotency key: a retried report is the same report.
create unique index issues_idempotency on issues (county_code, reporter_user_id, idempotency_key)
  where idempotency_key is not null;
create index issues_location on issues using gist (location);
create index issues_state on issues (county_code, state, category_id);
create index issues_grid on issues (county_code, grid_id);
create index issues_reporter on issues (county_code, reporter_user_id, created_at);

-- Every transition, the audit of the lifecycle.
create table issue_events (
  county_code text not null,
  id bigint generated always as identity,
  issue_id bigint not null,
  from_state text,
  to_state text not null,
  actor_user_id bigint,
  actor text not null,
  role text,
  reason text,
  fields jsonb not null default '{}',
  at timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, issue_id) references issues
);
create index issue_events_issue on issue_events (county_code, issue_id, at);

-- Member units summoned (吹哨报到); a cross-department case summons several.
create table issue_assignments (
  county_code text not null,
  issue_id bigint not null,
  unit_id text not null,
  dispatched_at timestamptz not null default now(),
  signed_at timestamptz,
  primary key (county_code, issue_id, unit_id),
  foreign key (county_code, issue_id) references issues,
  foreign key (county_code, unit_id) references member_units
);
create index issue_assignments_unit on issue_assignments (county_code, unit_id);

-- Photos are files under $DATA_DIR/uploads (re-encoded, no EXIF), with a thumbnail; paths are relative.
create table issue_photos (
  county_code text not null,
  id bigint generated always as identity,
  issue_id bigint not null,
  kind text not null check (kind in ('report', 'after')),
  path text not null,
  thumbnail_path text not null,
  media_type text not null check (media_type in ('image/jpeg', 'image/png')),
  width integer not null,
  height integer not null,
  bytes integer not null,
  uploaded_by bigint,
  created_at timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, issue_id) references issues
);
create index issue_photos_issue on issue_photos (county_code, issue_id);

create table issue_ratings (
  county_code text not null,
  issue_id bigint not null,
  rating text not null check (rating in ('satisfied', 'basically_satisfied', 'unsatisfied')),
  comment text,
  rated_by bigint,
  created_at timestamptz not null default now(),
  primary key (county_code, issue_id),
  foreign key (county_code, issue_id) references issues
);
