-- Local seed data (never run on hosted Supabase): a demo user.
-- Inserted as Supabase Auth would, so the sign-up trigger creates the profile.
insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
values ('00000000-0000-0000-0000-000000000000', '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', 'authenticated', 'authenticated',
        'demo@jobstalker.dev', now(), '{"provider":"email","providers":["email"]}', '{"full_name":"Demo User"}')
on conflict (id) do nothing;
