-- Share-link passwords. The owner sets, changes and removes a password (bcrypt, never
-- returned); a protected link answers get_public_generated_resume only with an access
-- grant from unlock_share_link, which is signed, expires, and ends when the password
-- changes. Threats covered: reading the hash; a stranger setting or removing the
-- password; a protected link told apart from an unknown one (answer or evaluation);
-- forged, stretched or stale grants; unlimited guessing (5 evaluated per link and client
-- in 10 minutes, counted where a rollback cannot undo them).
begin;
select plan(50);

select tests.create_supabase_user('owner', 'owner@pw.test', '80000000-1111-4111-8111-000000000001');
select tests.create_supabase_user('stranger', 'stranger@pw.test', '80000000-2222-4222-8222-000000000002');
insert into public.templates (id, name, slug, schema) values
  ('80000000-aaaa-4000-8000-000000000001', 'Password Test', 'password-test', '{}');
insert into public.generated_resumes (id, user_id, template_id, title) values
  ('80000000-dddd-4000-8000-000000000001', '80000000-1111-4111-8111-000000000001',
   '80000000-aaaa-4000-8000-000000000001', 'Protected');
insert into public.generated_resume_versions (generated_resume_id, version_number, content_json) values
  ('80000000-dddd-4000-8000-000000000001', 1, '{"profile": {"fullName": "Ada"}}');

create temp table link (token text, unknown text);
create temp table grants (label text primary key, answer jsonb);
grant all on link, grants to anon, authenticated;
select tests.authenticate_as('owner');
insert into link select public.create_share_link('80000000-dddd-4000-8000-000000000001'),
                        translate(encode(extensions.gen_random_bytes(24), 'base64'), '+/', '-_');
select tests.clear_authentication();

-- A visitor as PostgREST runs the call: anon, with the client's headers published.
create function pg_temp.as_client(address text) returns void language plpgsql as $$
begin
  perform tests.authenticate_as_anon();
  perform set_config('request.method', 'POST', true);
  perform set_config('request.headers', jsonb_build_object('x-forwarded-for', address, 'user-agent', 'pgTAP')::text, true);
end
$$;
create function pg_temp.unlock(address text, token text, password text) returns jsonb language plpgsql as $$
declare answer jsonb;
begin
  perform pg_temp.as_client(address);
  answer := public.unlock_share_link(token, password);
  perform tests.clear_authentication();
  return answer;
end
$$;
create function pg_temp.read(address text, token text, access text) returns jsonb language plpgsql as $$
declare answer jsonb;
begin
  perform pg_temp.as_client(address);
  answer := public.get_public_generated_resume(token, access);
  perform tests.clear_authentication();
  return answer;
end
$$;
-- How long one unlock takes (bcrypt of cost 10 takes tens of milliseconds; a refusal
-- without evaluation well under one).
create function pg_temp.unlock_ms(address text, token text, password text) returns float language plpgsql as $$
declare started timestamptz := clock_timestamp();
begin
  perform pg_temp.unlock(address, token, password);
  return extract(epoch from clock_timestamp() - started) * 1000;
end
$$;
grant execute on all functions in schema pg_temp to anon, authenticated;

-- Shape ------------------------------------------------------------------------------------

select function_returns('public', 'set_share_link_password', array['uuid', 'text'], 'timestamp with time zone',
  'set_share_link_password(generated_resume_id, password) returns when it was set.');
select function_returns('public', 'unlock_share_link', array['text', 'text'], 'jsonb',
  'unlock_share_link(share_token, password) returns jsonb.');
select function_returns('public', 'get_public_generated_resume', array['text', 'text'], 'jsonb',
  'get_public_generated_resume(share_token, access) returns jsonb.');
select is(
  (select array_agg(p.prosecdef order by p.proname) from pg_proc p
    where p.pronamespace = 'private'::regnamespace
      and p.proname in ('set_share_link_password', 'remove_share_link_password', 'unlock_share_link', 'share_link_password_set_at')),
  array[true, true, true, true],
  'The password functions'' bodies in private are SECURITY DEFINER.'
);

-- Set, as the owner only --------------------------------------------------------------------

select tests.authenticate_as('owner');
select is(public.share_link_password_set_at('80000000-dddd-4000-8000-000000000001'), null, 'A new link has no password.');
select throws_ok($$select public.set_share_link_password('80000000-dddd-4000-8000-000000000001', 'short')$$,
  '22023', null, 'A password under 6 characters is refused.');
select throws_ok($$select public.set_share_link_password('80000000-dddd-4000-8000-000000000001', repeat('x', 73))$$,
  '22023', null, 'A password over 72 bytes (what bcrypt reads) is refused.');
select throws_ok($$select public.set_share_link_password('80000000-dddd-4000-8000-000000000001', null)$$,
  '22023', null, 'A null password is refused (removing is its own call).');
select isnt(public.set_share_link_password('80000000-dddd-4000-8000-000000000001', 'open sesame'), null,
  'The owner sets a password.');
