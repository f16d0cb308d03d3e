// Error shapes: what a supabase-js client gets back when a request fails, through the
// gateway and the real PostgREST. The expected code and HTTP status of each situation
// are read from the README's "Errors a client sees" table, and every row there must
// have a scenario here (and every scenario a row), so docs and behaviour cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { anonClient, type Client, userClient } from '../support/clients';
import { stack } from '../support/stack';
import { makeWorld, removeWorlds, type World } from '../support/world';

const sql = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
let w: World;
let me: Client;
beforeAll(async () => {
  w = await makeWorld(sql);
  me = userClient(w.stranger.token); // the stranger: everything of the world's owner is "not yours"
});
afterAll(async () => {
  await removeWorlds(sql);
  await sql.end();
});

// codes: every code the cell names. A cell may give PostgREST 12's answer (this stack) and
// 14's (supabase start, hosted) where they differ (docs/postgrest-versions.md).
interface Row { situation: string; code: string | null; codes: string[]; status: number }

function readErrorTable(readme: string): Row[] {
  const section = readme.split('### Errors a client sees')[1]?.split(/\n#{2,3} /)[0];
  if (!section) throw new Error('docs/api.md has no "### Errors a client sees" section');
  return section.split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| situation') && !line.startsWith('|---'))
    .map((line) => {
      const [situation, code, status] = line.slice(2, -2).split(' | ').map((cell) => cell.trim());
      const versions = /^`([^`]+)` \(PostgREST 12[^)]*\) or `([^`]+)` \(13\+[^)]*\)$/.exec(code);
      const single = /^`([^`]+)`$/.exec(code)?.[1];
      const codes = versions ? [versions[1], versions[2]] : single ? [single] : [];
      return { situation, code: codes.join(' or ') || null, codes, status: Number(status) };
    });
}

type Outcome = { status: number; error: { code?: string } | null; data?: unknown };
const random = () => crypto.randomUUID();

async function activeSession(client: Client) {
  const { data, error } = await client.rpc('start_wizard_session', { template: w.activeTemplate.slug, prefill: false });
  if (error) throw new Error(error.message);
  return (data as { id: string }).id;
}

const scenarios: Record<string, () => Promise<Outcome>> = {
  '`.single()` finds no row (`.maybeSingle()` gives `null` with 200)': async () => {
    const maybe = await me.from('jobs').select('*').eq('id', w.ids.job).maybeSingle();
    expect(maybe).toMatchObject({ status: 200, data: null, error: null });
    return await me.from('jobs').select('*').eq('id', w.ids.job).single();
  },
  'an insert naming another user as the owner (`user_id`)': () =>
    me.from('jobs').insert({ user_id: w.owner.id, job_title: 'Forged', company: 'Forged Co', status: 'applied' }),
  'a table read without a session (anon)': () => anonClient().from('jobs').select('id'),
  'writing a column the client may not change (`user_id` of an existing row, `templates`)': async () => {
    const templates = await me.from('templates').update({ name: 'Renamed' }).eq('slug', w.activeTemplate.slug);
    expect(templates).toMatchObject({ status: 403, error: { code: '42501' } });
    const own = await me.from('jobs').insert({ job_title: 'Mine', company: 'Own Co', status: 'applied' }).select('id').single();
    return await me.from('jobs').update({ user_id: w.owner.id }).eq('id', own.data!.id);
  },
  'sending a column the server sets (`created_at`, `updated_at`, `version_number`, `render_artifact_url`, ...: [the list](limits.md#server-owned-columns)), whatever its value': async () => {
    const stamped = await me.from('jobs').insert({ job_title: 'Backdated', company: 'Old Co', status: 'applied', created_at: '2000-01-01T00:00:00Z' } as never);
    expect(stamped).toMatchObject({ status: 403, error: { code: '42501' } });
    const own = await me.from('jobs').insert({ job_title: 'Mine', company: 'Own Co', status: 'applied' }).select('id').single();
    return await me.from('jobs').update({ updated_at: new Date().toISOString() } as never).eq('id', own.data!.id);
  },
  'a duplicate on a unique key (the same skill twice, in any case)': async () => {
    await me.from('user_skills').insert({ name: 'Rust' });
    return await me.from('user_skills').insert({ name: 'RUST' });
  },
  'a check constraint (an unknown job status)': () => me.from('jobs').insert({ job_title: 'x', company: 'y', status: 'daydreaming' }),
  'a required column left out': () => me.from('jobs').insert({ company: 'No Title Co', status: 'applied' } as never),
  'a value longer than its column': () => me.from('jobs').insert({ job_title: 'x'.repeat(256), company: 'y', status: 'applied' }),
  'a malformed uuid in a filter or argument': async () => {
    const rpc = await me.rpc('complete_wizard_session', { id: 'not-a-uuid' });
    expect(rpc).toMatchObject({ status: 400, error: { code: '22P02' } });
    return await me.from('jobs').select('*').eq('id', 'not-a-uuid');
  },
  'an unknown table': () => me.from('no_such_table' as never).select('*'),
  'an unknown RPC': () => me.rpc('no_such_function' as never),
  '`start_wizard_session` with a template that is unknown or inactive': async () => {
    const retired = await me.rpc('start_wizard_session', { template: w.retiredTemplate.slug });
    expect(retired).toMatchObject({ status: 404, error: { code: 'PT404' } });
    return await me.rpc('start_wizard_session', { template: 'no-such-template' });
  },
  '`update_wizard_session`, `complete_wizard_session`, `abandon_wizard_session` on a session that is not yours': async () => {
    for (const call of [
      me.rpc('update_wizard_session', { id: w.ids.session, draft_patch: { targetRole: 'Thief' } }),
      me.rpc('complete_wizard_session', { id: w.ids.session }),
      me.rpc('abandon_wizard_session', { id: random() }),
    ]) expect(await call).toMatchObject({ status: 404, error: { code: 'PT404' } });
    return await me.rpc('abandon_wizard_session', { id: w.ids.session });
  },
  '`update_wizard_session` with a patch that is not an object, or `last_step` outside 0–8': async () => {
    const id = await activeSession(me);
    expect(await me.rpc('update_wizard_session', { id, last_step: 9 })).toMatchObject({ status: 400, error: { code: '22023' } });
    expect(await me.rpc('update_wizard_session', { id, progress_patch: 'step1' as never })).toMatchObject({ status: 400, error: { code: '22023' } });
    const outcome = await me.rpc('update_wizard_session', { id, draft_patch: [] as never });
    await me.rpc('abandon_wizard_session', { id });
    return outcome;
  },
  '`update_wizard_session`, `complete_wizard_session` on a session that is no longer active': async () => {
    const id = await activeSession(me);
    await me.rpc('abandon_wizard_session', { id });
    expect(await me.rpc('complete_wizard_session', { id })).toMatchObject({ status: 409, error: { code: 'PT409' } });
    return await me.rpc('update_wizard_session', { id, draft_patch: {} });
  },
  '`create_share_link`, `revoke_share_link`, `save_generated_resume_version` on a resume that is not yours': async () => {
    expect(await me.rpc('create_share_link', { generated_resume_id: w.ids.generated })).toMatchObject({ status: 404, error: { code: 'PT404' } });
    expect(await me.rpc('revoke_share_link', { generated_resume_id: w.ids.generated })).toMatchObject({ status: 404, error: { code: 'PT404' } });
    return await me.rpc('save_generated_resume_version', { generated_resume_id: w.ids.generated, content: { stolen: true } });
  },
  '`create_share_link` with `expires_at` in the past': async () => {
    const own = await me.from('generated_resumes').insert({ template_id: w.activeTemplate.id, title: 'Mine' }).select('id').single();
    return await me.rpc('create_share_link', { generated_resume_id: own.data!.id, expires_at: '2000-01-01T00:00:00Z' });
  },
  '`save_generated_resume_version` with content that is not an object': async () => {
    const own = await me.from('generated_resumes').insert({ template_id: w.activeTemplate.id, title: 'Mine too' }).select('id').single();
    return await me.rpc('save_generated_resume_version', { generated_resume_id: own.data!.id, content: ['not', 'an', 'object'] as never });
  },
  '`set_default_resume`, `set_current_resume_builder` on a row that is not yours': async () => {
    expect(await me.rpc('set_current_resume_builder', { id: w.ids.builder })).toMatchObject({ status: 404, error: { code: 'PT404' } });
    return await me.rpc('set_default_resume', { resume_id: w.ids.resume });
  },
  '`merge_imported_profile` with a profile that is not an object': () => me.rpc('merge_imported_profile', { profile: [] as never }),
  '`search_jobs` with an empty or whitespace-only query, one over 200 characters, `page_size` outside 1–100, an unknown status, or a page token of another search': async () => {
    for (const args of [{ query: '' }, { query: 'x'.repeat(201) }, { query: 'engineer', page_size: 0 },
                        { query: 'engineer', statuses: ['daydreaming'] }, { query: 'engineer', page_token: 'forged' }]) {
      expect(await me.rpc('search_jobs', args), JSON.stringify(args)).toMatchObject({ status: 400, error: { code: '22023' } });
    }
    return await me.rpc('search_jobs', { query: ' \t ' });
  },
  '`job_dashboard` with a `tz` that is not an IANA time zone': async () => {
    expect(await me.rpc('job_dashboard', { tz: 'UTC+3' })).toMatchObject({ status: 400, error: { code: '22023' } });
    return await me.rpc('job_dashboard', { tz: 'Mars/Olympus_Mons' });
  },
  'any RPC but `get_public_generated_resume` without a session (anon)': async () => {
    const anon = anonClient();
    const calls: Array<[string, Record<string, unknown>]> = [
      ['start_wizard_session', { template: 'modern-professional' }], ['update_wizard_session', { id: random() }],
      ['complete_wizard_session', { id: random() }], ['abandon_wizard_session', { id: random() }],
      ['create_share_link', { generated_resume_id: random() }], ['revoke_share_link', { generated_resume_id: random() }],
      ['save_generated_resume_version', { generated_resume_id: random(), content: {} }],
      ['set_default_resume', { resume_id: random() }], ['set_current_resume_builder', { id: random() }],
      ['search_jobs', { query: 'engineer' }], ['job_dashboard', { tz: 'UTC' }],
    ];
    for (const [name, args] of calls) {
      expect(await anon.rpc(name as never, args as never), name).toMatchObject({ status: 401, error: { code: '42501' } });
    }
    return await anon.rpc('merge_imported_profile', { profile: {} });
  },
  '`get_public_generated_resume` with an unknown, revoked or expired token': async () => {
    const anon = anonClient();
    const expired = crypto.randomUUID().replaceAll('-', '');
    await sql`update public.generated_resumes set share_token = ${expired}, share_expires_at = now() - interval '1 day'
               where id = ${w.ids.generated}`;
    expect(await anon.rpc('get_public_generated_resume', { share_token: expired })).toMatchObject({ status: 200, data: null, error: null });
    return await anon.rpc('get_public_generated_resume', { share_token: 'x'.repeat(32) });
  },
  'an interview or `tracker_settings` with a `time_zone` that is not an IANA time zone, `snooze_follow_up` into the past': async () => {
    const own = await me.from('jobs').insert({ job_title: 'Tz', company: 'Tz Co', status: 'applied' }).select('id').single();
    expect(await me.from('tracker_settings' as never).insert({ time_zone: 'UTC+3' } as never)).toMatchObject({ status: 400, error: { code: '22023' } });
    expect(await me.rpc('snooze_follow_up' as never, { job_id: own.data!.id, until: '2020-01-01T00:00:00Z' } as never))
      .toMatchObject({ status: 400, error: { code: '22023' } });
    return await me.from('interviews' as never).insert({ job_id: own.data!.id, starts_at: '2027-03-15T17:00:00Z', time_zone: 'Mars/Olympus' } as never);
  },
  '`complete_follow_up`, `snooze_follow_up`, `mark_job_ghosted`, `confirm_email_proposal`, `dismiss_email_proposal`, `interview_calendar_event` on a row that is not yours': async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['complete_follow_up', { job_id: w.ids.job }], ['snooze_follow_up', { job_id: w.ids.job, until: new Date(Date.now() + 864e5).toISOString() }],
      ['mark_job_ghosted', { job_id: w.ids.job }], ['dismiss_email_proposal', { proposal_id: w.ids.proposal }],
      ['interview_calendar_event', { interview_id: w.ids.interview }],
    ];
    for (const [name, args] of calls) {
      expect(await me.rpc(name as never, args as never), name).toMatchObject({ status: 404, error: { code: 'PT404' } });
    }
    return await me.rpc('confirm_email_proposal' as never, { proposal_id: w.ids.proposal } as never);
  },
  'changing what was sent for a job after it was applied (`job_materials`), `mark_job_ghosted` on a job that is not applied, deciding an email proposal twice': async () => {
    const owner = userClient(w.owner.token);
    expect(await owner.rpc('mark_job_ghosted' as never, { job_id: (await owner.from('jobs').insert({ job_title: 'B', company: 'C', status: 'bookmarked' }).select('id').single()).data!.id } as never))
      .toMatchObject({ status: 409, error: { code: 'PT409' } });
    expect(await owner.rpc('dismiss_email_proposal' as never, { proposal_id: w.ids.proposal } as never)).toMatchObject({ status: 204 });
    expect(await owner.rpc('dismiss_email_proposal' as never, { proposal_id: w.ids.proposal } as never)).toMatchObject({ status: 409, error: { code: 'PT409' } });
    return await owner.from('job_materials' as never).update({ resume_version: 1 } as never).eq('job_id', w.ids.job);
  },
  'a request without the `apikey` header (gateway)': async () => {
    const response = await fetch(`${stack.restUrl}/jobs`, { headers: { Authorization: `Bearer ${w.owner.token}` } });
    expect(await response.json()).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
    return { status: response.status, error: null };
  },
};

describe('errors a client sees, as the README documents them', () => {
  const rows = readErrorTable(readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8'));

  it('the README table and these scenarios name the same situations', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.situation).sort()).toEqual(Object.keys(scenarios).sort());
  });

  for (const row of rows) {
    it(`${row.situation} → ${row.code ?? 'no error'}, ${row.status}`, async () => {
      const scenario = scenarios[row.situation];
      expect(scenario, 'a scenario for this README row').toBeDefined();
      const outcome = await scenario();
      expect(outcome.status).toBe(row.status);
      if (row.codes.length > 1) expect(row.codes).toContain(outcome.error?.code);
      else if (row.code) expect(outcome.error).toMatchObject({ code: row.code });
      else expect(outcome.error).toBeNull();
    });
  }
});
