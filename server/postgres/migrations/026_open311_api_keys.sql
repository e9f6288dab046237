-- Open311 GeoReport v2 (server/open311/README.md): api keys with which a 311 client reports as one
-- reporter account. Stored as sha256 hex only, like sessions and display tokens; revocable.
create table api_keys (
  county_code text not null,
  id bigint generated always as identity,
  key_hash text not null,
  user_id bigint not null,
  name text not null,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (county_code, id),
  unique (county_code, key_hash),
  foreign key (county_code, user_id) references users on delete cascade,
  foreign key (county_code, created_by) references users
);
