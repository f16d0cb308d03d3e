-- Why: on a database of the live app, the first upgrade migration kept in private.upgrade_stash
-- the values v2.0 has no column for, so that the v2.0 and v2.1 migrations could run. This puts
-- each value in its v2.1 home: user_profile's first_name, last_name, phone,
-- professional_summary, social_links, email, referral_source and profile_completed; the
-- user_languages and subscriptions rows (ids and times kept); the answers the extension types
-- into job-application forms in application_form_answers. Each value goes in on its own, under
-- the v2.1 rules: one a rule refuses (an email that is not an address, social links without a
-- URL, a blank location, a birth date before 1900, a language twice in another case) is archived
-- in private.legacy_profile_entries with the reason (source `user_profile.<column>`,
-- `user_languages`, `user_languages.proficiency` or `subscriptions`) and the home keeps what the
-- rule allows (a summary cut to its byte limit, a language without its unknown proficiency),
-- as the earlier migrations archive what they cannot map. The values of a second profile of
-- one user (archived by the row caps) are archived with it. The tier follows the subscription, as
-- the v2.1 triggers make it; a live tier no subscription backs is archived. Filling values in is
-- not a user edit: updated_at stays as it was. A value leaves the stash once placed or
-- archived, and the stash is dropped when it is empty; a value whose home this database does
-- not have (yet) stays, and one whose home exists but that was not placed stops the migration,
-- named, with the stash kept. On a database without a stash (v2.0, or a fresh one) this does
-- nothing.

-- Whether this database has a home for a stashed value: a column of a public table.
create function pg_temp.has_home(table_name text, column_name text)
returns boolean
language sql
stable
as $$
  select exists (select 1 from pg_catalog.pg_attribute a
                  where a.attrelid = pg_catalog.to_regclass('public.' || pg_catalog.quote_ident(table_name))
                    and a.attname = column_name and a.attnum > 0 and not a.attisdropped)
$$;

-- Sets one column of one row from a JSON value, as the column's type reads it.
create function pg_temp.set_value(table_name text, key_column text, key_value uuid, column_name text, value jsonb)
returns void
language plpgsql
as $$
begin
  execute pg_catalog.format(
    'update public.%1$I t set %2$I = (pg_catalog.jsonb_populate_record(null::public.%1$I, pg_catalog.jsonb_build_object(%2$L, $1))).%2$I where t.%3$I = $2',
    table_name, column_name, key_column) using value, key_value;
end;
$$;

do $$
declare
  s record;
  c text;
  v jsonb;
  cut text;
  refused_by text;
  message text;
  now_tier text;
  profile constant text[] := array['first_name', 'last_name', 'phone', 'professional_summary', 'social_links',
                                   'email', 'referral_source', 'profile_completed'];
  answers constant text[] := array['work_auth_us', 'work_auth_canada', 'work_auth_uk', 'requires_sponsorship',
                                   'current_location', 'phone_country_code', 'date_of_birth',
                                   'ethnicity', 'gender', 'has_disability', 'is_veteran', 'is_lgbtq'];
  done text[];
  placed integer := 0;
  archived integer := 0;
  left_over text;
