// A fingerprint of a database's contents, to prove `npm test` leaves the developer's
// database alone: a hash of every table's cumulative insert, update and delete counters.
import { query } from './database.mjs';

export function databaseFingerprint(adminUrl) {
  return query(
    adminUrl,
    `select coalesce(md5(string_agg(t, ',' order by t)), 'empty') from (
       select format('%s.%s:%s', schemaname, relname, n_tup_ins + n_tup_upd + n_tup_del) as t
       from pg_stat_all_tables where schemaname in ('public', 'auth', 'storage', 'private', 'supabase_migrations')
     ) tables`,
  );
}
