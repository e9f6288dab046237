-- A photo upload retried by the client (the answer was lost on a flaky network) carries the same key: it is
-- the photo already stored, not a second one (server/db/issues-workflow.ts addPhoto).
alter table issue_photos add column idempotency_key text check (idempotency_key ~ '^[A-Za-z0-9._:-]{8,100}$');
create unique index issue_photos_idempotency on issue_photos (county_code, issue_id, idempotency_key)
  where idempotency_key is not null;
