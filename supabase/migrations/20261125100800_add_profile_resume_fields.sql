-- A resume needs more than full_name: the live app already stores first and last
-- name, phone, a professional summary and social links on the profile, and the AI
-- wizard prefills from them. social_links is a JSON array of {platform, url}
-- objects with string values, checked so that every reader can rely on the shape.

alter table public.user_profile
  add column first_name varchar(255),
  add column last_name varchar(255),
  add column phone varchar(50),
  add column professional_summary text,
  add column social_links jsonb not null default '[]'::jsonb;

alter table public.user_profile
  add constraint user_profile_social_links_check check (
    pg_catalog.jsonb_typeof(social_links) = 'array'
    -- strict: every element itself must be an object (lax mode would unwrap nested arrays)
    and not pg_catalog.jsonb_path_exists(social_links, 'strict $[*] ? (@.type() != "object")')
    and not pg_catalog.jsonb_path_exists(
      social_links,
      '$[*] ? (!(@.platform.type() == "string" && @.url.type() == "string"))'
    )
  );
