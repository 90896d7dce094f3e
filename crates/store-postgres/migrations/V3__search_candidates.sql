-- Search at archive scale. The GIN indexes on the positional vectors made every search read
-- all its hits, recheck each one's whole vector from TOAST when the query is a phrase, and sort
-- them: 90-190 ms at 10,000 articles. `candidates` holds, without positions, every term, the
-- pairs of neighbouring terms (a phrase of two terms is one lexeme), the headline's again, the
-- article's facets and its slice of ids (src/terms.rs), so one GIN scan finds a page's hits
-- exactly, filtered, one slice of the newest articles at a time. It is kept as the text of a
-- tsvector and indexed as one: the index is all a search reads, and the text takes half the
-- space of the vector. `terms` keeps the positions, read only to confirm a phrase of three or
-- more terms; `headline` confirms headline hits.
-- The store fills `candidates` for articles indexed before this when it opens the library.
ALTER TABLE article_terms ADD COLUMN candidates text;
DROP INDEX article_terms_all;
DROP INDEX article_terms_headline;
CREATE INDEX article_terms_candidates ON article_terms USING gin ((candidates::tsvector));
CREATE INDEX article_terms_unfilled ON article_terms (article_id) WHERE candidates IS NULL;
