-- Households and population are stored once, on buildings (and compounds, whose buildings sum to them);
-- every higher level sums them here, so no total is typed in twice.

create view grid_totals as
select g.county_code, g.id as grid_id,
       coalesce(sum(b.households), 0)::integer as households,
       coalesce(sum(b.population), 0)::integer as population,
       count(b.id)::integer as buildings
from grids g
left join buildings b on b.county_code = g.county_code and b.grid_id = g.id
group by g.county_code, g.id;

create view community_totals as
select c.county_code, c.id as community_id,
       coalesce(sum(t.households), 0)::integer as households,
       coalesce(sum(t.population), 0)::integer as population,
       count(t.grid_id)::integer as grids
from communities c
left join grids g on g.county_code = c.county_code and g.community_id = c.id
left join grid_totals t on t.county_code = g.county_code and t.grid_id = g.id
group by c.county_code, c.id;
