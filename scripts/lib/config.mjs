// supabase/config.toml, read with a TOML parser (smol-toml) so that the local stack
// honours exactly what `supabase start` would: the [api] block for PostgREST.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { repoRoot } from './profiles.mjs';

export function readConfig(file = join(repoRoot, 'supabase', 'config.toml')) {
  return parse(readFileSync(file, 'utf8'));
}

// The Data API settings Supabase hands PostgREST, with the CLI's defaults for keys left out.
export function apiSettings(config = readConfig()) {
  const api = config.api ?? {};
  const list = (value, fallback) => (Array.isArray(value) ? value.map(String) : fallback);
  const maxRows = api.max_rows ?? 1000;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new Error(`config.toml [api] max_rows must be a positive whole number, not ${maxRows}.`);
  return {
    schemas: list(api.schemas, ['public', 'graphql_public']),
    extraSearchPath: list(api.extra_search_path, ['public', 'extensions']),
    maxRows,
  };
}
