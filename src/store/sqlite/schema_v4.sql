-- Copydesk library, schema version 4.
--
-- "Newest first, published last week" read every article row in the date range to sort it by
-- updated_at: 3-8 ms for a week of a wire service at a million articles. With the status and
-- the sort key in the date indexes, the range is sorted inside the index and only the page's
-- rows are read (see SqliteStore::list).
DROP INDEX articles_first_published;
DROP INDEX articles_last_modified;
CREATE INDEX articles_first_published ON articles (first_published, status, updated_at, id);
CREATE INDEX articles_last_modified ON articles (last_modified, status, updated_at, id);
