-- Why: on Supabase, tables, sequences and functions that postgres creates in public are
-- granted to anon, authenticated and service_role automatically, and every function
-- anywhere is executable by PUBLIC. A later migration that forgets its grants would
-- then expose a new table or RPC to every caller. From here on, new objects start
-- closed in both grant regimes (auto_expose_new_tables on or off) and each migration
-- grants what it needs next to its policies.

alter default privileges for role postgres in schema public
  revoke all on tables from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on sequences from anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  revoke all on functions from anon, authenticated, service_role;

-- EXECUTE for PUBLIC is a global default; a per-schema default cannot take it away
-- (per-schema defaults only add to the global ones), so revoke it globally.
alter default privileges for role postgres
  revoke execute on functions from public;
