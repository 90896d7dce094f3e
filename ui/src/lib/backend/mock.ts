// An in-memory Backend for Vitest: enough behaviour to drive stores and components (revisions,
// stale-base conflicts, search), none of the core's rules beyond that. Tests inspect `calls`.
import type {
  ActionState,
  Article,
  ArticleId,
  DeskEvent,
  FieldChange,
  ArticleSummary,
  Content,
  Merged,
  Newsroom,
  PresenceView,
  Revision,
  ServerStatus,
  Session,
  User,
} from '../bindings';
import { type Backend, BackendError } from './index';

export function emptyContent(): Content {
  return {
    section: [],
    headline: '',
    subheadlines: [],
    dateline: { place: '', outlet: '' },
    bylines: [],
    body: '',
    photos: [],
    tags: [],
    related: [],
    embargo: null,
    source: null,
  };
}

export interface MockBackend extends Backend {
  calls: { name: string; args: unknown[] }[];
  articles: Map<ArticleId, { article: Article; history: { revision: Revision; content: Content }[] }>;
  user: User | null;
  users: User[];
  newsroom: Newsroom;
  released: ((ids: ArticleId[]) => void)[];
  /// Listeners of the live desk; tests call `emit`, `setOnline` to play the server.
  deskListeners: ((event: DeskEvent) => void)[];
  statusListeners: ((status: ServerStatus) => void)[];
  signedOutListeners: ((message: string) => void)[];
  emit(event: Partial<DeskEvent> & { kind: string }): void;
  setOnline(online: boolean): void;
  /// The workspace the mock plays: a library file, or a server (`server` its address).
  server: string | null;
  online: boolean;
  /// Who else has which article open, as the mock's server says.
  open: PresenceView[];
  /// What the core's merge of a stale save answers: null refuses it as a plain conflict; one
  /// without conflicts is committed as the merged revision; otherwise the conflict carries it.
  merge: Merged | null;
  /// What the core's `Merged::resolve` answers (the merge's content when null).
  resolution: Content | null;
  /// What the core's comparison of two contents answers.
  fieldChanges: FieldChange[];
  /// What the core's section picker offers, in its order.
  sectionPaths: string[];
  /// Whether the mock's core says publishing would schedule (and allows it).
  schedules: boolean;
  /// The actions the mock's core offers for `article`.
  offered(article: Article): ActionState[];
  /// What the photo dialog answers (paths; the mock hands out tokens for them like the shell).
  picked: string[];
  /// Paths behind the tokens the mock's dialogs handed out.
  granted: Map<string, string>;
}

