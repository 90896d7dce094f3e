-- Copydesk library, schema version 2.
--
-- Saves stop merging the search indexes' segments inside their own transaction. FTS5's
-- automerge did that work in lumps of about 2 MB once every twenty saves, which made one save
-- in twenty take 20 ms or more. Library::tidy now merges in bounded steps while the app is
-- idle; FTS5's crisis merge (16 segments on one level) still bounds the index if nobody tidies.
INSERT INTO search_index (search_index, rank) VALUES ('automerge', 0);
INSERT INTO headline_index (headline_index, rank) VALUES ('automerge', 0);