select isnt(public.share_link_password_set_at('80000000-dddd-4000-8000-000000000001'), null, 'The owner sees that the link has one.');
select throws_ok($$select * from private.share_link_passwords$$, '42501', null, 'The owner cannot read the hash table.');
select tests.clear_authentication();

select matches((select password_hash from private.share_link_passwords where generated_resume_id = '80000000-dddd-4000-8000-000000000001'),
  '^\$2a\$10\$', 'It is stored as a bcrypt hash of cost 10 (crypt with gen_salt(''bf'', 10)).');
select is(extensions.crypt('open sesame', password_hash), password_hash, 'The hash is of the password set.')
  from private.share_link_passwords where generated_resume_id = '80000000-dddd-4000-8000-000000000001';

select tests.authenticate_as('stranger');
select throws_ok($$select public.set_share_link_password('80000000-dddd-4000-8000-000000000001', 'mine now!')$$,
  'PT404', null, 'A stranger cannot set the password of someone else''s link (404, as for a missing one).');
select throws_ok($$select public.remove_share_link_password('80000000-dddd-4000-8000-000000000001')$$,
  'PT404', null, 'nor remove it.');
select throws_ok($$select public.share_link_password_set_at('80000000-dddd-4000-8000-000000000001')$$,
  'PT404', null, 'nor learn whether it has one.');
select tests.clear_authentication();
select tests.authenticate_as_anon();
select throws_ok($$select public.set_share_link_password('80000000-dddd-4000-8000-000000000001', 'anonymous')$$,
  '42501', null, 'anon cannot call set_share_link_password.');
select tests.clear_authentication();

-- A protected link and an unknown one answer alike ------------------------------------------

select is(pg_temp.read('198.51.100.1', (select token from link), null), null,
  'Without a grant a protected link answers null ...');
select is(pg_temp.read('198.51.100.1', (select unknown from link), null), null, '... as an unknown link does.');
select is(pg_temp.read('198.51.100.1', (select token from link), 'garbage'), null, 'A malformed grant opens nothing.');

select is(pg_temp.unlock('198.51.100.1', (select token from link), 'wrong one'),
          pg_temp.unlock('198.51.100.1', (select unknown from link), 'wrong one'),
  'A wrong password and an unknown link get the same answer ...');
select is(pg_temp.unlock('198.51.100.1', (select token from link), 'wrong two') ->> 'code', 'invalid_password',
  '... invalid_password.');
create temp table timings as
select pg_temp.unlock_ms('198.51.100.5', (select token from link), 'wrong three') as wrong_ms,
       pg_temp.unlock_ms('198.51.100.5', (select unknown from link), 'wrong three') as unknown_ms;
select ok((select unknown_ms > 0.5 * wrong_ms and wrong_ms > 0.5 * unknown_ms from timings),
  'An unknown link takes as long to refuse as a wrong password: a dummy hash of the same cost is evaluated.');

-- The right password ------------------------------------------------------------------------

insert into grants select 'first', pg_temp.unlock('198.51.100.1', (select token from link), 'open sesame');
select matches((select answer ->> 'access' from grants where label = 'first'), '^[0-9]{10}\.[A-Za-z0-9_-]{43}$',
  'The right password gives an access grant <expiry>.<signature>.');
select ok((select (answer ->> 'expires_at')::timestamptz between now() + interval '59 minutes' and now() + interval '61 minutes' from grants where label = 'first'),
  'It lasts one hour.');
select is(pg_temp.read('198.51.100.1', (select token from link), (select answer ->> 'access' from grants where label = 'first')) #>> '{content,profile,fullName}',
  'Ada', 'With the grant the link answers the resume.');
select is(pg_temp.read('203.0.113.9', (select token from link), (select answer ->> 'access' from grants where label = 'first')) #>> '{content,profile,fullName}',
  'Ada', 'The grant is a bearer: it opens the link from another client too (the share page keeps it in a cookie).');
select is(pg_temp.read('198.51.100.1', (select unknown from link), (select answer ->> 'access' from grants where label = 'first')), null,
  'A grant opens only its own link.');

-- Forged, stretched and expired grants.
select is(pg_temp.read('198.51.100.1', (select token from link),
            ((split_part((select answer ->> 'access' from grants where label = 'first'), '.', 1)::bigint + 600)::text || '.' ||
             split_part((select answer ->> 'access' from grants where label = 'first'), '.', 2))), null,
  'A grant whose expiry was moved no longer matches its signature.');
select is(pg_temp.read('198.51.100.1', (select token from link),
            (extract(epoch from now() + interval '5 hours')::bigint)::text || '.' ||
            private.share_access_signature((select token from link),
              (select password_hash from private.share_link_passwords where generated_resume_id = '80000000-dddd-4000-8000-000000000001'),
              extract(epoch from now() + interval '5 hours')::bigint)), null,
  'A correctly signed grant reaching beyond the one-hour lifetime is refused.');
