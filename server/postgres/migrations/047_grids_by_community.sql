-- A community's grids by key: the communities layer sums its grids' buildings per community read
-- (server/db/layers.ts), and area cards and scopes look grids up by community.
create index grids_community on grids (county_code, community_id);
