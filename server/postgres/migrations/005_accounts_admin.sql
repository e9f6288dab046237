-- Administration of accounts over HTTP (server/auth/README.md): when each account last logged in, and
-- indexes for the audit viewer's filters (by actor, by action; newest first).
alter table users add column last_login_at timestamptz;

create index audit_log_actor on audit_log (county_code, lower(actor), id);
create index audit_log_action on audit_log (county_code, action, id);
