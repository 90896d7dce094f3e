//! Paths the page may act on, as opaque tokens. The web view is the least trusted part of the
//! app (it renders article text and photos from anywhere), so it never names a path: the shell
//! opens the native dialog itself, keeps what the person chose here, and gives the page a random
//! token for it. A command takes the token and acts only on a path granted for that use.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use copydesk::ErrorCode;

use crate::desk::lock;
use crate::dto::IpcError;

/// What a granted path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A library file chosen in the open or new-library dialog.
    Library,
    /// A photo file chosen in the photo dialog.
    Photo,
    /// A folder chosen in the export dialog.
    ExportFolder,
    /// A file the export wrote, which the desktop may open.
    Exported,
}

impl Use {
    /// A file chosen to read once is read once; a folder or an exported page may be used again
    /// (a second export in another format, opening the page twice).
    fn single_use(self) -> bool {
        matches!(self, Use::Library | Use::Photo)
    }
}

#[derive(Default)]
pub struct Grants(Mutex<HashMap<String, (Use, PathBuf)>>);

impl Grants {
    /// A new token for `path`, valid for `purpose` until the app quits.
    pub fn grant(&self, purpose: Use, path: PathBuf) -> Result<String, IpcError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|error| IpcError::new(ErrorCode::Internal, format!("no randomness for a file token: {error}")))?;
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        lock(&self.0).insert(token.clone(), (purpose, path));
        Ok(token)
    }

    /// The path behind `token` if it was granted for `purpose`; a single-use grant is spent.
    pub fn redeem(&self, token: &str, purpose: Use) -> Result<PathBuf, IpcError> {
        let mut grants = lock(&self.0);
        let refused = || IpcError::new(ErrorCode::NotGranted, "this file was not chosen in Copydesk's own dialog; choose it again");
        match grants.get(token) {
            Some((granted, path)) if *granted == purpose => {
                let path = path.clone();
                if purpose.single_use() {
                    grants.remove(token);
                }
                Ok(path)
            }
            _ => Err(refused()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_its_own_path_for_its_own_use() {
        let grants = Grants::default();
        let photo = grants.grant(Use::Photo, PathBuf::from("/home/rang/사진.png")).unwrap();
        let folder = grants.grant(Use::ExportFolder, PathBuf::from("/home/rang/site")).unwrap();
        assert_ne!(photo, folder);
        assert_eq!(photo.len(), 32);
        assert_eq!(grants.redeem(&folder, Use::Photo).map_err(|e| e.code), Err(ErrorCode::NotGranted));
        assert_eq!(grants.redeem("/etc/passwd", Use::Photo).map_err(|e| e.code), Err(ErrorCode::NotGranted));
        assert_eq!(grants.redeem(&photo, Use::Photo).unwrap(), PathBuf::from("/home/rang/사진.png"));
        assert!(grants.redeem(&photo, Use::Photo).is_err(), "a photo token is single-use");
        assert_eq!(grants.redeem(&folder, Use::ExportFolder).unwrap(), PathBuf::from("/home/rang/site"));
        assert_eq!(grants.redeem(&folder, Use::ExportFolder).unwrap(), PathBuf::from("/home/rang/site"), "a folder serves several exports");
    }
}
