//! `edit` and `new`: the article in `$EDITOR` as a front matter file, saved as a revision on top
//! of the one that was opened, on a library or through a newsroom server alike. When someone
//! saved meanwhile, the core merges the edit into their revision; where both changed the same
//! passage the file is kept with both versions marked. The file is kept whenever the save
//! fails, so no words are lost.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use copydesk::Library;
use copydesk::article::{Article, ArticleId, Content, ImageRef};
use copydesk::export::markdown;
use copydesk::import;
use copydesk::merge::{Choice, Merged, Place};
use copydesk::newsroom::Newsroom;
use copydesk::revision::RevisionNo;
use copydesk::store::Location;
use copydesk::user::User;

use crate::print;

/// Where an edit is read from and saved to.
pub trait Desk {
    fn article(&self, id: ArticleId) -> copydesk::Result<Article>;
    fn newsroom(&self) -> copydesk::Result<Newsroom>;
    fn image(&self, image: &ImageRef) -> copydesk::Result<Vec<u8>>;
    fn add_image(&mut self, bytes: Vec<u8>) -> copydesk::Result<()>;
    fn save(&mut self, id: ArticleId, base: RevisionNo, content: Content) -> copydesk::Result<Article>;
}

/// A library, acted on as one of its people.
pub struct OnLibrary<'a> {
    pub library: &'a mut Library,
    pub actor: &'a User,
}

impl Desk for OnLibrary<'_> {
    fn article(&self, id: ArticleId) -> copydesk::Result<Article> {
        self.library.article(id)
    }
    fn newsroom(&self) -> copydesk::Result<Newsroom> {
        self.library.newsroom()
    }
    fn image(&self, image: &ImageRef) -> copydesk::Result<Vec<u8>> {
        self.library.image(image).map(|image| image.bytes)
    }
    fn add_image(&mut self, bytes: Vec<u8>) -> copydesk::Result<()> {
        self.library.add_image(bytes).map(drop)
    }
    fn save(&mut self, id: ArticleId, base: RevisionNo, content: Content) -> copydesk::Result<Article> {
        self.library.save(self.actor, id, base, content)
    }
}

/// A newsroom server, as the person signed in.
impl Desk for copydesk_client::Client {
    fn article(&self, id: ArticleId) -> copydesk::Result<Article> {
        copydesk_client::Client::article(self, id)
    }
    fn newsroom(&self) -> copydesk::Result<Newsroom> {
        copydesk_client::Client::newsroom(self)
    }
    fn image(&self, image: &ImageRef) -> copydesk::Result<Vec<u8>> {
        copydesk_client::Client::image(self, image)
    }
    fn add_image(&mut self, bytes: Vec<u8>) -> copydesk::Result<()> {
        copydesk_client::Client::add_image(self, &bytes).map(drop)
    }
    fn save(&mut self, id: ArticleId, base: RevisionNo, content: Content) -> copydesk::Result<Article> {
        copydesk_client::Client::save(self, id, base, content)
    }
}

