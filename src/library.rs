//! A library: the articles, people and settings of one newsroom, with the desk's rules applied.
//! Everything the CLI and the app do is a method here; each is one atomic store commit.

use jiff::Timestamp;

use crate::article::{Article, ArticleId, ArticleSummary, Content, Correction, ImageRef};
use crate::clock::Clock;
use crate::import::ImportedArticle;
use crate::merge;
use crate::newsroom::Newsroom;
use crate::revision::{self, FieldChange, Revision, RevisionKind, RevisionNo};
use crate::search::{self, Filter, SearchHit, SearchResults, Terms};
use crate::store::sqlite::SqliteStore;
use crate::store::{Autosave, Budget, Commit, Health, Image, Location, ManagedBy, NewArticle, NewRevision, Store};
use crate::user::{NewUser, Role, User, UserId};
use crate::workflow::{self, Action, Status};
use crate::{Error, Result};

pub struct Library {
    pub(crate) store: Box<dyn Store>,
    clock: Clock,
}

/// How often a save merges afresh when other saves keep landing between its merge and its
/// commit, before it reports the conflict.
const SAVE_ATTEMPTS: usize = 5;

/// A later version of an agency item for the article that holds it: the new content, the
/// revision's note, and the photos it brings.
type AgencyUpdate = (Content, String, Vec<Image>);

/// What a workflow action carries besides the action itself.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Change {
    /// The revision the user was looking at; a newer head is a conflict.
    pub base: Option<RevisionNo>,
    /// New content to store with the action, or `None` to keep the current content.
    pub content: Option<Content>,
    pub note: Option<String>,
}

impl Change {
    pub fn note(note: impl Into<String>) -> Change {
        Change { note: Some(note.into()), ..Change::default() }
    }

    pub fn content(base: RevisionNo, content: Content) -> Change {
        Change { base: Some(base), content: Some(content), note: None }
    }
}

impl Library {
    /// Opens an existing library; nothing is changed in a file that is not one.
    pub fn open(location: &Location, clock: Clock) -> Result<Library> {
        match location {
            Location::File(path) => Ok(Library::with_store(Box::new(SqliteStore::open(path)?), clock)),
            Location::Postgres(_) => Err(Self::no_server_store(location)),
        }
    }

    /// Makes a new, empty library.
    pub fn init(location: &Location, clock: Clock) -> Result<Library> {
        match location {
            Location::File(path) => Ok(Library::with_store(Box::new(SqliteStore::create(path)?), clock)),
            Location::Postgres(_) => Err(Self::no_server_store(location)),
        }
    }

    fn no_server_store(location: &Location) -> Error {
        Error::invalid(
            format!("the library at {location}"),
            "this program opens library files only; the copydesk command opens a newsroom's PostgreSQL database",
        )
    }

    pub fn with_store(store: Box<dyn Store>, clock: Clock) -> Library {
        Library { store, clock }
    }

