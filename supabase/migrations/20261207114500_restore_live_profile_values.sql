-- Why: on a database of the live app, the first upgrade migration kept in private.upgrade_stash
-- the values v2.0 has no column for, so that the v2.0 migrations could run. Some of them now
-- have their v2.1 home: user_profile's first_name, last_name, phone, professional_summary and
-- social_links, and the user_languages table. This puts each value there, under the v2.1
-- rules: a value a rule refuses is archived in private.legacy_profile_entries with the reason
-- (source `user_profile.<column>`, `user_languages` or `user_languages.proficiency`) and the
-- home keeps what the rule allows (a summary cut to its byte limit, no social links, a
-- language without its unknown proficiency), exactly as the earlier migrations archive what
-- they cannot map. Each value placed leaves the stash; the stash is dropped when it is empty.
-- Values whose home a later migration creates stay in the stash until then. Timestamps and
-- ids of language rows are kept. On a database without a stash (v2.0, or a fresh one) this
-- does nothing.

do $$
declare
  s record;
  c text;
  v jsonb;
  cut text;
  refused_by text;
  message text;
  placed integer := 0;
  archived integer := 0;
begin
  if pg_catalog.to_regclass('private.upgrade_stash') is null then
    return;
  end if;

  -- A restore fills values in, it is not a user edit: updated_at stays as it was.
  alter table public.user_profile disable trigger update_user_profile_updated_at;

  for s in select * from private.upgrade_stash where source = 'user_profile' order by id loop
    foreach c in array array['first_name', 'last_name', 'phone', 'professional_summary', 'social_links'] loop
      v := s.entry -> c;
      continue when v is null;
      -- The old service sometimes stored JSON encoded in a JSON string: read it as JSON.
      if c = 'social_links' and pg_catalog.jsonb_typeof(v) = 'string' then
        begin
          v := (v #>> '{}')::jsonb;
        exception when invalid_text_representation then
          null;
        end;
      end if;
      begin
        execute pg_catalog.format(
          'update public.user_profile p set %1$I = (pg_catalog.jsonb_populate_record(null::public.user_profile, pg_catalog.jsonb_build_object(%1$L, $1))).%1$I where p.id = $2',
          c) using v, s.row_id;
        placed := placed + 1;
      exception when integrity_constraint_violation or data_exception then
        insert into private.legacy_profile_entries (user_id, source, entry, reason)
        values (s.user_id, 'user_profile.' || c, pg_catalog.jsonb_build_object('id', s.row_id, c, v),
                pg_catalog.format('the live value of %s breaks a v2.1 rule (%s); %s', c, sqlerrm,
                                  case c when 'professional_summary' then 'the stored value was cut to 10240 bytes'
                                         else 'not stored' end));
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
    update private.upgrade_stash x
       set entry = x.entry - array['first_name', 'last_name', 'phone', 'professional_summary', 'social_links']
     where x.id = s.id;
  end loop;

  alter table public.user_profile enable trigger update_user_profile_updated_at;

  -- Languages: the whole row, its id and times kept; the v2.1 trigger lowercases the
  -- proficiency and reads 'Fluent' as native.
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
          values (s.user_id, 'user_languages', s.entry,
                  pg_catalog.format('the live language row breaks a v2.1 rule (%s); not stored', message));
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

  delete from private.upgrade_stash x where x.entry = '{}'::jsonb;
  raise notice 'live values: % placed in user_profile and user_languages, % archived to private.legacy_profile_entries (a v2.1 rule refused them)',
    placed, archived;

  if not exists (select 1 from private.upgrade_stash) then
    drop table private.upgrade_stash;
    raise notice 'private.upgrade_stash: every live value is in its v2.1 home or archived; dropped';
  else
    raise notice 'private.upgrade_stash: % entries wait for their v2.1 home (a later migration)', (select count(*) from private.upgrade_stash);
  end if;
end
$$;
