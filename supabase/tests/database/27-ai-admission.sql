-- AI admission: private.admit_ai_request / reserve_ai_call / settle_ai_call, the
-- ledger the AI limits count. Threats covered:
--   more requests per minute than the limit; a daily token budget overdrawn by calls in
--   flight; a repair turn that slips past the minute window; ai_events rows a client
--   inserted (negative tokens, a created_at in 2099) opening the limits again; a
--   deleted account's token still admitted; another user's admission reserved or
--   settled; the ledger read or written by any API role; admission without the lock.
-- The race itself (60 parallel requests, 30 admitted) is tests/resilience/ai-admission.test.ts.
begin;
select plan(39);

insert into auth.users (id, email, aud, role) values
  ('11111111-1111-4111-8111-111111111111', 'owner@admission.test', 'authenticated', 'authenticated'),
  ('22222222-2222-4222-8222-222222222222', 'stranger@admission.test', 'authenticated', 'authenticated'),
  ('33333333-3333-4333-8333-333333333333', 'deleted@admission.test', 'authenticated', 'authenticated');
update auth.users set deleted_at = now() where id = '33333333-3333-4333-8333-333333333333';

create temp table admitted (label text primary key, id uuid);
grant all on admitted to authenticated, anon;

create function pg_temp.act_as(sub text) returns void language sql as $$
  select set_config('role', 'authenticated', true),
         set_config('request.jwt.claims', json_build_object('sub', sub, 'role', 'authenticated')::text, true);
$$;
grant execute on function pg_temp.act_as(text) to authenticated, anon, service_role;

-- Shape ------------------------------------------------------------------------------

select is(
  (select array_agg(p.prosecdef order by p.proname) from pg_proc p
    where p.pronamespace = 'private'::regnamespace
      and p.proname in ('admit_ai_request', 'reserve_ai_call', 'settle_ai_call')),
  array[true, true, true],
  'The three admission functions are SECURITY DEFINER bodies in the unexposed schema private.'
);
select is_empty(
  $$select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.proname ~ 'ai_(request|call)'$$,
  'No wrapper in public: PostgREST cannot reach admission, only the functions acting as the caller.'
);
select is_empty(
  $$select r.rolname, c.cmd from (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
     cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) c(cmd)
     where has_table_privilege(r.rolname, 'private.ai_admissions', c.cmd)$$,
  'No API role may select, insert, update or delete ledger rows directly.'
);

-- The ledger is closed to direct access, for each actor and command.
create function pg_temp.direct(actor text, statement text) returns text language plpgsql as $$
begin
  begin
    perform set_config('role', case when actor = 'owner' then 'authenticated' else actor end, true);
    perform set_config('request.jwt.claims', case when actor = 'owner'
      then '{"sub":"11111111-1111-4111-8111-111111111111","role":"authenticated"}'
      else json_build_object('role', actor)::text end, true);
    execute statement;
    raise exception 'roll back' using errcode = 'P0099';
  exception
    when sqlstate 'P0099' then return 'allowed';
    when others then return 'error ' || sqlstate;
  end;
end
$$;
select is(
  (select array_agg(distinct pg_temp.direct(a, s))
     from unnest(array['owner', 'anon', 'service_role']) a,
          unnest(array[
            $$select * from private.ai_admissions$$,
            $$insert into private.ai_admissions (user_id, action) values ('11111111-1111-4111-8111-111111111111', 'skills')$$,
            $$update private.ai_admissions set used_tokens = 0$$,
            $$delete from private.ai_admissions$$]) s),
  array['error 42501'],
  'Owner, anon and service_role are each refused (42501) for select, insert, update and delete on the ledger.'
);

-- Admission against the minute window ------------------------------------------------

select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
insert into admitted select 'a' || n, (private.admit_ai_request('skills', 3, 0)).admission_id from generate_series(1, 3) n;
select is((select count(id)::int from admitted), 3, 'Three requests are admitted against a limit of three per minute.');
select ok(
  exists (select 1 from pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted),
  'Admission holds a transaction-level advisory lock until the transaction ends.'
);
select is(
  (select (r.admission_id, r.refusal) from private.admit_ai_request('skills', 3, 0) r)::text,
  '(,rate_limited)',
  'The fourth is refused as rate_limited, with no admission id.'
);
select ok(
  (select r.retry_after_seconds between 1 and 60 from private.admit_ai_request('skills', 3, 0) r),
  'A refusal says when the window frees a slot (1 to 60 seconds).'
);
select is(
  (select refusal from private.admit_ai_request('skills', 0, 0)),
  null,
  'A limit of 0 turns the minute window off.'
);

