//! An export made on the newsroom server, written into the folder the person chose: the
//! server renders (with the same core), the files come back in the answer.

use std::path::{Component, Path, PathBuf};

use copydesk::ErrorCode;
use copydesk_protocol::Exported;

use crate::dto::IpcError;

/// Writes every file of `exported` under `folder`; returns their paths, the pages first. A
/// path that would leave the folder (absolute, or through `..`) is refused, not written.
pub fn write(folder: &Path, exported: &Exported) -> Result<Vec<PathBuf>, IpcError> {
    let mut written = Vec::new();
    for file in &exported.files {
        let relative = Path::new(&file.path);
        if relative.components().any(|part| !matches!(part, Component::Normal(_))) {
            return Err(IpcError::new(
                ErrorCode::Corrupt,
                format!("the server sent an export file named {:?}, outside the export folder; nothing more was written", file.path),
            ));
        }
        let path = folder.join(relative);
        let io = |error: std::io::Error| IpcError::new(ErrorCode::Io, format!("{}: {error}", path.display()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, copydesk_client::decode(&file.data)?).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use copydesk_protocol::ExportedFile;

    use super::*;

    fn exported(path: &str, data: &str) -> Exported {
        Exported { articles: Vec::new(), batch_files: Vec::new(), files: vec![ExportedFile { path: path.into(), data: data.into() }] }
    }

    #[test]
    fn files_land_under_the_folder_and_nowhere_else() {
        let folder = tempfile::tempdir().unwrap();
        let written = write(folder.path(), &exported("7/index.html", "PGh0bWw+")).unwrap();
        assert_eq!(written, vec![folder.path().join("7/index.html")]);
        assert_eq!(std::fs::read_to_string(&written[0]).unwrap(), "<html>");
        for escape in ["../evil.html", "/etc/evil.html"] {
            let refused = write(folder.path(), &exported(escape, "PGh0bWw+")).unwrap_err();
            assert_eq!(refused.code, ErrorCode::Corrupt, "{escape}");
        }
    }
}
