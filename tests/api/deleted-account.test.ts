// A deleted account's access token stays valid until it expires (GoTrue cannot recall
// a signed JWT), so every function must refuse it where it first acts as its user
// (supabase/functions/_shared/act-as-caller.js): 401, as for any other bad token.
// Threats covered (issue 22 finding 9): /health answered 200 for a deleted account, and
// ai/import-resume answered 409 with a foreign-key message naming auth's table; a
// soft-deleted account (auth.users.deleted_at, as GoTrue marks one) is gone too.
// Storage policies for such a token are pgTAP's (the database side).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 1, onnotice: () => {} });
afterAll(() => admin.end());

type User = Awaited<ReturnType<typeof newUser>>;
let deleted: User;
let softDeleted: User;
let live: User;

beforeAll(async () => {
  [deleted, softDeleted, live] = await Promise.all([newUser('gone'), newUser('soft-gone'), newUser('still-here')]);
  // As GoTrue deletes a user (the rows it owned go with it) and as it soft-deletes one.
  await admin`delete from auth.users where id = ${deleted.id}`;
  await admin`update auth.users set deleted_at = now() where id = ${softDeleted.id}`;
});

const someId = '00000000-0000-4000-8000-000000000000';

// One request to every function that acts as a signed-in user.
const calls: { name: string; path: string; init?: RequestInit }[] = [
  { name: 'health', path: 'health' },
  {
    name: 'ai/import-resume (no model call)',
    path: 'ai/import-resume',
    init: { method: 'POST', body: JSON.stringify({ jsonResume: { basics: { name: 'Gone Person' } }, save: true }) },
  },
  { name: 'ai/skills (a model action)', path: 'ai/skills', init: { method: 'POST', body: JSON.stringify({ description: 'Built billing services in Go and SQL for five years.', context: 'job' }) } },
  { name: 'resume-documents', path: `resume-documents/${someId}?format=html` },
  { name: 'calendar (an interview file)', path: `calendar/interviews/${someId}.ics` },
];

async function call(token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${stack.apiUrl}/functions/v1/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  return { status: res.status, text: await res.text() };
}

describe("a deleted account's still-valid token", () => {
  for (const { name, path, init } of calls) {
    it(`is refused by ${name} with 401, naming no table`, async () => {
      for (const user of [deleted, softDeleted]) {
        const { status, text } = await call(user.token, path, init);
        expect(status, text).toBe(401);
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'unauthorized', message: 'This account no longer exists. Sign in again.' } });
        expect(text).not.toMatch(/auth\.|users|foreign key/i);
      }
    });
  }

  it('leaves a live account alone: /health answers 200 with its id', async () => {
    const { status, text } = await call(live.token, 'health');
    expect(status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', user_id: live.id });
  });

  it('wrote nothing for the deleted account', async () => {
    const [row] = await admin`select count(*)::int as n from public.user_profile where user_id = ${deleted.id}`;
    expect(row.n).toBe(0);
  });
});
