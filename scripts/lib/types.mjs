// TypeScript types for the public schema, produced by the generator behind
// `supabase gen types typescript` (postgres-meta), with the CLI's settings.
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { run } from './processes.mjs';
import { repoRoot } from './profiles.mjs';

export const typesFile = join(repoRoot, 'supabase', 'functions', '_shared', 'database.types.ts');

export function generateTypes(dbUrl) {
  const server = join(repoRoot, 'node_modules', '@supabase', 'postgres-meta', 'dist', 'server', 'server.js');
  const result = run(process.execPath, [server], {
    env: {
      PG_META_DB_URL: dbUrl,
      PG_META_GENERATE_TYPES: 'typescript',
      PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: 'public',
      PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
      PG_META_LOG_LEVEL: 'error',
    },
  });
  if (!result.ok || !result.stdout.includes('export type Database')) {
    throw new StackError('The type generator (postgres-meta) failed.', result.stderr || result.stdout);
  }
  return result.stdout;
}
