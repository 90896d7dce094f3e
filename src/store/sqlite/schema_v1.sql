-- Copydesk library, schema version 1. Instants are microseconds since the Unix epoch, UTC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    title      TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role       TEXT NOT NULL CHECK (role IN ('reporter', 'editor', 'admin')),
    created_at INTEGER NOT NULL
) STRICT;

-- Photo bytes, stored once however many revisions or articles use them.
CREATE TABLE images (
    ref        TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      BLOB NOT NULL
) STRICT;

-- One row per article: its newest content in full and its workflow state.
CREATE TABLE articles (
    id                 INTEGER PRIMARY KEY,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'scheduled', 'published', 'killed')),
    section            TEXT NOT NULL,
    headline           TEXT NOT NULL,
    bylines            TEXT NOT NULL DEFAULT '',  -- the byline names, separated by U+001F
    content            TEXT NOT NULL,
    head               INTEGER NOT NULL,
    published_revision INTEGER,
    first_published    INTEGER,
    last_modified      INTEGER,
    embargo            INTEGER,
    corrections        TEXT NOT NULL DEFAULT '[]',
    created_by         INTEGER NOT NULL REFERENCES users (id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    scheduled_by       INTEGER REFERENCES users (id)
) STRICT;

CREATE INDEX articles_newest ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_status_newest ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_first_published ON articles (first_published);
CREATE INDEX articles_last_modified ON articles (last_modified);
CREATE INDEX articles_due ON articles (embargo) WHERE status = 'scheduled';

-- What lists filter on besides status and dates, one row per value, carrying the article's
-- updated_at so "newest first with this byline / tag / section" reads an index in order
-- and stops after a page. kind: 'section' (every level of the path: 경제, 경제 > 경제일반),
-- 'byline' (name and email), 'tag'.
CREATE TABLE article_facets (
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    PRIMARY KEY (kind, value, updated_at, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_facets_article ON article_facets (article_id, kind, value);

-- Every revision, immutable in content. The newest (payload_kind 'head') is the article's
-- content column; each older one is a reverse delta from its successor, or every so often a
-- full snapshot, so a small edit costs about the size of the edit.
CREATE TABLE revisions (
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    number       INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    author       INTEGER NOT NULL REFERENCES users (id),
    at           INTEGER NOT NULL,
    note         TEXT,
    status       TEXT NOT NULL,
    payload_kind TEXT NOT NULL CHECK (payload_kind IN ('head', 'delta', 'snapshot')),
    payload      TEXT,
    PRIMARY KEY (article_id, number)
) STRICT, WITHOUT ROWID;

-- The working copy between explicit saves, one per article and user.
CREATE TABLE autosaves (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    base       INTEGER NOT NULL,
    content    TEXT NOT NULL,
    saved_at   INTEGER NOT NULL,
    PRIMARY KEY (article_id, user_id)
) STRICT;

-- Korean-aware full-text index over the newest content (see search.rs for the terms), and a
-- small one of headlines alone, so headline hits can be ranked first without scanning every hit.
CREATE VIRTUAL TABLE search_index USING fts5 (
    headline, subheadlines, body, captions, people, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE VIRTUAL TABLE headline_index USING fts5 (
    headline,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
