-- Why: private.record_render_artifact raises 23503 (foreign_key_violation) for a render
-- outside the renders bucket, and every code a function raises must be listed in
-- private.error_codes with the HTTP status a client sees. The row had been added to
-- 20261201130000 after that migration was applied; a database that ran the earlier
-- version never sees such an edit, so it is added here.

insert into private.error_codes (sqlstate, http_status, meaning) values
  ('23503', 409, 'A row names another that does not exist or is not allowed (foreign_key_violation): a render outside the renders bucket.')
on conflict (sqlstate) do nothing;
