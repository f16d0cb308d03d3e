-- Moves into 80_account.sql (export_my_data). Every tracker table cascades from
-- auth.users, so export_my_data (catalog-driven) exports them and account deletion
-- removes them without a change. One table is left out on purpose:
insert into private.export_exclusions (table_name, reason) values
  ('private.calendar_feeds', 'Only the SHA-256 of the calendar feed''s secret token: it opens nothing and tells the user nothing; calendar_feed_status() says whether a feed exists.')
on conflict (table_name) do nothing;
