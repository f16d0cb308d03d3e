-- Moves into 00_platform.sql (private.row_quotas): the per-user row caps of the tracker's
-- tables. A power user keeps 5,000 jobs; these leave room for that many applications.
-- No new error codes: the tracker raises 22023, 23514, 42501, PT404 and PT409.
insert into private.row_quotas (table_name, max_rows, per) values
  ('tracker_settings', 1, 'user'),
  ('contacts', 5000, 'user'),
  ('job_contacts', 20000, 'user'),
  ('interviews', 5000, 'user'),
  ('interview_participants', 20000, 'user'),
  ('tags', 200, 'user'),
  ('job_tags', 25000, 'user'),
  ('job_materials', 5000, 'user'),
  ('email_proposals', 1000, 'user')
on conflict (table_name) do update set max_rows = excluded.max_rows, per = excluded.per;
