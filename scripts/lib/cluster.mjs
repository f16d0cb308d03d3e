// A Postgres 15 cluster in a git-ignored folder, run as an unprivileged OS user
// when we are root (Postgres refuses to run as root).
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './console.mjs';
import { postgresBin } from './prerequisites.mjs';
import { portAnswers, portTakenError } from './ports.mjs';
import { isRoot, run } from './processes.mjs';
import { rememberPorts } from './profiles.mjs';

const serverUser = 'postgres';

// The command line that runs a Postgres program as the server's OS user.
export function serverUserCommand(command, args) {
  if (!isRoot()) return [join(postgresBin, command), args];
  return ['runuser', ['-u', serverUser, '--', join(postgresBin, command), ...args]];
}

function asServerUser(command, args, options = {}) {
  const [program, programArgs] = serverUserCommand(command, args);
  return run(program, programArgs, options);
}

function serverUserCanReach(path) {
  if (!isRoot()) return true;
  return run('runuser', ['-u', serverUser, '--', 'test', '-w', path]).ok;
}

export function clusterExists(profile) {
  return existsSync(join(profile.dataDir, 'PG_VERSION'));
}

export function clusterRunning(profile) {
  if (!clusterExists(profile)) return false;
  return asServerUser('pg_ctl', ['status', '-D', profile.dataDir]).ok;
}

// Is anything listening on the port? Used to explain a clash before Postgres fails obscurely.
export const portInUse = (port) => portAnswers(port);

// The port the running postmaster listens on (line 4 of postmaster.pid), which is the
// port the cluster was created with, whatever the environment asks for now.
export function clusterPort(profile) {
  const file = join(profile.dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const port = Number(readFileSync(file, 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

export function createCluster(profile) {
  mkdirSync(profile.dir, { recursive: true });
  rmSync(profile.dataDir, { recursive: true, force: true });
  mkdirSync(profile.dataDir, { recursive: true });
  if (isRoot()) {
    run('chown', ['-R', `${serverUser}:${serverUser}`, profile.dir]);
    chmodSync(profile.dataDir, 0o700);
    if (!serverUserCanReach(profile.dataDir)) {
      throw new StackError(
        `The OS user "${serverUser}" cannot write to ${profile.dataDir} (a parent folder is closed to other users). ` +
          'Clone the repository into a folder other users can enter, e.g. under /work or /srv, or run npm start as a normal user.',
      );
    }
  }
  const pwfile = join(profile.dir, 'pwfile');
  writeFileSync(pwfile, 'postgres\n');
  if (isRoot()) run('chown', [`${serverUser}:${serverUser}`, pwfile]);
  const init = asServerUser('initdb', [
    '-D', profile.dataDir,
    '-U', 'supabase_admin',
    '--pwfile', pwfile,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
  ]);
  rmSync(pwfile, { force: true });
  if (!init.ok) throw new StackError('initdb could not create the database cluster.', init.stderr || init.stdout);
  const settings = [
    `port = ${profile.dbPort}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${profile.dataDir}'`,
    `shared_preload_libraries = 'pg_stat_statements, pg_cron'`,
    `cron.database_name = 'postgres'`,
    `max_connections = 200`,
    `shared_buffers = '256MB'`,
    `log_min_messages = warning`,
  ];
  writeFileSync(join(profile.dataDir, 'postgresql.auto.conf'), settings.join('\n') + '\n');
  if (isRoot()) run('chown', [`${serverUser}:${serverUser}`, join(profile.dataDir, 'postgresql.auto.conf')]);
}

export async function startCluster(profile) {
  if (clusterRunning(profile)) return rememberPorts(profile);
  if (await portInUse(profile.dbPort)) throw portTakenError(profile.dbPort, 'the database');
  if (isRoot()) run('chown', ['-R', `${serverUser}:${serverUser}`, profile.dir]);
  // -p: the port asked for now, which may differ from the one the cluster was created with.
  const start = asServerUser('pg_ctl', ['start', '-w', '-t', '60', '-D', profile.dataDir, '-l', profile.logFile, '-o', `-p ${profile.dbPort}`]);
  if (!start.ok) {
    const log = existsSync(profile.logFile) ? readFileSync(profile.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new StackError(`Postgres did not start; its log (${profile.logFile}) ends with the reason.`, log || start.stderr);
  }
  // From now on every command finds this stack on these ports, whatever its shell exports.
  rememberPorts(profile);
}

export function stopCluster(profile) {
  if (!clusterRunning(profile)) return false;
  const stop = asServerUser('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', profile.dataDir]);
  if (!stop.ok) throw new StackError('Postgres did not stop.', stop.stderr);
  return true;
}

export function removeCluster(profile) {
  stopCluster(profile);
  rmSync(profile.dir, { recursive: true, force: true });
}

