-- The end of the schema load: the helpers the domain files call while loading
-- (00_platform.sql) are not part of the schema, so nothing of them is left behind.
drop procedure private.create_owner_policies(regclass, text, text, text, text);
