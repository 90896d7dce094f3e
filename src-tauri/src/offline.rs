//! The text typed while the newsroom server cannot be reached, kept on this computer: one small
//! file per article in the app's data folder, replaced whole on every autosave (written beside
//! it, flushed, then renamed over it), so a crash or a killed app loses at most the last
//! autosave interval of typing. A successful save on the server removes it; opening the article
//! offers it for recovery until then.
//!
//! Beside it, what the server last showed, so an app started while the server is out of reach
//! still has something to show: the list (`list.json`, the newest answer to the list's first
//! page, with its filter) and the articles opened (`opened/<article>.json`, the
//! [`OPENED_KEPT`] opened last). These are copies, never the only place of anything: a file that
//! cannot be read is as good as none.

use std::io::Write;
use std::path::{Path, PathBuf};

use copydesk::ErrorCode;
use copydesk::article::{Article, ArticleId, ArticleSummary, Content};
use copydesk::revision::RevisionNo;
use copydesk::search::Filter;
use copydesk::store::Autosave;
use copydesk::user::UserId;
use serde::{Deserialize, Serialize};

use crate::dto::IpcError;

pub struct OfflineCache {
    folder: PathBuf,
}

/// How many articles are kept as last opened: a desk editor's day and more, a few megabytes.
/// Copies of the ones opened longest ago go first; text typed offline is never among them.
pub const OPENED_KEPT: usize = 300;

/// The first page of the list as the server last answered it, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptList {
    pub filter: Filter,
    pub total: u64,
    pub articles: Vec<ArticleSummary>,
    pub kept_at: jiff::Timestamp,
}

impl KeptList {
    /// Whether this is the answer to `filter` (its first page; as many rows as were kept, even
    /// when more are asked for).
    fn answers(&self, filter: &Filter) -> bool {
        filter.offset.unwrap_or(0) == 0 && Filter { limit: filter.limit, offset: filter.offset, ..self.filter.clone() } == *filter
    }
}

impl OfflineCache {
    /// The cache of `user` on the server at `address`, under `root` (the app's data folder).
    pub fn new(root: &Path, address: &str, user: UserId) -> OfflineCache {
        // The address as a folder name: letters and digits kept, everything else one `_`.
        let server: String = address.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        OfflineCache { folder: root.join("offline").join(server).join(user.0.to_string()) }
    }

    fn file(&self, article: ArticleId) -> PathBuf {
        self.folder.join(format!("{}.json", article.0))
    }

    fn list_file(&self) -> PathBuf {
        self.folder.join("list.json")
    }

    fn opened_file(&self, article: ArticleId) -> PathBuf {
        self.folder.join("opened").join(format!("{}.json", article.0))
    }

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> IpcError {
        let path = path.display().to_string();
        move |error| IpcError::new(ErrorCode::Io, format!("the text could not be kept on this computer in {path}: {error}"))
    }

    pub fn keep(&self, autosave: &Autosave) -> Result<(), IpcError> {
        write(&self.file(autosave.article), autosave).map_err(|error| self.io(&self.folder)(error))
    }

    /// Keeps the first page of the list the server answered for `filter`; a later page is not
    /// what a start shows, and is not kept.
    pub fn keep_list(&self, kept: &KeptList) -> Result<(), IpcError> {
        if kept.filter.offset.unwrap_or(0) != 0 {
            return Ok(());
        }
        let path = self.list_file();
        write(&path, kept).map_err(|error| self.io(&path)(error))
    }

    /// The list kept for `filter`, with no more rows than it asks for; none when nothing was
    /// kept, the filter differs, or the file cannot be read (it is only a copy: logged, and
    /// replaced by the next list the server sends).
    pub fn kept_list(&self, filter: &Filter) -> Option<KeptList> {
        let mut kept: KeptList = read_copy(&self.list_file())?;
        if !kept.answers(filter) {
            return None;
        }
        let limit = filter.limit.unwrap_or(Filter::DEFAULT_LIMIT);
        kept.articles.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Some(kept)
    }

    /// Keeps the article as the server last sent it, for opening it when it cannot be reached.
    pub fn keep_opened(&self, article: &Article) -> Result<(), IpcError> {
        let path = self.opened_file(article.id);
        write(&path, article).map_err(|error| self.io(&path)(error))?;
        self.prune_opened(OPENED_KEPT);
        Ok(())
    }

