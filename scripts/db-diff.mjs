// npm run db:diff -- <verb_object> --why "<one paragraph>"
// Writes the migration that takes a database built from supabase/migrations to the state
// declared in supabase/schemas: the schema changes as pg-delta plans them, the reference
// rows (error codes, row quotas, buckets, ...) and the scheduled jobs. Data moves (backfills,
// archiving rows a new rule refuses) are not derivable from the schema: write them by hand,
// in this migration or one beside it. Runs in the cluster of the running local stack
// (`npm start`), in scratch databases it drops again; the stack's own data is not touched.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError, done, runMain, step } from './lib/console.mjs';
import { clusterRunning } from './lib/cluster.mjs';
import { createScratchDatabase, dropScratchDatabase, psql, pushMigrationsTo } from './lib/database.mjs';
import {
  buildDeclaredDatabase, comparisonProfile, defaultPrivilegeChanges, migrationFiles, migrationsDir, referenceDataChanges, scheduledJobs, schemaChanges,
  schemaFiles,
} from './lib/declared-schema.mjs';
import { repoRoot, stackProfile } from './lib/profiles.mjs';

function parseArgs(argv) {
  const args = { name: undefined, why: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--why') args.why = argv[++i];
    else if (!args.name) args.name = argv[i];
    else throw new StackError(`Unexpected argument ${argv[i]}.`);
  }
  if (!args.name || !/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(args.name)) {
    throw new StackError('Name the migration as verb_object, e.g. `npm run db:diff -- add_interviews --why "..."`.');
  }
  if (!args.why || args.why.trim().length < 40) {
    throw new StackError('Say why the change exists: --why "<a sentence or more>" becomes the migration\'s header.');
  }
  return args;
}

// What cron.schedule calls the schemas make that the migrations have not (or differently),
// and jobs the migrations scheduled that the schemas no longer name.
export function jobChanges(declared, migrated) {
  const statements = [];
  for (const [name, job] of Object.entries(declared)) {
    const had = migrated[name];
    if (had && had.schedule === job.schedule && had.command === job.command) continue;
    const quote = (text) => `'${text.replace(/'/g, "''")}'`;
    const manual = `pg_cron is not available here: run ${job.command} on the schedule ${job.schedule} (UTC) from another scheduler, as postgres`;
    statements.push(`do $$\nbegin\n  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then\n` +
      `    perform cron.schedule(${quote(name)}, ${quote(job.schedule)}, ${quote(job.command)});\n` +
      `  else\n    raise notice '%', ${quote(manual)};\n  end if;\nend\n$$;`);
  }
  for (const name of Object.keys(migrated)) {
    if (!(name in declared)) {
      statements.push(`do $$\nbegin\n  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then\n` +
        `    perform cron.unschedule('${name}') from cron.job where jobname = '${name}';\n  end if;\nend\n$$;`);
    }
  }
  return statements;
}

function wrap(text, width = 88) {
  const lines = [];
  let line = '--';
  for (const word of text.trim().split(/\s+/)) {
    if (line.length + word.length + 1 > width) {
      lines.push(line);
      line = '--';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function timestamp(now = new Date()) {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

await runMain(async () => {
  const { name, why } = parseArgs(process.argv.slice(2));
  const profile = stackProfile(process.env.JOBSTALKER_STACK ?? 'dev');
  if (!clusterRunning(profile)) throw new StackError('The local stack is not running: start it with `npm start`, then run this again.');

  step('Building a database from supabase/migrations and one from supabase/schemas (scratch databases)');
  const migrated = createScratchDatabase(profile, 'db_diff_migrated');
  const comparison = await comparisonProfile();
  let declared;
  try {
    pushMigrationsTo(migrated.dbUrl);
    declared = buildDeclaredDatabase(profile, 'db_diff_declared');
    step('Comparing them with pg-delta');
    const schema = schemaChanges(migrated.adminUrl, declared.adminUrl, comparison.profileFile);
    const data = referenceDataChanges(migrated.adminUrl, declared.adminUrl);
    const jobs = jobChanges(scheduledJobs(schemaFiles()), scheduledJobs(migrationFiles()));
    const privileges = defaultPrivilegeChanges(migrated.adminUrl, declared.adminUrl);
    if (privileges.length) {
      throw new StackError('Default privileges differ, which pg-delta does not plan reliably: write the `alter default privileges` statements by hand in a migration of their own, then run this again.', privileges.join('\n'));
    }
    if (!schema.length && !data.length && !jobs.length) {
      done('supabase/migrations already builds what supabase/schemas declares: no migration written.');
      return;
    }
    const file = join(migrationsDir, `${timestamp()}_${name}.sql`);
    const body = [
      `${wrap(`Why: ${why}`)}\n-- Generated by \`npm run db:diff\` from supabase/schemas; data moves, if any, are written by hand below.`,
      ...schema.map((sql) => sql.trim()),
      ...(data.length ? [`-- Reference rows declared in supabase/schemas.\n${data.join('\n')}`] : []),
      ...(jobs.length ? [`-- Scheduled jobs declared in supabase/schemas.\n${jobs.join('\n\n')}`] : []),
    ];
    writeFileSync(file, `${body.join('\n\n')}\n`);
    // Proof: the migration, applied to the migrated database, leaves nothing to change.
    step(`Applying ${file.slice(repoRoot.length + 1)} to the migrated copy and comparing again`);
    const applied = psql(migrated.dbUrl, ['--single-transaction', '-f', file]);
    const left = applied.ok ? schemaChanges(migrated.adminUrl, declared.adminUrl, comparison.profileFile) : [];
    if (!applied.ok || left.length || referenceDataChanges(migrated.adminUrl, declared.adminUrl).length) {
      rmSync(file);
      throw new StackError(
        applied.ok
          ? 'The generated migration does not reach the declared schema (often a CHECK that PostgreSQL stores in another form than pg-delta renders it: write it as the stored form reads, e.g. `col::text in (...)`). Still different:'
          : 'The generated migration does not apply to a database built from supabase/migrations:',
        applied.ok ? left.join('\n') : applied.stderr,
      );
    }
    done(`Wrote ${file.slice(repoRoot.length + 1)}: read it, add any data move by hand, then run \`npm start\` to apply it.`);
  } finally {
    comparison.cleanup();
    dropScratchDatabase(profile, migrated.name);
    if (declared) dropScratchDatabase(profile, declared.name);
  }
});
