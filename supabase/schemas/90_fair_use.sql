-- Fair use of the data API. PostgREST shares one pool of database connections (db-pool,
-- 10) among every caller; one caller holding all of them (ten regex filters on template
-- JSON as anon, ten 8-second searches as a user) stopped everyone else. PostgREST runs
-- private.check_fair_use() as its db-pre-request function before every request, in the
-- request's own transaction, on hosted Supabase exactly as here (the setting lives on
-- the authenticator role: `alter role authenticator set pgrst.db_pre_request`, below).
--
-- A request in flight holds one of its caller's slots: a transaction-level advisory lock
-- (two-key form: key 1 the caller's hash, key 2 the slot number), taken with
-- pg_try_advisory_xact_lock, which takes a free slot or fails at once and which Postgres
-- releases when the request's transaction ends, however it ends. So the count is exact
-- under any concurrency (no read-then-write race), costs no write (GET runs READ ONLY),
-- and a caller over its share is refused before its query runs: 429, Retry-After: 1.
--   * a signed-in user (the token's sub): 3 requests at once;
--   * an anonymous client (its address by private.share_client: cf-connecting-ip, else
--     x-real-ip, else the first x-forwarded-for entry): 2 at once;
--   * all anonymous clients together: 3 at once (addresses can be forged; this bound
--     holds whatever the headers say);
--   * service_role (the server's own key) is not limited.
-- One user and every anonymous client together hold at most 6 of the 10 connections.
-- Each statement is bounded by its role's statement_timeout (anon 3 s, authenticated 8 s,
-- as on Supabase), so no slot is held longer than that. docs/fair-use.md has the reasons.

-- Functions

-- The shares, written here once: check_fair_use reads them, and `npm run gen:types` writes
-- them to supabase/functions/_shared/fair-use-shares.ts, from which the local gateway's
-- pacing (scripts/rest_pacing.ts) and the live app's client (clients/live-app/src/fair-use.ts)
-- take theirs (tests/tooling/fair-use-shares.test.ts fails when any of them differs).
-- Executable by the roles that run check_fair_use (as the request's role).
create function private.fair_use_shares(out signed_in_user integer, out anonymous_client integer,
  out all_anonymous_clients integer) language sql immutable set search_path = '' as $$
  select 3, 2, 3
$$;
grant execute on function private.fair_use_shares() to anon, authenticated, service_role;
comment on function private.fair_use_shares() is $$Requests in flight at once per caller of the data API: a signed-in user, one anonymous client, all anonymous clients together. The one place they are written; npm run gen:types exports them for the gateway and the live app.$$;

create function private.take_fair_use_slot(caller text, slots integer) returns boolean language plpgsql volatile set search_path = '' as $$
declare
  key integer := pg_catalog.hashtext('fair_use:' || caller);
begin
  for slot in 1..slots loop
    if pg_catalog.pg_try_advisory_xact_lock(key, slot) then
      return true;
    end if;
  end loop;
  return false;
end
$$;
grant execute on function private.take_fair_use_slot(caller text, slots integer) to anon, authenticated;
comment on function private.take_fair_use_slot(caller text, slots integer) is $$Takes one of the caller’s slots (a transaction-level advisory lock, released when the request ends); false when all are held.$$;

create function private.check_fair_use() returns void language plpgsql volatile set search_path = '' as $$
declare
  shares constant record := private.fair_use_shares();
  claims jsonb := nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb;
  address text;
  caller text;
  share integer;
  who text;
begin
  -- Planned and estimated counts are planner statistics over every user's rows: refused
  -- before anything else (00_platform.sql).
  perform private.refuse_estimated_counts();
  if current_user = 'authenticated' and claims ->> 'sub' is not null then
    caller := 'user:' || (claims ->> 'sub');
    share := shares.signed_in_user;
    who := 'signed-in user';
  elsif current_user = 'anon' then
    -- The client's address by the one rule the share page's view counting uses.
    select c.address into address from private.share_client() c;
    caller := 'anon:' || coalesce(nullif(address, ''), 'unknown');
    share := shares.anonymous_client;
    who := 'anonymous client';
    if not private.take_fair_use_slot('anon:*', shares.all_anonymous_clients) then
      share := 0;
      who := 'all anonymous clients together';
    end if;
  else
    return;
  end if;
  if share = 0 or not private.take_fair_use_slot(caller, share) then
    -- PostgREST's form for a custom status and headers (message: the body as JSON,
    -- detail: status and headers); the body keeps PostgREST's error shape.
    raise sqlstate 'PGRST' using
      message = pg_catalog.json_build_object(
        'code', 'PT429',
        'message', 'Too many requests at once: retry in a second.',
        'details', pg_catalog.format('Fair use: at most %s requests at once per %s.',
                     case share when 0 then shares.all_anonymous_clients else share end, who),
        'hint', 'Wait for the Retry-After seconds, then send the request again.')::text,
      detail = pg_catalog.json_build_object('status', 429, 'headers', pg_catalog.json_build_object('Retry-After', '1'))::text;
  end if;
end
$$;
grant execute on function private.check_fair_use() to anon, authenticated, service_role;
comment on function private.check_fair_use() is $$PostgREST db-pre-request: a signed-in user, an anonymous client and all anonymous clients together each hold at most their share of requests at once (private.fair_use_shares()); over the share: 429 (body code PT429) with Retry-After: 1. service_role is not limited.$$;

-- PostgREST reads its settings from the authenticator role (db-config, on by default):
-- this turns the check on, here and on hosted Supabase. (Locally the platform baseline
-- lets postgres set it, as supautils does on Supabase.)
alter role authenticator set pgrst.db_pre_request = 'private.check_fair_use';

-- Reference rows

insert into private.error_codes (sqlstate, http_status, meaning) values
  ('PGRST', 429, 'Fair use of the data API: too many requests at once from one caller (body code PT429, Retry-After: 1). Raised only by the pre-request check.')
on conflict (sqlstate) do nothing;

