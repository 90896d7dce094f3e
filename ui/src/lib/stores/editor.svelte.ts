// The article being edited: the saved article, the working draft, autosave, explicit save with
// conflict detection, workflow actions, and the live preview. Rules stay in the core: this only
// sends what the user did and shows what came back.
import type { Article, ArticleId, ArticleView, Content, Preview } from '../bindings';
import { backend, errorCode, errorMessage, type WorkflowCommand } from '../backend';
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
  /// Set when a save was refused because the library has a newer revision.
  conflict: null as { mine: Content; theirs: Article } | null,
  preview: null as Preview | null,
  /// Bumped when the draft is replaced from outside (load, recovery, restore), so the fields
  /// reset their local text (the body editor follows the draft's body by itself).
  revisionKey: 0,
});

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
  if (!editor.dirty) {
    editor.draft = clone(view.article.content);
    editor.revisionKey++;
  }
}

export function close(): void {
  void flushAutosave();
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = null;
  editor.view = null;
  editor.draft = null;
  editor.preview = null;
  editor.conflict = null;
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
    editor.draft = clone(article.content);
    editor.dirty = false;
  }
}

/// Explicit save: a new revision on top of the one the user started from.
export async function save(): Promise<boolean> {
  const view = editor.view;
  if (!view || !editor.draft) return false;
  if (autosaveTimer) clearTimeout(autosaveTimer);
  autosaveTimer = null;
  editor.busy = true;
  try {
    const mine = clone(editor.draft);
    const sent = edits;
    try {
      accept(await backend().save(view.article.id, view.article.head, mine), sent);
      await reload();
      editor.error = '';
      return true;
    } catch (error) {
      if (errorCode(error) === 'conflict') {
        const theirs = (await backend().article(view.article.id)).article;
        editor.conflict = { mine, theirs };
      } else {
        editor.error = errorMessage(error);
      }
      return false;
    }
  } finally {
    editor.busy = false;
  }
}

/// Resolves a conflict: keep my text as a new revision on top of theirs, or drop mine.
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
  try {
    const content = editor.dirty ? clone(editor.draft) : null;
    const sent = edits;
    accept(await backend().act(command, view.article.id, { base: view.article.head, content, note }), sent);
    await reload();
    editor.error = '';
    return true;
  } catch (error) {
    if (errorCode(error) === 'conflict') {
      editor.conflict = { mine: clone(editor.draft), theirs: (await backend().article(view.article.id)).article };
    } else {
      editor.error = errorMessage(error);
    }
    return false;
  } finally {
    editor.busy = false;
  }
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
