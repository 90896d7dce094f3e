//! Which related articles a page links to, and under which headline: one answer for the export
//! and the app's live preview, so the preview never shows a link the published page leaves out.

use std::collections::HashMap;

use crate::Result;
use crate::article::{Article, ArticleId, Content};
use crate::library::Library;
use crate::render::Related;
use crate::workflow::Status;

/// Where the related articles are read from: the library, or (in the app on a newsroom server)
/// the server, so both find them by the one rule below.
pub trait Articles {
    /// Article `id`, or `None` when there is no such article (or it cannot be read now).
    fn article(&self, id: ArticleId) -> Option<Article>;
    /// The content readers see: the published revision's ([`Library::published_content`]).
    fn published_content(&self, article: &Article) -> Result<Content>;
}

impl Articles for Library {
    fn article(&self, id: ArticleId) -> Option<Article> {
        Library::article(self, id).ok()
    }

    fn published_content(&self, article: &Article) -> Result<Content> {
        Library::published_content(self, article)
    }
}

/// The articles among `ids` a page may link to: published ones, or in a preview any but killed
/// ones (a killed article's page comes off the site), each under the headline readers see (the
/// published revision's, not a later unpublished save). Missing ids are left out.
pub fn related(library: &(impl Articles + ?Sized), ids: &[ArticleId], preview: bool) -> Result<HashMap<ArticleId, Related>> {
    let mut related = HashMap::new();
    for id in ids {
        let Some(article) = library.article(*id) else { continue };
        let linkable = match article.status {
            Status::Published => true,
            Status::Killed => false,
            _ => preview,
        };
        if linkable {
            let content = library.published_content(&article)?;
            related.insert(*id, Related { id: *id, headline: content.headline, first_published: article.first_published });
        }
    }
    Ok(related)
}
