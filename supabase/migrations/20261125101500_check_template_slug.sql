-- Template slugs appear in URLs and in resume_builder_data.template_id
-- ('modern-professional'); the spec calls them URL-friendly, so require
-- lowercase-kebab. Existing slugs are rewritten to that form (suffixed when two
-- collide) and the builder rows that point at them follow.

alter table public.templates disable trigger update_templates_updated_at;
alter table public.resume_builder_data disable trigger update_resume_builder_data_updated_at;

do $$
declare
  t record;
  candidate text;
  n integer;
  renamed integer := 0;
begin
  for t in
    select x.id, x.slug from public.templates x
     where x.slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$'
     order by x.created_at, x.id
  loop
    candidate := pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(t.slug), '[^a-z0-9]+', '-', 'g'), '-');
    if candidate = '' then
      candidate := 'template';
    end if;
    n := 1;
    while exists (select 1 from public.templates y where y.slug = candidate || case when n > 1 then '-' || n end) loop
      n := n + 1;
    end loop;
    candidate := candidate || case when n > 1 then '-' || n else '' end;

    update public.resume_builder_data b set template_id = candidate where b.template_id = t.slug;
    update public.templates y set slug = candidate where y.id = t.id;
    raise notice 'templates.slug: % renamed to %', pg_catalog.quote_literal(t.slug), pg_catalog.quote_literal(candidate);
    renamed := renamed + 1;
  end loop;
  raise notice 'templates.slug: % slugs rewritten to lowercase-kebab', renamed;
end
$$;

alter table public.templates enable trigger update_templates_updated_at;
alter table public.resume_builder_data enable trigger update_resume_builder_data_updated_at;

alter table public.templates
  add constraint templates_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
