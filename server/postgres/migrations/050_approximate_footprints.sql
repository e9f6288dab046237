-- A compound or building an imported county package gave as a point (server/county/import.ts) has a square
-- footprint of about 60 m² per household around it, not its outline: marked so that what is drawn or measured
-- from it can say so.
alter table compounds add column approximate boolean not null default false;
alter table buildings add column approximate boolean not null default false;
