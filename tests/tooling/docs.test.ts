// The front door stays true: the README and docs link only to files in the repository,
// the README's supabase-js example runs as written on this machine's Node (no flags),
// docs/schema.md covers every table, and supabase/functions/.env.example lists every
// variable the functions read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { query } from '../../scripts/lib/database.mjs';
import { functionSettings } from '../../scripts/lib/function-settings.mjs';
import { signAccessToken } from '../../scripts/lib/keys.mjs';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { demoUser } from '../../scripts/lib/users.mjs';
import { anonKey, stack } from '../support/stack';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const docs = ['README.md', 'bench/README.md', ...['docs', 'bench/reports'].flatMap((dir) => readdirSync(join(repoRoot, dir), { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => `${dir}/${f}`))];

function filesUnder(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
}

describe('links', () => {
  it.each(docs)('in %s point at files inside the repository that exist', (doc) => {
    const text = read(doc).replace(/```[\s\S]*?```/g, '');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    const broken = targets.filter((target) => {
      if (target.startsWith('#')) return false;
      if (/^[a-z]+:/i.test(target)) return true;
      const file = resolve(dirname(join(repoRoot, doc)), target.split('#')[0]);
      return relative(repoRoot, file).startsWith('..') || !existsSync(file);
    });
    expect(broken).toEqual([]);
  });
});

describe('the README', () => {
  it('has a supabase-js example that runs as written with plain node on this machine', async () => {
    const block = /```ts\n(import \{ createClient \} from '@supabase\/supabase-js';[\s\S]*?)```/.exec(read('docs/local-stack.md'))?.[1];
    expect(block).toBeDefined();
    const token = await signAccessToken(demoUser);
    const script = [
      block!,
      'if (error) throw new Error(error.message);',
      'console.log(JSON.stringify(data));',
    ].join('\n');
    // Inside the checkout (a git-ignored folder) so that the import resolves as in a project;
    // the variables are the ones the doc's shell block exports from the status block.
    mkdirSync(stack.dir, { recursive: true });
    const file = join(stack.dir, 'readme-example.mjs');
    writeFileSync(file, script);
    const env = { ...process.env, NODE_OPTIONS: '', API_URL: stack.apiUrl, ANON_KEY: anonKey, TOKEN: token };
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const jobs = JSON.parse(run.stdout);
    expect(jobs.map((j: { company: string }) => j.company).sort()).toEqual(['Acme Cloud', 'Greenfield Energy', 'Oldcorp', 'Paperplane']);
  });

  it('acts as the demo user in psql with the claims a real token carries, email included', () => {
    expect(read('docs/local-stack.md')).toContain(`"sub":"${demoUser.id}","role":"authenticated","email":"${demoUser.email}"`);
  });
});

describe('the README\'s domain table', () => {
  it('names only files and folders that exist', () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('| domain |'), readme.indexOf('### Changing the schema'));
    const rows = table.split('\n').filter((line) => line.startsWith('|')).slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const missing: string[] = [];
    for (const row of rows) {
      const [, schema, pgtap, modules] = row.split(' | ').map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
      const paths = [
        ...schema.map((f) => `supabase/schemas/${f}`),
        ...pgtap.filter((f) => f.endsWith('.sql')).map((f) => `supabase/tests/database/${f}`),
        ...modules.map((f) => `supabase/functions/${f}`),
      ];
      missing.push(...paths.filter((path) => !existsSync(join(repoRoot, path))));
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/schema.md', () => {
  it('has a section for every table in public, saying how it differs from v2.0', () => {
    const schema = read('docs/schema.md');
    const tables = query(stack.adminUrl, "select string_agg(relname, ',' order by relname) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'").split(',');
    const missing = tables.filter((table) => !schema.includes(`### \`${table}\``));
    expect(missing).toEqual([]);
    const sections = schema.split('\n### ').slice(1);
    const withoutDifference = sections.filter((section) => !/Differs from v2\.0/.test(section)).map((s) => s.split('\n')[0]);
    expect(withoutDifference).toEqual([]);
  });
});

describe('supabase/functions/.env.example', () => {
  const example = read('supabase/functions/.env.example');
  const listed = new Map(
    [...example.matchAll(/^#\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]),
  );

  it('lists every variable the functions read', () => {
    const sources = filesUnder('supabase/functions').filter((f) => f.endsWith('.ts') && !f.endsWith('_test.ts'));
    const read = new Set(sources.flatMap((f) => [...readFileSync(join(repoRoot, f), 'utf8').matchAll(/env\.get\(\s*["']([A-Z][A-Z0-9_]*)["']/g)].map((m) => m[1])));
    expect(read.size).toBeGreaterThan(0);
    expect([...read].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('gives each of our settings its default and a line saying what it means', () => {
    for (const setting of functionSettings) {
      expect(listed.get(setting.name)).toBe(setting.default);
      expect(example).toContain(`# ${setting.name}: ${setting.meaning}`);
    }
  });
});
