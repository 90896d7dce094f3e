//! The text typed while the newsroom server cannot be reached, kept on this computer: one small
//! file per article in the app's data folder, replaced whole on every autosave (written beside
//! it, flushed, then renamed over it), so a crash or a killed app loses at most the last
//! autosave interval of typing. A successful save on the server removes it; opening the article
//! offers it for recovery until then.

use std::io::Write;
use std::path::{Path, PathBuf};

use copydesk::ErrorCode;
use copydesk::article::{ArticleId, Content};
use copydesk::revision::RevisionNo;
use copydesk::store::Autosave;
use copydesk::user::UserId;

use crate::dto::IpcError;

pub struct OfflineCache {
    folder: PathBuf,
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

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> IpcError {
        let path = path.display().to_string();
        move |error| IpcError::new(ErrorCode::Io, format!("the text could not be kept on this computer in {path}: {error}"))
    }

    pub fn keep(&self, autosave: &Autosave) -> Result<(), IpcError> {
        let io = self.io(&self.folder);
        std::fs::create_dir_all(&self.folder).map_err(&io)?;
        let text = serde_json::to_vec(autosave).map_err(|error| IpcError::new(ErrorCode::Internal, error.to_string()))?;
        let mut file = tempfile::NamedTempFile::new_in(&self.folder).map_err(&io)?;
        file.write_all(&text).map_err(&io)?;
        file.as_file().sync_data().map_err(&io)?;
        file.persist(self.file(autosave.article)).map_err(|error| io(error.error))?;
        Ok(())
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
}
