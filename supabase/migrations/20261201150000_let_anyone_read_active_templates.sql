-- Why: the public share page (and its PDF) must follow the resume's template layout:
-- columns, which sections sit in the sidebar, section titles, theme colours and sizes.
-- The share function reads only as anon, so anon needs to read the template catalogue.
-- Templates are design assets, not personal data; only active ones are visible, as for
-- signed-in users, and anon gains nothing else (no write, no other table).

grant select on table public.templates to anon;

create policy "Anyone can view active templates" on public.templates
  for select to anon using (is_active);
