-- One label point per polygon, inside it (centre of the largest inscribed circle): polygon tiles would
-- label every tile fragment of a grid or community separately.
alter table communities add column label_3857 geometry(Point, 3857)
  generated always as ((st_maximuminscribedcircle(st_transform(geom, 3857))).center) stored;
alter table grids add column label_3857 geometry(Point, 3857)
  generated always as ((st_maximuminscribedcircle(st_transform(geom, 3857))).center) stored;
alter table compounds add column label_3857 geometry(Point, 3857)
  generated always as ((st_maximuminscribedcircle(st_transform(geom, 3857))).center) stored;
create index on communities using gist (label_3857);
create index on grids using gist (label_3857);
create index on compounds using gist (label_3857);
