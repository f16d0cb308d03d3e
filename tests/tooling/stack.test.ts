// The local stack itself: isolation from the dev stack, migrations applied by the
// real CLI, the status command, and failures that explain themselves.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../scripts/lib/cluster.mjs';
import { StackError } from '../../scripts/lib/console.mjs';
import { createScratchDatabase, dropScratchDatabase, psql, pushMigrationsTo } from '../../scripts/lib/database.mjs';
import { databaseFingerprint } from '../../scripts/lib/fingerprint.mjs';
import { ensureSystemPackages } from '../../scripts/lib/prerequisites.mjs';
import { repoRoot, stackProfile } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';

const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end());

describe('the test stack', () => {
  it('never uses the dev stack’s folder or ports', () => {
    const dev = stackProfile('dev', {}, { remembered: false });
    expect(stack.dir).not.toBe(dev.dir);
    expect(stack.dbPort).not.toBe(dev.dbPort);
    expect(stack.apiPort).not.toBe(dev.apiPort);
    expect(stack.restPort).not.toBe(dev.restPort);
  });

  it('has every migration recorded in the history table the Supabase CLI keeps', async () => {
    const files = readdirSync(join(repoRoot, 'supabase', 'migrations')).filter((f) => f.endsWith('.sql'));
    const rows = await sql`select version from supabase_migrations.schema_migrations order by version`;
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.split('_')[0]).sort());
  });

  it('has a fingerprint that changes when any row is written, which is how npm test proves the dev database untouched', () => {
    const db = createScratchDatabase(stack, 'fingerprint_check');
    try {
      const before = databaseFingerprint(db.adminUrl);
      expect(databaseFingerprint(db.adminUrl)).toBe(before);
      // psql's backend exits right away, which flushes its statistics.
      const write = psql(db.dbUrl, ['-c', "insert into auth.users (id, email) values (gen_random_uuid(), 'fingerprint@example.test')"]);
      expect(write.ok, write.stderr).toBe(true);
      expect(databaseFingerprint(db.adminUrl)).not.toBe(before);
    } finally {
      dropScratchDatabase(stack, 'fingerprint_check');
    }
  });

  it('prints the status block instead of starting twice', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'stack.mjs'), 'start'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        JOBSTALKER_STACK: 'test',
        JOBSTALKER_DB_PORT: String(stack.dbPort),
        JOBSTALKER_API_PORT: String(stack.apiPort),
        JOBSTALKER_REST_PORT: String(stack.restPort),
      },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('Creating a Postgres');
    expect(result.stdout).toContain(`REST URL: ${stack.apiUrl}/rest/v1`);
    expect(result.stdout).toContain(`PostgREST: running on port ${stack.restPort}`);
    expect(result.stdout).toContain(`Gateway: running on port ${stack.apiPort}`);
    expect(result.stdout).toContain(`Database: running on port ${stack.dbPort}`);
    for (const label of ['API URL', 'DB URL', 'anon key', 'service_role key', 'JWT secret', 'Demo access token']) {
      expect(result.stdout).toContain(label);
    }
  });

  it('prints the share page of the seeded resume, which opens without signing in', async () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'stack.mjs'), 'status'], {
      encoding: 'utf8',
      env: { ...process.env, JOBSTALKER_STACK: stack.name, JOBSTALKER_DB_PORT: String(stack.dbPort), JOBSTALKER_API_PORT: String(stack.apiPort), JOBSTALKER_REST_PORT: String(stack.restPort) },
    });
    expect(result.status, result.stderr).toBe(0);
    const url = /Demo share page: (\S+)/.exec(result.stdout)?.[1];
    expect(url).toMatch(new RegExp(`^${stack.apiUrl}/functions/v1/share/[A-Za-z0-9_-]{32}$`));
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Demo User');
    expect(html).toContain('Brightwave');
  });
});

