// The live desk on a newsroom server: what colleagues do arrives as events from the shell and
// shows without reloading (the list, the editor of an untouched article), who has which
// article open, the server's reachability, returns for the signed-in reporter, and submissions
// flagged for editors until opened. Rules stay on the server: this only follows what it says.
import type { ArticleId, DeskEvent, PresenceView } from '../bindings';
import { backend, errorMessage } from '../backend';
import { t } from '../i18n.svelte';
import { app, loadSession } from './session.svelte';
import { refreshRows } from './list.svelte';
import { editor, reload, save } from './editor.svelte';

/// How often the shell says again that an article is open: below the server's 45 s time-out.
export const PRESENCE_RENEW_MS = 20_000;
/// How long list reloads wait to gather a burst of events into one.
export const GATHER_MS = 50;

/// A notification for the signed-in person (a return of their article, a save after reconnecting).
export interface Notice {
  id: number;
  text: string;
}

export const live = $state({
  online: true,
  /// Who else has each article open.
  presence: {} as Record<number, PresenceView[]>,
  /// Submitted articles an editor has not opened yet.
  flagged: {} as Record<number, true>,
  notices: [] as Notice[],
});

let noticeIds = 0;
let gatherTimer: ReturnType<typeof setTimeout> | null = null;

function me() {
  return app.session?.user ?? null;
}

export function announce(text: string): void {
  live.notices = [...live.notices, { id: ++noticeIds, text }];
}

export function dismiss(id: number): void {
  live.notices = live.notices.filter((notice) => notice.id !== id);
}

/// Shown in the editor and the list: the people other than me who have `id` open.
export function openBy(id: ArticleId): PresenceView[] {
  return live.presence[id] ?? [];
}

/// The one editing `id`, if someone else is.
export function editingBy(id: ArticleId): PresenceView | null {
  return openBy(id).find((presence) => presence.editing) ?? null;
}

/// The article was opened: it is no longer news.
export function seen(id: ArticleId): void {
  if (live.flagged[id]) {
    const { [id]: _, ...rest } = live.flagged;
    live.flagged = rest;
  }
}

function listChanged(): void {
  if (gatherTimer) return;
  gatherTimer = setTimeout(() => {
    gatherTimer = null;
    void refreshRows();
  }, GATHER_MS);
}

export async function loadPresence(): Promise<void> {
  try {
    const open = await backend().presence();
    const byArticle: Record<number, PresenceView[]> = {};
    for (const presence of open) (byArticle[presence.article] ??= []).push(presence);
    live.presence = byArticle;
  } catch {
    // Unreachable: the last known presence stays until the server answers again.
  }
}

function presenceChanged(event: DeskEvent): void {
  if (event.article === null || event.by === null || event.by === me()?.id) return;
  const others = openBy(event.article).filter((presence) => presence.user !== event.by);
  if (event.editing !== null) {
    others.push({ article: event.article, user: event.by, name: event.by_name ?? '', editing: event.editing });
  }
  live.presence = { ...live.presence, [event.article]: others };
}

export function handle(event: DeskEvent): void {
  if (event.kind === 'presence') {
    presenceChanged(event);
    return;
  }
  if (event.kind === 'resync') {
    listChanged();
    void loadPresence();
    if (editor.view && !editor.dirty) void reload();
    return;
  }
  listChanged();
  const byMe = event.by !== null && event.by === me()?.id;
  if (byMe) return;
  // An article open here and not being changed follows the colleague's change; one with
  // unsaved text keeps it (a save then meets the newer revision as the server decides).
  if (event.article !== null && editor.view?.article.id === event.article && !editor.dirty) void reload();
  const role = me()?.role;
  if (event.kind === 'submitted' && event.article !== null && (role === 'editor' || role === 'admin')) {
    live.flagged = { ...live.flagged, [event.article]: true };
  }
  if (event.kind === 'returned' && event.mine) {
    announce(t('live.returned', { headline: event.headline || '—', name: event.by_name ?? '', note: event.note ?? '' }));
  }
}

/// The server answers again: the text typed meanwhile is saved (through the server, which
/// refuses or merges a stale base), and the person is told.
async function reconnected(): Promise<void> {
  listChanged();
  void loadPresence();
  if (editor.view && editor.dirty) {
    if (await save()) announce(t('live.savedAfterReconnect'));
  }
}

export function statusChanged(online: boolean): void {
  const was = live.online;
  live.online = online;
  if (online && !was) void reconnected();
}

/// The server ended the session (revoked, password changed, account disabled): the shell
/// forgets the token, the person signs in again, and is told why.
async function signedOutByServer(message: string): Promise<void> {
  try {
    await backend().signOut();
  } finally {
    await loadSession();
    app.error = message;
  }
}

/// Starts following the shell's events; returns the function that stops it.
export function follow(): () => void {
  const stops = [
    backend().onDeskEvent(handle),
    backend().onServerStatus((status) => statusChanged(status.online)),
    backend().onSignedOut((message) => void signedOutByServer(message)),
  ];
  void backend()
    .serverStatus()
    .then((status) => (live.online = status.online))
    .catch((error) => (app.error = errorMessage(error)));
  void loadPresence();
  // A colleague whose app died says nothing when the server forgets them (45 s later): ask again
  // now and then, so their name does not stay on the article.
  const presenceTimer = setInterval(() => void loadPresence(), PRESENCE_RENEW_MS);
  return () => {
    clearInterval(presenceTimer);
    stops.forEach((stop) => stop());
  };
}

/// Keeps the article marked as being edited by me while it is open; returns the release.
export function holdPresence(id: ArticleId): () => void {
  const say = () => void backend().openArticle(id, true).catch(() => {});
  say();
  const timer = setInterval(say, PRESENCE_RENEW_MS);
  return () => {
    clearInterval(timer);
    void backend().closeArticle(id).catch(() => {});
  };
}
