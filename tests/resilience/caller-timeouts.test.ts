// Statement and lock timeouts for every transaction the functions run as a caller.
// Postgres applies a role's settings (authenticated: statement_timeout 8s, anon: 3s)
// only when a session logs in as that role; the functions log in as postgres and switch
// with set_config('role'), so without this an expensive statement ran unbounded.
// Threats covered:
// - a transaction as authenticated or anon runs without the role's statement_timeout;
// - a statement past the limit never ends, or ends as a bare 500;
// - a request waits forever on a lock another session holds.
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asCaller } from '../../supabase/functions/_shared/db';
import { databaseFailure } from '../../supabase/functions/_shared/database-errors';
import { invokeAi as invoke, startModelServerForGateway } from '../support/ai-client';
import { answer, type ModelServer } from '../support/model-server';
import { newUser, stack } from '../support/stack';

const admin = postgres(stack.adminUrl, { max: 2, onnotice: () => {} });
// The functions' own pool settings: as postgres, switching role per transaction.
const functions = postgres(stack.dbUrl, { prepare: false, max: 2, onnotice: () => {} });
let model: ModelServer;

const skillsBody = { description: 'We build APIs in Go and PostgreSQL on Kubernetes.', context: 'job' };

beforeAll(async () => {
  model = await startModelServerForGateway();
});
beforeEach(() => model.reset());
afterAll(async () => {
  await model?.stop();
  await functions.end();
  await admin.end();
});

describe('timeouts of caller transactions', () => {
  it('each transaction runs with its role\'s statement_timeout and a lock_timeout', async () => {
    const user = await newUser('timeouts');
    const authenticated = await asCaller(functions, { sub: user.id, role: 'authenticated' }, (tx) =>
      tx`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock`);
    expect(authenticated[0]).toEqual({ statement: '8s', lock: '2s' });
    const anon = await asCaller(functions, { sub: '', role: 'anon' } as any, (tx) =>
      tx`select current_setting('statement_timeout') as statement`);
    expect(anon[0].statement).toBe('3s');
    // Transaction-local: the pooled session itself keeps no limit afterwards.
    const [session] = await functions`select current_setting('statement_timeout') as statement`;
    expect(session.statement).toBe('0');
  });

  it('an expensive statement as anon ends at 3 s, and is answered as a clear 504', async () => {
    const started = performance.now();
    const error = await asCaller(functions, { sub: '', role: 'anon' } as any, (tx) => tx`select pg_sleep(20)`).catch((e) => e);
    const elapsed = performance.now() - started;
    expect(error?.code).toBe('57014');
    expect(elapsed).toBeGreaterThan(2500);
    expect(elapsed).toBeLessThan(8000);
    const mapped = databaseFailure(error);
    expect(mapped).toMatchObject({ status: 504, code: 'database_timeout' });
  });

  it('through the gateway: a lock held elsewhere ends the request at lock_timeout with 503 database_busy', async () => {
    const user = await newUser('timeouts-lock');
    const holder = await admin.reserve();
    try {
      // The per-user lock AI admission takes, held by another session.
      await holder`select pg_advisory_lock(hashtextextended('ai_admission:' || ${user.id}, 0))`;
      const started = performance.now();
      const reply = await invoke('skills', skillsBody, user.token);
      const elapsed = performance.now() - started;
      expect(reply.status, JSON.stringify(reply.body)).toBe(503);
      expect(reply.body.error.code).toBe('database_busy');
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(elapsed).toBeLessThan(6000);
      expect(model.requests).toHaveLength(0);
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
    model.script(answer({ skills: ['Go'] }));
    expect((await invoke('skills', skillsBody, user.token)).status).toBe(200);
  });

  it('through the gateway: a statement past the role\'s limit (lowered to 1 s here) is 504 database_timeout', async () => {
    const user = await newUser('timeouts-statement');
    const holder = await admin.reserve();
    try {
      // With the role's limit below lock_timeout, the wait on the held lock is what times out.
      await admin`alter role authenticated set statement_timeout = '1s'`;
      await holder`select pg_advisory_lock(hashtextextended('ai_admission:' || ${user.id}, 0))`;
      const started = performance.now();
      const reply = await invoke('skills', skillsBody, user.token);
      const elapsed = performance.now() - started;
      expect(reply.status, JSON.stringify(reply.body)).toBe(504);
      expect(reply.body.error.code).toBe('database_timeout');
      expect(typeof reply.body.detail).toBe('string');
      expect(elapsed).toBeLessThan(1900);
      expect(model.requests).toHaveLength(0);
    } finally {
      await admin`alter role authenticated set statement_timeout = '8s'`;
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });
});
