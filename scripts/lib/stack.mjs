// Building, starting and describing a local stack (database, PostgREST, and the gateway
// that serves /rest/v1 and /functions/v1 in front of them).
import { StackError, done, step } from './console.mjs';
import { clusterExists, clusterRunning, createCluster, removeCluster, startCluster, stopCluster } from './cluster.mjs';
import { loadBaseline, loadSeed, pushMigrations, query } from './database.mjs';
import { gatewayPid, startGateway, stopGateway } from './gateway-process.mjs';
import { postgrestPid, reloadSchemaCache, startPostgrest, stopPostgrest } from './postgrest-process.mjs';
import { anonKey, jwtSecret, serviceRoleKey, signAccessToken } from './keys.mjs';
import { ensureNodeModules, ensureSystemPackages } from './prerequisites.mjs';
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
export async function startServices(profile, gatewayEnv = {}) {
  step(`Starting PostgREST 12 on ${profile.postgrestUrl} (served at ${profile.restUrl})`);
  await startPostgrest(profile);
  step(`Starting the gateway on ${profile.apiUrl}`);
  await startGateway(profile, gatewayEnv);
}

export function stopServices(profile) {
  const gateway = stopGateway(profile);
  const postgrest = stopPostgrest(profile);
  return gateway || postgrest;
}

export async function startStack(profile) {
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
}

export function isStackRunning(profile) {
  return clusterRunning(profile) && Boolean(gatewayPid(profile)) && Boolean(postgrestPid(profile));
}

export function stopStack(profile) {
  const services = stopServices(profile);
  const database = stopCluster(profile);
  return services || database;
}

export async function resetDatabase(profile) {
  stopServices(profile);
  removeCluster(profile);
  await buildDatabase(profile);
  await startServices(profile);
}

export function destroyStack(profile) {
  stopServices(profile);
  removeCluster(profile);
}

export async function statusBlock(profile) {
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running. Start it with `npm start`.');
  const demoExists = query(profile.adminUrl, `select count(*) from auth.users where id = '${demoUser.id}'`) === '1';
  const demoToken = demoExists
    ? await signAccessToken(demoUser, { expiresInSeconds: 7 * 24 * 3600 })
    : '(no demo user: load supabase/seed.sql with `npm run db:reset`)';
  const rows = [
    ['API URL', profile.apiUrl],
    ['REST URL', profile.restUrl],
    ['Functions URL', `${profile.apiUrl}/functions/v1`],
    ['DB URL', profile.dbUrl],
    ['Gateway', gatewayPid(profile) ? 'running' : 'stopped (run `npm start`)'],
    ['PostgREST', postgrestPid(profile) ? `running on ${profile.postgrestUrl}` : 'stopped (run `npm start`)'],
    ['JWT secret', jwtSecret],
    ['anon key', anonKey],
    ['service_role key', serviceRoleKey],
    ['Demo user', `${demoUser.email} (${demoUser.id})`],
    ['Demo access token', demoToken],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    '',
    'JobStalker local stack is running.',
    '',
    ...rows.map(([k, v]) => `${k.padStart(width)}: ${v}`),
    '',
    'Try: curl -H "apikey: $ANON_KEY" -H "Authorization: Bearer $TOKEN" ' + `${profile.restUrl}/jobs`,
    '     curl -H "Authorization: Bearer $TOKEN" ' + `${profile.apiUrl}/functions/v1/health`,
    '',
  ].join('\n');
}
