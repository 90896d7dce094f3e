-- Copydesk library, schema version 3.
--
-- Status joins section, byline and tag in article_facets, so a filtered search checks each
-- hit against the narrow facet index alone instead of reading the hit's article row (about one
-- 4 KB page of mostly text per hit; at a million articles that was most of a filtered
-- search's time). Read from the status index, so no article row is read here either.
INSERT OR IGNORE INTO article_facets (kind, value, updated_at, article_id)
SELECT 'status', status, updated_at, id FROM articles INDEXED BY articles_status_newest;
