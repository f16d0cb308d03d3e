// Users without Supabase Auth: insert into auth.users the way GoTrue does (as
// supabase_auth_admin, so sign-up triggers run as they would, and with every column
// GoTrue sets: auth.users has no default for created_at or updated_at), then sign a token.
import { StackError } from './console.mjs';
import { query } from './database.mjs';
import { issuerOf, signAccessToken } from './keys.mjs';

export const demoUser = { id: '2b7f3f0e-4d3a-4c55-9a57-5d0d8c1f0001', email: 'demo@jobstalker.dev' };

function literal(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function ensureUser(profile, email, metadata = {}) {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new StackError(`"${email}" is not an email address.`);
  const existing = query(profile.adminUrl, `select id from auth.users where email = ${literal(email)} order by created_at limit 1`);
  if (existing) return existing;
  return query(
    profile.adminUrl,
    `set role supabase_auth_admin;
     insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                             is_sso_user, is_anonymous, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', ${literal(email)}, now(),
             '{"provider":"email","providers":["email"]}', ${literal(JSON.stringify(metadata))}::jsonb,
             false, false, now(), now())
     returning id`,
  ).split('\n').pop();
}

export async function tokenFor(profile, email, options) {
  const id = ensureUser(profile, email);
  return { id, email, token: await signAccessToken({ id, email }, { issuer: issuerOf(profile), ...options }) };
}
