-- The end of the schema load. Every table exists now, so the standard columns and size
-- checks a domain left uncommented get their one comment (00_platform.sql); then the
-- helpers the domain files call while loading are dropped: they are not part of the
-- schema, so nothing of them is left behind.
call private.add_standard_comments();
drop procedure private.add_standard_comments();
drop procedure private.create_owner_policies(regclass, text, text, text, text);
drop procedure private.schedule_job(text, text, text);
drop procedure private.grant_table_access(regclass, boolean, text[], text[]);
