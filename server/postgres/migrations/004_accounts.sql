-- Accounts, sessions, login throttling, wall display tokens and the audit log (server/auth/README.md).
-- No raw secret is stored: passwords as scrypt strings, session and display tokens as sha256 hex.
-- Like every table, each starts its key with county_code (docs/data-model.md).

create table users (
  county_code text not null,
  id bigint generated always as identity,
  username text not null check (username ~ '^[A-Za-z0-9._-]{2,64}$'),
  password_hash text not null,
  role text not null check (role in ('admin', 'leader', 'planner', 'dispatcher', 'grid_worker', 'reporter')),
  -- Area scope, most specific last; null means the whole county. Not foreign keys: a published
  -- plan may retire a grid, and the account must survive it (its scope then matches nothing).
  street_id text,
  community_id text,
  grid_id text,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (county_code, id)
);
-- Usernames are compared without regard to case.
create unique index users_username on users (county_code, lower(username));

create table sessions (
  county_code text not null,
  token_hash text not null,
  user_id bigint not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (county_code, token_hash),
  foreign key (county_code, user_id) references users on delete cascade
);
create index sessions_expiry on sessions (county_code, expires_at);

-- Failed logins per key ('user:<name>' or 'ip:<address>'), whether or not the user exists.
create table login_attempts (
  county_code text not null,
  key text not null,
  failures integer not null default 0,
  last_failure_at timestamptz not null default now(),
  locked_until timestamptz,
  primary key (county_code, key)
);

create table display_tokens (
  county_code text not null,
  id bigint generated always as identity,
  token_hash text not null,
  screen text not null,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (county_code, id),
  unique (county_code, token_hash),
  foreign key (county_code, created_by) references users
);

create table audit_log (
  county_code text not null,
  id bigint generated always as identity,
  at timestamptz not null default now(),
  -- Who: a user id (null for the system or a wall), and a readable label kept even if the user goes.
  actor_user_id bigint,
  actor text not null,
  action text not null,
  target text,
  before jsonb,
  after jsonb,
  ip text,
  primary key (county_code, id)
);
create index audit_log_at on audit_log (county_code, at);
