-- Locked grids of a draft (/plan): the planner's guard that neither painting nor balancing touches a
-- grid, kept with the plan so it holds on every browser and at publish (a locked grid whose units did not change
-- keeps its polygon exactly: plan-grid-geometry.ts).
alter table plans
  add column locked_grids text[] not null default '{}'
    check (cardinality(locked_grids) <= 5000 and array_to_string(locked_grids, ' ') ~ '^([A-Za-z0-9_-]{1,32}( |$))*$');
