//! The `copydesk` command as a newsroom script or a person at a terminal uses it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) struct Cli {
    pub(crate) folder: tempfile::TempDir,
    pub(crate) library: PathBuf,
}

impl Cli {
    pub(crate) fn new() -> Cli {
        let folder = tempfile::tempdir().unwrap();
        let library = folder.path().join("library.sqlite3");
        let cli = Cli { folder, library };
        cli.ok(&["init", "--outlet", "뉴스핌"]);
        cli.ok(&["user", "add", "--name", "관리자", "--email", "admin@newspim.com", "--role", "admin"]);
        cli.ok(&[
            "--user",
            "admin@newspim.com",
            "user",
            "add",
            "--name",
            "김기랑",
            "--title",
            "기자",
            "--email",
            "rang@newspim.com",
            "--role",
            "reporter",
        ]);
        cli.ok(&[
            "--user",
            "admin@newspim.com",
            "user",
            "add",
            "--name",
            "박데스크",
            "--title",
            "데스크",
            "--email",
            "desk@newspim.com",
            "--role",
            "editor",
        ]);
        cli
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        command
            .args(args)
            .env("COPYDESK_LIBRARY", &self.library)
            .env("COPYDESK_NOW", "2025-02-20T09:00:00+09:00")
            // A failed edit keeps its text in the data folder: the test's, not the developer's.
            .env("HOME", self.folder.path())
            .env("XDG_DATA_HOME", self.folder.path().join("data"))
            .env_remove("COPYDESK_USER")
            .env_remove("VISUAL");
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(!output.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    pub(crate) fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.folder.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

pub(crate) fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn import_prints_each_new_id_and_show_gives_every_field() {
    let cli = Cli::new();
    let out = cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE, common::SEED_ARTICLE]);
    assert_eq!(out, "1\n2\n");
    let shown = cli.json(&["show", "1"]);
    assert_eq!(shown["content"]["headline"], "중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손");
    assert_eq!(shown["display"]["first_published"], "2025년02월20일 15:09");
    assert_eq!(shown["display"]["lead_in"], "[세종=뉴스핌] 김기랑 기자 = ");
    assert_eq!(shown["content"]["photos"].as_array().unwrap().len(), 2);
    let text = cli.ok(&["show", "1"]);
    for line in [
        "경제 > 경제일반",
        "기사입력 : 2025년02월20일 15:09",
        "최종수정 : 2025년02월20일 15:09",
        "[사진=중소벤처기업진흥공단] 2025.02.20 rang@newspim.com",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
}

#[test]
fn one_bad_file_imports_nothing() {
    let cli = Cli::new();
    let bad = cli.write("bad.md", "---\nheadline: 제목\nauthor: 누구\n---\n본문\n");
    let stderr = cli.fails(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE, path(&bad)]);
    assert!(stderr.contains("bad.md:3: unknown field `author`"), "{stderr}");
    assert_eq!(cli.json(&["list"])["total"], 0);
}

#[test]
fn the_workflow_runs_from_the_command_line() {
    let cli = Cli::new();
    let draft = cli.write("draft.md", "---\nheadline: 엠바고 기사\nsection: 경제\nembargo: 2025-02-21T06:00:00+09:00\nbylines:\n  - name: 김기랑\n    title: 기자\n    email: rang@newspim.com\n---\n본문 첫 문단.\n");
    assert_eq!(cli.ok(&["--user", "rang@newspim.com", "import", path(&draft)]), "1\n");
    cli.ok(&["--user", "rang@newspim.com", "submit", "1"]);
    let refused = cli.fails(&["--user", "rang@newspim.com", "publish", "1"]);
    assert!(refused.contains("it is submitted and you are reporter. Only editors publish"), "{refused}");
    let scheduled = cli.json(&["--user", "desk@newspim.com", "publish", "1"]);
    assert_eq!(scheduled["status"], "scheduled");
    assert!(cli.ok(&["release-due"]).contains("0 released"));
    let released = cli.json(&["--now", "2025-02-21T06:00:30+09:00", "release-due"]);
    assert_eq!(released[0]["status"], "published");
    assert_eq!(released[0]["first_published"], "2025-02-20T21:00:00Z");
    let corrected = cli.ok(&["--now", "2025-02-21T08:00:00+09:00", "--user", "desk@newspim.com", "correct", "1", "--note", "제목 정정"]);
    assert!(corrected.contains("기사입력 2025년02월21일 06:00, 최종수정 2025년02월21일 08:00"), "{corrected}");
    let history = cli.json(&["history", "1"]);
    let kinds: Vec<&str> = history.as_array().unwrap().iter().map(|revision| revision["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["imported", "submitted", "scheduled", "released", "corrected"]);
}

#[test]
fn edit_opens_the_editor_and_saves_a_revision() {
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    let output = cli.command(&["--user", "desk@newspim.com", "edit", "1"]).env("EDITOR", "sed -i 's/20여명이/30여명이/'").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(cli.json(&["show", "1"])["article"]["head"], 2);
    let diff = cli.ok(&["diff", "1", "1", "2"]);
    assert!(diff.contains("== body") && diff.contains("[-20여명이-]{+30여명이+}"), "{diff}");
    let search = cli.ok(&["search", "30여명"]);
    assert!(search.contains("1 of 1 matching articles"), "{search}");
}

#[test]
fn an_edit_over_a_newer_revision_merges_when_the_changes_do_not_overlap() {
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    // While this editor is open, someone else saves another paragraph from another terminal.
    let binary = env!("CARGO_BIN_EXE_copydesk");
    let editor =
        format!("EDITOR=\"sed -i s/맞손/협력/\" {binary} --user desk@newspim.com edit 1 >/dev/null && sed -i 's/20여명이/30여명이/'");
    let output = cli.command(&["--user", "desk@newspim.com", "edit", "1"]).env("EDITOR", editor).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("did not overlap and were merged"), "{stderr}");
    let shown = cli.json(&["show", "1"]);
    assert_eq!(shown["article"]["head"], 3);
    let body = shown["content"]["body"].as_str().unwrap();
    assert!(body.contains("30여명이") && body.contains("협력을 잡았다"), "both edits are in: {body}");
    let history = cli.json(&["history", "1"]);
    assert_eq!(history[2]["merged_from"], 1, "{history}");
}

#[test]
fn an_edit_overlapping_a_newer_revision_keeps_both_versions_marked_and_saves_nothing() {
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    // Someone else changes the same sentence meanwhile.
    let binary = env!("CARGO_BIN_EXE_copydesk");
    let editor = format!(
        "EDITOR=\"sed -i s/20여명이/25여명이/\" {binary} --user desk@newspim.com edit 1 >/dev/null && sed -i 's/20여명이/30여명이/; s/맞손/협력/'"
    );
    let output = cli.command(&["--user", "desk@newspim.com", "edit", "1"]).env("EDITOR", editor).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("based on revision 1, the library already has revision 2"), "{stderr}");
    assert!(stderr.contains("the body at line "), "names the passage: {stderr}");
    assert!(stderr.contains("copydesk edit 1` again"), "says how to finish: {stderr}");
    let kept = stderr.split("your text is kept in ").nth(1).unwrap().lines().next().unwrap().trim();
    let kept = std::fs::read_to_string(kept).unwrap();
    let marked = kept.split("<<<<<<< yours\n").nth(1).expect("a marked passage");
    let (ours, theirs) = marked.split_once("=======\n").unwrap();
    assert!(ours.contains("30여명이") && theirs.contains("25여명이") && theirs.contains(">>>>>>> revision 2"), "{kept}");
    assert!(kept.contains("협력을 잡았다"), "what did not overlap is merged in the kept file: {kept}");
    let shown = cli.json(&["show", "1"]);
    assert_eq!(shown["article"]["head"], 2);
    assert!(shown["content"]["body"].as_str().unwrap().contains("25여명이"), "the other save was not overwritten");
}

/// The core's message says what is wrong in the newsroom's words; the flag to type is the
/// CLI's own hint, on a line of its own, and in `--json` as `hint` beside the typed `code`.
#[test]
fn the_cli_adds_its_own_hints_to_messages_that_name_no_flags() {
    let cli = Cli::new();
    let draft = cli.write("draft.md", "---\nheadline: 기사\nbylines:\n  - name: 김기랑\n    email: rang@newspim.com\n---\n본문.\n");
    cli.ok(&["--user", "rang@newspim.com", "import", path(&draft)]);
    cli.ok(&["--user", "rang@newspim.com", "submit", "1"]);
    let refused = cli.fails(&["--user", "desk@newspim.com", "return", "1", "--note", " "]);
    let (message, hint) = refused.split_once("\nhint: ").unwrap_or((&refused, ""));
    assert!(message.contains("needs a note telling the reporter what to fix") && !message.contains("--"), "{refused}");
    assert!(hint.contains("--note"), "{refused}");
    let output = cli.command(&["--json", "--user", "desk@newspim.com", "return", "1", "--note", " "]).output().unwrap();
    let error: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["code"], "refused");
    assert!(error["hint"].as_str().is_some_and(|hint| hint.contains("--note")), "{error}");
    let preview = cli.fails(&["--user", "desk@newspim.com", "export", "1", "--out", path(&cli.folder.path().join("site"))]);
    assert!(preview.contains("export it as a preview") && preview.contains("hint: add --preview"), "{preview}");
}

