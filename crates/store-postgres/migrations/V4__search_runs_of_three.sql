-- `candidates` gains every run of three overlapping bigrams (a four-syllable word such as
-- 탄소중립), so such a word is found exactly by the index instead of by its pairs and a read of
-- each candidate's positions. Rows written before keep working as they are (their pairs still
-- find every hit); `candidates_form` says which rows have the runs, the store rewrites the
-- older ones a batch at a time between requests, and searches use the runs once no older row
-- is left. Nothing waits for an archive to be rewritten.
ALTER TABLE article_terms ADD COLUMN candidates_form smallint NOT NULL DEFAULT 3;
ALTER TABLE article_terms ALTER COLUMN candidates_form SET DEFAULT 4;
CREATE INDEX article_terms_older_form ON article_terms (article_id) WHERE candidates_form < 4;