    /// Moves the library to another clock (tests and automation step time this way).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> Timestamp {
        // Stored instants keep microseconds; trimming here keeps what is returned equal to what is stored.
        let now = self.clock.now();
        Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
    }

    // People and settings

    pub fn users(&self) -> Result<Vec<User>> {
        self.store.users()
    }

    /// The user acting under `email`.
    pub fn user(&self, email: Option<&str>) -> Result<User> {
        let email = email.map(str::trim).filter(|email| !email.is_empty()).ok_or(Error::NoActingUser)?;
        self.store.user_by_email(email)?.ok_or_else(|| Error::UnknownUser { email: email.to_string() })
    }

    pub fn user_with_id(&self, id: UserId) -> Result<User> {
        self.store.user(id)
    }

    /// Admins manage people and settings; a library without an admin lets anyone set it up.
    /// The answer is what the store checks again when the change commits.
    pub fn may_manage(&self, actor: Option<&User>) -> Result<ManagedBy> {
        if let Some(admin) = actor.filter(|actor| actor.role == Role::Admin) {
            return Ok(ManagedBy::Admin(admin.id));
        }
        if self.store.users()?.iter().any(|user| user.role == Role::Admin) {
            return Err(Error::Forbidden("only an admin manages people and settings of this library; act as an admin".into()));
        }
        Ok(ManagedBy::NobodyYet)
    }

    pub fn add_user(&mut self, actor: Option<&User>, user: NewUser) -> Result<User> {
        let managed_by = self.may_manage(actor)?;
        let user = NewUser {
            name: user.name.trim().to_string(),
            title: user.title.trim().to_string(),
            email: user.email.trim().to_string(),
            role: user.role,
        };
        if user.name.is_empty() {
            return Err(Error::invalid("a user without a name", "give the person a name, as it appears in bylines"));
        }
        if !user.email.contains('@') || user.email.contains(char::is_whitespace) {
            return Err(Error::invalid(format!("the email {:?}", user.email), "give an address such as rang@newspim.com"));
        }
        let now = self.now();
        self.store.add_user(&user, None, now, managed_by)
    }

    pub fn newsroom(&self) -> Result<Newsroom> {
        self.store.newsroom()
    }

    pub fn set_newsroom(&mut self, actor: Option<&User>, newsroom: &Newsroom) -> Result<()> {
        let managed_by = self.may_manage(actor)?;
        newsroom.zone()?;
        self.store.set_newsroom(newsroom, managed_by)
    }

    // Articles

    pub fn article(&self, id: ArticleId) -> Result<Article> {
        self.store.article(id)
    }

    pub fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        self.store.revisions(id)
    }

    pub fn revision_content(&self, id: ArticleId, number: RevisionNo) -> Result<Content> {
        self.store.revision_content(id, number)
    }

    /// The content readers see: the published revision, or the newest when none is.
    pub fn published_content(&self, article: &Article) -> Result<Content> {
        match article.published_revision {
            Some(number) if number != article.head => self.store.revision_content(article.id, number),
            _ => Ok(article.content.clone()),
        }
    }

    pub fn image(&self, image: &ImageRef) -> Result<Image> {
        self.store.image(image)
    }

    /// Stores a photo's bytes so content can refer to it, once they decode as an image a page shows.
    pub fn add_image(&mut self, bytes: Vec<u8>) -> Result<Image> {
        let image = crate::import::describe_image(bytes).map_err(|why| Error::invalid("the photo", format!("it {why}")))?;
        self.store.put_image(&image)?;
        Ok(image)
    }

    fn validate(&self, content: &Content) -> Result<()> {
        let problems = content.problems();
        if !problems.is_empty() {
            return Err(Error::invalid("the article", problems.join("; ")));
        }
        for photo in &content.photos {
            if !self.store.has_image(&photo.image)? {
                return Err(Error::invalid(format!("the photo {:?}", photo.file), "its image is not in this library; add the photo again"));
            }
        }
        for related in &content.related {
            if let Err(Error::NotFound { .. }) = self.store.article(*related) {
                return Err(Error::invalid(
                    format!("the related article {related}"),
                    "it is not in this library; remove it or give an existing id",
                ));
            }
        }
        Ok(())
    }

    /// Starts a new draft written by `actor`.
    pub fn create(&mut self, actor: &User, content: Content) -> Result<Article> {
        self.validate(&content)?;
        let now = self.now();
        let article = NewArticle {
            id: None,
            status: Status::Draft,
            content,
            published: false,
            first_published: None,
            last_modified: None,
            corrections: Vec::new(),
            created_by: actor.id,
            created_at: now,
            scheduled_by: None,
            revision: NewRevision { kind: RevisionKind::Created, author: actor.id, at: now, note: None, merged_from: None },
            images: Vec::new(),
        };
        let mut inserted = self.store.insert_articles(vec![article])?;
        inserted.pop().ok_or_else(|| Error::Corrupt("the store inserted no article".into()))
    }

    /// Brings an article read from a file into the library, in the state the file gives.
    pub fn import(&mut self, actor: &User, imported: ImportedArticle) -> Result<Article> {
        let mut inserted = self.import_batch(actor, vec![imported])?;
        inserted.pop().ok_or_else(|| Error::Corrupt("the store inserted no article".into()))
    }

    /// Imports several articles in one transaction: all of them, or none when one is refused.
    ///
    /// An agency item (one with a [`crate::article::Source`]) that the library already holds
    /// is not added again: a later version updates that article with a new revision (keeping
    /// the section, related articles and photos the desk gave it when the item has none), an
    /// earlier or the same version changes nothing. Every update is checked against the
    /// workflow before anything is written.
    pub fn import_batch(&mut self, actor: &User, batch: Vec<ImportedArticle>) -> Result<Vec<Article>> {
        let now = self.now();
        // Of several versions of one item in a batch, the newest counts.
        let mut batch = batch;
        let newest = |batch: &[ImportedArticle], source: &crate::article::Source| {
            batch
                .iter()
                .filter_map(|other| other.content.source.as_ref())
                .filter(|other| other.id == source.id)
                .map(|other| other.version)
                .max()
        };
        let keep: Vec<bool> = batch
            .iter()
            .enumerate()
            .map(|(index, imported)| match &imported.content.source {
                Some(source) if !source.id.is_empty() => {
                    let first_newest = batch.iter().position(|other| {
                        other
                            .content
                            .source
                            .as_ref()
                            .is_some_and(|other| other.id == source.id && Some(other.version) == newest(&batch, source))
                    });
                    first_newest == Some(index)
                }
                _ => true,
            })
            .collect();
        let mut index = 0;
        batch.retain(|_| {
            index += 1;
            keep[index - 1]
        });

        // (position in the batch, the article it updates, the update or None when unchanged)
        let mut updates: Vec<(usize, Article, Option<AgencyUpdate>)> = Vec::new();
        let mut fresh = Vec::with_capacity(batch.len());
        for (position, imported) in batch.into_iter().enumerate() {
            let Some(existing) = self.agency_original(&imported.content)? else {
                fresh.push((position, imported));
                continue;
            };
            let (old, new) = (existing.content.source.clone().unwrap_or_default(), imported.content.source.clone().unwrap_or_default());
            if new.version <= old.version {
                updates.push((position, existing, None));
                continue;
            }
            let mut content = imported.content;
            if content.section.is_empty() {
                content.section = existing.content.section.clone();
            }
            if content.related.is_empty() {
                content.related = existing.content.related.clone();
            }
            if content.photos.is_empty() {
                content.photos = existing.content.photos.clone();
            }
            let problems = content.problems();
            if !problems.is_empty() {
                return Err(Error::invalid(imported.source.display().to_string(), problems.join("; ")));
            }
            let note = format!("updated to version {} of {}", new.version, new.id);
            workflow::decide(Action::Edit, actor, &existing, &content, Some(&note), now)?;
            updates.push((position, existing, Some((content, note, imported.images))));
        }

        let mut articles = Vec::with_capacity(fresh.len());
        let mut positions = Vec::with_capacity(fresh.len());
        for (position, imported) in fresh {
            positions.push(position);
            workflow::decide_import(actor, imported.status)?;
            for related in &imported.content.related {
                self.store.article(*related).map_err(|_| {
                    Error::invalid(
                        format!("{}: the related article {related}", imported.source.display()),
                        "it is not in this library; import it first or remove it",
                    )
                })?;
            }
            let problems = imported.content.problems();
            if !problems.is_empty() {
                return Err(Error::invalid(imported.source.display().to_string(), problems.join("; ")));
            }
            for photo in &imported.content.photos {
                let brought = imported.images.iter().any(|image| image.image == photo.image);
                if !brought && !self.store.has_image(&photo.image)? {
                    return Err(Error::invalid(
                        format!("{}: the photo {:?}", imported.source.display(), photo.file),
                        "its image is neither in the file's folder nor in this library; add the photo",
                    ));
                }
            }
            let shown_to_readers = match imported.status {
                Status::Scheduled => true,
                Status::Published | Status::Killed => imported.first_published.is_some(),
                Status::Draft | Status::Submitted => false,
            };
            let note =
                Some(format!("imported from {}", imported.source.file_name().map(|name| name.to_string_lossy()).unwrap_or_default()));
            articles.push(NewArticle {
                id: None,
                status: imported.status,
                content: imported.content,
                published: shown_to_readers,
                first_published: imported.first_published,
                last_modified: imported.last_modified,
                corrections: imported
                    .corrections
                    .into_iter()
                    .map(|(at, note)| Correction { at, note, by: actor.name.clone(), revision: RevisionNo::FIRST })
                    .collect(),
                created_by: actor.id,
                created_at: now,
                scheduled_by: (imported.status == Status::Scheduled).then_some(actor.id),
                revision: NewRevision { kind: RevisionKind::Imported, author: actor.id, at: now, note, merged_from: None },
                images: imported.images,
            });
        }
        let inserted = if articles.is_empty() { Vec::new() } else { self.store.insert_articles(articles)? };
        let mut results: Vec<(usize, Article)> = positions.into_iter().zip(inserted).collect();
        for (position, existing, update) in updates {
            let article = match update {
                None => existing,
                Some((content, note, images)) => {
                    for image in &images {
                        self.store.put_image(image)?;
                    }
                    let change = Change { base: Some(existing.head), content: Some(content), note: Some(note) };
                    self.act(actor, existing.id, Action::Edit, change)?
                }
            };
            results.push((position, article));
        }
        results.sort_by_key(|(position, _)| *position);
        Ok(results.into_iter().map(|(_, article)| article).collect())
    }

    /// The article an agency item was imported into before, found by the item's id.
    pub fn agency_original(&self, content: &Content) -> Result<Option<Article>> {
        let Some(source) = content.source.as_ref().filter(|source| !source.id.trim().is_empty()) else { return Ok(None) };
        let filter = Filter { source: Some(source.id.clone()), limit: Some(1), ..Filter::default() };
        match self.store.list(&filter)?.first() {
            Some(summary) => self.store.article(summary.id).map(Some),
            None => Ok(None),
        }
    }

    /// An explicit save: a new revision on top of `base`. Saving unchanged content makes no
    /// revision.
    ///
    /// When someone saved since `base`, the save is merged three ways ([`crate::merge`]) into
    /// the newest revision: changes that do not overlap make one new revision, by `actor`, whose
    /// parents are the newest revision and `base` ([`Revision::merged_from`]); overlapping ones
    /// are refused as [`Error::Conflict`] carrying the merge, so the person can choose passage
    /// by passage and save the resolution on top of the newest revision ([`Library::save_settled`]).
    pub fn save(&mut self, actor: &User, id: ArticleId, base: RevisionNo, content: Content) -> Result<Article> {
        self.save_from(actor, id, base, None, content)
    }

    /// Saves the text that settles a conflict: `content` is the merge with revision `base`
    /// (the one the conflict named) with the person's choices applied, and `started_from` the
    /// older revision their own text started from. Like a clean merge, the new revision records
    /// both parents: `base` before it and `started_from` as [`Revision::merged_from`]. When yet
    /// another save landed since `base`, this one is merged into it as any stale save is.
    pub fn save_settled(
        &mut self,
        actor: &User,
        id: ArticleId,
        base: RevisionNo,
        started_from: RevisionNo,
        content: Content,
    ) -> Result<Article> {
        self.save_from(actor, id, base, Some(started_from).filter(|from| *from < base), content)
    }

    fn save_from(
        &mut self,
        actor: &User,
        id: ArticleId,
        base: RevisionNo,
        settles: Option<RevisionNo>,
        content: Content,
    ) -> Result<Article> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let outcome = self.save_once(actor, id, base, settles, &content);
            match outcome {
                // Another save landed between reading the head and committing on it: merge
                // again against the newer head, a few times, then give up with the plain conflict.
                Err(Error::Conflict { merged: None, current, .. }) if attempts < SAVE_ATTEMPTS && current > base => continue,
                outcome => return outcome,
            }
        }
    }

    fn save_once(
        &mut self,
        actor: &User,
        id: ArticleId,
        base: RevisionNo,
        settles: Option<RevisionNo>,
        content: &Content,
    ) -> Result<Article> {
        let current = self.store.article(id)?;
        if current.head == base {
            if current.content == *content {
                self.store.discard_autosave(id, actor.id)?;
                return Ok(current);
            }
            return self.commit_action(actor, id, Action::Edit, Change::content(base, content.clone()), settles);
        }
        if base.0 == 0 || base > current.head {
            return Err(Error::Conflict { article: id, base, current: current.head, merged: None });
        }
        let base_content = self.store.revision_content(id, base)?;
        let merged = merge::merge(&base_content, content, &current.content);
        if !merged.is_clean() {
            return Err(Error::Conflict { article: id, base, current: current.head, merged: Some(Box::new(merged)) });
        }
        if merged.content == current.content {
            // Everything this save changed is in the newest revision already.
            self.store.discard_autosave(id, actor.id)?;
            return Ok(current);
        }
        let change = Change::content(current.head, merged.content);
        self.commit_action(actor, id, Action::Edit, change, Some(base))
    }

    pub fn submit(&mut self, actor: &User, id: ArticleId, change: Change) -> Result<Article> {
        self.act(actor, id, Action::Submit, change)
    }

    /// Sends a submitted story back to its reporter with a note saying what to fix.
    pub fn return_to_reporter(&mut self, actor: &User, id: ArticleId, change: Change) -> Result<Article> {
        self.act(actor, id, Action::Return, change)
    }

    /// Publishes now, or schedules when the embargo is still ahead.
    pub fn publish(&mut self, actor: &User, id: ArticleId, change: Change) -> Result<Article> {
        self.act(actor, id, Action::Publish, change)
    }

    pub fn correct(&mut self, actor: &User, id: ArticleId, change: Change) -> Result<Article> {
        self.act(actor, id, Action::Correct, change)
    }

    pub fn kill(&mut self, actor: &User, id: ArticleId, change: Change) -> Result<Article> {
        self.act(actor, id, Action::Kill, change)
    }

    /// Makes a new revision whose content is that of revision `number`.
    pub fn restore(&mut self, actor: &User, id: ArticleId, number: RevisionNo, base: Option<RevisionNo>) -> Result<Article> {
        let content = self.store.revision_content(id, number)?;
        let change = Change { base, content: Some(content), note: Some(format!("restored revision {number}")) };
        self.act(actor, id, Action::Restore, change)
    }

    /// Publishes every scheduled article whose embargo has passed, each in the name of the
    /// editor who scheduled it, with 기사입력 at its embargo.
    pub fn release_due(&mut self) -> Result<Vec<Article>> {
        let now = self.now();
        let mut released = Vec::new();
        for id in self.store.due_for_release(now)? {
            let article = self.store.article(id)?;
            if article.status != Status::Scheduled {
                continue;
            }
            let releaser = self.store.user(article.scheduled_by.unwrap_or(article.created_by))?;
            // Based on the revision read here: of several processes releasing at once, exactly
            // one commit lands and the others find the article already released.
            let change = Change { note: Some("embargo passed".into()), base: Some(article.head), ..Change::default() };
            match self.act(&releaser, id, Action::Release, change) {
                Ok(article) => released.push(article),
                Err(Error::Conflict { .. }) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(released)
    }

    fn act(&mut self, actor: &User, id: ArticleId, action: Action, change: Change) -> Result<Article> {
        self.commit_action(actor, id, action, change, None)
    }

    /// `action` with `change` as one revision; `merged_from` is the stale base a merged save
    /// started from.
    fn commit_action(
        &mut self,
        actor: &User,
        id: ArticleId,
        action: Action,
        change: Change,
        merged_from: Option<RevisionNo>,
    ) -> Result<Article> {
        let article = self.store.article(id)?;
        if let Some(base) = change.base
            && base != article.head
        {
            return Err(Error::Conflict { article: id, base, current: article.head, merged: None });
        }
        let content = change.content.unwrap_or_else(|| article.content.clone());
        if content != article.content {
            self.validate(&content)?;
        }
        let now = self.now();
        let note = change.note.map(|note| note.trim().to_string()).filter(|note| !note.is_empty());
        let transition = workflow::decide(action, actor, &article, &content, note.as_deref(), now)?;
        let mut next = Article { content, status: transition.to, head: article.head.next(), updated_at: now, ..article };
        if let Some(publication) = transition.publication {
            next.first_published = next.first_published.or(publication.first_published);
            next.last_modified = Some(publication.last_modified);
            next.published_revision = Some(next.head);
        }
        match transition.kind {
            RevisionKind::Scheduled => {
                next.scheduled_by = Some(actor.id);
                next.published_revision = Some(next.head);
            }
            RevisionKind::Corrected => next.corrections.push(Correction {
                at: now,
                note: note.clone().unwrap_or_default(),
                by: actor.name.clone(),
                revision: next.head,
            }),
            _ => {}
        }
        let revision = NewRevision { kind: transition.kind, author: actor.id, at: now, note, merged_from };
        self.store.commit(Commit { article: next, revision, images: Vec::new(), replaces_autosave_of: Some(actor.id) })
    }

    // Working copy

    /// Keeps `actor`'s unsaved text safe; makes no revision.
    pub fn autosave(&mut self, actor: &User, id: ArticleId, base: RevisionNo, content: Content) -> Result<()> {
        self.store.article(id)?;
        let saved_at = self.now();
        self.store.put_autosave(&Autosave { article: id, user: actor.id, base, content, saved_at })
    }

    /// Text `actor` typed after their last explicit save, if any survives.
    pub fn recovered(&self, actor: &User, id: ArticleId) -> Result<Option<Autosave>> {
        self.store.autosave(id, actor.id)
    }

    pub fn discard_recovered(&mut self, actor: &User, id: ArticleId) -> Result<()> {
        self.store.discard_autosave(id, actor.id)
    }

    // Reading

    pub fn compare(&self, id: ArticleId, from: RevisionNo, to: RevisionNo) -> Result<Vec<FieldChange>> {
        let old = self.store.revision_content(id, from)?;
        let new = self.store.revision_content(id, to)?;
        Ok(revision::compare(&old, &new))
    }

    pub fn list(&self, filter: &Filter) -> Result<Vec<ArticleSummary>> {
        self.store.list(filter)
    }

    /// Every section path the library's articles use, with each level of a path on its own
    /// (경제 and 경제 > 경제일반), in alphabetical order.
    pub fn sections(&self) -> Result<Vec<String>> {
        self.store.sections()
    }

    pub fn count(&self, filter: &Filter) -> Result<u64> {
        self.store.count(filter)
    }

    /// Articles holding every word of `query`, ranked as [`crate::search`] describes, each
    /// with a snippet around its first match.
    pub fn search(&self, query: &str, filter: &Filter) -> Result<SearchResults> {
        let terms = Terms::parse(query);
        if terms.is_empty() {
            return Err(Error::invalid(format!("the search {query:?}"), "type at least one word or number to look for"));
        }
        let page = self.store.search(&terms, filter)?;
        let hits = page
            .hits
            .into_iter()
            .map(|(article, content)| SearchHit { snippet: search::snippet(&content, &terms.words, 80), article })
            .collect();
        Ok(SearchResults { total: page.total, exact: page.total < search::COUNT_LIMIT as u64, hits })
    }

    /// What `actor` may do to `article` carrying `content` (the stored content, or the text
    /// being edited) by the library's clock now: each action with its note, whether it would
    /// schedule, and its refusal.
    pub fn available_actions(&self, actor: &User, article: &Article, content: &Content) -> Vec<workflow::ActionState> {
        workflow::available(actor, article, content, self.now())
    }

    // Maintenance

    pub fn check(&mut self, repair: bool) -> Result<Health> {
        let health = self.store.check(repair)?;
        if repair {
            self.settle()?;
        }
        Ok(health)
    }

    pub fn rebuild_index(&mut self) -> Result<()> {
        self.store.rebuild_index()?;
        self.settle()
    }

    /// Upkeep that saves leave for later, within `budget`; true if more remains. The app runs
    /// `Budget::Step` between saves, so a save costs the same every time, and `Budget::Idle`
    /// once it sits idle, which also gives back what the store caches in memory.
    pub fn maintain(&mut self, budget: Budget) -> Result<bool> {
        self.store.maintain(budget)
    }

    /// Does all the upkeep that is left, for callers that are about to stop or that nobody is
    /// waiting on (the CLI, bulk imports, an index rebuild), so in longer steps.
    pub fn settle(&mut self) -> Result<()> {
        while self.store.maintain(Budget::Settle)? {}
        Ok(())
    }
}
