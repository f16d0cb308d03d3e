// PostgREST as Supabase configures it (docs/postgrest-versions.md): the stack's PostgREST
// 12.0.2 caches validated JWTs, as 14.x does by default, and the page names each
// difference between the two versions that the error table relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/profiles.mjs';
import { stack } from '../support/stack';

describe('PostgREST 12.0.2 configured as Supabase runs 14.x', () => {
  it('the running stack\'s PostgREST caches validated JWTs (jwt-cache-max-lifetime, 12.0.2\'s only cache)', () => {
    const config = readFileSync(stack.postgrestConfig, 'utf8');
    expect(config).toMatch(/^jwt-cache-max-lifetime = 3600$/m);
  });

  it('docs/postgrest-versions.md gives both answers for every error-table row whose code differs between the versions', () => {
    const page = readFileSync(join(repoRoot, 'docs', 'postgrest-versions.md'), 'utf8');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| an unknown table |'));
    expect(row).toContain('`42P01`');
    expect(row).toContain('`PGRST205`');
    expect(page).toMatch(/404, code `42P01` \| 404, code `PGRST205`/);
    expect(page).toContain('never evicts');
  });
});
