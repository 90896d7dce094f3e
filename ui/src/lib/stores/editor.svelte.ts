// The article being edited: the saved article, the working draft, autosave, explicit save with
// conflict detection, workflow actions, and the live preview. Rules stay in the core: this only
// sends what the user did and shows what came back.
import type { Article, ArticleId, ArticleView, Choice, Content, Merged, Preview } from '../bindings';
import { backend, BackendError, errorCode, errorMessage, type WorkflowCommand } from '../backend';
import { loadSections } from './sections.svelte';

/// How long typing may go unsaved before the working copy is autosaved (the target is < 1 s).
export const AUTOSAVE_MS = 400;
/// How long the preview waits for a pause in typing: one page per burst of keys, not one per key
/// (each is a new document in the preview frame, garbage the web process holds for a while).
export const PREVIEW_MS = 150;

export const editor = $state({
  view: null as ArticleView | null,
  draft: null as Content | null,
  dirty: false,
  busy: false,
  error: '',
  /// Set when a save or action was refused because the library has a newer revision.
  conflict: null as Conflict | null,
  /// Set when a save was merged with colleagues' changes saved meanwhile, for a quiet note.
  mergedIn: false,
  /// Set when a workflow action was not taken because a colleague saved meanwhile: their text
  /// is brought in (merged with what was typed) for the person to read before acting again.
  actionHeldBack: false,
  preview: null as Preview | null,
  /// Bumped when the draft is replaced from outside (load, recovery, restore), so the fields
  /// reset their local text (the body editor follows the draft's body by itself).
  revisionKey: 0,
});

/// What the person keeps of one overlapping passage, and the text 직접 고치기 holds (mine to
/// start with, so editing begins from what they wrote).
export interface PassagePick {
  keep: Choice['keep'];
  text: string;
}

export interface Conflict {
  /// The text that could not be saved; it also stays in the draft until the conflict is settled.
  mine: Content;
  /// The library's newest revision.
  theirs: Article;
  /// The revision the core merged with: the resolution is saved on it, so a revision saved
  /// after it is merged in again rather than overwritten.
  current: number;
  /// For a save, the core's three-way merge against `theirs`: only its `conflicts` need a
  /// person. Null when the refusal carries no merge: the whole of each side is shown.
  merged: Merged | null;
  /// Who saved the newest revision, from its history; null while unknown.
  author: string | null;
  /// One per `merged.conflicts`, in order.
  picks: PassagePick[];
  /// The edit count when the save was refused: typing after it is newer than the merge.
  edits: number;
  /// Why applying the choices failed (the core refuses typed text for some fields).
  error: string;
}

let autosaveTimer: ReturnType<typeof setTimeout> | null = null;
let previewTimer: ReturnType<typeof setTimeout> | null = null;
/// Counts edits, so a reply that arrives after more typing does not replace the newer text.
let edits = 0;
let previewPending = false;
let previewAgain = false;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

export async function openArticle(id: ArticleId): Promise<void> {
  await flushAutosave();
  editor.error = '';
  editor.conflict = null;
  editor.mergedIn = false;
  editor.actionHeldBack = false;
  const view = await backend().article(id);
  editor.view = view;
  editor.draft = clone(view.article.content);
  editor.dirty = false;
  editor.revisionKey++;
  void refreshPreview();
  void loadSections();
}

/// Re-reads the article (after an action, or when the clock released it) keeping unsaved text.
export async function reload(): Promise<void> {
  if (!editor.view) return;
  const view = await backend().article(editor.view.article.id);
  editor.view = view;
  if (!editor.dirty) replaceDraft(view.article.content);
}

/// Shows `content` (saved elsewhere, or merged with it) in place of an untouched draft; the
/// preview follows when the text differs from what it showed.
function replaceDraft(content: Content): void {
  const differs = JSON.stringify(editor.draft) !== JSON.stringify(content);
  editor.draft = clone(content);
  editor.revisionKey++;
  if (differs) void refreshPreview();
}

export function close(): void {
  void flushAutosave();
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = null;
  editor.view = null;
  editor.draft = null;
  editor.preview = null;
  editor.conflict = null;
  editor.mergedIn = false;
  editor.actionHeldBack = false;
}

/// Called after every edit of the draft.
export function changed(): void {
  edits++;
  editor.dirty = true;
  if (!autosaveTimer) autosaveTimer = setTimeout(() => void flushAutosave(), AUTOSAVE_MS);
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    previewTimer = null;
    void refreshPreview();
  }, PREVIEW_MS);
}

