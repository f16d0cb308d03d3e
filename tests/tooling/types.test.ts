// The committed database types must match what the generator makes from the migrations.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generateTypes, typesFile } from '../../scripts/lib/types.mjs';
import { stack } from '../support/stack';

it('supabase/functions/_shared/database.types.ts is up to date (run npm run gen:types)', () => {
  expect(readFileSync(typesFile, 'utf8')).toBe(generateTypes(stack.dbUrl));
});
