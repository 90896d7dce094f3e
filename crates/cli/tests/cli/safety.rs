//! Data safety through the binary as a user runs it: a failed export or edit loses nothing,
//! photo limits are set on the command line, and search survives text whose case folding
//! changes its length.

use crate::commands::{Cli, path};
use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `folder` with its bytes, relative paths sorted.
fn files_under(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.strip_prefix(folder).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn an_export_that_fails_midway_leaves_the_last_good_files() {
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    let site = cli.folder.path().join("site");
    cli.ok(&["export", "1", "--out", path(&site)]);
    let before = files_under(&site);
    assert!(before.iter().any(|(file, bytes)| file.starts_with("media") && bytes.len() > 64 * 1024), "a photo over 64 KB");
    // A file size limit of 64 KB: the page fits, the photos fail halfway through writing, as
    // on a full disk. The shell ignores SIGXFSZ so the write fails with an error instead.
    let mut command = Command::new("bash");
    command
        .args(["-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_copydesk"), "export", "1", "--out", path(&site)])
        .env("COPYDESK_LIBRARY", &cli.library)
        .env("COPYDESK_NOW", "2025-02-20T09:00:00+09:00");
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && !stderr.contains("panicked"), "{stderr}");
    let after = files_under(&site);
    assert_eq!(
        after.len(),
        before.len(),
        "no half-written or temporary files are left: {:?}",
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((file, old), (_, new)) in before.iter().zip(&after) {
        assert!(old == new, "{} changed", file.display());
    }
}

#[cfg(unix)]
#[test]
fn a_failed_edit_is_kept_privately_in_the_users_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    let home = tempfile::tempdir().unwrap();
    let (data, tmp) = (home.path().join("data"), home.path().join("tmp"));
    std::fs::create_dir(&tmp).unwrap();
    let mut kept_files = Vec::new();
    for _ in 0..2 {
        // The edit changes the body and adds a field the format does not know, so it cannot be saved.
        let output = cli
            .command(&["--user", "desk@newspim.com", "edit", "1"])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .env("TMPDIR", &tmp)
            .env("EDITOR", "sed -i -e 's/20여명이/30여명이/' -e '2i author: 누구'")
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("unknown field `author`"), "{stderr}");
        let kept = PathBuf::from(stderr.split("your text is kept in ").nth(1).unwrap().lines().next().unwrap().trim());
        assert_eq!(kept.parent().unwrap(), data.join("copydesk").join("unsaved"), "{stderr}");
        assert!(kept.file_name().unwrap().to_str().unwrap().starts_with("article-1-"), "{}", kept.display());
        assert!(std::fs::read_to_string(&kept).unwrap().contains("30여명이"));
        assert_eq!(std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(kept.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        kept_files.push(kept);
    }
    assert_ne!(kept_files[0], kept_files[1], "a second failed edit does not overwrite the first");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "nothing is left in the temporary folder");
}

#[test]
fn import_takes_a_photo_size_limit() {
    let cli = Cli::new();
    let folder = cli.folder.path().join("story");
    std::fs::create_dir(&folder).unwrap();
    std::fs::File::create(folder.join("big.jpg")).unwrap().set_len(2 * 1024 * 1024).unwrap();
    let article = folder.join("article.md");
    std::fs::write(&article, "---\nheadline: 제목\nphotos:\n  - file: big.jpg\n---\n본문\n").unwrap();
    let refused = cli.fails(&["--user", "desk@newspim.com", "import", "--max-photo-mb", "1", path(&article)]);
    assert!(refused.contains("article.md:4: the photo \"big.jpg\" is 2.0 MB, over the 1 MB limit"), "{refused}");
    let refused = cli.fails(&["--user", "desk@newspim.com", "import", path(&article)]);
    assert!(refused.contains("is not a JPEG, PNG, GIF or WebP image"), "{refused}");
}

#[test]
fn search_survives_letters_whose_lowercase_is_longer() {
    let cli = Cli::new();
    let body = format!("{}협약식을 열었다.", "İ".repeat(200));
    let article = cli
        .write("turkish.md", &format!("---\nheadline: 터키 기사\nbylines:\n  - name: 김기랑\n    email: rang@newspim.com\n---\n{body}\n"));
    cli.ok(&["--user", "rang@newspim.com", "import", path(&article)]);
    let found = cli.ok(&["search", "협약"]);
    assert!(found.contains("1 of 1 matching articles") && found.contains("[협약]식을 열었다"), "{found}");
}