/// Opens `$EDITOR` on the article as a front matter file and saves what comes back as a revision
/// based on the revision that was opened. The file is kept whenever the save fails, so no words
/// are lost.
pub fn edit_in_editor(desk: &mut dyn Desk, id: ArticleId, json: bool) -> Result<()> {
    let article = desk.article(id)?;
    let newsroom = desk.newsroom()?;
    let original = markdown::document(&article, &article.content, &newsroom);
    let folder = tempfile::Builder::new().prefix("copydesk-edit-").tempdir().context("cannot make a folder for the edit")?;
    let file = folder.path().join(format!("article-{}-revision-{}.md", article.id, article.head));
    std::fs::write(&file, &original).with_context(|| format!("cannot write {}", file.display()))?;
    run_editor(&file)?;
    let edited = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    if edited == original.as_bytes() {
        print::done("no changes", json);
        return Ok(());
    }
    let kept = || match std::fs::read(&file).map_err(anyhow::Error::from).and_then(|text| keep_unsaved(&text, article.id)) {
        Ok(keep) => format!("your text is kept in {}", keep.display()),
        Err(error) => {
            // The edit's own private folder is the last place the words are; leave it behind.
            let folder = folder.keep();
            format!(
                "your text is kept in {}\n(it could not be kept in your data folder: {error:#})",
                folder.join(file.file_name().unwrap_or_default()).display()
            )
        }
    };
    let result = parse_edit(desk, &article, &file, &newsroom).and_then(|(content, images)| {
        // New photos must be in the library before the content may refer to them.
        for image in images {
            desk.add_image(image.bytes)?;
        }
        Ok(desk.save(id, article.head, content)?)
    });
    match result {
        Ok(saved) => {
            if saved.head.0 > article.head.0 + 1 {
                eprintln!(
                    "article {id} changed while you edited (revision {} is newer than {}); your changes did not overlap and were merged into it",
                    RevisionNo(saved.head.0 - 1),
                    article.head
                );
            }
            print::transition(&saved, &newsroom, json);
            Ok(())
        }
        Err(error) => {
            let kept = match error.downcast_ref::<copydesk::Error>() {
                Some(copydesk::Error::Conflict { current, merged: Some(merged), .. }) => keep_merge(desk, id, *current, merged)
                    .unwrap_or_else(|why| {
                        format!(
                            "{}
(the merge could not be written beside it: {why:#})",
                            kept()
                        )
                    }),
                _ => kept(),
            };
            Err(error.context(kept))
        }
    }
}

/// Keeps a merge that overlapped: the merged article with both versions of each conflicting
/// body passage between markers, and yours of any other conflicting field, saying where it is
/// and what they wrote there.
fn keep_merge(desk: &dyn Desk, id: ArticleId, current: RevisionNo, merged: &Merged) -> Result<String> {
    let marked = |conflict: &copydesk::merge::MergeConflict| {
        let line = |text: &str| if text.is_empty() || text.ends_with('\n') { text.to_string() } else { format!("{text}\n") };
        format!("<<<<<<< yours\n{}=======\n{}>>>>>>> revision {current}\n", line(&conflict.ours), line(&conflict.theirs))
    };
    let choices: Vec<Choice> = merged
        .conflicts
        .iter()
        .map(|conflict| match (&conflict.place, conflict.field.as_str()) {
            (Place::Lines { .. }, "body") => Choice::Edited(marked(conflict)),
            _ => Choice::Ours,
        })
        .collect();
    let content = merged.resolve(&choices)?;
    let article = desk.article(id)?;
    let text = markdown::document(&article, &content, &desk.newsroom()?);
    let keep = keep_unsaved(text.as_bytes(), id)?;
    let mut said = format!(
        "your text is kept in {}\nmerged with revision {current}: everything that did not overlap is in it; where you both changed the same passage:",
        keep.display()
    );
    for conflict in &merged.conflicts {
        match (&conflict.place, conflict.field.as_str()) {
            (Place::Lines { start, .. }, "body") => {
                said.push_str(&format!("\n  the body at line {}: both versions between <<<<<<< and >>>>>>> markers", start + 1))
            }
            (Place::Photo { file, part }, _) => {
                said.push_str(&format!("\n  the {part} of the photo {file}: yours is in the file, theirs reads {:?}", conflict.theirs))
            }
            (_, field) => said.push_str(&format!("\n  the {field}: yours is in the file, theirs reads {:?}", conflict.theirs)),
        }
    }
    Ok(said)
}

/// Copies a failed edit to a new file of its own in the user's data folder (the one the default
/// library lives in), readable by the user alone: the article may be embargoed, and a fixed name
/// in a shared folder could be a link planted by someone else.
fn keep_unsaved(text: &[u8], id: ArticleId) -> Result<PathBuf> {
    let data = Location::data_folder().context("this user has no data folder")?;
    let data = data.as_path();
    std::fs::create_dir_all(data).with_context(|| format!("cannot make {}", data.display()))?;
    let folder = data.join("unsaved");
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(&folder) {
        Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
            return Err(error).with_context(|| format!("cannot make {}", folder.display()));
        }
        _ => {}
    }
    // Created exclusively under a new random name (tempfile makes it 0600 on Unix).
    let mut keep = tempfile::Builder::new()
        .prefix(&format!("article-{id}-unsaved-"))
        .suffix(".md")
        .tempfile_in(&folder)
        .with_context(|| format!("cannot make a file in {}", folder.display()))?;
    std::io::Write::write_all(&mut keep, text).with_context(|| format!("cannot write {}", keep.path().display()))?;
    let (_, path) = keep.keep().with_context(|| format!("cannot keep a file in {}", folder.display()))?;
    Ok(path)
}

fn parse_edit(desk: &dyn Desk, article: &Article, file: &Path, newsroom: &Newsroom) -> Result<(Content, Vec<copydesk::store::Image>)> {
    let text = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(text).context("the edited file is not UTF-8 text")?;
    // Photos already in the article come from the library; new ones from the working folder,
    // confined to it as an import confines photos to the article file's folder.
    let mut read_photo = |name: &str| -> Result<Vec<u8>, import::PhotoError> {
        if let Some(photo) = article.content.photos.iter().find(|photo| photo.file == name) {
            return desk.image(&photo.image).map_err(|error| import::PhotoError::Unreadable {
                path: PathBuf::from(name),
                error: std::io::Error::other(error.to_string()),
            });
        }
        import::read_photo_in(Path::new("."), name, import::ImportOptions::default().max_photo_bytes)
    };
    let imported = import::parse(&text, file, newsroom, &mut read_photo).map_err(copydesk::Error::Import)?;
    Ok((imported.content, imported.images))
}

fn run_editor(file: &Path) -> Result<()> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("copydesk-editor")
        .arg(file)
        .status()
        .with_context(|| format!("cannot start the editor {editor:?}; set EDITOR"))?;
    if !status.success() {
        bail!("the editor {editor:?} exited with {status}; nothing was saved");
    }
    Ok(())
}
