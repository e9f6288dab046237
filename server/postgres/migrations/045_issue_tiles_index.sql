-- The issues tile layer (server/db/layers.ts) selects by the web-mercator point; an expression index
-- answers its bounding-box test without transforming every row.
create index issues_location_3857 on issues using gist (st_transform(location, 3857));