    /// Removes the copies of articles opened longest ago (by when each copy was written), all
    /// but the newest `keep`. They are only copies: what cannot be removed is logged and left.
    fn prune_opened(&self, keep: usize) {
        let Ok(entries) = std::fs::read_dir(self.folder.join("opened")) else {
            return;
        };
        let mut copies: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let path = entry.path();
                // A copy being written sits beside them under a temporary name: not one of them.
                (path.extension()? == "json").then_some(())?;
                Some((entry.metadata().ok()?.modified().ok()?, path))
            })
            .collect();
        if copies.len() <= keep {
            return;
        }
        copies.sort_unstable_by_key(|(written, _)| std::cmp::Reverse(*written));
        for (_, path) in &copies[keep..] {
            if let Err(error) = std::fs::remove_file(path) {
                eprintln!("copydesk: {} could not be removed ({error}); it is tried again at the next article opened", path.display());
            }
        }
    }

    /// The article as it was last opened here, if it was and the copy can be read.
    pub fn opened(&self, article: ArticleId) -> Option<Article> {
        read_copy(&self.opened_file(article))
    }

    /// The text kept for `article`, if any. A file that cannot be read is left where it is
    /// (nothing typed is thrown away) and reported.
    pub fn kept(&self, article: ArticleId) -> Result<Option<Autosave>, IpcError> {
        let path = self.file(article);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|error| {
                IpcError::new(
                    ErrorCode::Corrupt,
                    format!("{} is not text this app kept ({error}); open it to copy the text by hand", path.display()),
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(self.io(&path)(error)),
        }
    }

    /// Forgets the text kept for `article`, once the server has it.
    pub fn forget(&self, article: ArticleId) -> Result<(), IpcError> {
        let path = self.file(article);
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(self.io(&path)(error)),
            _ => Ok(()),
        }
    }
}

/// Writes `value` as JSON to `path` whole or not at all: beside it, flushed, then renamed over it.
fn write(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let text = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    file.write_all(&text)?;
    file.as_file().sync_data()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// A copy kept at `path`; none when there is no such file or it cannot be read (said in the log).
fn read_copy<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => {
            eprintln!("copydesk: {} could not be read ({error}); it is replaced when the server answers", path.display());
            return None;
        }
    };
    serde_json::from_slice(&bytes)
        .map_err(|error| {
            eprintln!("copydesk: {} is not a copy this app kept ({error}); it is replaced when the server answers", path.display())
        })
        .ok()
}

