-- An account's display name: what the issue history and the page frame show instead of the
-- username, which is half of a credential. Optional; without it the history shows the role.
-- The same rule as server/auth/account-rules.ts (which also rejects format and separator characters).
alter table users add column display_name text;
alter table users add constraint users_display_name check (
  char_length(display_name) between 1 and 64
  and display_name = btrim(display_name)
  and display_name !~ '[[:cntrl:]]'
);
