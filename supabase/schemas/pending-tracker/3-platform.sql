-- Moves into the private.row_quotas list (80_account.sql in the lead's layout, where the
-- row-quota machinery lives): the per-user row caps of the tracker's tables. A power
-- user keeps 5,000 jobs; these leave room for that many applications. Only the rows go
-- there: the loop after that list creates the four counting triggers of every listed
-- table. Here, on a database built from today's migrations, the same loop runs for the
-- new tables. No new error codes: the tracker raises 22023, 23514, 42501, PT404, PT409.
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

do $$
declare
  q record;
begin
  for q in select * from private.row_quotas
            where table_name in ('tracker_settings', 'contacts', 'job_contacts', 'interviews', 'interview_participants',
                                 'tags', 'job_tags', 'job_materials', 'email_proposals') loop
    execute pg_catalog.format(
      'create or replace trigger %1$I after insert on public.%2$I referencing new table as added
         for each statement execute function private.count_added_rows()',
      q.table_name || '_rows_counted_on_insert', q.table_name);
    execute pg_catalog.format(
      'create or replace trigger %1$I after delete on public.%2$I referencing old table as removed
         for each statement execute function private.count_removed_rows()',
      q.table_name || '_rows_counted_on_delete', q.table_name);
    execute pg_catalog.format(
      'create or replace trigger %1$I after update of user_id on public.%2$I for each row
         when (old.user_id is distinct from new.user_id)
         execute function private.count_moved_row()',
      q.table_name || '_rows_counted_on_owner_change', q.table_name);
    execute pg_catalog.format(
      'create or replace trigger %1$I after truncate on public.%2$I
         for each statement execute function private.forget_truncated_rows()',
      q.table_name || '_rows_forgotten_on_truncate', q.table_name);
  end loop;
end
$$;
