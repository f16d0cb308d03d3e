// A small world of rows for one owner, made fresh per test cell through a superuser
// connection (as the SQL RLS matrix's fixtures are): two signed-up users (the sign-up
// trigger creates their profiles), two templates, and one row of every owner table.
// Fresh per cell, because a cell over HTTP cannot be rolled back.
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { signAccessToken } from '../../scripts/lib/keys.mjs';

export interface Person { id: string; email: string; token: string }

export interface World {
  marker: string;
  owner: Person;
  stranger: Person;
  activeTemplate: { id: string; slug: string };
  retiredTemplate: { id: string; slug: string };
  ids: Record<string, string>;
}

export const worldDomain = 'http-world.test';

async function signUp(tx: postgres.TransactionSql, label: string, marker: string): Promise<Person> {
  const id = randomUUID();
  const email = `${label}-${marker}@${worldDomain}`;
  await tx`set local role supabase_auth_admin`;
  await tx`insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
           values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, now(),
                   '{"provider":"email","providers":["email"]}', ${tx.json({ full_name: `World ${label}` })})`;
  await tx`reset role`;
  return { id, email, token: await signAccessToken({ id, email }) };
}

export async function makeWorld(sql: postgres.Sql): Promise<World> {
  const marker = randomUUID().slice(0, 8);
  return (await sql.begin(async (tx) => {
    const owner = await signUp(tx, 'owner', marker);
    const stranger = await signUp(tx, 'stranger', marker);
    const id = () => randomUUID();
    const ids: Record<string, string> = {
      skill: id(), experience: id(), education: id(), language: id(), job: id(), resume: id(), builder: id(),
      session: id(), generated: id(), version: id(), event: id(), letter: id(),
      contact: id(), jobContact: id(), interview: id(), participant: id(), tag: id(), proposal: id(),
    };
    const activeTemplate = { id: id(), slug: `world-active-${marker}` };
    const retiredTemplate = { id: id(), slug: `world-retired-${marker}` };
    const o = owner.id;
    await tx`insert into public.templates (id, name, slug, schema, is_active) values
      (${activeTemplate.id}, ${`World Active ${marker}`}, ${activeTemplate.slug}, '{}', true),
      (${retiredTemplate.id}, ${`World Retired ${marker}`}, ${retiredTemplate.slug}, '{}', false)`;
    await tx`insert into public.user_skills (id, user_id, name) values (${ids.skill}, ${o}, 'PostgreSQL')`;
    await tx`insert into public.user_work_experience (id, user_id, title, company) values (${ids.experience}, ${o}, 'Engineer', 'Acme')`;
    await tx`insert into public.user_education (id, user_id, school) values (${ids.education}, ${o}, 'Open University')`;
    await tx`insert into public.user_languages (id, user_id, language) values (${ids.language}, ${o}, 'English')`;
    await tx`insert into public.application_form_answers (user_id, work_auth_us, current_location, gender)
             values (${o}, true, 'Berlin', 'Decline to state')`;
    await tx`insert into public.subscriptions (user_id, stripe_customer_id, tier, status)
             values (${o}, ${`cus_${marker}`}, 'pro', 'active')`;
    await tx`insert into public.jobs (id, user_id, job_title, company, status) values (${ids.job}, ${o}, 'Backend Engineer', 'Acme', 'applied')`;
    await tx`insert into public.resumes (id, user_id, filename, file_url, file_size)
             values (${ids.resume}, ${o}, 'cv.pdf', ${`${o}/resumes/cv.pdf`}, 1000)`;
    await tx`insert into public.resume_builder_data (id, user_id, template_id, resume_data) values (${ids.builder}, ${o}, ${activeTemplate.slug}, '{}')`;
    await tx`insert into public.generated_resumes (id, user_id, template_id, title) values (${ids.generated}, ${o}, ${activeTemplate.id}, 'Owner resume')`;
    await tx`insert into public.generated_resume_versions (id, generated_resume_id, version_number, content_json)
             values (${ids.version}, ${ids.generated}, 1, '{}')`;
    await tx`insert into public.wizard_sessions (id, user_id, template_id, status, generated_resume_id)
             values (${ids.session}, ${o}, ${activeTemplate.id}, 'completed', ${ids.generated})`;
    await tx`insert into public.ai_events (id, user_id, wizard_session_id, provider, model, status)
             values (${ids.event}, ${o}, ${ids.session}, 'openai', 'gpt-4o-mini', 'success')`;
    await tx`insert into public.ai_usage_daily (user_id, day, provider, model, calls, errors, input_tokens, output_tokens)
             values (${o}, '2026-01-15', 'openai', 'gpt-4o-mini', 3, 0, 100, 50)`;
    await tx`insert into public.cover_letters (id, user_id, job_id, generated_resume_id, resume_version, content)
             values (${ids.letter}, ${o}, ${ids.job}, ${ids.generated}, 1, 'Dear hiring team, I would like to apply.')`;
    // The tracker's rows, on the world's job. The interview goes in with triggers off, so
    // that the job stays applied with its one status event, as the other cells expect.
    await tx`insert into public.tracker_settings (user_id, follow_up_days) values (${o}, 7)`;
    await tx`insert into public.contacts (id, user_id, name) values (${ids.contact}, ${o}, 'Rita Recruiter')`;
    await tx`insert into public.job_contacts (id, user_id, job_id, contact_id, part) values (${ids.jobContact}, ${o}, ${ids.job}, ${ids.contact}, 'recruiter')`;
    await tx`set local session_replication_role = replica`;
    await tx`insert into public.interviews (id, user_id, job_id, starts_at, time_zone)
             values (${ids.interview}, ${o}, ${ids.job}, '2027-03-15T17:00:00Z', 'America/Los_Angeles')`;
    await tx`set local session_replication_role = origin`;
    await tx`insert into public.interview_participants (id, user_id, interview_id, contact_id) values (${ids.participant}, ${o}, ${ids.interview}, ${ids.contact})`;
    await tx`insert into public.tags (id, user_id, name) values (${ids.tag}, ${o}, 'Remote')`;
    await tx`insert into public.job_tags (user_id, job_id, tag_id) values (${o}, ${ids.job}, ${ids.tag})`;
    await tx`insert into public.job_materials (user_id, job_id, resume_id) values (${o}, ${ids.job}, ${ids.resume})`;
    await tx`insert into public.email_proposals (id, user_id, email_kind, summary, job_id, proposed_status)
             values (${ids.proposal}, ${o}, 'offer', 'Acme makes an offer.', ${ids.job}, 'negotiating')`;
    return { marker, owner, stranger, activeTemplate, retiredTemplate, ids };
  })) as World;
}

// Everything worlds left behind: their users (cascading to their rows) and templates.
export async function removeWorlds(sql: postgres.Sql) {
  await sql`delete from auth.users where email like ${`%@${worldDomain}`}`;
  await sql`delete from public.templates where slug like 'world-%'`;
}