select is(pg_temp.read('198.51.100.1', (select token from link),
            (extract(epoch from now() - interval '1 second')::bigint)::text || '.' ||
            private.share_access_signature((select token from link),
              (select password_hash from private.share_link_passwords where generated_resume_id = '80000000-dddd-4000-8000-000000000001'),
              extract(epoch from now() - interval '1 second')::bigint)), null,
  'An expired grant is refused.');

-- The owner needs no password.
select tests.authenticate_as('owner');
select is(public.get_public_generated_resume((select token from link)) #>> '{content,profile,fullName}', 'Ada',
  'The owner reads their protected link without a grant.');

-- Change ------------------------------------------------------------------------------------

select isnt(public.set_share_link_password('80000000-dddd-4000-8000-000000000001', 'new secret'), null, 'The owner changes the password.');
select tests.clear_authentication();
select is(pg_temp.read('198.51.100.1', (select token from link), (select answer ->> 'access' from grants where label = 'first')), null,
  'Access granted with the old password ends at once.');
select is(pg_temp.unlock('198.51.100.2', (select token from link), 'open sesame') ->> 'code', 'invalid_password',
  'The old password no longer opens the link.');
insert into grants select 'second', pg_temp.unlock('198.51.100.2', (select token from link), 'new secret');
select is(pg_temp.read('198.51.100.2', (select token from link), (select answer ->> 'access' from grants where label = 'second')) #>> '{content,profile,fullName}',
  'Ada', 'The new one does.');

-- The attempt limit -------------------------------------------------------------------------

-- Client 198.51.100.1 has guessed at the link three times: two wrong, one right.
select is((select cardinality(attempted_at) from private.share_password_attempts
            where link_key = extensions.digest('share-password' || E'\n' || (select token from link), 'sha256')
              and client_key = extensions.digest('share-password' || E'\n' || '198.51.100.1', 'sha256')),
  2, 'Only the wrong guesses hold a slot: the right password gave its slot back.');
select is(array(select pg_temp.unlock('198.51.100.1', (select token from link), 'guess ' || n) ->> 'code' from generate_series(1, 5) n),
  array['invalid_password', 'invalid_password', 'invalid_password', 'too_many_attempts', 'too_many_attempts'],
  'After 5 wrong guesses in 10 minutes, the client''s guesses at this link are refused.');
select is(pg_temp.unlock('198.51.100.1', (select token from link), 'new secret') ->> 'code', 'too_many_attempts',
  'Even the right password is refused while the limit holds ...');
select ok(pg_temp.unlock_ms('198.51.100.1', (select token from link), 'new secret') < 0.3 * (select least(wrong_ms, unknown_ms) from timings),
  '... because nothing is evaluated then (the refusal takes a fraction of one bcrypt evaluation).');
select ok((regexp_match(pg_temp.unlock('198.51.100.1', (select token from link), 'x') ->> 'details', '^Try again in ([0-9]+) seconds\.$'))[1]::int between 1 and 600,
  'The refusal says how many seconds to wait ...');
select matches(current_setting('response.headers', true), '^\[\{"Retry-After": "[0-9]+"\}\]$',
  '... and sets Retry-After for PostgREST to send.');
select is(current_setting('response.status', true), '429', 'PostgREST answers it 429.');
select is((select cardinality(attempted_at) from private.share_password_attempts
            where link_key = extensions.digest('share-password' || E'\n' || (select token from link), 'sha256')
              and client_key = extensions.digest('share-password' || E'\n' || '198.51.100.1', 'sha256')),
  5, 'The counter holds exactly the 5 evaluated guesses.');
select is(array(select pg_temp.unlock('198.51.100.1', (select unknown from link), 'guess ' || n) ->> 'code' from generate_series(1, 6) n),
  array['invalid_password', 'invalid_password', 'invalid_password', 'invalid_password', 'too_many_attempts', 'too_many_attempts'],
  'An unknown link (one wrong guess above) is limited the same way, so the limit tells nothing either.');
select ok(pg_temp.unlock('198.51.100.3', (select token from link), 'new secret') ? 'access',
  'Another client still opens the link with the right password.');

-- Ten minutes later the client may guess again.
update private.share_password_attempts set attempted_at = array(select t - interval '11 minutes' from unnest(attempted_at) t);
select ok(pg_temp.unlock('198.51.100.1', (select token from link), 'new secret') ? 'access',
  'Ten minutes later the client may try again.');
select cmp_ok(private.forget_old_share_link_rows(), '>=', 1, 'The hourly job forgets guesses older than 10 minutes.');

-- Remove ------------------------------------------------------------------------------------

select tests.authenticate_as('owner');
select lives_ok($$select public.remove_share_link_password('80000000-dddd-4000-8000-000000000001')$$, 'The owner removes the password.');
select tests.clear_authentication();
select is(pg_temp.read('198.51.100.4', (select token from link), null) #>> '{content,profile,fullName}', 'Ada',
  'The link opens without a grant again.');

select * from finish();
rollback;
