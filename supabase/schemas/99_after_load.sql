-- The end of the schema load. Every table exists now, so the rules written once in
-- 00_platform.sql are applied to all of them: each updated_at column gets its trigger,
-- the standard columns and size checks a domain left uncommented get their comment.
-- Then the helpers the domain files call while loading are dropped: they are not part
-- of the schema, so nothing of them is left behind.
call private.add_updated_at_triggers();
drop procedure private.add_updated_at_triggers();
call private.add_standard_comments();
drop procedure private.add_standard_comments();
drop procedure private.create_owner_policies(regclass, text, text, text, text, text[], text[]);
drop function private.owned_references_check(regclass, text[]);
drop procedure private.schedule_job(text, text, text);
drop procedure private.grant_table_access(regclass, boolean, text[], text[]);
