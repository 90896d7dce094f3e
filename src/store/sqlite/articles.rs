//! Articles, their revision chains, their photos and the working copies kept between saves.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::index::{index_facets, index_text};
use super::rows::{ARTICLE_COLUMNS, article_from_row, from_text, instant, json, micros, to_json};
use crate::article::{Article, ArticleId, Content, ImageRef};
use crate::revision::{self, Payload, Revision, RevisionKind, RevisionNo};
use crate::store::{Autosave, Commit, Image, NewArticle, NewRevision};
use crate::user::UserId;
use crate::workflow::Status;
use crate::{Error, Result};

fn put_images(tx: &Transaction, images: &[Image]) -> Result<()> {
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO images (ref, media_type, width, height, bytes) VALUES (?, ?, ?, ?, ?)")?;
    for image in images {
        insert.execute(params![image.image.0, image.media_type, image.width, image.height, image.bytes])?;
    }
    Ok(())
}

fn write_article_row(tx: &Transaction, article: &Article, insert: bool) -> Result<ArticleId> {
    let content = revision::snapshot_text(&article.content);
    let values = params![
        article.status.as_str(),
        article.content.section.path(),
        article.content.headline,
        article.content.bylines.iter().map(|byline| byline.name.trim()).collect::<Vec<_>>().join("\u{1f}"),
        content,
        article.head.0,
        article.published_revision.map(|n| n.0),
        article.first_published.map(micros),
        article.last_modified.map(micros),
        article.content.embargo.map(micros),
        to_json(&article.corrections),
        article.created_by.0,
        micros(article.created_at),
        micros(article.updated_at),
        article.scheduled_by.map(|user| user.0),
        article.id.0,
    ];
    if insert {
        tx.execute(
            "INSERT INTO articles (status, section, headline, bylines, content, head, published_revision, first_published, \
             last_modified, embargo, corrections, created_by, created_at, updated_at, scheduled_by, id) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))",
            values,
        )?;
        Ok(ArticleId(tx.last_insert_rowid()))
    } else {
        tx.execute(
            "UPDATE articles SET status = ?, section = ?, headline = ?, bylines = ?, content = ?, head = ?, published_revision = ?, \
             first_published = ?, last_modified = ?, embargo = ?, corrections = ?, created_by = ?, created_at = ?, \
             updated_at = ?, scheduled_by = ? WHERE id = ?",
            values,
        )?;
        Ok(article.id)
    }
}

fn insert_revision(tx: &Transaction, id: ArticleId, number: RevisionNo, revision: &NewRevision, status: Status) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO revisions (article_id, number, kind, author, at, note, status, merged_from, payload_kind, payload) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'head', NULL)",
    )?
    .execute(params![
        id.0,
        number.0,
        revision.kind.as_str(),
        revision.author.0,
        micros(revision.at),
        revision.note,
        status.as_str(),
        revision.merged_from.map(|number| number.0)
    ])?;
    Ok(())
}

pub fn insert(connection: &mut Connection, articles: Vec<NewArticle>) -> Result<Vec<Article>> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut inserted = Vec::with_capacity(articles.len());
    for new in articles {
        put_images(&tx, &new.images)?;
        let revision = new.revision.clone();
        // Id 0 asks SQLite for the next rowid.
        let kept = new.id.unwrap_or(ArticleId(0));
        let article = new.into_article(kept);
        let id = write_article_row(&tx, &article, true)?;
        insert_revision(&tx, id, RevisionNo::FIRST, &revision, article.status)?;
        let article = Article { id, ..article };
        index_facets(&tx, &article, false)?;
        index_text(&tx, id, &article.content, false)?;
        inserted.push(article);
    }
    tx.commit()?;
    Ok(inserted)
}

pub fn commit(connection: &mut Connection, commit: Commit) -> Result<Article> {
    let article = commit.article;
    let base = RevisionNo(article.head.0.saturating_sub(1));
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (current, old_text): (u32, String) = tx
        .query_row("SELECT head, content FROM articles WHERE id = ?", [article.id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: format!("article {}", article.id) })?;
    if current != base.0 {
        return Err(Error::Conflict { article: article.id, base, current: RevisionNo(current), merged: None });
    }
    put_images(&tx, &commit.images)?;
    let new_text = revision::snapshot_text(&article.content);
    let previous = Payload::for_previous_head(base, &old_text, &new_text);
    tx.prepare_cached("UPDATE revisions SET payload_kind = ?, payload = ? WHERE article_id = ? AND number = ?")?.execute(params![
        previous.kind(),
        previous.text(),
        article.id.0,
        base.0
    ])?;
    insert_revision(&tx, article.id, article.head, &commit.revision, article.status)?;
    write_article_row(&tx, &article, false)?;
    index_facets(&tx, &article, true)?;
    if new_text != old_text {
        index_text(&tx, article.id, &article.content, true)?;
    }
    if let Some(user) = commit.replaces_autosave_of {
        tx.prepare_cached("DELETE FROM autosaves WHERE article_id = ? AND user_id = ?")?.execute([article.id.0, user.0])?;
    }
    tx.commit()?;
    Ok(article)
}

pub fn article(connection: &Connection, id: ArticleId) -> Result<Article> {
    connection
        .prepare_cached(&format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?"))?
        .query_row([id.0], article_from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: format!("article {id}") })
}

