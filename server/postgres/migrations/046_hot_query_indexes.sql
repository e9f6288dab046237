-- Indexes of the hot queries beyond tiles (tests/integration/hot-query-indexes.test.ts reads EXPLAIN):
-- periods of the wall figures and /api/stats (reported, closed, dispatched, rated within a window), the
-- community and street filters of the work queue and of area scopes, and the 50 m duplicate lookup, which
-- measures in metres on the geography.
create index issues_created on issues (county_code, created_at);
create index issues_source_created on issues (county_code, source, created_at);
create index issues_closed on issues (county_code, closed_at) where closed_at is not null;
create index issues_community on issues (county_code, community_id);
create index issues_street on issues (county_code, street_id);
create index issues_location_geography on issues using gist ((location::geography));
create index issue_events_at on issue_events (county_code, at);
create index issue_assignments_dispatched on issue_assignments (county_code, dispatched_at);
create index issue_ratings_created on issue_ratings (county_code, created_at);