begin
  if pg_catalog.to_regclass('private.upgrade_stash') is null then
    return;
  end if;

  -- Subscriptions first: the profile's tier follows them.
  if pg_catalog.to_regclass('public.subscriptions') is not null then
    for s in select * from private.upgrade_stash where source = 'subscriptions' order by id loop
      begin
        insert into public.subscriptions (id, user_id, stripe_customer_id, stripe_subscription_id, stripe_price_id, status, tier,
                                          current_period_start, current_period_end, cancel_at_period_end, created_at, updated_at)
        select r.id, r.user_id, r.stripe_customer_id, r.stripe_subscription_id, r.stripe_price_id,
               coalesce(r.status, 'free'), coalesce(r.tier, 'free'), r.current_period_start, r.current_period_end,
               coalesce(r.cancel_at_period_end, false), coalesce(r.created_at, now()), coalesce(r.updated_at, r.created_at, now())
          from pg_catalog.jsonb_populate_record(null::public.subscriptions, s.entry) r;
        placed := placed + 1;
      exception when integrity_constraint_violation or data_exception then
        get stacked diagnostics message = message_text;
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        values (s.user_id, 'subscriptions', s.entry, pg_catalog.format('the live subscription breaks a v2.1 rule (%s); not stored', message));
        archived := archived + 1;
      end;
      delete from private.upgrade_stash x where x.id = s.id;
    end loop;
  end if;

  alter table public.user_profile disable trigger update_user_profile_updated_at;

  for s in select * from private.upgrade_stash where source = 'user_profile' order by id loop
    -- A user keeps one profile (the oldest; the others were archived whole, source
    -- user_profile.rows_per_user): the live values of the others are archived with them.
    if not exists (select 1 from public.user_profile p where p.id = s.row_id) then
      insert into private.legacy_profile_entries (user_id, source, entry, reason)
      values (s.user_id, 'user_profile.live_columns', pg_catalog.jsonb_build_object('id', s.row_id) || s.entry,
              'the live values of a profile the upgrade archived (a user keeps one profile, the oldest: see source user_profile.rows_per_user)');
      archived := archived + 1;
      delete from private.upgrade_stash x where x.id = s.id;
      continue;
    end if;
    done := '{}';
    foreach c in array profile loop
      v := s.entry -> c;
      continue when v is null or not pg_temp.has_home('user_profile', c);
      done := done || c;
      -- The old service sometimes stored JSON encoded in a JSON string: read it as JSON.
      if c = 'social_links' and pg_catalog.jsonb_typeof(v) = 'string' then
        begin
          v := (v #>> '{}')::jsonb;
        exception when invalid_text_representation then
          null;
        end;
      end if;
      begin
        perform pg_temp.set_value('user_profile', 'id', s.row_id, c, v);
        placed := placed + 1;
      exception when integrity_constraint_violation or data_exception then
        get stacked diagnostics message = message_text;
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        values (s.user_id, 'user_profile.' || c, pg_catalog.jsonb_build_object('id', s.row_id, c, v),
                pg_catalog.format('the live value of %s breaks a v2.1 rule (%s); %s', c, message,
                                  case c when 'professional_summary' then 'the stored value was cut to 10240 bytes' else 'not stored' end));
        archived := archived + 1;
        if c = 'professional_summary' then
          -- Cut to the limit on a character boundary (a character is 1 to 4 bytes).
          cut := pg_catalog.left(v #>> '{}', 10240);
          while pg_catalog.octet_length(cut) > 10240 loop
            cut := pg_catalog.left(cut, pg_catalog.char_length(cut) - greatest(1, (pg_catalog.octet_length(cut) - 10240 + 3) / 4));
          end loop;
          update public.user_profile p set professional_summary = cut where p.id = s.row_id;
        end if;
      end;
    end loop;

    -- The tier is the subscription's (free without one): a live tier that says otherwise is archived.
    if s.entry ? 'subscription_tier' and pg_temp.has_home('user_profile', 'subscription_tier')
       and pg_catalog.to_regclass('public.subscriptions') is not null then
      done := done || 'subscription_tier'::text;
      select p.subscription_tier into now_tier from public.user_profile p where p.id = s.row_id;
      if now_tier is distinct from s.entry ->> 'subscription_tier' then
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        values (s.user_id, 'user_profile.subscription_tier',
                pg_catalog.jsonb_build_object('id', s.row_id, 'subscription_tier', s.entry -> 'subscription_tier'),
                pg_catalog.format('the live profile said %L, but the tier is the subscription''s, which is %L',
                                  s.entry ->> 'subscription_tier', now_tier));
        archived := archived + 1;
      else
        placed := placed + 1;
      end if;
    end if;

    -- The form answers: one row per user, each answer on its own.
    if s.entry ?| answers and pg_catalog.to_regclass('public.application_form_answers') is not null then
      insert into public.application_form_answers (user_id) values (s.user_id) on conflict (user_id) do nothing;
      foreach c in array answers loop
        v := s.entry -> c;
        continue when v is null or not pg_temp.has_home('application_form_answers', c);
        done := done || c;
        begin
          perform pg_temp.set_value('application_form_answers', 'user_id', s.user_id, c, v);
          placed := placed + 1;
        exception when integrity_constraint_violation or data_exception then
          get stacked diagnostics message = message_text;
          insert into private.legacy_profile_entries (user_id, source, entry, reason)
          values (s.user_id, 'user_profile.' || c, pg_catalog.jsonb_build_object('id', s.row_id, c, v),
                  pg_catalog.format('the live value of %s breaks a v2.1 rule (%s); not stored', c, message));
          archived := archived + 1;
        end;
      end loop;
    end if;

    update private.upgrade_stash x set entry = x.entry - done where x.id = s.id;
  end loop;

  alter table public.user_profile enable trigger update_user_profile_updated_at;

  -- Languages: the whole row, its id and times kept; the v2.1 trigger lowercases the
  -- proficiency and reads 'Fluent' as native.
  if pg_catalog.to_regclass('public.user_languages') is not null then
    for s in select * from private.upgrade_stash where source = 'user_languages' order by (entry ->> 'created_at'), id loop
      begin
        insert into public.user_languages (id, user_id, language, proficiency, created_at, updated_at)
        select r.id, r.user_id, r.language, r.proficiency, coalesce(r.created_at, now()), coalesce(r.updated_at, r.created_at, now())
          from pg_catalog.jsonb_populate_record(null::public.user_languages, s.entry) r;
        placed := placed + 1;
      exception when integrity_constraint_violation or data_exception then
        get stacked diagnostics refused_by = constraint_name, message = message_text;
        if refused_by = 'user_languages_proficiency_check' then
          -- A proficiency outside the v2.1 vocabulary: archived, the language kept without it.
          insert into private.legacy_profile_entries (user_id, source, entry, reason)
          values (s.user_id, 'user_languages.proficiency', s.entry,
                  pg_catalog.format('proficiency %L is not beginner, intermediate, advanced or native; the language was kept without it',
                                    s.entry ->> 'proficiency'));
          archived := archived + 1;
          begin
            insert into public.user_languages (id, user_id, language, proficiency, created_at, updated_at)
            select r.id, r.user_id, r.language, null, coalesce(r.created_at, now()), coalesce(r.updated_at, r.created_at, now())
              from pg_catalog.jsonb_populate_record(null::public.user_languages, s.entry) r;
            placed := placed + 1;
          exception when integrity_constraint_violation or data_exception then
            get stacked diagnostics message = message_text;
            insert into private.legacy_profile_entries (user_id, source, entry, reason)
            values (s.user_id, 'user_languages', s.entry, pg_catalog.format('the live language row breaks a v2.1 rule (%s); not stored', message));
          end;
        else
          insert into private.legacy_profile_entries (user_id, source, entry, reason)
          values (s.user_id, 'user_languages', s.entry,
                  pg_catalog.format('the live language row breaks a v2.1 rule (%s: %s): a user has each language once, in any case, and at most 50; not stored',
                                    coalesce(refused_by, 'a check'), message));
          archived := archived + 1;
        end if;
      end;
      delete from private.upgrade_stash x where x.id = s.id;
    end loop;
  end if;

  delete from private.upgrade_stash x where x.entry = '{}'::jsonb;
  raise notice 'live values: % placed in their v2.1 homes, % archived to private.legacy_profile_entries (a v2.1 rule refused them)',
    placed, archived;

  -- What is left must be waiting for a home this database does not have; anything else is a
  -- value no step placed, and the migration stops rather than drop it.
  select pg_catalog.string_agg(pg_catalog.format('%s %s: %s', x.source, x.row_id, k.key), '; ') into left_over
    from private.upgrade_stash x
    cross join lateral pg_catalog.jsonb_object_keys(case when x.source = 'user_profile' then x.entry else '{"row": 1}'::jsonb end) k(key)
   where case x.source
           when 'user_profile' then case when k.key = any (answers) then pg_temp.has_home('application_form_answers', k.key)
                                         else pg_temp.has_home('user_profile', k.key) end
           else pg_catalog.to_regclass('public.' || pg_catalog.quote_ident(x.source)) is not null
         end;
  if left_over is not null then
    raise exception 'private.upgrade_stash still holds values whose home exists but that no step placed: %', pg_catalog.left(left_over, 2000)
      using hint = 'Nothing of this migration was applied and the stash is kept. Place these values (or archive them in private.legacy_profile_entries with the reason), delete them from the stash, and push again.';
  end if;

  if not exists (select 1 from private.upgrade_stash) then
    drop table private.upgrade_stash;
    raise notice 'private.upgrade_stash: every live value is in its v2.1 home or archived; dropped';
  else
    raise notice 'private.upgrade_stash: % entries wait for a home this database does not have yet', (select count(*) from private.upgrade_stash);
  end if;
end
$$;
