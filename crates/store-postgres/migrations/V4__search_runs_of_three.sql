-- `candidates` gains every run of three overlapping bigrams (a four-syllable word such as
-- 탄소중립), so such a word is found exactly by the index instead of by its pairs and a read of
-- each candidate's positions. Emptying the column makes the store fill it again, the new way,
-- when it opens the library (`fill_candidates` in crates/store-postgres/src/upkeep.rs).
UPDATE article_terms SET candidates = NULL;
