// The wizard's SQL under concurrency, through separate connections that each act as
// the user the way PostgREST does (one transaction: role + JWT claims, then the RPC).
// Threats: two saves computing the same next version number (a duplicate) or skipping
// one (a gap); a double-clicked "complete" creating two resumes.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCaller } from '../support/as-caller';
import { newUser, stack } from '../support/stack';

type User = Awaited<ReturnType<typeof newUser>>;

const parallel = 20;
let admin: postgres.Sql;
// One connection per concurrent caller, so every call is its own backend and transaction.
let callers: postgres.Sql[];
let templateSlug: string;

// Runs work in one transaction as the user (the shared preamble, tests/support/as-caller);
// resolves with the backend pid and the result.
async function asUser<T>(sql: postgres.Sql, user: User, work: (tx: postgres.TransactionSql) => Promise<T>, ready?: Promise<void>) {
  return await asCaller(sql, user, async (tx) => {
    const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
    // Every caller has its transaction open before any of them calls the RPC.
    if (ready) await ready;
    return { pid, result: await work(tx) };
  });
}

// A barrier: the returned promise resolves once arrive() was called n times.
function barrier(n: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    opened,
    arrive() {
      arrived += 1;
      if (arrived === n) open();
      return opened;
    },
  };
}

async function startAndComplete(user: User) {
  const { result: session } = await asUser(callers[0], user, async (tx) => {
    const [row] = await tx<{ id: string }[]>`select id from public.start_wizard_session(${templateSlug})`;
    return row;
  });
  const { result: resume } = await asUser(callers[0], user, async (tx) => {
    const [row] = await tx<{ id: string }[]>`select id from public.complete_wizard_session(${session.id})`;
    return row;
  });
  return { sessionId: session.id, resumeId: resume.id };
}

beforeAll(async () => {
  admin = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
  callers = Array.from({ length: parallel }, () => postgres(stack.dbUrl, { max: 1, onnotice: () => {} }));
  templateSlug = `wizard-race-${crypto.randomUUID().slice(0, 8)}`;
  await admin`insert into public.templates (name, slug, schema) values (${templateSlug}, ${templateSlug}, '{}')`;
});

// The template stays (the resumes made from it reference it, ON DELETE RESTRICT; like the
// users newUser() makes it is unique to this run) but is retired, so no later file that
// lists the active templates (the share page in the browser) finds it.
afterAll(async () => {
  if (admin && templateSlug) await admin`update public.templates set is_active = false where slug = ${templateSlug}`;
  await Promise.all([admin, ...(callers ?? [])].map((sql) => sql?.end()));
});

describe('wizard RPCs under concurrency', () => {
  it(`${parallel} parallel save_generated_resume_version calls number versions 1..${parallel + 1} with no gap or duplicate`, async () => {
    const user = await newUser('wizard-versions');
    const { resumeId } = await startAndComplete(user);

    const gate = barrier(parallel);
    const saves = await Promise.all(
      callers.map((sql, i) =>
        asUser(
          sql,
          user,
          async (tx) => {
            const [row] = await tx<{ version_number: number }[]>`
              select version_number from public.save_generated_resume_version(
                generated_resume_id => ${resumeId}, content => ${tx.json({ summary: `save ${i}` })})`;
            return row.version_number;
          },
          gate.arrive(),
        ),
      ),
    );

    expect(new Set(saves.map((s) => s.pid)).size).toBe(parallel);
    expect(saves.map((s) => s.result).sort((a, b) => a - b)).toEqual(Array.from({ length: parallel }, (_, i) => i + 2));

    const versions = await admin<{ version_number: number }[]>`
      select version_number from public.generated_resume_versions
       where generated_resume_id = ${resumeId} order by version_number`;
    expect(versions.map((v) => v.version_number)).toEqual(Array.from({ length: parallel + 1 }, (_, i) => i + 1));
    const [resume] = await admin<{ current_version: number }[]>`
      select current_version from public.generated_resumes where id = ${resumeId}`;
    expect(resume.current_version).toBe(parallel + 1);
  });

  it('two parallel complete_wizard_session calls return the same resume and create only one', async () => {
    const user = await newUser('wizard-complete');
    const { result: session } = await asUser(callers[0], user, async (tx) => {
      const [row] = await tx<{ id: string }[]>`select id from public.start_wizard_session(${templateSlug})`;
      return row;
    });

    const gate = barrier(2);
    const completions = await Promise.all(
      callers.slice(0, 2).map((sql) =>
        asUser(
          sql,
          user,
          async (tx) => {
            const [row] = await tx<{ id: string; current_version: number }[]>`
              select id, current_version from public.complete_wizard_session(id => ${session.id})`;
            return row;
          },
          gate.arrive(),
        ),
      ),
    );

    expect(completions[0].pid).not.toBe(completions[1].pid);
    expect(completions[0].result.id).toBe(completions[1].result.id);
    expect(completions.map((c) => c.result.current_version)).toEqual([1, 1]);
    const resumes = await admin<{ id: string }[]>`select id from public.generated_resumes where user_id = ${user.id}`;
    expect(resumes.map((r) => r.id)).toEqual([completions[0].result.id]);
    const [counted] = await admin<{ n: number }[]>`
      select count(*)::int as n from public.generated_resume_versions where generated_resume_id = ${completions[0].result.id}`;
    expect(counted.n).toBe(1);
  });

  it('parallel start_wizard_session calls share one active session', async () => {
    const user = await newUser('wizard-start');
    const gate = barrier(parallel);
    const starts = await Promise.all(
      callers.map((sql) =>
        asUser(
          sql,
          user,
          async (tx) => {
            const [row] = await tx<{ id: string }[]>`select id from public.start_wizard_session(template => ${templateSlug})`;
            return row.id;
          },
          gate.arrive(),
        ),
      ),
    );
    expect(new Set(starts.map((s) => s.result)).size).toBe(1);
    const [counted] = await admin<{ n: number }[]>`
      select count(*)::int as n from public.wizard_sessions where user_id = ${user.id} and status = 'active'`;
    expect(counted.n).toBe(1);
  });
});
