-- Publishing plans (/plan): a published plan is the record of one change of the grids — who published
-- it and when, the data version it produced, and what changed. Its plan_assignments are rewritten to the grid ids
-- it created, so restoring it later republishes exactly that assignment.

alter table plans
  add column published_at timestamptz,
  add column published_by bigint,
  -- data_versions.version this publication produced: a draft whose base_data_version is older than the
  -- newest of these must be rebased before it can be published.
  add column published_data_version bigint,
  -- A restore publishes a copy of an earlier published plan; this names the original.
  add column restored_from bigint,
  -- Units and households moved, grids created, retired and redrawn (plan-publish-repo.ts).
  add column publish_summary jsonb,
  add foreign key (county_code, published_by) references users (county_code, id),
  add constraint plans_published_complete check (status = 'draft' or (published_at is not null and published_data_version is not null));

create index plans_published on plans (county_code, published_data_version) where status = 'published';

-- The grids as loaded, before the first publication: the base of drafts begun before anything was published
-- (rebase compares a draft with its base to find the moves it made).
create table plan_baseline_assignments (
  county_code text not null,
  unit_id text not null,
  grid_id text,
  primary key (county_code, unit_id)
);
