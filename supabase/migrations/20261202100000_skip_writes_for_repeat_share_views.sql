-- Why: a share-link view by a viewer already counted within the hour wrote anyway. The
-- counting upsert (ON CONFLICT ... DO UPDATE ... WHERE older than an hour) locks the
-- conflicting row even when it updates nothing, so every repeat view took a
-- transaction id, wrote a lock record and waited for a WAL flush at commit: the public
-- share RPC cost several times a primary-key read although it changed nothing. A fresh
-- row for the viewer is now looked up first, and only a view that can count reaches
-- the upsert, which still decides concurrent first views under its row lock. What
-- counts, and what is stored, is unchanged.

create or replace function private.get_public_generated_resume(token text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  shared record;
  viewer bytea;
  counted boolean := false;
begin
  -- A malformed token cannot match; answer without touching the table.
  if token is null or token !~ '^[A-Za-z0-9_-]{22,128}$' then
    return null;
  end if;
  -- Unique-index probe on share_token.
  select gr.id, gr.title, gr.template_id, gr.user_id into shared
    from public.generated_resumes gr
   where gr.share_token = token
     and (gr.share_expires_at is null or gr.share_expires_at > pg_catalog.now());
  if not found then
    -- Unknown, revoked and expired tokens are indistinguishable.
    return null;
  end if;

  if coalesce(pg_catalog.current_setting('request.method', true), '') <> 'HEAD'
     and shared.user_id is distinct from (select auth.uid()) then
    viewer := extensions.digest(token || E'\n' || private.share_viewer_key(), 'sha256');
    -- A viewer already counted within the hour: nothing to write, so the read stays a
    -- read. (The upsert below locks the conflicting row even when its WHERE updates
    -- nothing, which made every repeat view a write transaction with a WAL flush.)
    -- Skipping on a fresh row is safe without the lock: it can only skip a view that
    -- would not have counted; every count still goes through the upsert.
    if exists (select 1 from private.share_views v
                where v.generated_resume_id = shared.id and v.viewer_hash = viewer
                  and v.counted_at > pg_catalog.now() - interval '1 hour') then
      counted := false;
    else
      -- At most once per viewer per hour, race-free: the upsert takes the row lock, so of
      -- two concurrent first views one inserts and the other sees a fresh counted_at.
      insert into private.share_views as v (generated_resume_id, viewer_hash, counted_at)
      values (shared.id, viewer, pg_catalog.now())
      on conflict (generated_resume_id, viewer_hash) do update
         set counted_at = excluded.counted_at
       where v.counted_at <= excluded.counted_at - interval '1 hour'
      returning true into counted;
    end if;
    if counted then
      update public.generated_resumes gr
         set share_view_count = gr.share_view_count + 1
       where gr.id = shared.id;
    end if;
  end if;

  return (
    select pg_catalog.jsonb_build_object(
             'title', coalesce(shared.title, ''),
             'template_slug', t.slug,
             'updated_at', coalesce(pg_catalog.to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD'), ''),
             'content', private.public_resume_content(v.content_json))
      from public.templates t
      left join lateral (
        select gv.content_json, gv.created_at
          from public.generated_resume_versions gv
         where gv.generated_resume_id = shared.id
         order by gv.version_number desc
         limit 1
      ) v on true
     where t.id = shared.template_id
  );
end
$$;
