// npm run gen:types — writes supabase/functions/_shared/database.types.ts from the
// running local database (same output as `supabase gen types typescript --local`).
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { StackError, runMain, step } from './lib/console.mjs';
import { clusterRunning } from './lib/cluster.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';
import { generateTypes, typesFile } from './lib/types.mjs';

await runMain(async () => {
  const profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running. Start it with `npm start`.');
  step(`Generating types from ${profile.dbUrl}`);
  writeFileSync(typesFile, generateTypes(profile.dbUrl));
  console.log(`  wrote ${relative(repoRoot, typesFile)}`);
});