describe('stack ports', () => {
  it('defaults PostgREST to 54326 / 54336 / 54346 next to each stack’s database and gateway', () => {
    expect(['dev', 'test', 'bench'].map((name) => stackProfile(name, {}, { remembered: false }).restPort)).toEqual([54326, 54336, 54346]);
    expect(stackProfile('dev', {}, { remembered: false }).restUrl).toBe('http://127.0.0.1:54321/rest/v1');
  });

  it('moves the REST port with JOBSTALKER_<STACK>_REST_PORT, or JOBSTALKER_REST_PORT for the selected stack', () => {
    expect(stackProfile('bench', { JOBSTALKER_BENCH_REST_PORT: '60043' }, { remembered: false }).restPort).toBe(60043);
    expect(stackProfile('test', { JOBSTALKER_STACK: 'test', JOBSTALKER_REST_PORT: '60033' }, { remembered: false }).restPort).toBe(60033);
    // JOBSTALKER_REST_PORT moves only the stack JOBSTALKER_STACK names (dev when unset).
    expect(stackProfile('test', { JOBSTALKER_REST_PORT: '60033' }, { remembered: false }).restPort).toBe(54336);
    expect(stackProfile('dev', { JOBSTALKER_REST_PORT: '60023' }, { remembered: false }).postgrestUrl).toBe('http://127.0.0.1:60023');
  });
});

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startCommand(env: Record<string, string>, command = 'start') {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'stack.mjs'), command], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('port clashes are loud', () => {
  for (const kind of ['DB', 'API', 'REST'] as const) {
    it(`npm start exits non-zero naming the ${kind} port and the process holding it, and builds nothing`, async () => {
      const squatter = net.createServer();
      await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
      const taken = (squatter.address() as net.AddressInfo).port;
      const name = `clash${kind.toLowerCase()}`;
      const ports: Record<string, string> = {};
      for (const k of ['DB', 'API', 'REST']) ports[`JOBSTALKER_${k}_PORT`] = String(k === kind ? taken : await freePort());
      try {
        const result = startCommand({ JOBSTALKER_STACK: name, ...ports });
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(`Port ${taken} (`);
        expect(result.stderr).toContain(`is taken by node (pid ${process.pid})`);
        expect(result.stdout).not.toContain('running');
        expect(existsSync(join(repoRoot, '.stack', name))).toBe(false);
      } finally {
        squatter.close();
        rmSync(join(repoRoot, '.stack', name), { recursive: true, force: true });
      }
    });
  }

  it('npm start with another API port while the stack is up exits non-zero and prints no "running" for the port nothing serves', async () => {
    const elsewhere = String(await freePort());
    const env = {
      JOBSTALKER_STACK: 'test',
      JOBSTALKER_DB_PORT: String(stack.dbPort),
      JOBSTALKER_API_PORT: elsewhere,
      JOBSTALKER_TEST_API_PORT: elsewhere, // the per-stack name wins over JOBSTALKER_API_PORT
      JOBSTALKER_REST_PORT: String(stack.restPort),
    };
    const start = startCommand(env);
    expect(start.status).not.toBe(0);
    expect(start.stderr).toContain(`already running on port ${stack.apiPort}, not ${elsewhere}`);
    expect(start.stdout).not.toContain('running');
    const status = startCommand(env, 'status');
    expect(status.status).not.toBe(0);
    expect(status.stdout).toContain(`Gateway: NOT on port ${elsewhere}`);
    expect(status.stdout).toContain('NOT fully running');
    expect(status.stdout).not.toMatch(/Gateway: running/);
  });
});

describe('failures explain themselves', () => {
  it('names the port when another program holds it', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    const profile = { ...stackProfile('test'), dataDir: join(tmpdir(), 'no-cluster-here'), dbPort: port };
    try {
      await expect(startCluster(profile)).rejects.toThrow(new RegExp(`Port ${port} \\(the database\\) is taken by node \\(pid ${process.pid}\\)`));
    } finally {
      squatter.close();
    }
  });

  it('tells a stack name without ports what to set, without a stack trace', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JOBSTALKER_')));
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'stack.mjs'), 'start'], {
      encoding: 'utf8',
      env: { ...env, JOBSTALKER_STACK: 'third' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Stack "third" has no ports of its own');
    expect(result.stderr).toContain('JOBSTALKER_THIRD_DB_PORT, JOBSTALKER_THIRD_API_PORT, JOBSTALKER_THIRD_REST_PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('•');
  });

  it('reports a taken MODEL_SERVER_PORT before npm test builds or touches anything', async () => {
    // A copy of scripts/ in a folder of its own, so that even a regression here could
    // only act on that copy's .stack, never on the stack these tests run against.
    const root = mkdtempSync(join(tmpdir(), 'npm-test-copy-'));
    cpSync(join(repoRoot, 'scripts'), join(root, 'scripts'), { recursive: true });
    cpSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const child = spawn(process.execPath, [join(root, 'scripts', 'test.mjs')], {
        env: { ...process.env, MODEL_SERVER_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const status = await new Promise((resolve) => child.on('close', resolve));
      expect(status).toBe(1);
      expect(stderr).toContain(`Port ${port} (MODEL_SERVER_PORT) is taken by another program`);
      // Said first: no step ran before it (no npm ci, no prerequisites, no stack).
      expect(stdout).toBe('');
    } finally {
      squatter.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the packages to install when Postgres is missing and we are not root', () => {
    const packages = [['postgresql-15', '/nonexistent/postgres'], ['postgresql-15-pgtap', '/nonexistent/pgtap.control']];
    expect(() => ensureSystemPackages({ packages, root: false })).toThrow(StackError);
    expect(() => ensureSystemPackages({ packages, root: false })).toThrow(
      /Install them with: sudo apt-get install -y postgresql-15 postgresql-15-pgtap/,
    );
  });

  it('names the migration file and the SQL error when a migration fails', () => {
    const workdir = mkdtempSync(join(tmpdir(), 'broken-project-'));
    mkdirSync(join(workdir, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(join(workdir, 'supabase', 'config.toml'), 'project_id = "broken"\n');
    writeFileSync(join(workdir, 'supabase', 'migrations', '20990101000000_add_broken_table.sql'), 'create table broken (id int references no_such_table);\n');
    const db = createScratchDatabase(stack, 'broken_migration');
    try {
      let caught: unknown;
      try {
        pushMigrationsTo(db.dbUrl, { workdir });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(StackError);
      expect((caught as Error).message).toContain('supabase/migrations/20990101000000_add_broken_table.sql');
      expect((caught as Error).message).toContain('no_such_table');
    } finally {
      dropScratchDatabase(stack, 'broken_migration');
      rmSync(workdir, { recursive: true, force: true });
    }
  });
});
