// npm start | stop | status | db:reset — the Docker-free counterpart of
// `supabase start`, `supabase stop`, `supabase status` and `supabase db reset`.
import { runMain, step } from './lib/console.mjs';
import { ensureNodeModules } from './lib/prerequisites.mjs';
import { stackProfile } from './lib/profiles.mjs';

// On a fresh clone the npm dependencies the stack modules import are not there yet.
ensureNodeModules();
const { ensurePrerequisites, isStackRunning, resetDatabase, startStack, statusBlock, stopStack } = await import(
  './lib/stack.mjs'
);

let profile;

const commands = {
  async start() {
    if (await isStackRunning(profile)) {
      console.log(await statusBlock(profile));
      return;
    }
    ensurePrerequisites();
    await startStack(profile);
    console.log(await statusBlock(profile));
  },
  async stop() {
    step('Stopping the local stack');
    console.log(stopStack(profile) ? '  stopped' : '  nothing was running');
  },
  async status() {
    console.log(await statusBlock(profile));
    if (!(await isStackRunning(profile))) process.exitCode = 1;
  },
  async reset() {
    ensurePrerequisites();
    await resetDatabase(profile);
    console.log(await statusBlock(profile));
  },
};

await runMain(async () => {
  const command = commands[process.argv[2]];
  if (!command) throw new Error(`usage: node scripts/stack.mjs ${Object.keys(commands).join('|')}`);
  // Inside runMain, so a stack name without ports gets a sentence, not a stack trace.
  profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  await command();
});
