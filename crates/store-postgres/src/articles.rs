//! Articles, their revision chains, their photos and the working copies kept between saves.

use copydesk::article::{Article, ArticleId, Content, ImageRef};
use copydesk::revision::{self, Payload, Revision, RevisionKind, RevisionNo};
use copydesk::search;
use copydesk::store::{Autosave, Commit, Image, NewArticle, NewRevision};
use copydesk::user::UserId;
use copydesk::workflow::Status;
use copydesk::{Error, Result};
use postgres::{Client, GenericClient, IsolationLevel, Row, Transaction};

use crate::{ARTICLE_COLUMNS, article_from_row, get, instant, json, keep_ids_past, micros, parse, storage, terms};

fn put_images(tx: &mut Transaction, images: &[Image]) -> Result<()> {
    for image in images {
        tx.execute(
            "INSERT INTO images (ref, media_type, width, height, bytes) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ref) DO NOTHING",
            &[&image.image.0, &image.media_type, &(image.width as i32), &(image.height as i32), &image.bytes],
        )
        .map_err(storage)?;
    }
    Ok(())
}

fn bylines(article: &Article) -> String {
    article.content.bylines.iter().map(|byline| byline.name.trim()).collect::<Vec<_>>().join("\u{1f}")
}

fn write_article_row(tx: &mut Transaction, article: &Article, insert: bool) -> Result<ArticleId> {
    let content = revision::snapshot_text(&article.content);
    let bylines = bylines(article);
    let corrections = serde_json::to_string(&article.corrections).unwrap_or_default();
    let values: [&(dyn postgres::types::ToSql + Sync); 15] = [
        &article.status.as_str(),
        &article.content.section.path(),
        &article.content.headline,
        &bylines,
        &content,
        &(article.head.0 as i32),
        &article.published_revision.map(|n| n.0 as i32),
        &article.first_published.map(micros),
        &article.last_modified.map(micros),
        &article.content.embargo.map(micros),
        &corrections,
        &article.created_by.0,
        &micros(article.created_at),
        &micros(article.updated_at),
        &article.scheduled_by.map(|user| user.0),
    ];
    if insert {
        let row = tx
            .query_one(
                "INSERT INTO articles (status, section, headline, bylines, content, head, published_revision, first_published, \
                 last_modified, embargo, corrections, created_by, created_at, updated_at, scheduled_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                &values,
            )
            .map_err(storage)?;
        Ok(ArticleId(get(&row, 0)?))
    } else {
        let mut all = values.to_vec();
        all.push(&article.id.0);
        tx.execute(
            "UPDATE articles SET status = $1, section = $2, headline = $3, bylines = $4, content = $5, head = $6, \
             published_revision = $7, first_published = $8, last_modified = $9, embargo = $10, corrections = $11, \
             created_by = $12, created_at = $13, updated_at = $14, scheduled_by = $15 WHERE id = $16",
            &all,
        )
        .map_err(storage)?;
        Ok(article.id)
    }
}

fn insert_revision(tx: &mut Transaction, id: ArticleId, number: RevisionNo, revision: &NewRevision, status: Status) -> Result<()> {
    tx.execute(
        "INSERT INTO revisions (article_id, number, kind, author, at, note, status, merged_from, payload_kind, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'head', NULL)",
        &[
            &id.0,
            &(number.0 as i32),
            &revision.kind.as_str(),
            &revision.author.0,
            &micros(revision.at),
            &revision.note,
            &status.as_str(),
            &revision.merged_from.map(|number| number.0 as i32),
        ],
    )
    .map_err(storage)?;
    Ok(())
}

fn index_facets(tx: &mut Transaction, article: &Article, replace: bool) -> Result<()> {
    if replace {
        tx.execute("DELETE FROM article_facets WHERE article_id = $1", &[&article.id.0]).map_err(storage)?;
    }
    for (kind, value) in search::facets(article.status, &article.content) {
        tx.execute(
            "INSERT INTO article_facets (kind, value, updated_at, article_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&kind, &value, &micros(article.updated_at), &article.id.0],
        )
        .map_err(storage)?;
    }
    Ok(())
}

/// The three search vectors of an article (see `terms`): its terms with positions, its
/// headline's, and the candidates the GIN index holds, facets and slice included.
pub(crate) struct Vectors {
    terms: String,
    headline: String,
    candidates: String,
}

