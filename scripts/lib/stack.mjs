// Building, starting and describing a local stack (database, PostgREST, and the gateway
// that serves /rest/v1 and /functions/v1 in front of them).
import { StackError, done, step } from './console.mjs';
import { clusterExists, clusterPort, clusterRunning, createCluster, removeCluster, startCluster, stopCluster } from './cluster.mjs';
import { loadBaseline, loadSeed, pushMigrations, query } from './database.mjs';
import { functionsEnvFile } from './function-settings.mjs';
import { gatewayProcess, startGateway, stopGateway } from './gateway-process.mjs';
import { portAnswers, portTakenError } from './ports.mjs';
import { postgrestProcess, reloadSchemaCache, startPostgrest, stopEveryPostgrest } from './postgrest-process.mjs';
import { anonKey, issuerOf, jwtSecret, serviceRoleKey, signAccessToken } from './keys.mjs';
import { ensureNodeModules, ensureSystemPackages } from './prerequisites.mjs';
import { configuredModel, modelLine, startDemoModel, stopDemoModel } from './local-model.mjs';
import { demoUser } from './users.mjs';

export function ensurePrerequisites() {
  ensureNodeModules();
  ensureSystemPackages();
}

// A new database: cluster, platform baseline, migrations through the Supabase CLI, seed.
export async function buildDatabase(profile, { autoGrants = true, seed = true } = {}) {
  step(`Creating a Postgres 15 cluster in ${profile.dataDir}`);
  createCluster(profile);
  step(`Starting Postgres on 127.0.0.1:${profile.dbPort}`);
  await startCluster(profile);
  step(`Loading the Supabase platform baseline (roles, auth, storage${autoGrants ? '' : ', automatic grants off'})`);
  loadBaseline(profile, { autoGrants });
  step('Applying migrations with the Supabase CLI (supabase db push)');
  done(`${pushMigrations(profile)} migration(s) applied`);
  if (seed) {
    step('Loading supabase/seed.sql');
    loadSeed(profile);
  }
  reloadSchemaCache(profile.dbUrl);
}

// PostgREST first: the gateway proxies /rest/v1 to it.
// npm start loads the developer's supabase/functions/.env into the gateway; npm test
// passes { envFile: null, isolated: true } so nothing of it reaches the tests.
// With the developer's env file (npm start) and no model configured in it or in the
// environment, the AI actions get the local demo model (scripts/lib/local-model.mjs).
export async function startServices(profile, gatewayEnv = {}, gatewayOptions = { envFile: functionsEnvFile }) {
  step(`Starting PostgREST 12 on ${profile.postgrestUrl} (served at ${profile.restUrl})`);
  await startPostgrest(profile);
  let env = gatewayEnv;
  if (gatewayOptions.envFile && !configuredModel(gatewayOptions.envFile)) {
    const demo = await startDemoModel(profile);
    step(`No model configured (OPENAI_API_KEY / OPENAI_BASE_URL): starting the LOCAL DEMO MODEL on port ${demo.port} (canned answers, not AI)`);
    env = { ...demo.env, ...gatewayEnv };
  }
  step(`Starting the gateway on ${profile.apiUrl}`);
  await startGateway(profile, env, gatewayOptions);
}

export function stopServices(profile) {
  const gateway = stopGateway(profile);
  const postgrest = stopEveryPostgrest(profile);
  const demo = stopDemoModel(profile);
  return gateway || postgrest || demo;
}

// The three parts of a stack, each with the port it should serve, whether this stack's
// process for it is alive and on which port it was started, and whether that port
// answers a connection. "Running" means alive, on the wanted port, and answering.
export async function serviceStates(profile) {
  const gateway = gatewayProcess(profile);
  const postgrest = postgrestProcess(profile);
  const database = clusterRunning(profile);
  const parts = [
    { name: 'database', label: 'the database', envName: 'DB', wanted: profile.dbPort, alive: database, port: database ? clusterPort(profile) : undefined },
    { name: 'PostgREST', label: 'PostgREST', envName: 'REST', wanted: profile.restPort, alive: Boolean(postgrest), port: postgrest?.port },
    { name: 'gateway', label: 'the gateway', envName: 'API', wanted: profile.apiPort, alive: Boolean(gateway), port: gateway?.port },
  ];
  for (const part of parts) {
    part.answers = await portAnswers(part.wanted);
    part.running = part.alive && part.port === part.wanted && part.answers;
  }
  return parts;
}

export async function isStackRunning(profile) {
  return (await serviceStates(profile)).every((part) => part.running);
}

