// Who is signed in, which library is open, and which screen shows.
import type { ArticleId, Session } from '../bindings';
import { backend, errorMessage } from '../backend';
import { setLanguage } from '../i18n.svelte';

export type Screen = 'loading' | 'setup' | 'list' | 'editor' | 'people';

export const app = $state({
  session: null as Session | null,
  screen: 'loading' as Screen,
  /// The article the editor shows.
  articleId: null as ArticleId | null,
  error: '' as string,
  notice: '' as string,
});

export async function loadSession(): Promise<void> {
  try {
    const session = await backend().session();
    app.session = session;
    setLanguage(session.language);
    const ready = session.user !== null && session.newsroom.outlet.trim() !== '';
    app.screen = ready ? (app.screen === 'editor' || app.screen === 'people' ? app.screen : 'list') : 'setup';
    app.error = '';
  } catch (error) {
    app.error = errorMessage(error);
    app.screen = 'setup';
  }
}

export function showList(): void {
  app.screen = 'list';
  app.articleId = null;
}

export function showPeople(): void {
  app.screen = 'people';
  app.articleId = null;
}

export function showArticle(id: ArticleId): void {
  app.articleId = id;
  app.screen = 'editor';
}

export function notify(message: string): void {
  app.notice = message;
  setTimeout(() => {
    if (app.notice === message) app.notice = '';
  }, 4000);
}

export function timeZone(): string {
  return app.session?.newsroom.time_zone ?? 'Asia/Seoul';
}
