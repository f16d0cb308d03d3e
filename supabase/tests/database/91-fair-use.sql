-- Fair use of the data API (supabase/schemas/90_fair_use.sql): PostgREST runs
-- private.check_fair_use() before every request. Here it is called as PostgREST calls it
-- (role, request.jwt.claims, request.headers set in the transaction) for the owner, a
-- stranger, anon and service_role, and the slots it takes are read from pg_locks. One
-- session re-enters its own advisory locks, so refusal at a full share is proven over
-- HTTP with other sessions holding the slots (tests/resilience/fair-use.test.ts).
-- Threats covered: a caller whose requests are not counted; two callers sharing a count;
-- an anonymous client choosing its own key with a forged header; service_role limited;
-- anon reading or filtering templates; the check not configured on authenticator.
begin;
select plan(15);

-- The slots this session holds under a caller's key (two-key advisory locks).
create function pg_temp.slots(caller text) returns int[] language sql as $$
  select coalesce(array_agg(l.objid::int order by l.objid), '{}')
    from pg_locks l
   where l.locktype = 'advisory' and l.pid = pg_backend_pid() and l.objsubid = 2
     and l.classid::bigint = (hashtext('fair_use:' || caller)::bigint + 4294967296) % 4294967296
$$;
create function pg_temp.advisory_locks() returns bigint language sql as $$
  select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()
$$;
grant execute on function pg_temp.slots(text), pg_temp.advisory_locks() to anon, authenticated, service_role;

insert into auth.users (id, email, aud, role) values
  ('91000000-0000-4000-8000-000000000001', 'owner@fair-use.test', 'authenticated', 'authenticated'),
  ('91000000-0000-4000-8000-000000000002', 'stranger@fair-use.test', 'authenticated', 'authenticated');
insert into public.templates (id, name, slug, schema, is_active) values
  ('91aaaaaa-0000-4000-8000-000000000001', 'Fair Active', 'fair-active', '{"layout": {"type": "two-column"}}', true),
  ('91aaaaaa-0000-4000-8000-000000000002', 'Fair Retired', 'fair-retired', '{"layout": {}}', false);

select is(
  (select setconfig from pg_db_role_setting where setrole = 'authenticator'::regrole and setdatabase = 0)
    @> array['pgrst.db_pre_request=private.check_fair_use'],
  true,
  'PostgREST''s db-pre-request is private.check_fair_use, set on authenticator as on hosted Supabase.'
);
select is(
  (select http_status from private.error_codes where sqlstate = 'PGRST'), 429,
  'The fair-use refusal is listed among the error codes as 429.'
);
select ok(
  has_function_privilege('anon', 'private.check_fair_use()', 'EXECUTE')
    and has_function_privilege('authenticated', 'private.check_fair_use()', 'EXECUTE')
    and has_function_privilege('service_role', 'private.check_fair_use()', 'EXECUTE')
    and not has_function_privilege('service_role', 'private.take_fair_use_slot(text,integer)', 'EXECUTE'),
  'Every role PostgREST switches to can run the check; the slot helper is for anon and authenticated only.'
);

-- The owner: one slot under the token's sub ---------------------------------------------

set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"91000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
select set_config('request.headers', '{"x-real-ip":"203.0.113.1"}', true);
select lives_ok($$select private.check_fair_use()$$, 'A signed-in user''s request within the share passes.');
select is(pg_temp.slots('user:91000000-0000-4000-8000-000000000001'), array[1],
  'It holds slot 1 of the user''s 3, keyed by the token''s sub (not the address).');
select is(pg_temp.advisory_locks(), 1::bigint, 'A signed-in request holds exactly one slot.');

-- A stranger: counted apart -------------------------------------------------------------

select set_config('request.jwt.claims', '{"sub":"91000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
select private.check_fair_use();
select is(pg_temp.slots('user:91000000-0000-4000-8000-000000000002'), array[1],
  'Another user''s request takes a slot of their own share, not the owner''s.');

-- anon: the client's slot and one of all anonymous clients' -----------------------------

reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select set_config('request.headers', '{"x-real-ip":"203.0.113.9","x-forwarded-for":"198.51.100.1, 203.0.113.9"}', true);
select private.check_fair_use();
select ok(
  pg_temp.slots('anon:203.0.113.9') = array[1] and pg_temp.slots('anon:*') = array[1],
  'An anonymous request holds a slot of its address (X-Real-IP before a client''s own X-Forwarded-For) and one of all anonymous clients.'
);
select is(pg_temp.slots('anon:198.51.100.1'), '{}'::int[], 'A client''s own first X-Forwarded-For entry is not the key when the platform set X-Real-IP.');
select set_config('request.headers', '{"cf-connecting-ip":"192.0.2.44","x-real-ip":"10.0.0.1"}', true);
select private.check_fair_use();
select is(pg_temp.slots('anon:192.0.2.44'), array[1], 'On hosted Supabase the Cloudflare address (CF-Connecting-IP) is the key.');

-- anon and templates --------------------------------------------------------------------

select throws_ok($$select id from public.templates limit 1$$, '42501', null,
  'anon reads no template rows, so no filter on their JSON (the regex that held a connection).');
select is(public.get_template_layout('fair-active'), '{"layout": {"type": "two-column"}}'::jsonb,
  'anon reads an active template''s layout by slug, for the share page.');
select is(public.get_template_layout('fair-retired'), null, 'A retired template''s layout is not served.');

-- service_role: not limited ---------------------------------------------------------------

reset role;
create temp table locks_before as select pg_temp.advisory_locks() as n;
grant select on locks_before to service_role;
set local role service_role;
select set_config('request.jwt.claims', '{"role":"service_role"}', true);
select set_config('request.headers', '{}', true);
select lives_ok($$select private.check_fair_use()$$, 'service_role passes the check.');
select is(pg_temp.advisory_locks(), (select n from locks_before), 'service_role (the server''s own key) takes no slot.');

select * from finish();
rollback;
