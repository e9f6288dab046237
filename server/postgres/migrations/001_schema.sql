-- The spatial hierarchy county → street → community → grid → compound → building, the stations,
-- the people and organisations. Every table starts its key with county_code: the distribution key
-- for a Citus deployment (docs/data-model.md). geom is WGS84; geom_3857 is kept for tiles.

create extension if not exists postgis;

create table streets (
  county_code text not null,
  id text not null,
  code text not null,
  name text not null,
  name_en text,
  geom geometry(MultiPolygon, 4326) not null,
  geom_3857 geometry(MultiPolygon, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id)
);

create table communities (
  county_code text not null,
  id text not null,
  code text not null,
  name text not null,
  name_en text,
  street_id text not null,
  synthetic_name boolean not null default false,
  leader_id text,
  geom geometry(MultiPolygon, 4326) not null,
  geom_3857 geometry(MultiPolygon, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id),
  foreign key (county_code, street_id) references streets
);

create table grids (
  county_code text not null,
  id text not null,
  code text not null,
  name text not null,
  name_en text,
  community_id text not null,
  party_branch text,
  head_id text,
  geom geometry(MultiPolygon, 4326) not null,
  geom_3857 geometry(MultiPolygon, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id),
  unique (county_code, code),
  foreign key (county_code, community_id) references communities
);

create table compounds (
  county_code text not null,
  id text not null,
  name text not null,
  name_en text,
  type text not null check (type in ('commercial_residential', 'old', 'transitional', 'work_unit')),
  era text,
  facility_level text,
  resident_type text,
  service_needs text[] not null default '{}',
  households integer not null check (households >= 0),
  population integer not null check (population >= 0),
  property_service text,
  owners_committee_deputy boolean not null default false,
  community_id text not null,
  grid_id text,
  geom geometry(MultiPolygon, 4326) not null,
  geom_3857 geometry(MultiPolygon, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id),
  foreign key (county_code, community_id) references communities,
  foreign key (county_code, grid_id) references grids
);

create table buildings (
  county_code text not null,
  id text not null,
  name text,
  compound_id text not null,
  grid_id text not null,
  households integer not null check (households >= 0),
  population integer not null check (population >= 0),
  floors integer,
  form text,
  geom geometry(MultiPolygon, 4326) not null,
  geom_3857 geometry(MultiPolygon, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id),
  foreign key (county_code, compound_id) references compounds,
  foreign key (county_code, grid_id) references grids
);

create table stations (
  county_code text not null,
  id text not null,
  name text not null,
  name_en text,
  kind text not null check (kind in ('micro_living_room', 'street_post', 'grid_centre')),
  community_id text,
  grid_id text,
  geom geometry(Point, 4326) not null,
  geom_3857 geometry(Point, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id),
  foreign key (county_code, community_id) references communities,
  foreign key (county_code, grid_id) references grids
);

-- Personal information: names, phones, party membership. Never in tiles or OGC items (counts only).
create table people (
  county_code text not null,
  id text not null,
  name text not null,
  phone text,
  gender text,
  birth_year integer,
  roles text[] not null default '{}',
  building_id text,
  grid_id text,
  community_id text,
  party_member boolean not null default false,
  in_service boolean not null default false,
  red_steward boolean not null default false,
  primary key (county_code, id),
  foreign key (county_code, building_id) references buildings,
  foreign key (county_code, grid_id) references grids,
  foreign key (county_code, community_id) references communities
);

create table member_units (
  county_code text not null,
  id text not null,
  name text not null,
  name_en text,
  trade text,
  primary key (county_code, id)
);

create table member_unit_grids (
  county_code text not null,
  unit_id text not null,
  grid_id text not null,
  primary key (county_code, unit_id, grid_id),
  foreign key (county_code, unit_id) references member_units,
  foreign key (county_code, grid_id) references grids
);

create table social_organisations (
  county_code text not null,
  id text not null,
  name text not null,
  name_en text,
  service text,
  community_id text,
  primary key (county_code, id),
  foreign key (county_code, community_id) references communities
);

-- The offline base map: roads, blocks, water, green, landmarks.
create table basemap_features (
  county_code text not null,
  id integer not null,
  kind text not null,
  class text,
  name text,
  name_en text,
  geom geometry(Geometry, 4326) not null,
  geom_3857 geometry(Geometry, 3857) generated always as (st_transform(geom, 3857)) stored,
  primary key (county_code, id)
);

-- Bumped on every write that changes what tiles show: tile URLs and ETags carry it.
create table data_versions (
  county_code text primary key,
  version bigint not null default 1,
  updated_at timestamptz not null default now()
);

create index on streets using gist (geom);
create index on streets using gist (geom_3857);
create index on communities using gist (geom);
create index on communities using gist (geom_3857);
create index on grids using gist (geom);
create index on grids using gist (geom_3857);
create index on compounds using gist (geom);
create index on compounds using gist (geom_3857);
create index on buildings using gist (geom);
create index on buildings using gist (geom_3857);
create index on stations using gist (geom);
create index on stations using gist (geom_3857);
create index on basemap_features using gist (geom);
create index on basemap_features using gist (geom_3857);
create index on buildings (county_code, grid_id);
create index on buildings (county_code, compound_id);
create index on compounds (county_code, grid_id);
create index on people (county_code, grid_id);
create index on people (county_code, building_id);
