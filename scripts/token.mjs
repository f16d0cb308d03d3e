// npm run token -- --email someone@example.com [--expires-in 3600]
// Creates the auth.users row when missing (sign-up triggers run) and prints an
// access token with the claims Supabase Auth issues.
import { parseArgs } from 'node:util';
import { StackError, runMain } from './lib/console.mjs';
import { clusterRunning } from './lib/cluster.mjs';
import { stackProfile } from './lib/profiles.mjs';
import { tokenFor } from './lib/users.mjs';

await runMain(async () => {
  const { values } = parseArgs({ options: { email: { type: 'string' }, 'expires-in': { type: 'string', default: '3600' } } });
  if (!values.email) throw new StackError('Give an email: npm run token -- --email someone@example.com');
  const profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running. Start it with `npm start`.');
  const { token } = await tokenFor(profile, values.email, { expiresInSeconds: Number(values['expires-in']) });
  console.log(token);
});