export function mockBackend(): MockBackend {
  const now = '2025-02-20T06:09:00Z';
  const articles: MockBackend['articles'] = new Map();
  const calls: MockBackend['calls'] = [];
  const record = (name: string, ...args: unknown[]) => calls.push({ name, args });
  let nextId = 1;
  const summary = (article: Article): ArticleSummary => ({
    id: article.id,
    status: article.status,
    section: article.content.section.join(' > '),
    headline: article.content.headline,
    bylines: article.content.bylines.map((b) => `${b.name} ${b.title}`.trim()),
    first_published: article.first_published,
    last_modified: article.last_modified,
    embargo: article.content.embargo,
    updated_at: article.updated_at,
    head: article.head,
  });
  const get = (id: ArticleId) => {
    const entry = articles.get(id);
    if (!entry) throw new BackendError({ code: 'not_found', message: `article ${id} does not exist in this library` });
    return entry;
  };
  const commit = (id: ArticleId, content: Content, kind: Revision['kind'], status = get(id).article.status) => {
    const entry = get(id);
    const head = entry.article.head + 1;
    entry.article = { ...entry.article, content: structuredClone(content), head, status, updated_at: now };
    entry.history.push({ revision: revision(head, kind, status), content: structuredClone(content) });
    return structuredClone(entry.article);
  };
  const revision = (number: number, kind: Revision['kind'], status: Article['status']): Revision => ({
    number,
    kind,
    author: 1,
    author_name: '김기랑',
    at: now,
    note: null,
    status,
    stored_bytes: 10,
    merged_from: null,
  });
  const exportFolder = '/tmp/export';
  let nextToken = 1;
  const grant = (path: string) => {
    const token = `token-${nextToken++}`;
    mock.granted.set(token, path);
    return token;
  };
  // Like the shell: a command acts only on a path one of the dialogs handed out.
  const redeem = (token: string) => {
    const path = mock.granted.get(token);
    if (path === undefined) throw new BackendError({ code: 'not_granted', message: 'this file was not chosen in the dialog' });
    return path;
  };
  const mock: MockBackend = {
    calls,
    articles,
    user: null,
    users: [],
    newsroom: { outlet: '뉴스핌', time_zone: 'Asia/Seoul', base_url: '', language: 'ko' },
    released: [],
    deskListeners: [],
    statusListeners: [],
    signedOutListeners: [],
    server: null,
    online: true,
    open: [],
    emit(event) {
      const full: DeskEvent = {
        article: null,
        head: null,
        status: null,
        headline: null,
        by: null,
        by_name: null,
        note: null,
        editing: null,
        mine: false,
        ...event,
      };
      for (const listener of mock.deskListeners) listener(full);
    },
    setOnline(online) {
      mock.online = online;
      for (const listener of mock.statusListeners) listener({ online });
    },
    async session(): Promise<Session> {
      record('session');
      return {
        library: mock.server ?? '/tmp/mock.sqlite3',
        mode: mock.server ? 'server' : 'local',
        online: mock.online,
        server: mock.server,
        server_email: mock.server ? (mock.user?.email ?? null) : null,
        user: mock.user,
        users: structuredClone(mock.users),
        newsroom: mock.newsroom,
        now,
        language: null,
        export_folder: exportFolder,
      };
    },
    async signInServer(address, email, password) {
      record('signInServer', address, email, password);
      if (!/^https?:\/\//.test(address)) {
        throw new BackendError({ code: 'invalid', message: `the server address "${address}": give it as https://HOST[:PORT]` });
      }
      const found = mock.users.find((u) => u.email === email);
      if (!found || password !== 'right password') {
        throw new BackendError({ code: 'not_signed_in', message: 'wrong email or password' });
      }
      mock.server = address;
      mock.user = found;
      return found;
    },
    async signOut() {
      record('signOut');
      mock.user = null;
    },
    async useThisComputer() {
      record('useThisComputer');
      mock.server = null;
    },
    async serverStatus() {
      record('serverStatus');
      return { online: mock.online };
    },
    async openArticle(id, editing) {
      record('openArticle', id, editing);
    },
    async closeArticle(id) {
      record('closeArticle', id);
    },
    async presence() {
      record('presence');
      return structuredClone(mock.open);
    },
    async openLibrary(token) {
      record('openLibrary', redeem(token));
    },
    async setupProfile(user) {
      record('setupProfile', user);
      mock.user = { id: mock.users.length + 1, ...user };
      mock.users.push(mock.user);
      return mock.user;
    },
    async signIn(email) {
      record('signIn', email);
      const found = mock.users.find((u) => u.email === email);
      if (!found) throw new BackendError({ code: 'unknown_user', message: email });
      mock.user = found;
      return found;
    },
    async people() {
      record('people');
      const refused = mock.users.some((u) => u.role === 'admin') && mock.user?.role !== 'admin';
      const reason = refused ? 'only an admin manages people and settings of this library; act as an admin' : null;
      return { users: structuredClone(mock.users), may_add: !refused, reason };
    },
    async addUser(user, password = null) {
      record('addUser', user, password);
      const { reason } = await mock.people();
      if (reason) throw new BackendError({ code: 'forbidden', message: reason });
      const added = { id: mock.users.length + 1, ...user };
      mock.users.push(added);
      return added;
    },
    async setNewsroom(newsroom) {
      record('setNewsroom', newsroom);
      mock.newsroom = newsroom;
      return newsroom;
    },
    async setLanguage(language) {
      record('setLanguage', language);
    },
    async list(filter) {
      record('list', filter);
      const all = [...articles.values()].map((e) => e.article).filter((a) => !filter.status || a.status === filter.status);
      all.sort((a, b) => b.id - a.id);
      return { total: all.length, articles: all.map(summary), kept_at: null };
    },
    async search(query, filter) {
      record('search', query, filter);
      const hits = [...articles.values()]
        .map((e) => e.article)
        .filter((a) => a.content.body.includes(query) || a.content.headline.includes(query))
        .map((a) => ({ article: summary(a), snippet: [{ text: query, hit: true }] }));
      return { total: hits.length, exact: true, hits };
    },
    // The picker's policy (which sections, in which order) is the core's; the mock answers
    // what a test sets, so tests check what the UI does with it, not the mock's own rule.
    sectionPaths: [],
    async sections() {
      record('sections');
      return [...mock.sectionPaths];
    },
    async article(id) {
      record('article', id);
      const { article } = get(id);
      return {
        article: structuredClone(article),
        actions: mock.offered(article),
        recovered: null,
        first_published: null,
        last_modified: null,
      };
    },
    async actions(id, content) {
      record('actions', id, content.embargo);
      return mock.offered(get(id).article);
    },
    schedules: false,
    offered(article) {
      const refusal = (action: ActionState['action'], rule: string) => ({ action, status: article.status, role: 'reporter' as const, code: 'not_allowed' as const, rule });
      const state = (action: ActionState['action'], note: ActionState['note'], refused: string | null): ActionState => ({
        action,
        allowed: refused === null,
        note,
        schedules: action === 'publish' && mock.schedules,
        refusal: refused === null ? null : refusal(action, refused),
        reason: refused,
      });
      return [
        state('edit', 'none', null),
        state('submit', 'none', article.status === 'draft' ? null : 'not a draft'),
        state('return', 'required', 'cannot return this article: you are reporter'),
        state('publish', 'none', mock.schedules ? null : 'cannot publish this article: you are reporter'),
        state('correct', 'required', 'cannot correct this article: you are reporter'),
        state('kill', 'optional', 'cannot kill this article: you are reporter'),
      ];
    },
    async createDraft() {
      record('createDraft');
      const user = mock.user;
      const bylines = user ? [{ name: user.name, title: user.title, email: user.email }] : [];
      return mock.create({ ...emptyContent(), dateline: { place: '', outlet: mock.newsroom.outlet }, bylines });
    },
    async create(content) {
      record('create', content);
      const id = nextId++;
      const article: Article = {
        id,
        status: 'draft',
        content: structuredClone(content),
        head: 1,
        published_revision: null,
        first_published: null,
        last_modified: null,
        corrections: [],
        created_by: 1,
        created_at: now,
        updated_at: now,
        scheduled_by: null,
      };
      articles.set(id, { article, history: [{ revision: revision(1, 'created', 'draft'), content: structuredClone(content) }] });
      return structuredClone(article);
    },
    async save(id, base, content, mergedFrom) {
      record('save', id, base, content, mergedFrom);
      const { article } = get(id);
      if (article.head !== base) {
        if (mock.merge?.conflicts.length === 0) return commit(id, mock.merge.content, 'saved');
        const conflict = { base, current: article.head, merged: structuredClone(mock.merge) };
        throw new BackendError({ code: 'conflict', message: `article ${id} changed since you started editing`, conflict });
      }
      return commit(id, content, 'saved');
    },
    async autosave(id, base, content) {
      record('autosave', id, base, content);
    },
    async discardRecovered(id) {
      record('discardRecovered', id);
    },
    async act(command, id, change) {
      record('act', command, id, change);
      // As the core: an action on a stale base is refused, never merged.
      const current = get(id).article.head;
      if (change.base !== null && change.base !== current) {
        const conflict = { base: change.base, current, merged: null };
        throw new BackendError({ code: 'conflict', message: `article ${id} changed since you started editing`, conflict });
      }
      const status = { submit: 'submitted', return_to_reporter: 'draft', publish: 'published', correct: 'published', kill: 'killed' } as const;
      return commit(id, change.content ?? get(id).article.content, 'submitted', status[command]);
    },
    async revisions(id) {
      record('revisions', id);
      return get(id).history.map((h) => h.revision).reverse();
    },
    async revisionContent(id, number) {
      return structuredClone(get(id).history[number - 1].content);
    },
    merge: null,
    resolution: null,
    async resolveMerge(merged, choices) {
      record('resolveMerge', merged, choices);
      return structuredClone(mock.resolution ?? merged.content);
    },
    fieldChanges: [],
    async compareContents(before, after) {
      record('compareContents', before, after);
      return structuredClone(mock.fieldChanges);
    },
    async compare(id, from, to) {
      record('compare', id, from, to);
      const before = get(id).history[from - 1].content.body;
      const after = get(id).history[to - 1].content.body;
      return before === after ? [] : [{ field: 'body', before, after, segments: [{ text: after, change: 'added' }] }];
    },
    async restore(id, number) {
      record('restore', id, number);
      return commit(id, get(id).history[number - 1].content, 'restored');
    },
    async releaseDue() {
      return [];
    },
    async addPhoto(name) {
      record('addPhoto', name);
      const photo = { file: `photos/${name}`, image: 'abc', media_type: 'image/png', width: 10, height: 10, caption: '', credit: '', date: null, email: '', alt: '', creator: '' };
      // A file named *iptc* carries embedded metadata, as the core would read it.
      if (name.includes('iptc')) {
        return { ...photo, caption: '참석자들이 기념사진을 촬영하고 있다.', credit: '중소벤처기업진흥공단', date: '2025-02-20', email: 'photo@agency.example', alt: '협약식 기념사진', creator: '홍길동' };
      }
      return photo;
    },
    async preview(_id, content) {
      const chars = [...content.body.replace(/[\r\n]/g, '')].length;
      return {
        html: `<h1>${content.headline}</h1>`,
        length: { with_spaces: chars, without_spaces: [...content.body.replace(/\s/g, '')].length, manuscript_pages: Math.ceil(chars / 200) },
        micros: 1,
      };
    },
    async toInstant(local) {
      record('toInstant', local);
      const iso = local.replace(/^(\d{4})\. (\d{2})\. (\d{2})\. /, '$1-$2-$3T');
      return new Date(`${iso}:00+09:00`).toISOString().replace('.000', '');
    },
    async toLocal(instant) {
      return instant.slice(0, 16);
    },
    async toDay(text) {
      record('toDay', text);
      const korean = /^(\d{4})\. (\d{2})\. (\d{2})\.?$/.exec(text.trim());
      const english = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
      if (korean) return `${korean[1]}-${korean[2]}-${korean[3]}`;
      if (english) return `${english[3]}-${english[1]}-${english[2]}`;
      if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return text.trim();
      throw new BackendError({ code: 'invalid', message: `the date ${JSON.stringify(text)} is not valid` });
    },
    async exportArticle(id, folder, format, selfContained, preview) {
      record('exportArticle', id, folder, format, selfContained, preview);
      const base = folder === null ? exportFolder : redeem(folder);
      const path = `${base}/${id}.${format === 'html' ? 'html' : format === 'ninjs' ? 'json' : 'md'}`;
      return { path, files: [path], open: grant(path) };
    },
    async openPath(token) {
      record('openPath', redeem(token));
    },
    async addPhotoFile(token) {
      const path = redeem(token);
      record('addPhotoFile', path);
      return mock.addPhoto(path.replace(/^.*[/\\]/, ''), new Uint8Array());
    },
    async pickLibrary(mode, title) {
      record('pickLibrary', mode, title);
      return null;
    },
    async pickExportFolder(title) {
      record('pickExportFolder', title);
      return null;
    },
    picked: [],
    granted: new Map(),
    async pickPhotos(title) {
      record('pickPhotos', title);
      return mock.picked.map((path) => ({ token: grant(path), path }));
    },
    onReleased(handler) {
      mock.released.push(handler);
      return () => {};
    },
    onDeskEvent(handler) {
      mock.deskListeners.push(handler);
      return () => (mock.deskListeners = mock.deskListeners.filter((h) => h !== handler));
    },
    onServerStatus(handler) {
      mock.statusListeners.push(handler);
      return () => (mock.statusListeners = mock.statusListeners.filter((h) => h !== handler));
    },
    onSignedOut(handler) {
      mock.signedOutListeners.push(handler);
      return () => (mock.signedOutListeners = mock.signedOutListeners.filter((h) => h !== handler));
    },
  };
  return mock;
}