pub(crate) fn vectors(article: &Article) -> Vectors {
    let document = search::document(&article.content);
    let columns = || document.iter().map(String::as_str);
    Vectors {
        terms: terms::vector(columns()),
        headline: terms::vector([document[0].as_str()]),
        candidates: terms::candidates(article.id.0, columns(), &search::facets(article.status, &article.content)),
    }
}

/// Writes the candidates of articles whose terms are already indexed, in the current form, with
/// one statement: an upgrade's rewrite of an archive reads and writes the candidates alone, not
/// the positional vectors beside them.
pub(crate) fn rewrite_candidates(tx: &mut impl GenericClient, articles: &[Article]) -> Result<()> {
    let ids: Vec<i64> = articles.iter().map(|article| article.id.0).collect();
    let candidates: Vec<String> = articles
        .iter()
        .map(|article| {
            let document = search::document(&article.content);
            terms::candidates(article.id.0, document.iter().map(String::as_str), &search::facets(article.status, &article.content))
        })
        .collect();
    // As for a batch of new articles: the entries wait in the pending list and go into the
    // index in one sorted pass, instead of a 4 MB cleanup every few dozen articles.
    tx.batch_execute("SET LOCAL work_mem = '256MB'; SET LOCAL gin_pending_list_limit = '1GB'").map_err(storage)?;
    tx.execute(
        "UPDATE article_terms t SET candidates = v.c, candidates_form = $3 \
         FROM unnest($1::bigint[], $2::text[]) AS v (id, c) WHERE t.article_id = v.id",
        &[&ids, &candidates, &terms::CANDIDATES_FORM],
    )
    .map_err(storage)?;
    tx.execute("SELECT gin_clean_pending_list('article_terms_candidates')", &[]).map_err(storage)?;
    Ok(())
}

/// Writes the article's search vectors. Its facets are in them, so every commit does, not only
/// one that changes the text; an unchanged row is left alone, since a new version of it would
/// put every one of its lexemes into the GIN index again.
pub(crate) fn index_article(tx: &mut impl GenericClient, article: &Article) -> Result<()> {
    let Vectors { terms, headline, candidates } = vectors(article);
    tx.execute(
        "INSERT INTO article_terms (article_id, terms, headline, candidates, candidates_form) \
         VALUES ($1, $2::text::tsvector, $3::text::tsvector, $4, $5) \
         ON CONFLICT (article_id) DO UPDATE SET terms = excluded.terms, headline = excluded.headline, \
           candidates = excluded.candidates, candidates_form = excluded.candidates_form \
         WHERE article_terms.candidates IS DISTINCT FROM excluded.candidates OR article_terms.terms <> excluded.terms \
           OR article_terms.candidates_form <> excluded.candidates_form",
        &[&article.id.0, &terms, &headline, &candidates, &terms::CANDIDATES_FORM],
    )
    .map_err(storage)?;
    Ok(())
}

