-- The units a plan assigns follow the county's grid bounds (its counties row, migration 049) instead of a fixed
-- 500: compounds one grid can hold (at most max_households) stay whole, the buildings of heavier compounds are
-- the units. Same columns as before (migration 030).
create or replace view plan_units as
select c.county_code, c.id, 'compound'::text as kind, c.households, c.community_id, c.id as compound_id,
       coalesce(c.grid_id, (select b.grid_id from buildings b
                            where b.county_code = c.county_code and b.compound_id = c.id
                            group by b.grid_id order by sum(b.households) desc, b.grid_id limit 1)) as grid_id
from compounds c
join counties k on k.county_code = c.county_code
where c.households <= k.max_households
union all
select b.county_code, b.id, 'building'::text, b.households, c.community_id, c.id, b.grid_id
from buildings b
join compounds c on c.county_code = b.county_code and c.id = b.compound_id
join counties k on k.county_code = c.county_code
where c.households > k.max_households;
