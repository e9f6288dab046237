-- The county a loaded data set describes, from its manifest (county.json, shared/county-manifest.ts): its name,
-- its grid bounds (households per grid, a county setting: the planner and the publish check read them here) and
-- whether the data is made up (the demo badge shows only then). The loader writes the row with the data.
create table counties (
  county_code text primary key,
  name text not null check (char_length(name) between 1 and 60),
  name_en text check (char_length(name_en) between 1 and 60),
  min_households integer not null check (min_households >= 1),
  max_households integer not null check (max_households > min_households),
  synthetic boolean not null,
  manifest jsonb not null,
  loaded_at timestamptz not null default now()
);
