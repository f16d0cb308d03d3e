-- The daily AI budget, busy versus spent: when only the reservations of calls still in
-- flight fill it, admit_ai_request and reserve_ai_call answer ai_budget_busy with a
-- Retry-After of seconds; only tokens really used make it daily_budget_exhausted (until
-- midnight UTC).
begin;
select plan(8);

insert into auth.users (id, email, aud, role) values
  ('66000000-0000-4000-8000-000000000001', 'owner@budget-busy.test', 'authenticated', 'authenticated');

-- 320 tokens in flight of a budget of 320; nothing used yet.
insert into private.ai_admissions (user_id, action, model_calls, reserved_tokens, used_tokens)
values ('66000000-0000-4000-8000-000000000001', 'skills', 1, 320, 0);

create temp table answers (step text, admission_id uuid, refusal text, retry_after_seconds integer);
grant all on answers to authenticated;
select tests.authenticate_as('66000000-0000-4000-8000-000000000001');
insert into answers select 'admit in flight', r.admission_id, r.refusal, r.retry_after_seconds
  from private.admit_ai_request('skills', 0, 320) r;
select tests.clear_authentication();

select is((select refusal from answers where step = 'admit in flight'), 'ai_budget_busy',
  'A budget filled only by calls in flight is busy, not exhausted.');
select ok((select retry_after_seconds between 1 and 60 from answers where step = 'admit in flight'),
  'Busy says to retry in seconds.');

-- Room for the request, but not while the calls in flight hold their reservations.
update private.ai_admissions set reserved_tokens = 200 where user_id = '66000000-0000-4000-8000-000000000001';
select tests.authenticate_as('66000000-0000-4000-8000-000000000001');
insert into answers select 'admit with room', r.admission_id, r.refusal, r.retry_after_seconds
  from private.admit_ai_request('skills', 0, 320) r;
insert into answers select 'reserve in flight', null, r.refusal, r.retry_after_seconds
  from private.reserve_ai_call((select admission_id from answers where step = 'admit with room'), 200, 0, 320) r;
select tests.clear_authentication();
select is((select refusal from answers where step = 'reserve in flight'), 'ai_budget_busy',
  'A call whose estimate fits once the calls in flight settle is busy.');
select ok((select retry_after_seconds between 1 and 60 from answers where step = 'reserve in flight'),
  'Busy reservations say to retry in seconds.');

-- The same estimate against tokens really used: exhausted until midnight.
update private.ai_admissions set reserved_tokens = 0, used_tokens = 200
 where user_id = '66000000-0000-4000-8000-000000000001' and model_calls = 1;
select tests.authenticate_as('66000000-0000-4000-8000-000000000001');
insert into answers select 'reserve spent', null, r.refusal, r.retry_after_seconds
  from private.reserve_ai_call((select admission_id from answers where step = 'admit with room'), 200, 0, 320) r;
select tests.clear_authentication();
select is((select refusal from answers where step = 'reserve spent'), 'daily_budget_exhausted',
  'A call that cannot fit in what is left of the budget after the tokens used is refused for the day.');
select ok((select retry_after_seconds > 60 or pg_catalog.now() > pg_catalog.date_trunc('day', pg_catalog.now(), 'UTC') + interval '23 hours 59 minutes'
             from answers where step = 'reserve spent'),
  'Exhausted says to retry at midnight UTC.');

update private.ai_admissions set used_tokens = 320
 where user_id = '66000000-0000-4000-8000-000000000001' and model_calls = 1;
select tests.authenticate_as('66000000-0000-4000-8000-000000000001');
insert into answers select 'admit spent', r.admission_id, r.refusal, r.retry_after_seconds
  from private.admit_ai_request('skills', 0, 320) r;
select tests.clear_authentication();
select is((select refusal from answers where step = 'admit spent'), 'daily_budget_exhausted',
  'A budget used up is exhausted.');
select is((select admission_id from answers where step = 'admit spent'), null,
  'Nothing is admitted against a spent budget.');

select * from finish();
rollback;