pub fn revisions(connection: &Connection, id: ArticleId) -> Result<Vec<Revision>> {
    let tx = connection.unchecked_transaction()?;
    article(&tx, id)?;
    let mut statement = tx.prepare(
        "SELECT r.number, r.kind, r.author, u.name, r.at, r.note, r.status, \
         coalesce(length(CAST(r.payload AS BLOB)), length(CAST(a.content AS BLOB))), r.merged_from \
         FROM revisions r JOIN users u ON u.id = r.author JOIN articles a ON a.id = r.article_id \
         WHERE r.article_id = ? ORDER BY r.number",
    )?;
    let revisions = statement
        .query_map([id.0], |row| {
            let kind: String = row.get(1)?;
            Ok(Revision {
                number: RevisionNo(row.get(0)?),
                kind: RevisionKind::parse(&kind).ok_or_else(|| rusqlite::Error::InvalidColumnType(1, kind, rusqlite::types::Type::Text))?,
                author: UserId(row.get(2)?),
                author_name: row.get(3)?,
                at: instant(row.get(4)?)?,
                note: row.get(5)?,
                status: from_text::<Status>(row.get(6)?)?,
                stored_bytes: row.get::<_, i64>(7)? as usize,
                merged_from: row.get::<_, Option<u32>>(8)?.map(RevisionNo),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(revisions)
}

/// Reads the head and the chain in one read transaction: a save committed between the two
/// reads would otherwise pair the new head with the old chain and rebuild the wrong text.
pub fn revision_content(connection: &Connection, id: ArticleId, number: RevisionNo) -> Result<Content> {
    let tx = connection.unchecked_transaction()?;
    let (head, head_text): (u32, String) = tx
        .prepare_cached("SELECT head, content FROM articles WHERE id = ?")?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: format!("article {id}") })?;
    if number.0 > head || number.0 == 0 {
        return Err(Error::NotFound { what: format!("revision {number} of article {id} (it has 1 to {head})") });
    }
    let chain = tx
        .prepare_cached("SELECT number, payload_kind, payload FROM revisions WHERE article_id = ? AND number >= ? ORDER BY number")?
        .query_map(params![id.0, number.0], |row| {
            Ok((RevisionNo(row.get(0)?), row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(number, kind, text)| Ok((number, Payload::from_stored(&kind, text)?)))
        .collect::<Result<Vec<_>>>()?;
    tx.finish()?;
    revision::rebuild(number, &head_text, &chain).map_err(|error| match error {
        Error::Corrupt(what) => Error::Corrupt(format!("article {id}: {what}")),
        other => other,
    })
}

pub fn image(connection: &Connection, image: &ImageRef) -> Result<Image> {
    connection
        .query_row("SELECT ref, media_type, width, height, bytes FROM images WHERE ref = ?", [&image.0], |row| {
            Ok(Image { image: ImageRef(row.get(0)?), media_type: row.get(1)?, width: row.get(2)?, height: row.get(3)?, bytes: row.get(4)? })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: format!("image {}", image.0) })
}

pub fn has_image(connection: &Connection, image: &ImageRef) -> Result<bool> {
    Ok(connection.query_row("SELECT EXISTS (SELECT 1 FROM images WHERE ref = ?)", [&image.0], |row| row.get(0))?)
}

pub fn put_image(connection: &mut Connection, image: &Image) -> Result<()> {
    let tx = connection.transaction()?;
    put_images(&tx, std::slice::from_ref(image))?;
    tx.commit()?;
    Ok(())
}

pub fn due_for_release(connection: &Connection, now: jiff::Timestamp) -> Result<Vec<ArticleId>> {
    let mut statement =
        connection.prepare_cached("SELECT id FROM articles WHERE status = 'scheduled' AND embargo <= ? ORDER BY embargo, id")?;
    let ids = statement.query_map([micros(now)], |row| Ok(ArticleId(row.get(0)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

pub fn put_autosave(connection: &Connection, autosave: &Autosave) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO autosaves (article_id, user_id, base, content, saved_at) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (article_id, user_id) DO UPDATE SET base = excluded.base, content = excluded.content, saved_at = excluded.saved_at",
        )?
        .execute(params![
            autosave.article.0,
            autosave.user.0,
            autosave.base.0,
            revision::snapshot_text(&autosave.content),
            micros(autosave.saved_at)
        ])?;
    Ok(())
}

pub fn autosave(connection: &Connection, article: ArticleId, user: UserId) -> Result<Option<Autosave>> {
    Ok(connection
        .query_row(&format!("SELECT {AUTOSAVE_COLUMNS} FROM autosaves WHERE article_id = ? AND user_id = ?"), [article.0, user.0], |row| {
            autosave_from(article, row)
        })
        .optional()?)
}

pub fn autosaves(connection: &Connection, article: ArticleId) -> Result<Vec<Autosave>> {
    let mut statement = connection.prepare(&format!("SELECT {AUTOSAVE_COLUMNS} FROM autosaves WHERE article_id = ? ORDER BY user_id"))?;
    let rows = statement.query_map([article.0], |row| autosave_from(article, row))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const AUTOSAVE_COLUMNS: &str = "user_id, base, content, saved_at";

fn autosave_from(article: ArticleId, row: &rusqlite::Row) -> rusqlite::Result<Autosave> {
    Ok(Autosave {
        article,
        user: UserId(row.get(0)?),
        base: RevisionNo(row.get(1)?),
        content: json(&row.get::<_, String>(2)?)?,
        saved_at: instant(row.get(3)?)?,
    })
}

pub fn discard_autosave(connection: &Connection, article: ArticleId, user: UserId) -> Result<()> {
    connection.execute("DELETE FROM autosaves WHERE article_id = ? AND user_id = ?", [article.0, user.0])?;
    Ok(())
}
