-- Why: job search tolerates typos in company names and job titles ("gogle" finds
-- Google) by trigram similarity, which needs pg_trgm; its index also leads with the
-- owner's user_id so that a lookup reads one user's entries, which a GIN index can only
-- do with btree_gin's operator classes. Both are trusted contrib extensions that
-- Supabase offers, and like every extension there they live in schema extensions.
-- Functions created by an extension script keep PostgreSQL's built-in EXECUTE for
-- PUBLIC (default privileges do not apply to them), as on Supabase.

create extension if not exists pg_trgm with schema extensions;
create extension if not exists btree_gin with schema extensions;
