-- Why: a client must be able to tell why SQL refused something, and the same condition
-- must answer the same HTTP status through PostgREST and through the edge functions.
-- private.error_codes is the one list of the SQLSTATEs our functions, triggers and
-- constraints answer with, and the status each one means. PTxyz codes are PostgREST's
-- own: it answers a RAISE with errcode 'PT409' with HTTP 409. The others get PostgREST's
-- standard mapping, which the table writes down. P0001 (what a RAISE without errcode
-- gets, and what PostgREST answers with 400) is never in it.
--
-- tests/sql-errors.test.ts reads every RAISE from pg_proc and fails on one without an
-- errcode from this table; it also checks the edge functions' mapping
-- (supabase/functions/_shared/sql-errors.ts) and the README's error table against it.
-- A migration that needs a new code adds a row here (insert ... on conflict do nothing).

create table private.error_codes (
  sqlstate text primary key
    constraint error_codes_sqlstate_is_explicit check (sqlstate ~ '^[0-9A-Z]{5}$' and sqlstate <> 'P0001'),
  http_status integer not null
    constraint error_codes_http_status_is_an_error check (http_status between 400 and 599),
  meaning text not null
);

comment on table private.error_codes is
  'The SQLSTATEs our RPCs, triggers and constraints answer with, and the HTTP status each means (PostgREST and the edge functions alike). Every RAISE uses one of them; add a row for a new one.';

-- Internal documentation: no API role reads it.
revoke all on table private.error_codes from public, anon, authenticated, service_role;

insert into private.error_codes (sqlstate, http_status, meaning) values
  ('22023', 400, 'An argument is malformed or out of range (invalid_parameter_value).'),
  ('23505', 409, 'A uniqueness rule refused a second row (unique_violation): one job per URL, one skill or language name per user.'),
  ('23514', 400, 'A row breaks a named CHECK rule (check_violation); triggers that check a row raise it too.'),
  ('42501', 403, 'Not allowed, or not signed in (insufficient_privilege); PostgREST answers 401 when the caller is anon.'),
  ('PT404', 404, 'Not found, or not yours: the two are never told apart.'),
  ('PT409', 409, 'The row''s state forbids the change now: a wizard session or template no longer active, a start that lost every race.')
on conflict (sqlstate) do nothing;