export async function flushAutosave(): Promise<void> {
  if (autosaveTimer) clearTimeout(autosaveTimer);
  autosaveTimer = null;
  const view = editor.view;
  if (!view || !editor.draft || !editor.dirty) return;
  try {
    await backend().autosave(view.article.id, view.article.head, clone(editor.draft));
  } catch (error) {
    editor.error = errorMessage(error);
  }
}

async function refreshPreview(): Promise<void> {
  if (previewPending) {
    previewAgain = true;
    return;
  }
  previewPending = true;
  try {
    do {
      previewAgain = false;
      if (!editor.draft || !editor.view) break;
      editor.preview = await backend().preview(editor.view.article.id, clone(editor.draft));
    } while (previewAgain);
  } catch (error) {
    editor.error = errorMessage(error);
  } finally {
    previewPending = false;
  }
}

/// Takes the library's answer to a save or action; text typed since `sent` stays in the draft.
function accept(article: Article, sent: number): void {
  if (!editor.view) return;
  editor.view = { ...editor.view, article };
  if (sent === edits) {
    const differs = JSON.stringify(editor.draft) !== JSON.stringify(article.content);
    editor.draft = clone(article.content);
    editor.dirty = false;
    // A merged save brings colleagues' changes the preview has not shown yet.
    if (differs) void refreshPreview();
  }
}

/// Explicit save: a new revision on top of the one the user started from. When colleagues
/// saved meanwhile the core merges; what overlaps comes back as a conflict to settle.
/// `mergedFrom` is set when the draft settles one: the revision the refused save started from.
export async function save(mergedFrom: number | null = null): Promise<boolean> {
  const view = editor.view;
  if (!view || !editor.draft) return false;
  if (autosaveTimer) clearTimeout(autosaveTimer);
  autosaveTimer = null;
  editor.busy = true;
  editor.mergedIn = false;
  try {
    const mine = clone(editor.draft);
    const sent = edits;
    const base = view.article.head;
    try {
      const saved = await backend().save(view.article.id, base, mine, mergedFrom);
      // A save on the newest revision makes the next one; a merged save lands after the
      // revisions colleagues saved meanwhile.
      const merged = saved.head > base + 1;
      if (merged && sent !== edits) {
        // Typing went on during the save, so the draft lacks the colleagues' changes. Keeping
        // the old base makes the next save merge again, instead of taking their changes out.
        editor.mergedIn = true;
        return true;
      }
      accept(saved, sent);
      if (merged) {
        editor.mergedIn = true;
        editor.revisionKey++;
      }
      await reload();
      editor.error = '';
      return true;
    } catch (error) {
      if (errorCode(error) === 'conflict') {
        await showConflict(view.article.id, mine, sent, error);
      } else {
        editor.error = errorMessage(error);
      }
      return false;
    }
  } finally {
    editor.busy = false;
  }
}

async function showConflict(id: ArticleId, mine: Content, sent: number, error: unknown): Promise<void> {
  const merged = error instanceof BackendError ? (error.conflict?.merged ?? null) : null;
  const theirs = (await backend().article(id)).article;
  const current = error instanceof BackendError ? (error.conflict?.current ?? theirs.head) : theirs.head;
  const picks = (merged?.conflicts ?? []).map((passage) => ({ keep: 'ours' as const, text: passage.ours }));
  editor.conflict = { mine, theirs, current, merged, author: null, picks, edits: sent, error: '' };
  // The store holds a reactive proxy of what was assigned: compare with that, not the original.
  const shown = editor.conflict;
  try {
    const revision = (await backend().revisions(id)).find((r) => r.number === current);
    if (editor.conflict === shown) shown.author = revision?.author_name ?? null;
  } catch {
    // Who saved is a courtesy; the passages can be settled without it.
  }
}

