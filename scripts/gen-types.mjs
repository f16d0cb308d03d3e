// npm run gen:types — writes supabase/functions/_shared/database.types.ts from the
// running local database (`supabase gen types typescript --local` without its helper
// types, which _shared/table-types.ts defines once, and with each shape it writes again
// named where it repeats: see scripts/lib/types.mjs), and
// supabase/functions/_shared/fair-use-shares.ts from private.fair_use_shares().
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { StackError, runMain, step } from './lib/console.mjs';
import { clusterRunning } from './lib/cluster.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';
import { fairUseSharesFile, generateFairUseShares, generateTypes, typesFile } from './lib/types.mjs';

await runMain(async () => {
  const profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running. Start it with `npm start`.');
  step(`Generating types from ${profile.dbUrl}`);
  writeFileSync(typesFile, generateTypes(profile.dbUrl));
  console.log(`  wrote ${relative(repoRoot, typesFile)}`);
  writeFileSync(fairUseSharesFile, generateFairUseShares(profile.dbUrl));
  console.log(`  wrote ${relative(repoRoot, fairUseSharesFile)}`);
});
