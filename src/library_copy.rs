//! Moving a whole library to another store (a reporter's file to the newsroom's database):
//! its settings, its people and every revision of every article, each article rebuilt by the
//! same commits that made it, so its revision chain is kept the way the target keeps chains.
//! Every revision read back from the target is checked against the source, byte for byte, and
//! every person's working copy (text typed since their last save) moves with its article.

use std::collections::BTreeSet;

use crate::article::{Article, ArticleId, ImageRef};
use crate::revision::{self, RevisionNo};
use crate::search::Filter;
use crate::store::{Commit, ManagedBy, NewArticle, NewRevision};
use crate::user::{NewUser, Role};
use crate::{Error, Library, Result};

/// What a copy moved.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Copied {
    pub people: usize,
    pub articles: usize,
    pub revisions: usize,
    pub photos: usize,
    /// Unsaved working copies, each kept on the revision it was typed on.
    pub working_copies: usize,
}

impl Library {
    /// Copies this whole library into `target`, which must be empty, keeping every id, gaps
    /// included (a PostgreSQL library skips the ids of inserts that were rolled back, and an
    /// email added twice).
    /// `progress` is told (articles done, articles in all).
    pub fn copy_into(&self, target: &mut Library, progress: &mut dyn FnMut(usize, usize)) -> Result<Copied> {
        let not_empty =
            |what: &str| Error::invalid("the target library", format!("it already holds {what}; copy into a new, empty library"));
        if !target.store.users()?.is_empty() {
            return Err(not_empty("people"));
        }
        if target.store.count(&Filter::default())? > 0 {
            return Err(not_empty("articles"));
        }
        let mut copied = Copied::default();
        target.store.set_newsroom(&self.store.newsroom()?, ManagedBy::NobodyYet)?;

        let now = self.now();
        let mut admin = None;
        for user in self.store.users()? {
            let by = admin.map_or(ManagedBy::NobodyYet, ManagedBy::Admin);
            let new = NewUser { name: user.name.clone(), title: user.title.clone(), email: user.email.clone(), role: user.role };
            let added = target.store.add_user(&new, Some(user.id), now, by)?;
            if added.id != user.id {
                return Err(Error::Corrupt(format!(
                    "person {} became {} in the target; copy into a new, empty library",
                    user.id, added.id
                )));
            }
            if user.role == Role::Admin && admin.is_none() {
                admin = Some(added.id);
            }
            copied.people += 1;
        }

        // Ids only grow and articles are never deleted: walk them upward until every article
        // the library counts has been copied.
        let total = self.store.count(&Filter::default())? as usize;
        let mut photos: BTreeSet<ImageRef> = BTreeSet::new();
        let (mut id, mut missing) = (0, 0);
        while copied.articles < total {
            id += 1;
            match self.store.article(ArticleId(id)) {
                Ok(article) => {
                    missing = 0;
                    copied.revisions += self.copy_article(&article, target, &mut photos)?;
                    for working_copy in self.store.autosaves(article.id)? {
                        target.store.put_autosave(&working_copy)?;
                        copied.working_copies += 1;
                    }
                    copied.articles += 1;
                    progress(copied.articles, total);
                }
                Err(Error::NotFound { .. }) if missing < 1_000_000 => missing += 1,
                Err(Error::NotFound { .. }) => {
                    return Err(Error::Corrupt(format!("the library counts {total} articles but only {} could be found", copied.articles)));
                }
                Err(error) => return Err(error),
            }
        }
        copied.photos = photos.len();
        Ok(copied)
    }

    fn copy_article(&self, article: &Article, target: &mut Library, photos: &mut BTreeSet<ImageRef>) -> Result<usize> {
        let revisions = self.store.revisions(article.id)?;
        let mut contents = Vec::with_capacity(revisions.len());
        for revision in &revisions {
            contents.push(self.store.revision_content(article.id, revision.number)?);
        }
        let mut images_for = |content: &crate::article::Content| -> Result<Vec<crate::store::Image>> {
            let mut images = Vec::new();
            for photo in &content.photos {
                if photos.insert(photo.image.clone()) {
                    images.push(self.store.image(&photo.image)?);
                }
            }
            Ok(images)
        };
        let made = |number: usize| NewRevision {
            kind: revisions[number].kind,
            author: revisions[number].author,
            at: revisions[number].at,
            note: revisions[number].note.clone(),
            merged_from: revisions[number].merged_from,
        };
        let last = revisions.len().saturating_sub(1);
        let first = NewArticle {
            id: Some(article.id),
            status: if last == 0 { article.status } else { revisions[0].status },
            content: contents[0].clone(),
            published: last == 0 && article.published_revision == Some(RevisionNo::FIRST),
            first_published: if last == 0 { article.first_published } else { None },
            last_modified: if last == 0 { article.last_modified } else { None },
            corrections: if last == 0 { article.corrections.clone() } else { Vec::new() },
            created_by: article.created_by,
            created_at: article.created_at,
            scheduled_by: if last == 0 { article.scheduled_by } else { None },
            revision: made(0),
            images: images_for(&contents[0])?,
        };
        let inserted =
            target.store.insert_articles(vec![first])?.pop().ok_or_else(|| Error::Corrupt("the target inserted no article".into()))?;
        if inserted.id != article.id {
            return Err(Error::Corrupt(format!(
                "article {} became {} in the target; copy into a new, empty library",
                article.id, inserted.id
            )));
        }
        let mut state = inserted;
        for number in 1..revisions.len() {
            // Between the first and the last revision only the content, status and instant of
            // each step matter; the last step brings the article's final state whole.
            let next = if number == last {
                article.clone()
            } else {
                Article {
                    content: contents[number].clone(),
                    status: revisions[number].status,
                    head: revisions[number].number,
                    updated_at: revisions[number].at,
                    ..state
                }
            };
            let commit =
                Commit { article: next, revision: made(number), images: images_for(&contents[number])?, replaces_autosave_of: None };
            state = target.store.commit(commit)?;
        }
        for (revision, content) in revisions.iter().zip(&contents) {
            let copied = target.store.revision_content(article.id, revision.number)?;
            if revision::snapshot_text(&copied) != revision::snapshot_text(content) {
                return Err(Error::Corrupt(format!(
                    "article {} revision {} reads back differently from the target",
                    article.id, revision.number
                )));
            }
        }
        Ok(revisions.len())
    }
}