/// Settles an overlapping save: the core applies each passage's choice to its merge, and the
/// result is saved on the revision it was merged with (merged afresh if yet another came).
export async function resolvePassages(): Promise<void> {
  const conflict = editor.conflict;
  const view = editor.view;
  if (!conflict?.merged || !view) return;
  if (edits !== conflict.edits) {
    // The person typed after the merge was made: merge that newer text instead, so nothing
    // typed is dropped by choices made against older text.
    editor.conflict = null;
    await save();
    return;
  }
  const choices: Choice[] = conflict.picks.map((pick) => (pick.keep === 'edited' ? { keep: 'edited', text: pick.text } : { keep: pick.keep }));
  let resolved: Content;
  try {
    resolved = await backend().resolveMerge(conflict.merged, choices);
  } catch (error) {
    conflict.error = errorMessage(error);
    return;
  }
  // The revision my refused text started from: the settled revision records it as its
  // second parent, as a clean merge would.
  const startedFrom = view.article.head;
  editor.conflict = null;
  editor.view = { ...view, article: { ...conflict.theirs, head: conflict.current } };
  editor.draft = resolved;
  edits++;
  editor.dirty = true;
  editor.revisionKey++;
  await save(startedFrom);
}

/// Closes the conflict without saving; the draft keeps everything typed, still based on the
/// older revision, so the next save merges again.
export function cancelConflict(): void {
  editor.conflict = null;
}

/// Resolves a conflict refused without a merge: keep my text as a new revision on top of
/// theirs, or drop mine.
export async function resolveConflict(keep: 'mine' | 'theirs'): Promise<void> {
  const conflict = editor.conflict;
  const view = editor.view;
  if (!conflict || !view) return;
  editor.view = { ...view, article: conflict.theirs };
  editor.conflict = null;
  if (keep === 'mine') {
    editor.draft = conflict.mine;
    editor.dirty = true;
    await save();
  } else {
    await backend().discardRecovered(view.article.id);
    editor.draft = clone(conflict.theirs.content);
    editor.dirty = false;
  }
  editor.revisionKey++;
  await reload();
}

export async function useRecovered(use: boolean): Promise<void> {
  const view = editor.view;
  if (!view?.recovered) return;
  if (use) {
    editor.draft = clone(view.recovered.content);
    editor.dirty = true;
    editor.revisionKey++;
    void refreshPreview();
  } else {
    await backend().discardRecovered(view.article.id);
  }
  editor.view = { ...view, recovered: null };
}

/// A workflow action on the article, carrying unsaved text with it.
export async function act(command: WorkflowCommand, note: string | null): Promise<boolean> {
  const view = editor.view;
  if (!view || !editor.draft) return false;
  editor.busy = true;
  editor.actionHeldBack = false;
  try {
    const content = editor.dirty ? clone(editor.draft) : null;
    const sent = edits;
    accept(await backend().act(command, view.article.id, { base: view.article.head, content, note }), sent);
    await reload();
    editor.error = '';
    return true;
  } catch (error) {
    if (errorCode(error) === 'conflict') {
      editor.busy = false;
      await catchUp();
    } else {
      editor.error = errorMessage(error);
    }
    return false;
  } finally {
    editor.busy = false;
  }
}

/// After an action refused because a colleague saved since the article was opened: nobody
/// submits or publishes text they have not seen, so the newer revision comes in first, merged
/// with what was typed as a save merges it (passages both changed open the conflict view), and
/// the person reads it and acts again.
async function catchUp(): Promise<void> {
  if (editor.dirty) {
    if (!(await save())) return;
  } else {
    await reload();
  }
  editor.error = '';
  editor.actionHeldBack = true;
}

export async function restore(number: number): Promise<void> {
  const view = editor.view;
  if (!view) return;
  try {
    accept(await backend().restore(view.article.id, number, view.article.head), edits);
    editor.revisionKey++;
    await reload();
  } catch (error) {
    editor.error = errorMessage(error);
  }
}

/// Whether the signed-in user may take `action` now, and the core's reason if not.
export function permission(action: string): { allowed: boolean; reason: string | null } {
  const state = editor.view?.actions.find((a) => a.action === action);
  return state ? { allowed: state.allowed, reason: state.reason } : { allowed: false, reason: null };
}

/// Asks the core again what may be done, for the text being edited at this moment: an embargo
/// typed or passing changes publish into schedule and back.
export async function refreshActions(): Promise<void> {
  const view = editor.view;
  const draft = editor.draft;
  if (!view || !draft) return;
  try {
    const actions = await backend().actions(view.article.id, clone(draft));
    if (editor.view?.article.id === view.article.id && editor.view.article.head === view.article.head) {
      editor.view = { ...editor.view, actions };
    }
  } catch (error) {
    editor.error = errorMessage(error);
  }
}
