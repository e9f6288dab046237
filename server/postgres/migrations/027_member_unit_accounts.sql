-- Member units sign for themselves (吹哨报到, server/issues/README.md): accounts of the role member_unit
-- belong to one joint party committee member unit and see, sign and handle the cases dispatched to it.
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
  check (role in ('admin', 'leader', 'planner', 'dispatcher', 'grid_worker', 'reporter', 'member_unit'));
alter table users add column unit_id text;
alter table users add constraint users_unit foreign key (county_code, unit_id) references member_units;
alter table users add constraint users_unit_role check ((role = 'member_unit') = (unit_id is not null));