/// Inserts a batch of new articles with a handful of statements, each taking the whole batch
/// as arrays: a bulk import (or a benchmark's archive) is bound by the server's work, not by a
/// round trip per row.
pub fn insert(client: &mut Client, articles: Vec<NewArticle>) -> Result<Vec<Article>> {
    let mut tx = client.transaction().map_err(storage)?;
    // The batch's index entries wait in the GIN index's pending list and go into the index in
    // one sorted pass at the end, not a 4 MB cleanup at a time.
    tx.batch_execute("SET LOCAL work_mem = '256MB'; SET LOCAL gin_pending_list_limit = '1GB'").map_err(storage)?;
    if let Some(kept) = articles.iter().filter_map(|new| new.id).max() {
        keep_ids_past(&mut tx, "articles", kept.0)?;
    }
    let given = articles.iter().filter(|new| new.id.is_none()).count() as i64;
    let mut ids: Vec<i64> = tx
        .query("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, $1::bigint)", &[&given])
        .map_err(storage)?
        .iter()
        .map(|row| get(row, 0))
        .collect::<Result<_>>()?;
    // Numbered in the order they came, as the SQLite store numbers them.
    ids.sort_unstable();
    let mut next = ids.into_iter();
    let mut inserted = Vec::with_capacity(articles.len());
    let mut revisions = Vec::with_capacity(articles.len());
    for new in articles {
        let id = match new.id {
            Some(kept) => kept.0,
            None => next.next().ok_or_else(|| Error::Corrupt("the database gave fewer ids than asked for".into()))?,
        };
        put_images(&mut tx, &new.images)?;
        revisions.push(new.revision.clone());
        inserted.push(new.into_article(ArticleId(id)));
    }
    let ids: Vec<i64> = inserted.iter().map(|article| article.id.0).collect();
    let optional = |value: fn(&Article) -> Option<i64>| inserted.iter().map(value).collect::<Vec<_>>();
    let numbers = |value: fn(&Article) -> i64| inserted.iter().map(value).collect::<Vec<_>>();
    let texts = |value: fn(&Article) -> String| inserted.iter().map(value).collect::<Vec<_>>();
    tx.execute(
        "INSERT INTO articles (id, status, section, headline, bylines, content, head, published_revision, first_published, \
         last_modified, embargo, corrections, created_by, created_at, updated_at, scheduled_by) \
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], \
         $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])",
        &[
            &ids,
            &texts(|a| a.status.as_str().to_string()),
            &texts(|a| a.content.section.path()),
            &texts(|a| a.content.headline.clone()),
            &texts(bylines),
            &texts(|a| revision::snapshot_text(&a.content)),
            &inserted.iter().map(|a| a.head.0 as i32).collect::<Vec<_>>(),
            &inserted.iter().map(|a| a.published_revision.map(|n| n.0 as i32)).collect::<Vec<_>>(),
            &optional(|a| a.first_published.map(micros)),
            &optional(|a| a.last_modified.map(micros)),
            &optional(|a| a.content.embargo.map(micros)),
            &texts(|a| serde_json::to_string(&a.corrections).unwrap_or_default()),
            &numbers(|a| a.created_by.0),
            &numbers(|a| micros(a.created_at)),
            &numbers(|a| micros(a.updated_at)),
            &optional(|a| a.scheduled_by.map(|user| user.0)),
        ],
    )
    .map_err(storage)?;
    tx.execute(
        "INSERT INTO revisions (article_id, number, kind, author, at, note, status, payload_kind, payload) \
         SELECT id, 1, kind, author, at, note, status, 'head', NULL \
         FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS r (id, kind, author, at, note, status)",
        &[
            &ids,
            &revisions.iter().map(|revision| revision.kind.as_str()).collect::<Vec<_>>(),
            &revisions.iter().map(|revision| revision.author.0).collect::<Vec<_>>(),
            &revisions.iter().map(|revision| micros(revision.at)).collect::<Vec<_>>(),
            &revisions.iter().map(|revision| revision.note.clone()).collect::<Vec<_>>(),
            &texts(|a| a.status.as_str().to_string()),
        ],
    )
    .map_err(storage)?;
    let mut facets: (Vec<&str>, Vec<String>, Vec<i64>, Vec<i64>) = Default::default();
    for article in &inserted {
        for (kind, value) in search::facets(article.status, &article.content) {
            facets.0.push(kind);
            facets.1.push(value);
            facets.2.push(micros(article.updated_at));
            facets.3.push(article.id.0);
        }
    }
    tx.execute(
        "INSERT INTO article_facets (kind, value, updated_at, article_id) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) ON CONFLICT DO NOTHING",
        &[&facets.0, &facets.1, &facets.2, &facets.3],
    )
    .map_err(storage)?;
    let vectors: Vec<Vectors> = inserted.iter().map(vectors).collect();
    tx.execute(
        "INSERT INTO article_terms (article_id, terms, headline, candidates, candidates_form) \
         SELECT id, t::tsvector, h::tsvector, c, $5 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v (id, t, h, c)",
        &[
            &ids,
            &vectors.iter().map(|v| v.terms.as_str()).collect::<Vec<_>>(),
            &vectors.iter().map(|v| v.headline.as_str()).collect::<Vec<_>>(),
            &vectors.iter().map(|v| v.candidates.as_str()).collect::<Vec<_>>(),
            &terms::CANDIDATES_FORM,
        ],
    )
    .map_err(storage)?;
    tx.execute("SELECT gin_clean_pending_list('article_terms_candidates')", &[]).map_err(storage)?;
    tx.commit().map_err(storage)?;
    Ok(inserted)
}

