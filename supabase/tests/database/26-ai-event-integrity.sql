-- ai_events rows are what the AI rate limit and daily token budget count, and a user may
-- insert their own. Threats covered: negative token counts that reopen the budget;
-- negative latency; a created_at in the future, the past or null that moves a call out
-- of the limit windows; a client-chosen id (to collide with or predict another row);
-- the server's own history loads losing their timestamps.
begin;
select plan(14);

select tests.create_supabase_user('owner', 'owner@ai-events.test', '11111111-1111-4111-8111-111111111111');

select col_not_null('public', 'ai_events', 'created_at', 'ai_events.created_at is never null.');

select tests.authenticate_as('owner');

select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'm', -2147483648, 0, 10, 'success')$$,
  '23514', null,
  'A negative input token count is refused.'
);
select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'm', 0, -2147483648, 10, 'success')$$,
  '23514', null,
  'A negative output token count is refused.'
);
select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'm', 0, 0, -1, 'success')$$,
  '23514', null,
  'A negative latency is refused.'
);
select lives_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'm', 0, 0, 0, 'success'),
           ('11111111-1111-4111-8111-111111111111', 'openai', 'm', null, null, null, 'error')$$,
  'Zero and unknown (null) counts and latency are accepted.'
);

select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status, created_at)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'past', 1, 1, 1, 'success', '2000-01-01')$$,
  '42501', null,
  'A client cannot send created_at (2000 would hide the call from today''s budget).'
);
select throws_ok(
  $$insert into public.ai_events (id, user_id, provider, model, status)
    values ('eeeeeeee-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'openai', 'chosen', 'success')$$,
  '42501', null,
  'A client cannot choose an event''s id.'
);
select lives_ok(
  $$insert into public.ai_events (user_id, provider, model, input_tokens, output_tokens, latency_ms, status)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'future', 1, 1, 1, 'success'),
           ('11111111-1111-4111-8111-111111111111', 'openai', 'past', 1, 1, 1, 'success')$$,
  'Events without them are logged ...'
);
select is(
  (select count(*)::int from public.ai_events where model in ('future', 'past') and created_at = now()),
  2,
  '... at the server''s time of the insert.'
);

-- The budget sum a caller can see is what the server logged, never below zero.
select is(
  (select coalesce(sum(coalesce(input_tokens, 0) + coalesce(output_tokens, 0)), 0)::int
     from public.ai_events where created_at >= now() - interval '1 day'),
  4,
  'The caller''s token sum for today counts only the rows the rules let in.'
);

select tests.clear_authentication();

-- The service role is a server key but still not trusted with time.
select tests.authenticate_as_service_role();
insert into public.ai_events (user_id, provider, model, status, created_at)
values ('11111111-1111-4111-8111-111111111111', 'openai', 'service', 'success', '2099-01-01');
select is(
  (select created_at from public.ai_events where model = 'service'),
  now(),
  'service_role inserts are stamped by the server too.'
);
select tests.clear_authentication();

-- The owner (migrations, data loads, tests) may write history with its own timestamps.
insert into public.ai_events (user_id, provider, model, status, created_at)
values ('11111111-1111-4111-8111-111111111111', 'openai', 'history', 'success', '2026-01-01 00:00:00+00');
select is(
  (select created_at from public.ai_events where model = 'history'),
  '2026-01-01 00:00:00+00'::timestamptz,
  'The table owner keeps the timestamp it loads.'
);
select throws_ok(
  $$insert into public.ai_events (user_id, provider, model, status, created_at)
    values ('11111111-1111-4111-8111-111111111111', 'openai', 'history', 'success', null)$$,
  '23502', null,
  'Even the owner cannot store a call without a time.'
);
select has_trigger('public', 'ai_events', 'ai_events_stamped_by_server',
  'ai_events has the trigger that stamps id and created_at.');

select * from finish();
rollback;