#[test]
fn mistakes_get_clear_errors_not_panics() {
    let cli = Cli::new();
    assert!(cli.fails(&["--user", "nobody@newspim.com", "submit", "1"]).contains("no user with the email nobody@newspim.com"));
    assert!(cli.fails(&["submit", "1"]).contains("pass --user EMAIL or set COPYDESK_USER"));
    assert!(cli.fails(&["show", "abc"]).contains("give an article number, as the article list shows it"));
    assert!(cli.fails(&["show", "99"]).contains("article 99 does not exist"));
    assert!(cli.fails(&["list", "--status", "done"]).contains("use draft, submitted, scheduled, published or killed"));
    assert!(cli.fails(&["list", "--published-from", "어제"]).contains("write it as 2025-02-20"));
    assert!(cli.fails(&["--now", "noon", "list"]).contains("RFC 3339"));
    assert!(cli.fails(&["search", "***"]).contains("type at least one word"));
    let json = cli.run(&["--json", "show", "99"]);
    let error: serde_json::Value = serde_json::from_slice(&json.stderr).unwrap();
    assert_eq!(error["code"], "not_found");
    let not_a_library = cli.write("notes.txt", &"메모 ".repeat(300));
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk")).args(["--library", path(&not_a_library), "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a Copydesk library"));
}