/// What an autosave of `content` on `base` by `user` looks like in the cache.
pub fn autosave(article: ArticleId, user: UserId, base: RevisionNo, content: Content, at: jiff::Timestamp) -> Autosave {
    Autosave { article, user, base, content, saved_at: at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_text_survives_until_forgotten_and_a_second_keep_replaces_the_first() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "http://127.0.0.1:7700", UserId(3));
        let at: jiff::Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        let mut content = Content { body: "첫 문단".into(), ..Content::default() };
        assert_eq!(cache.kept(ArticleId(9)).unwrap(), None);
        cache.keep(&autosave(ArticleId(9), UserId(3), RevisionNo(2), content.clone(), at)).unwrap();
        content.body = "첫 문단\n\n둘째 문단".into();
        cache.keep(&autosave(ArticleId(9), UserId(3), RevisionNo(2), content.clone(), at)).unwrap();
        let kept = cache.kept(ArticleId(9)).unwrap().unwrap();
        assert_eq!(kept.content.body, "첫 문단\n\n둘째 문단");
        assert_eq!(kept.base, RevisionNo(2));
        assert_eq!(cache.kept(ArticleId(10)).unwrap(), None, "another article has nothing kept");
        cache.forget(ArticleId(9)).unwrap();
        assert_eq!(cache.kept(ArticleId(9)).unwrap(), None);
        cache.forget(ArticleId(9)).unwrap();
    }

    #[test]
    fn a_damaged_file_is_reported_not_deleted() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "https://desk.example.com", UserId(1));
        std::fs::create_dir_all(&cache.folder).unwrap();
        std::fs::write(cache.file(ArticleId(1)), b"{half").unwrap();
        let error = cache.kept(ArticleId(1)).unwrap_err();
        assert_eq!(error.code, ErrorCode::Corrupt);
        assert!(cache.file(ArticleId(1)).exists());
    }

    fn row(id: i64, headline: &str) -> ArticleSummary {
        ArticleSummary {
            id: ArticleId(id),
            status: copydesk::workflow::Status::Draft,
            section: "경제".into(),
            headline: headline.into(),
            bylines: vec!["김기랑".into()],
            first_published: None,
            last_modified: None,
            embargo: None,
            updated_at: "2025-02-20T06:09:00Z".parse().unwrap(),
            head: RevisionNo(1),
        }
    }

    fn first_page() -> Filter {
        Filter { limit: Some(50), offset: Some(0), ..Filter::default() }
    }

    #[test]
    fn the_list_kept_is_shown_for_the_same_filter_only() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "http://127.0.0.1:7700", UserId(3));
        assert_eq!(cache.kept_list(&first_page()), None, "nothing kept yet");
        let kept = KeptList {
            filter: first_page(),
            total: 2,
            articles: vec![row(2, "반도체 수출 석 달째 회복세"), row(1, "중진공, 도쿄서 협약")],
            kept_at: "2025-02-20T06:09:00Z".parse().unwrap(),
        };
        cache.keep_list(&kept).unwrap();
        assert_eq!(cache.kept_list(&first_page()), Some(kept.clone()));
        // More rows asked for (a reload of everything shown) still gets what was kept; fewer
        // asked for gets no more than that.
        assert_eq!(cache.kept_list(&Filter { limit: Some(100), ..first_page() }).map(|list| list.articles.len()), Some(2));
        assert_eq!(cache.kept_list(&Filter { limit: Some(1), ..first_page() }).map(|list| list.articles.len()), Some(1));
        assert_eq!(cache.kept_list(&Filter { status: Some(copydesk::workflow::Status::Published), ..first_page() }), None);
        assert_eq!(cache.kept_list(&Filter { offset: Some(50), ..first_page() }), None, "a later page is not the first");
        // A later page answered by the server does not replace the first.
        cache
            .keep_list(&KeptList {
                filter: Filter { offset: Some(50), ..first_page() }, articles: vec![row(9, "다음 쪽")], ..kept.clone()
            })
            .unwrap();
        assert_eq!(cache.kept_list(&first_page()), Some(kept));
        // Another person on the same computer has a list of their own.
        assert_eq!(OfflineCache::new(folder.path(), "http://127.0.0.1:7700", UserId(4)).kept_list(&first_page()), None);
    }

    #[test]
    fn a_damaged_or_missing_copy_is_no_list_and_no_article() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "https://desk.example.com", UserId(1));
        assert_eq!(cache.opened(ArticleId(1)), None);
        std::fs::create_dir_all(cache.folder.join("opened")).unwrap();
        for damaged in [&b"{half"[..], b"", b"[]", b"{\"filter\": 3}", &[0xff, 0xfe, 0x00]] {
            std::fs::write(cache.list_file(), damaged).unwrap();
            assert_eq!(cache.kept_list(&first_page()), None);
            std::fs::write(cache.opened_file(ArticleId(1)), damaged).unwrap();
            assert_eq!(cache.opened(ArticleId(1)), None);
        }
        // A folder where the file should be cannot be read either.
        std::fs::remove_file(cache.list_file()).unwrap();
        std::fs::create_dir(cache.list_file()).unwrap();
        assert_eq!(cache.kept_list(&first_page()), None);
    }

    #[test]
    fn an_article_opened_is_kept_as_the_server_sent_it() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "https://desk.example.com", UserId(1));
        let at: jiff::Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        let mut article = opened(7, at);
        article.content =
            Content { headline: "반도체 수출 석 달째 회복세".into(), body: "첫 문단".into(), ..Content::default() };
        article.head = RevisionNo(3);
        cache.keep_opened(&article).unwrap();
        article.head = RevisionNo(4);
        cache.keep_opened(&article).unwrap();
        assert_eq!(cache.opened(ArticleId(7)), Some(article));
        assert!(cache.kept(ArticleId(7)).unwrap().is_none(), "an article opened is not text typed offline");
    }

    #[test]
    fn only_the_articles_opened_last_are_kept_and_text_typed_offline_never_goes() {
        let folder = tempfile::tempdir().unwrap();
        let cache = OfflineCache::new(folder.path(), "https://desk.example.com", UserId(1));
        let at: jiff::Timestamp = "2025-02-20T06:09:00Z".parse().unwrap();
        cache
            .keep(&autosave(ArticleId(1), UserId(1), RevisionNo(1), Content { body: "오프라인 원고".into(), ..Content::default() }, at))
            .unwrap();
        // Opened one a minute after the other (the file times say when), article 1 first.
        let minute = std::time::Duration::from_secs(60);
        let start = std::time::SystemTime::now() - minute * 10;
        for id in 1..=5 {
            cache.keep_opened(&opened(id, at)).unwrap();
            let file = std::fs::File::options().write(true).open(cache.opened_file(ArticleId(id))).unwrap();
            file.set_modified(start + minute * id as u32).unwrap();
        }
        // Article 2 opened again: now the newest.
        cache.keep_opened(&opened(2, at)).unwrap();
        cache.prune_opened(3);
        let kept: Vec<i64> = (1..=5).filter(|&id| cache.opened(ArticleId(id)).is_some()).collect();
        assert_eq!(kept, [2, 4, 5]);
        assert_eq!(cache.kept(ArticleId(1)).unwrap().map(|kept| kept.content.body), Some("오프라인 원고".into()));
        // A copy still being written (a temporary name) is not counted or removed.
        std::fs::write(cache.folder.join("opened").join(".tmpAbC123"), b"{").unwrap();
        cache.prune_opened(3);
        assert!(cache.folder.join("opened").join(".tmpAbC123").exists());
        assert_eq!((1..=5).filter(|&id| cache.opened(ArticleId(id)).is_some()).count(), 3);
    }

    fn opened(id: i64, at: jiff::Timestamp) -> Article {
        Article {
            id: ArticleId(id),
            status: copydesk::workflow::Status::Draft,
            content: Content { headline: format!("기사 {id}"), ..Content::default() },
            head: RevisionNo(1),
            published_revision: None,
            first_published: None,
            last_modified: None,
            corrections: Vec::new(),
            created_by: UserId(1),
            created_at: at,
            updated_at: at,
            scheduled_by: None,
        }
    }
}