pub fn commit(client: &mut Client, commit: Commit) -> Result<Article> {
    let article = commit.article;
    let base = RevisionNo(article.head.0.saturating_sub(1));
    let mut tx = client.transaction().map_err(storage)?;
    // The row lock makes racing saves on the same article take turns: the second sees the
    // first's head and is refused as a conflict.
    let row = tx
        .query_opt("SELECT head, content FROM articles WHERE id = $1 FOR UPDATE", &[&article.id.0])
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound { what: format!("article {}", article.id) })?;
    let (current, old_text): (i32, String) = (get(&row, 0)?, get(&row, 1)?);
    if current as u32 != base.0 {
        return Err(Error::Conflict { article: article.id, base, current: RevisionNo(current as u32), merged: None });
    }
    put_images(&mut tx, &commit.images)?;
    let new_text = revision::snapshot_text(&article.content);
    let previous = Payload::for_previous_head(base, &old_text, &new_text);
    tx.execute(
        "UPDATE revisions SET payload_kind = $1, payload = $2 WHERE article_id = $3 AND number = $4",
        &[&previous.kind(), &previous.text(), &article.id.0, &(base.0 as i32)],
    )
    .map_err(storage)?;
    insert_revision(&mut tx, article.id, article.head, &commit.revision, article.status)?;
    write_article_row(&mut tx, &article, false)?;
    index_facets(&mut tx, &article, true)?;
    index_article(&mut tx, &article)?;
    if let Some(user) = commit.replaces_autosave_of {
        tx.execute("DELETE FROM autosaves WHERE article_id = $1 AND user_id = $2", &[&article.id.0, &user.0]).map_err(storage)?;
    }
    tx.commit().map_err(storage)?;
    Ok(article)
}

pub fn article(client: &mut impl GenericClient, id: ArticleId) -> Result<Article> {
    let row = client
        .query_opt(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1"), &[&id.0])
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound { what: format!("article {id}") })?;
    article_from_row(&row)
}

/// A read-only transaction on one snapshot of the library.
pub fn snapshot(client: &mut Client) -> Result<Transaction<'_>> {
    client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().map_err(storage)
}

pub fn revisions(client: &mut Client, id: ArticleId) -> Result<Vec<Revision>> {
    let mut tx = snapshot(client)?;
    article(&mut tx, id)?;
    let rows = tx
        .query(
            "SELECT r.number, r.kind, r.author, u.name, r.at, r.note, r.status, \
             coalesce(octet_length(r.payload), octet_length(a.content)), r.merged_from \
             FROM revisions r JOIN users u ON u.id = r.author JOIN articles a ON a.id = r.article_id \
             WHERE r.article_id = $1 ORDER BY r.number",
            &[&id.0],
        )
        .map_err(storage)?;
    rows.iter()
        .map(|row| {
            let kind: &str = get(row, 1)?;
            Ok(Revision {
                number: RevisionNo(get::<i32>(row, 0)? as u32),
                kind: RevisionKind::parse(kind).ok_or_else(|| Error::Corrupt(format!("the revision kind {kind:?}")))?,
                author: UserId(get(row, 2)?),
                author_name: get(row, 3)?,
                at: instant(get(row, 4)?)?,
                note: get(row, 5)?,
                status: parse::<Status>(get(row, 6)?)?,
                stored_bytes: get::<i32>(row, 7)? as usize,
                merged_from: get::<Option<i32>>(row, 8)?.map(|number| RevisionNo(number as u32)),
            })
        })
        .collect()
}

pub fn revision_content(client: &mut Client, id: ArticleId, number: RevisionNo) -> Result<Content> {
    let mut tx = snapshot(client)?;
    let row = tx
        .query_opt("SELECT head, content FROM articles WHERE id = $1", &[&id.0])
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound { what: format!("article {id}") })?;
    let (head, head_text): (i32, String) = (get(&row, 0)?, get(&row, 1)?);
    if number.0 > head as u32 || number.0 == 0 {
        return Err(Error::NotFound { what: format!("revision {number} of article {id} (it has 1 to {head})") });
    }
    let chain = tx
        .query(
            "SELECT number, payload_kind, payload FROM revisions WHERE article_id = $1 AND number >= $2 ORDER BY number",
            &[&id.0, &(number.0 as i32)],
        )
        .map_err(storage)?
        .iter()
        .map(|row| Ok((RevisionNo(get::<i32>(row, 0)? as u32), Payload::from_stored(get(row, 1)?, get(row, 2)?)?)))
        .collect::<Result<Vec<_>>>()?;
    tx.commit().map_err(storage)?;
    revision::rebuild(number, &head_text, &chain).map_err(|error| match error {
        Error::Corrupt(what) => Error::Corrupt(format!("article {id}: {what}")),
        other => other,
    })
}

