-- What the live app stores beyond the v2.0 document: application_form_answers (the
-- extension's form-filling answers, with the special-category demographic answers),
-- user_profile's email / referral_source / profile_completed / subscription_tier, and
-- Stripe's subscriptions. Threats and failures covered:
--   a stranger or anon reading or writing another user's answers or subscription;
--   a signed-in user raising their own tier (profile column, insert, update, delete of a
--   subscription, a profile re-created with a tier);
--   the profile's tier drifting from the subscription's (insert, change, delete,
--   a subscription moved between users, a profile made after its subscription);
--   impossible answers (a birth date in the future, values outside the live app's lists,
--   unbounded text); a second answers row per user;
--   the demographic columns not marked as special-category data;
--   the answers missing from export_my_data, or left behind by account deletion.
begin;
select plan(56);

select tests.create_supabase_user('owner', 'owner@homes.test', '00000070-1111-4111-8111-000000000001', '{"full_name":"Homes Owner"}');
select tests.create_supabase_user('stranger', 'stranger@homes.test', '00000070-2222-4222-8222-000000000002', '{"full_name":"Homes Stranger"}');

-- Form answers ------------------------------------------------------------------------

select tests.authenticate_as('owner');
select lives_ok(
  $$insert into public.application_form_answers
      (work_auth_us, work_auth_canada, work_auth_uk, requires_sponsorship, current_location, phone_country_code,
       date_of_birth, ethnicity, gender, has_disability, is_veteran, is_lgbtq)
    values (true, false, null, false, 'Toronto, ON', '+1', '1990-04-01', 'Homes-Ethnicity-Marker', 'Non-Binary',
            'Decline to state', 'No', 'Decline to state')$$,
  'The owner stores their form answers without naming themselves (user_id defaults to the caller).'
);
select is((select user_id from public.application_form_answers), '00000070-1111-4111-8111-000000000001'::uuid,
  'The answers belong to the caller.');
select throws_ok(
  $$insert into public.application_form_answers (current_location) values ('Elsewhere')$$,
  '23505', null,
  'One answers row per user: a second is refused.'
);
select lives_ok(
  $$update public.application_form_answers set current_location = 'Montreal, QC', work_auth_uk = true$$,
  'The owner changes their answers.'
);
select throws_ok($$update public.application_form_answers set date_of_birth = current_date + 1$$, '23514', null,
  'A date of birth in the future is refused.');
select throws_ok($$update public.application_form_answers set date_of_birth = '1899-12-31'$$, '23514', null,
  'A date of birth before 1900 is refused.');
select lives_ok($$update public.application_form_answers set date_of_birth = current_date$$,
  'Today is the latest date of birth taken.');
select throws_ok($$update public.application_form_answers set gender = 'Robot'$$, '23514', null,
  'gender takes only the live app''s answers.');
select throws_ok($$update public.application_form_answers set has_disability = 'Maybe'$$, '23514', null,
  'has_disability takes only Yes, No or Decline to state.');
select throws_ok($$update public.application_form_answers set is_veteran = 'yes'$$, '23514', null,
  'is_veteran takes only Yes, No or Decline to state (as the app spells them).');
select throws_ok($$update public.application_form_answers set is_lgbtq = ''$$, '23514', null,
  'is_lgbtq takes only Yes, No or Decline to state.');
select throws_ok($$update public.application_form_answers set ethnicity = repeat('x', 101)$$, '22001', null,
  'ethnicity is at most 100 characters.');
select throws_ok($$update public.application_form_answers set ethnicity = '   '$$, '23514', null,
  'A blank ethnicity is refused (null means unanswered).');
select throws_ok($$update public.application_form_answers set current_location = repeat('x', 256)$$, '22001', null,
  'current_location is at most 255 characters.');
select throws_ok($$update public.application_form_answers set phone_country_code = 'call me'$$, '23514', null,
  'phone_country_code is a calling code such as +44.');
select throws_ok($$update public.application_form_answers set user_id = '00000070-2222-4222-8222-000000000002'$$, '42501', null,
  'The owner cannot hand their answers to another user.');
select throws_ok($$update public.application_form_answers set created_at = now()$$, '42501', null,
  'created_at is not the client''s to write.');
select tests.clear_authentication();

select is(tests.attempt_as('stranger', $$select * from public.application_form_answers$$), 'rows: 0',
  'A stranger reads none of the owner''s answers.');
select is(tests.attempt_as('stranger', $$update public.application_form_answers set gender = 'Male'$$), 'rows: 0',
  'A stranger changes none of the owner''s answers.');
select is(tests.attempt_as('stranger', $$delete from public.application_form_answers$$), 'rows: 0',
  'A stranger deletes none of the owner''s answers.');
select is(tests.attempt_as('stranger',
  $$insert into public.application_form_answers (user_id, gender) values ('00000070-1111-4111-8111-000000000001', 'Male')$$),
  'error 42501', 'A stranger cannot write answers under the owner''s id.');
select is(tests.attempt_as('anon', $$select * from public.application_form_answers$$), 'error 42501',
  'anon has no access to form answers at all.');

-- As a writer that bypasses RLS (a failed CHECK would report the whole row to it, and
-- Postgres would log it): the refusal names the rule and holds no stored answer.
create function pg_temp.refusal_of(statement text) returns text language plpgsql as $f$
declare
  message text;
  detail text;
begin
  execute statement;
  return 'no error';
exception when others then
  get stacked diagnostics message = message_text, detail = pg_exception_detail;
  return sqlstate || ': ' || message || coalesce(' / ' || nullif(detail, ''), '');
end
$f$;
select is(
  pg_temp.refusal_of($$update public.application_form_answers set is_veteran = 'Maybe' where user_id = '00000070-1111-4111-8111-000000000001'$$),
  '23514: is_veteran must be one of Yes, No, Decline to state.',
  'A refused answer names the rule, never the row (which holds the demographic answers), even for a privileged writer.'
);

select is(
  (select array_agg(a.attname::text order by a.attname) from pg_attribute a
    where a.attrelid = 'public.application_form_answers'::regclass and a.attnum > 0
      and col_description(a.attrelid, a.attnum) like 'Special-category personal data%'),
  array['ethnicity', 'gender', 'has_disability', 'is_lgbtq', 'is_veteran'],
  'Exactly the five demographic columns are commented as special-category personal data.'
);
select ok(
  not has_table_privilege('anon', 'public.application_form_answers', 'SELECT,INSERT,UPDATE,DELETE')
  and not has_any_column_privilege('anon', 'public.application_form_answers', 'SELECT,INSERT,UPDATE'),
  'anon holds no privilege on application_form_answers, at table or column level.'
);
select is((select max_rows from private.row_quotas where table_name = 'application_form_answers'), 1,
  'The row quota allows one answers row per user.');

-- The profile's new columns ------------------------------------------------------------

select tests.authenticate_as('owner');
select lives_ok(
  $$update public.user_profile set email = 'ada@example.com', referral_source = 'A friend', profile_completed = true$$,
  'The owner sets the profile''s email, referral_source and profile_completed.'
);
select is((select profile_completed from public.user_profile), true, 'profile_completed is stored.');
select throws_ok($$update public.user_profile set email = 'not an email'$$, '23514', null, 'The profile email must look like one.');
select throws_ok($$update public.user_profile set referral_source = repeat('r', 101)$$, '22001', null,
  'referral_source is at most 100 characters.');
select throws_ok($$update public.user_profile set profile_completed = null$$, '23502', null,
  'profile_completed is true or false, never null.');
select is((select subscription_tier::text from public.user_profile), 'free', 'Without a subscription the tier is free.');
select throws_ok($$update public.user_profile set subscription_tier = 'pro'$$, '42501', null,
  'The owner cannot write their own subscription_tier.');
select throws_ok(
  $$insert into public.user_profile (full_name, subscription_tier) values ('Me', 'pro')$$,
  '42501', null,
  'Nor can they write a profile with a tier.');
select tests.clear_authentication();
select is(tests.attempt_as('owner', $$delete from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'$$,
                           null) || ' / ' ||
          tests.attempt_as('owner', $$insert into public.user_profile (full_name, subscription_tier) values ('Me', 'pro')$$,
                           $$delete from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'$$),
  'rows: 1 / error 42501',
  'Deleting the profile and making it again with a tier is refused too.');

-- Subscriptions -------------------------------------------------------------------------

select is(tests.attempt_as('owner', $$insert into public.subscriptions (user_id, tier, status) values ('00000070-1111-4111-8111-000000000001', 'pro', 'active')$$),
  'error 42501', 'A signed-in user cannot create their own subscription.');

-- What the Stripe webhook does, as service_role.
select tests.authenticate_as_service_role();
insert into public.subscriptions (user_id, stripe_customer_id, stripe_subscription_id, stripe_price_id, status, tier,
                                  current_period_start, current_period_end)
values ('00000070-1111-4111-8111-000000000001', 'cus_homes', 'sub_homes', 'price_pro', 'active', 'pro',
        '2026-12-01', '2027-01-01');
select tests.clear_authentication();
select is((select subscription_tier::text from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'), 'pro',
  'A subscription written by service_role sets the owner''s profile tier.');

select tests.authenticate_as('owner');
select is((select stripe_subscription_id::text from public.subscriptions), 'sub_homes', 'The owner reads their own subscription.');
select tests.clear_authentication();
select is(tests.attempt_as('owner', $$update public.subscriptions set tier = 'pro', current_period_end = '2099-01-01'$$), 'error 42501',
  'The owner cannot change their subscription.');
select is(tests.attempt_as('owner', $$delete from public.subscriptions$$), 'error 42501',
  'The owner cannot delete their subscription.');
select is(tests.attempt_as('stranger', $$select * from public.subscriptions$$), 'rows: 0',
  'A stranger reads no subscription of the owner.');
select is(tests.attempt_as('anon', $$select * from public.subscriptions$$), 'error 42501',
  'anon reads no subscription.');
select is(tests.attempt_as('stranger', $$update public.user_profile set subscription_tier = 'pro'$$), 'error 42501',
  'A stranger cannot raise a tier either.');

select throws_ok(
  $$insert into public.subscriptions (user_id, tier) values ('00000070-2222-4222-8222-000000000002', 'enterprise')$$,
  '23514', null, 'tier is free or pro.');
select throws_ok(
  $$insert into public.subscriptions (user_id, status) values ('00000070-2222-4222-8222-000000000002', 'lifetime')$$,
  '23514', null, 'status is free or one of Stripe''s statuses.');
select throws_ok(
  $$insert into public.subscriptions (user_id, current_period_start, current_period_end)
    values ('00000070-2222-4222-8222-000000000002', '2027-01-01', '2026-01-01')$$,
  '23514', null, 'A period cannot end before it starts.');

-- The profile follows the subscription, whoever writes the profile.
update public.user_profile set subscription_tier = 'free' where user_id = '00000070-1111-4111-8111-000000000001';
select is((select subscription_tier::text from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'), 'pro',
  'Even a privileged write of the profile''s tier keeps the subscription''s.');
update public.subscriptions set status = 'canceled', tier = 'free' where user_id = '00000070-1111-4111-8111-000000000001';
select is((select subscription_tier::text from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'), 'free',
  'A cancelled subscription brings the tier back to free.');
update public.subscriptions set tier = 'pro', status = 'active' where user_id = '00000070-1111-4111-8111-000000000001';
delete from public.subscriptions where user_id = '00000070-1111-4111-8111-000000000001';
select is((select subscription_tier::text from public.user_profile where user_id = '00000070-1111-4111-8111-000000000001'), 'free',
  'A deleted subscription leaves the tier free.');
insert into public.subscriptions (user_id, tier, status) values ('00000070-2222-4222-8222-000000000002', 'pro', 'active');
delete from public.user_profile where user_id = '00000070-2222-4222-8222-000000000002';
insert into public.user_profile (user_id, full_name) values ('00000070-2222-4222-8222-000000000002', 'Homes Stranger');
select is((select subscription_tier::text from public.user_profile where user_id = '00000070-2222-4222-8222-000000000002'), 'pro',
  'A profile made after its subscription starts with the subscription''s tier.');
update public.subscriptions set user_id = '00000070-1111-4111-8111-000000000001' where user_id = '00000070-2222-4222-8222-000000000002';
select results_eq(
  $$select subscription_tier::text from public.user_profile
     where user_id in ('00000070-1111-4111-8111-000000000001', '00000070-2222-4222-8222-000000000002') order by user_id$$,
  $$values ('pro'), ('free')$$,
  'A subscription moved to another user moves the tier with it.'
);
-- A profile moved (by the service role) to a user with a subscription takes its tier.
select tests.create_supabase_user('subscriber', 'subscriber@homes.test', '00000070-3333-4333-8333-000000000003', '{}');
delete from public.user_profile where user_id = '00000070-3333-4333-8333-000000000003';
insert into public.subscriptions (user_id, tier, status) values ('00000070-3333-4333-8333-000000000003', 'pro', 'active');
update public.user_profile set user_id = '00000070-3333-4333-8333-000000000003' where full_name = 'Homes Stranger';
select is((select subscription_tier::text from public.user_profile where full_name = 'Homes Stranger'), 'pro',
  'A profile moved to another user takes that user''s tier.');
update public.user_profile set full_name = 'Homes Stranger II' where full_name = 'Homes Stranger';
select is((select subscription_tier::text from public.user_profile where full_name = 'Homes Stranger II'), 'pro',
  'An edit of a profile''s other columns keeps its tier.');

-- Export and deletion ------------------------------------------------------------------

select tests.authenticate_as('owner');
select is(
  (select jsonb_path_query_first(public.export_my_data(), '$.tables.application_form_answers[0]')
          - 'created_at' - 'updated_at' - 'date_of_birth'),
  jsonb_build_object('user_id', '00000070-1111-4111-8111-000000000001', 'work_auth_us', true, 'work_auth_canada', false,
                     'work_auth_uk', true, 'requires_sponsorship', false, 'current_location', 'Montreal, QC',
                     'phone_country_code', '+1', 'ethnicity', 'Homes-Ethnicity-Marker', 'gender', 'Non-Binary',
                     'has_disability', 'Decline to state', 'is_veteran', 'No', 'is_lgbtq', 'Decline to state'),
  'export_my_data holds every form answer, the demographic ones included.'
);
select is(jsonb_array_length(public.export_my_data() -> 'tables' -> 'subscriptions'), 1,
  'export_my_data holds the owner''s subscription.');
select tests.clear_authentication();

delete from auth.users where id = '00000070-1111-4111-8111-000000000001';
select ok(
  not exists (select 1 from public.application_form_answers where user_id = '00000070-1111-4111-8111-000000000001')
  and not exists (select 1 from public.subscriptions where user_id = '00000070-1111-4111-8111-000000000001'),
  'Deleting the account removes the form answers and the subscription.'
);

select * from finish();
rollback;
