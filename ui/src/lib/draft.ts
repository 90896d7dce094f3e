// A new article's starting content: the signed-in reporter as byline, the outlet in the dateline.
import type { Content, Session } from './bindings';

export function emptyDraft(session: Session | null): Content {
  const user = session?.user;
  return {
    section: [],
    headline: '',
    subheadlines: [],
    dateline: { place: '', outlet: session?.newsroom.outlet ?? '' },
    bylines: user ? [{ name: user.name, title: user.title, email: user.email }] : [],
    body: '',
    photos: [],
    tags: [],
    related: [],
    embargo: null,
  };
}

/// `경제 > 경제일반` as the levels the core stores.
export function sectionLevels(text: string): string[] {
  return text
    .split('>')
    .map((level) => level.trim())
    .filter(Boolean);
}