-- Rows outside the window or forged by the client do not count ------------------------

reset role;
update private.ai_admissions set admitted_at = now() - interval '2 minutes'
 where user_id = '11111111-1111-4111-8111-111111111111';
-- What a client may insert into ai_events: they must not change anything below.
insert into public.ai_events (user_id, provider, model, status, input_tokens, output_tokens, created_at) values
  ('11111111-1111-4111-8111-111111111111', 'openai', 'x', 'success', 0, 0, now()),
  ('11111111-1111-4111-8111-111111111111', 'openai', 'x', 'success', 0, 0, now());
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
select is(
  (select refusal from private.admit_ai_request('skills', 3, 0)),
  null,
  'Admissions older than a minute free their slots; ai_events rows the client wrote are not counted.'
);
select throws_ok($$select private.ai_usage('11111111-1111-4111-8111-111111111111')$$, '42501', null,
  'The usage helper is not callable by the API roles.');
reset role;
select is(
  (select (private.ai_usage('11111111-1111-4111-8111-111111111111')).slots)::int,
  1,
  'One slot is in use: only the admission of this minute.'
);

-- The daily token budget -------------------------------------------------------------

delete from private.ai_admissions;
delete from admitted;
insert into private.ai_admissions (user_id, action, model_calls, used_tokens, admitted_at) values
  ('11111111-1111-4111-8111-111111111111', 'skills', 1, 900, date_trunc('day', now(), 'UTC')),
  ('11111111-1111-4111-8111-111111111111', 'skills', 1, 5000, date_trunc('day', now(), 'UTC') - interval '1 second');
insert into public.ai_events (user_id, provider, model, status, input_tokens, output_tokens) values
  ('11111111-1111-4111-8111-111111111111', 'openai', 'x', 'success', 2000000000, 2000000000);
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
insert into admitted select 'b', (private.admit_ai_request('skills', 0, 1000)).admission_id;
select isnt((select id from admitted where label = 'b'), null,
  'With 900 of 1000 tokens used today (yesterday''s 5000 do not count), a request is admitted.');
select is(
  (select refusal from private.reserve_ai_call((select id from admitted where label = 'b'), 200, 0, 1000)),
  'daily_budget_exhausted',
  'A call whose estimate (200) would overdraw the budget (900 + 200 > 1000) is refused before the model.'
);
select is(
  (select refusal from private.reserve_ai_call((select id from admitted where label = 'b'), 100, 0, 1000)),
  null,
  'A call whose estimate fits (900 + 100 = 1000) is reserved.'
);
select is(
  (select (r.refusal, r.retry_after_seconds > 0 and r.retry_after_seconds <= 60) from private.admit_ai_request('skills', 0, 1000) r)::text,
  '(ai_budget_busy,t)',
  'Tokens reserved by a call still in flight count: the next request is refused as busy, to retry in seconds (66-ai-budget-busy.sql).'
);
select lives_ok(
  $$select private.settle_ai_call((select id from admitted where label = 'b'), 100, 40)$$,
  'The call settles with its real usage (40 tokens).'
);
reset role;
select is(
  (select (reserved_tokens, used_tokens, model_calls)::text from private.ai_admissions
    where id = (select id from admitted where label = 'b')),
  '(0,40,1)',
  'Settling releases the estimate and books the real usage.'
);
select is(
  (select (private.ai_usage('11111111-1111-4111-8111-111111111111')).tokens_today)::int,
  940,
  'Today''s usage is 900 + 40; an ai_events row the client wrote with 4 billion tokens changes nothing.'
);
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
select is((select refusal from private.admit_ai_request('skills', 0, 1000)), null,
  'Under budget again after settling, the next request is admitted.');
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
insert into admitted select 'c', (private.admit_ai_request('skills', 0, 0)).admission_id;
select private.reserve_ai_call((select id from admitted where label = 'c'), 70, 0, 0);
select private.settle_ai_call((select id from admitted where label = 'c'), 70, null);
reset role;
select is(
  (select used_tokens::int from private.ai_admissions where id = (select id from admitted where label = 'c')),
  70,
  'A call that reported no usage (it failed midway) books its estimate.'
);