#[test]
fn check_and_backup_work_on_a_live_library() {
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    assert!(cli.ok(&["check"]).ends_with("ok\n"));
    let copy = cli.folder.path().join("copy.sqlite3");
    cli.ok(&["backup", path(&copy)]);
    let listed = Command::new(env!("CARGO_BIN_EXE_copydesk")).args(["--library", path(&copy), "--json", "list"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["total"], 1);
}

/// Runs the CLI as a person without write access to `folder`: as root (which ignores file
/// modes) the command drops to the `nobody` account, running a copy of the binary it can reach.
fn run_without_write_access(folder: &Path, library: &Path, args: &[&str]) -> Output {
    let binary = folder.join("copydesk");
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_copydesk"), &binary).unwrap();
    }
    let root = std::process::Command::new("id").arg("-u").output().map(|id| id.stdout == b"0\n").unwrap_or(false);
    let mut command = if root {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]).arg(&binary);
        command
    } else {
        Command::new(&binary)
    };
    command.arg("--library").arg(library).args(args).env_remove("COPYDESK_USER").env("HOME", folder).output().unwrap()
}

#[test]
fn a_library_on_a_read_only_folder_can_be_read_and_checked_but_not_changed() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new();
    cli.ok(&["--user", "desk@newspim.com", "import", common::SEED_ARTICLE]);
    let share = tempfile::tempdir().unwrap();
    let library = share.path().join("library.sqlite3");
    cli.ok(&["backup", path(&library)]);
    run_without_write_access(share.path(), &library, &["--version"]);
    std::fs::set_permissions(&library, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(share.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&library).unwrap();

    let read = |args: &[&str]| {
        let output = run_without_write_access(share.path(), &library, args);
        assert!(output.status.success(), "{args:?} on a read-only library: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(read(&["list"]).contains("중진공-일본 CMIC"));
    assert!(read(&["search", "협약"]).contains("중진공-일본 CMIC"));
    assert!(read(&["show", "1"]).contains("[세종=뉴스핌]"));
    assert!(read(&["history", "1"]).contains("imported"));
    assert!(read(&["check"]).ends_with("ok\n"));
    let refused = run_without_write_access(share.path(), &library, &["--user", "desk@newspim.com", "kill", "1", "--note", "오보"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("read-only"), "{}", String::from_utf8_lossy(&refused.stderr));
    assert_eq!(std::fs::read(&library).unwrap(), before, "reading changed nothing");
    std::fs::set_permissions(share.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn check_reports_a_damaged_library_instead_of_failing_on_it() {
    let cli = Cli::new();
    for n in 0..20 {
        let file = cli.write(&format!("{n}.md"), &format!("---\nheadline: 기사 {n}\n---\n{}", "협약식을 열었다. ".repeat(300)));
        cli.ok(&["--user", "desk@newspim.com", "import", path(&file)]);
    }
    let root: u32 = rusqlite::Connection::open(&cli.library)
        .unwrap()
        .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'articles'", [], |row| row.get(0))
        .unwrap();
    let mut bytes = std::fs::read(&cli.library).unwrap();
    for (at, byte) in bytes.iter_mut().enumerate().skip((root as usize - 1) * 4096).take(4096) {
        *byte = (at * 13 % 251) as u8;
    }
    std::fs::write(&cli.library, &bytes).unwrap();
    let output = cli.run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(stdout.contains("problem:") && stdout.contains("PROBLEMS FOUND"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("the library has problems"));
}
