-- What a reporter account reports as (shared/issue-states.ts REPORTER_KINDS): a delivery rider serving as a
-- part-time grid worker, or a party member. A report's source comes from the account, never from the request;
-- null: a resident. Only reporter accounts have one (grid workers report as grid workers by their role).
alter table users add column reports_as text check (reports_as in ('rider', 'party_member'));
alter table users add constraint users_reports_as_role check (reports_as is null or role = 'reporter');