-- A repair turn takes a second slot ----------------------------------------------------

delete from private.ai_admissions;
delete from admitted;
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
insert into admitted select 'first', (private.admit_ai_request('skills', 2, 0)).admission_id;
select is((select refusal from private.reserve_ai_call((select id from admitted where label = 'first'), 10, 2, 0)), null,
  'The first model call of an admitted request uses the slot admission took.');
insert into admitted select 'second', (private.admit_ai_request('skills', 2, 0)).admission_id;
select isnt((select id from admitted where label = 'second'), null, 'A second request takes the second slot.');
select is((select refusal from private.reserve_ai_call((select id from admitted where label = 'first'), 10, 2, 0)), 'rate_limited',
  'A repair call of the first request needs a further slot and is refused when the window is full.');
select is((select refusal from private.admit_ai_request('skills', 2, 0)), 'rate_limited',
  'A third request is refused too.');

-- Nobody reserves or settles another user's admission ---------------------------------

select pg_temp.act_as('22222222-2222-4222-8222-222222222222');
select is((select refusal from private.reserve_ai_call((select id from admitted where label = 'second'), 10, 0, 0)),
  'unknown_admission', 'A stranger cannot reserve a call on the owner''s admission.');
select private.settle_ai_call((select id from admitted where label = 'second'), 0, 1000000);
reset role;
select is((select used_tokens::int from private.ai_admissions where id = (select id from admitted where label = 'second')), 0,
  'A stranger''s settle changes nothing on the owner''s admission.');

-- Callers without a live account -------------------------------------------------------

select pg_temp.act_as('44444444-4444-4444-8444-444444444444');
select is((select (admission_id, refusal)::text from private.admit_ai_request('skills', 30, 0)), '(,unknown_user)',
  'A valid token whose auth.users row is gone is refused as unknown_user.');
select pg_temp.act_as('33333333-3333-4333-8333-333333333333');
select is((select refusal from private.admit_ai_request('skills', 30, 0)), 'unknown_user',
  'A soft-deleted account (deleted_at set) is refused too.');
reset role;
select is_empty(
  $$select 1 from private.ai_admissions where user_id in ('44444444-4444-4444-8444-444444444444', '33333333-3333-4333-8333-333333333333')$$,
  'Refused callers leave no ledger row.'
);
select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true);
select throws_ok($$select private.admit_ai_request('skills', 30, 0)$$, '42501', null, 'anon cannot call admission at all.');
reset role;
select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true);
select throws_ok($$select private.settle_ai_call(gen_random_uuid(), 0, 0)$$, '42501', null, 'service_role cannot settle either.');
reset role;

-- Bad arguments and housekeeping ---------------------------------------------------------

select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
select throws_ok($$select private.admit_ai_request('skills', -1, 0)$$, '22023', null, 'A negative limit is refused (22023).');
select throws_ok($$select private.reserve_ai_call(gen_random_uuid(), -5, 0, 0)$$, '22023', null, 'A negative estimate is refused (22023).');
select throws_ok($$select private.settle_ai_call(gen_random_uuid(), 0, -5)$$, '22023', null, 'Negative usage is refused (22023).');
select throws_ok($$select private.admit_ai_request('', 0, 0)$$, '23514', null, 'An empty action name violates its check (23514).');
reset role;
insert into private.ai_admissions (user_id, action, admitted_at) values
  ('11111111-1111-4111-8111-111111111111', 'skills', now() - interval '3 days');
select pg_temp.act_as('11111111-1111-4111-8111-111111111111');
select private.admit_ai_request('skills', 0, 0);
reset role;
select is_empty(
  $$select 1 from private.ai_admissions where admitted_at < now() - interval '2 days'$$,
  'The user''s admissions older than two days are removed on their next admission.'
);
select is(
  (select count(*)::int from private.ai_admissions a join auth.users u on u.id = a.user_id
    where u.id = '22222222-2222-4222-8222-222222222222'),
  0,
  'The stranger never got an admission.'
);
delete from auth.users where id = '11111111-1111-4111-8111-111111111111';
select is_empty($$select 1 from private.ai_admissions where user_id = '11111111-1111-4111-8111-111111111111'$$,
  'Deleting the account deletes its ledger rows.');

select * from finish();
rollback;
