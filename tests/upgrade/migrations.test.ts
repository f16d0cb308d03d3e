// Migrations read alike from now on: every migration from 2026-12-01 on is named
// YYYYMMDDHHMMSS_verb_object.sql, opens with a comment saying why, and mentions no issue
// number and no document outside the repository. (Older ones have landed and are never
// edited; tests/api/sql-errors.test.ts checks every RAISE in all of them.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';

const dir = join(repoRoot, 'supabase', 'migrations');
const from = '20261201000000';
const migrations = readdirSync(dir).filter((name) => name.endsWith('.sql') && name.slice(0, 14) >= from).sort();

// The leading block of comment lines: the header.
function header(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('--'));
  return lines.slice(0, end === -1 ? lines.length : end);
}

describe('migrations read alike', () => {
  it('there are migrations to check', () => expect(migrations.length).toBeGreaterThanOrEqual(3));

  it.each(migrations)('%s is named YYYYMMDDHHMMSS_verb_object.sql', (name) => {
    expect(name).toMatch(/^\d{14}_[a-z][a-z0-9]*(_[a-z0-9]+)+\.sql$/);
  });

  it.each(migrations)('%s opens with a header saying why', (name) => {
    const lines = header(readFileSync(join(dir, name), 'utf8'));
    expect(lines.length, 'a comment block on the first lines').toBeGreaterThanOrEqual(2);
    expect(lines.join(' ').length).toBeGreaterThan(80);
  });

  it.each(migrations)('%s mentions no issue number and no document outside the repository', (name) => {
    const comments = readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => /^\s*--/.test(line)).join('\n');
    expect(comments).not.toMatch(/\bissues?\s*#?\d+|(^|\s)#\d+\b/im);
    expect(comments).not.toMatch(/\.\.\/shared\/|\/work\/|\bshared\/(spec|docs)\b|\bbrief\.md\b/);
  });
});
