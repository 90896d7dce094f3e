-- Copydesk library, schema version 5.
--
-- Marks the file as a Copydesk library ("CPDK" in the header's application id), so opening
-- can tell a library from any other SQLite file before changing anything in it.
PRAGMA application_id = 1129333835;