pub fn image(client: &mut Client, image: &ImageRef) -> Result<Image> {
    let row = client
        .query_opt("SELECT ref, media_type, width, height, bytes FROM images WHERE ref = $1", &[&image.0])
        .map_err(storage)?
        .ok_or_else(|| Error::NotFound { what: format!("image {}", image.0) })?;
    Ok(Image {
        image: ImageRef(get(&row, 0)?),
        media_type: get(&row, 1)?,
        width: get::<i32>(&row, 2)? as u32,
        height: get::<i32>(&row, 3)? as u32,
        bytes: get(&row, 4)?,
    })
}

pub fn has_image(client: &mut Client, image: &ImageRef) -> Result<bool> {
    get(&client.query_one("SELECT EXISTS (SELECT 1 FROM images WHERE ref = $1)", &[&image.0]).map_err(storage)?, 0)
}

pub fn put_image(client: &mut Client, image: &Image) -> Result<()> {
    let mut tx = client.transaction().map_err(storage)?;
    put_images(&mut tx, std::slice::from_ref(image))?;
    tx.commit().map_err(storage)
}

/// A working copy is committed without waiting for the disk. It is replaced every few seconds
/// while someone types and the text is still on their screen; a database crash loses at most
/// the last fraction of a second of them (`wal_writer_delay` three times over), never a saved
/// revision, and the database stays consistent. Waiting for an fsync on each would make every
/// desk's typing pay the disk's latency.
pub fn put_autosave(client: &mut Client, autosave: &Autosave) -> Result<()> {
    let mut tx = client.transaction().map_err(storage)?;
    tx.batch_execute("SET LOCAL synchronous_commit TO OFF").map_err(storage)?;
    tx.execute(
            "INSERT INTO autosaves (article_id, user_id, base, content, saved_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET base = excluded.base, content = excluded.content, saved_at = excluded.saved_at",
            &[
                &autosave.article.0,
                &autosave.user.0,
                &(autosave.base.0 as i32),
                &revision::snapshot_text(&autosave.content),
                &micros(autosave.saved_at),
            ],
        )
        .map_err(storage)?;
    tx.commit().map_err(storage)
}

pub fn autosave(client: &mut Client, article: ArticleId, user: UserId) -> Result<Option<Autosave>> {
    client
        .query_opt(&format!("SELECT {AUTOSAVE_COLUMNS} FROM autosaves WHERE article_id = $1 AND user_id = $2"), &[&article.0, &user.0])
        .map_err(storage)?
        .map(|row| autosave_from(article, &row))
        .transpose()
}

pub fn autosaves(client: &mut Client, article: ArticleId) -> Result<Vec<Autosave>> {
    let rows = client
        .query(&format!("SELECT {AUTOSAVE_COLUMNS} FROM autosaves WHERE article_id = $1 ORDER BY user_id"), &[&article.0])
        .map_err(storage)?;
    rows.iter().map(|row| autosave_from(article, row)).collect()
}

const AUTOSAVE_COLUMNS: &str = "user_id, base, content, saved_at";

fn autosave_from(article: ArticleId, row: &Row) -> Result<Autosave> {
    Ok(Autosave {
        article,
        user: UserId(get(row, 0)?),
        base: RevisionNo(get::<i32>(row, 1)? as u32),
        content: json(get(row, 2)?)?,
        saved_at: instant(get(row, 3)?)?,
    })
}

pub fn discard_autosave(client: &mut Client, article: ArticleId, user: UserId) -> Result<()> {
    client.execute("DELETE FROM autosaves WHERE article_id = $1 AND user_id = $2", &[&article.0, &user.0]).map_err(storage)?;
    Ok(())
}
