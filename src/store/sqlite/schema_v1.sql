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
CREATE INDEX articles_section ON articles (section, updated_at DESC);
CREATE INDEX articles_first_published ON articles (first_published);
CREATE INDEX articles_last_modified ON articles (last_modified);
CREATE INDEX articles_due ON articles (embargo) WHERE status = 'scheduled';

CREATE TABLE article_bylines (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (article_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_bylines_name ON article_bylines (name);
CREATE INDEX article_bylines_email ON article_bylines (email);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (tag, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX article_tags_article ON article_tags (article_id);

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

-- Korean-aware full-text index over the newest content (see search.rs for the terms).
CREATE VIRTUAL TABLE search_index USING fts5 (
    headline, subheadlines, body, captions, people, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