// Before anything starts: every port a part still has to start on must be free, and a
// part that already runs must run on the port asked for. Loud, naming port and holder.
async function checkPorts(profile) {
  for (const part of await serviceStates(profile)) {
    if (part.alive && part.port !== undefined && part.port !== part.wanted) {
      throw new StackError(
        `${part.label[0].toUpperCase()}${part.label.slice(1)} of the "${profile.name}" stack is already running on port ${part.port}, not ${part.wanted}. ` +
          `Run \`npm stop\` first to move it, or start with JOBSTALKER_${part.envName}_PORT=${part.port}.`,
      );
    }
    if (!part.alive && part.answers) throw portTakenError(part.wanted, part.label);
  }
}

export async function startStack(profile) {
  await checkPorts(profile);
  if (!clusterExists(profile)) {
    await buildDatabase(profile);
  } else {
    step(`Starting Postgres on 127.0.0.1:${profile.dbPort}`);
    await startCluster(profile);
    step('Applying new migrations with the Supabase CLI (supabase db push)');
    done(`${pushMigrations(profile)} new migration(s) applied`);
    reloadSchemaCache(profile.dbUrl);
  }
  await startServices(profile);
  const silent = (await serviceStates(profile)).filter((part) => !part.running);
  if (silent.length) {
    throw new StackError(`Started, but nothing answers for ${silent.map((p) => `${p.label} on port ${p.wanted}`).join(', ')}; see the logs in ${profile.dir}.`);
  }
}

export function stopStack(profile) {
  const services = stopServices(profile);
  const database = stopCluster(profile);
  return services || database;
}

export async function resetDatabase(profile) {
  stopServices(profile);
  removeCluster(profile);
  await checkPorts(profile);
  await buildDatabase(profile);
  await startServices(profile);
}

export function destroyStack(profile) {
  stopServices(profile);
  removeCluster(profile);
}

function describe(part) {
  if (part.running) return `running on port ${part.wanted}`;
  if (part.alive && part.port !== part.wanted) return `NOT on port ${part.wanted} (this stack's ${part.name} runs on port ${part.port ?? 'unknown'})`;
  if (part.alive) return `NOT answering on port ${part.wanted}`;
  if (part.answers) return `stopped; port ${part.wanted} is held by another program`;
  return 'stopped (run `npm start`)';
}

export async function statusBlock(profile) {
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running. Start it with `npm start`.');
  const parts = await serviceStates(profile);
  const state = Object.fromEntries(parts.map((part) => [part.name, describe(part)]));
  const allRunning = parts.every((part) => part.running);
  const demoExists = query(profile.adminUrl, `select count(*) from auth.users where id = '${demoUser.id}'`) === '1';
  const demoToken = demoExists
    ? await signAccessToken(demoUser, { expiresInSeconds: 7 * 24 * 3600, issuer: issuerOf(profile) })
    : '(no demo user: load supabase/seed.sql with `npm run db:reset`)';
  // The seed shares the demo user's generated resume; its page opens without signing in.
  const shareToken = demoExists
    ? query(
        profile.adminUrl,
        `select share_token from public.generated_resumes
          where user_id = '${demoUser.id}' and share_token is not null order by created_at limit 1`,
      )
    : '';
  const sharePage = shareToken
    ? `${profile.apiUrl}/functions/v1/share/${shareToken}`
    : '(no shared resume: load supabase/seed.sql with `npm run db:reset`)';
  const rows = [
    ['API URL', profile.apiUrl],
    ['REST URL', profile.restUrl],
    ['Functions URL', `${profile.apiUrl}/functions/v1`],
    ['DB URL', profile.dbUrl],
    ['Database', state.database],
    ['Gateway', state.gateway],
    ['PostgREST', state.PostgREST],
    ['JWT secret', jwtSecret],
    ['anon key', anonKey],
    ['service_role key', serviceRoleKey],
    ['Demo user', `${demoUser.email} (${demoUser.id})`],
    ['Demo access token', demoToken],
    ['Demo share page', sharePage],
    ['AI model', modelLine(profile, functionsEnvFile)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    '',
    allRunning ? 'JobStalker local stack is running.' : 'JobStalker local stack is NOT fully running (see below; `npm stop` then `npm start`).',
    '',
    ...rows.map(([k, v]) => `${k.padStart(width)}: ${v}`),
    '',
    'Try: curl -H "apikey: $ANON_KEY" -H "Authorization: Bearer $TOKEN" ' + `${profile.restUrl}/jobs`,
    '     curl -H "Authorization: Bearer $TOKEN" ' + `${profile.apiUrl}/functions/v1/health`,
    ...(shareToken ? [`     xdg-open ${sharePage}`] : []),
    '',
  ].join('\n');
}
