// A stack remembers the ports it was started with (.stack/<name>/ports.json), so a
// second shell without the JOBSTALKER_*_PORT variables finds it: `npm run status`,
// `npm run token` (whose tokens name the stack's own Auth URL as issuer), and every
// command that builds its profile with stackProfile().
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { rememberedPorts, rememberPorts, repoRoot, stackProfile } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';

// The environment of a fresh shell: nothing that names a port.
function freshShell(extra: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^JOBSTALKER_/.test(name)));
  return { ...env, JOBSTALKER_STACK: stack.name, ...extra };
}

const probe = 'portsprobe';
afterAll(() => rmSync(join(repoRoot, '.stack', probe), { recursive: true, force: true }));

describe('remembered ports', () => {
  it('a stack started on moved ports is found on them without any port variable; a port the environment names still wins', () => {
    const moved = { ...stackProfile(probe, { JOBSTALKER_PORTSPROBE_DB_PORT: '61001', JOBSTALKER_PORTSPROBE_API_PORT: '61002', JOBSTALKER_PORTSPROBE_REST_PORT: '61003' }) };
    rememberPorts(moved);
    expect(rememberedPorts(probe)).toEqual({ dbPort: 61001, apiPort: 61002, restPort: 61003 });
    const found = stackProfile(probe, {});
    expect([found.dbPort, found.apiPort, found.restPort, found.apiUrl]).toEqual([61001, 61002, 61003, 'http://127.0.0.1:61002']);
    expect(stackProfile(probe, { JOBSTALKER_PORTSPROBE_API_PORT: '61012' }).apiPort).toBe(61012);
    expect(() => stackProfile(probe, {}, { remembered: false })).toThrow(/no ports of its own/);
  });

  it('the running stack wrote the ports it was started with', () => {
    expect(rememberedPorts(stack.name)).toEqual({ dbPort: stack.dbPort, apiPort: stack.apiPort, restPort: stack.restPort });
  });

  it('npm run status from a shell without port variables finds the stack, and its demo token names the stack\'s Auth URL', () => {
    const status = spawnSync(process.execPath, ['scripts/stack.mjs', 'status'], { cwd: repoRoot, env: freshShell(), encoding: 'utf8', timeout: 60_000 });
    expect(status.status, status.stderr + status.stdout).toBe(0);
    expect(status.stdout).toContain(`API URL: ${stack.apiUrl}`);
    expect(status.stdout).toContain(`DB URL: ${stack.dbUrl}`);
    const token = /Demo access token: (\S+)/.exec(status.stdout)?.[1];
    expect(token).toBeDefined();
    expect(decodeJwt(token!).iss).toBe(`${stack.apiUrl}/auth/v1`);
  });

  it('npm run token from a shell without port variables mints a token whose issuer is the stack\'s Auth URL', () => {
    const minted = spawnSync(process.execPath, ['scripts/token.mjs', '--email', `ports-${crypto.randomUUID().slice(0, 8)}@example.test`],
      { cwd: repoRoot, env: freshShell(), encoding: 'utf8', timeout: 60_000 });
    expect(minted.status, minted.stderr).toBe(0);
    expect(decodeJwt(minted.stdout.trim())).toMatchObject({ iss: `${stack.apiUrl}/auth/v1`, role: 'authenticated' });
  });
});
