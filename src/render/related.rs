//! Which related articles a page links to, and under which headline: one answer for the export
//! and the app's live preview, so the preview never shows a link the published page leaves out.

use std::collections::HashMap;

use crate::Result;
use crate::article::ArticleId;
use crate::library::Library;
use crate::render::Related;
use crate::workflow::Status;

/// The articles among `ids` a page may link to: published ones, or in a preview any but killed
/// ones (a killed article's page comes off the site), each under the headline readers see (the
/// published revision's, not a later unpublished save). Missing ids are left out.
pub fn related(library: &Library, ids: &[ArticleId], preview: bool) -> Result<HashMap<ArticleId, Related>> {
    let mut related = HashMap::new();
    for id in ids {
        let Ok(article) = library.article(*id) else { continue };
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
