-- Prefer: count=planned and count=estimated answer from the planner's statistics, which
-- describe every user's rows (a user with one job saw jobs?status=eq.applied as */1251).
-- private.refuse_estimated_counts, called by PostgREST's db-pre-request, refuses them.
-- These statements imitate PostgREST: the request's role, its claims and its headers
-- (lower-case names, as JSON in request.headers) are set in the transaction, then the
-- pre-request runs.
begin;
select plan(8);

select tests.create_supabase_user('counter');

create function pg_temp.as_request(role text, prefer text) returns void language sql as $$
  select set_config('request.headers', json_build_object('prefer', prefer, 'accept', '*/*')::text, true),
         set_config('request.jwt.claims', json_build_object('role', role, 'sub', tests.get_supabase_uid('counter'))::text, true),
         set_config('role', role, true);
$$;

select pg_temp.as_request('authenticated', 'count=planned');
select throws_ok($$select private.refuse_estimated_counts()$$, '22023',
  'Prefer: count=planned and count=estimated are not offered: they read statistics over every user''s rows.',
  'A signed-in user''s count=planned is refused (400).');
reset role;
select pg_temp.as_request('authenticated', 'return=representation, count=estimated');
select throws_ok($$select private.refuse_estimated_counts()$$, '22023', null,
  'count=estimated is refused too, also among other preferences.');
reset role;
select pg_temp.as_request('authenticated', 'Count = Planned');
select throws_ok($$select private.refuse_estimated_counts()$$, '22023', null,
  'in any case and spacing.');
reset role;
select pg_temp.as_request('anon', 'count=planned');
select throws_ok($$select private.refuse_estimated_counts()$$, '22023', null,
  'An anonymous caller''s count=planned is refused.');
reset role;
select pg_temp.as_request('authenticated', 'count=exact');
select lives_ok($$select private.refuse_estimated_counts()$$,
  'count=exact, which counts only the caller''s rows, is answered.');
reset role;
select pg_temp.as_request('authenticated', 'return=minimal');
select lives_ok($$select private.refuse_estimated_counts()$$, 'A request without a count is answered.');
reset role;
select set_config('request.headers', '', true);
set local role authenticated;
select lives_ok($$select private.refuse_estimated_counts()$$, 'So is a statement outside any request (no headers).');
reset role;
select pg_temp.as_request('service_role', 'count=planned');
select lives_ok($$select private.refuse_estimated_counts()$$,
  'The service role, which sees every row anyway, may ask for planned counts.');
reset role;

select * from finish();
rollback;
