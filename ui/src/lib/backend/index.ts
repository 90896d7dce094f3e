// The one door to the Rust shell. Components and stores call `backend()`; the app installs the
// Tauri implementation, tests install the mock. Every failure is a BackendError with the
// core's stable `code` (switch on it, never on the message).
import type {
  ActionState,
  Article,
  ArticleId,
  ArticleView,
  ChangeInput,
  Choice,
  ConflictDetail,
  Content,
  DeskEvent,
  ErrorCode,
  Exported,
  FieldChange,
  Format,
  Filter,
  IpcError,
  ListPage,
  Merged,
  Newsroom,
  NewUser,
  People,
  Photo,
  Picked,
  PresenceView,
  Preview,
  Revision,
  RevisionNo,
  SearchResults,
  ServerStatus,
  Session,
  User,
} from '../bindings';

export type WorkflowCommand = 'submit' | 'return_to_reporter' | 'publish' | 'correct' | 'kill';

export class BackendError extends Error {
  code: ErrorCode;
  /// For `conflict`: the revisions and, for a save, the core's merge.
  conflict: ConflictDetail | null;
  constructor(error: IpcError) {
    super(error.message);
    this.code = error.code;
    this.conflict = error.conflict ?? null;
  }
}

export interface Backend {
  session(): Promise<Session>;
  /// Opens (or creates) the library chosen in `pickLibrary`, by its token.
  openLibrary(token: string): Promise<void>;
  setupProfile(user: NewUser): Promise<User>;
  signIn(email: string): Promise<User>;
  /// Signs in to a newsroom server and works there from now on; the choice is remembered.
  signInServer(address: string, email: string, password: string): Promise<User>;
  /// Ends the session on the server (or forgets the profile on this computer).
  signOut(): Promise<void>;
  /// Works on the library file on this computer again.
  useThisComputer(): Promise<void>;
  serverStatus(): Promise<ServerStatus>;
  /// Tells colleagues this person has the article open (editing or reading); repeat to keep it.
  openArticle(id: ArticleId, editing: boolean): Promise<void>;
  closeArticle(id: ArticleId): Promise<void>;
  /// Who else has which article open.
  presence(): Promise<PresenceView[]>;
  /// Everyone in the library, and whether the signed-in profile may add people.
  people(): Promise<People>;
  /// Adds a person; on a server `password` lets them sign in at once.
  addUser(user: NewUser, password?: string | null): Promise<User>;
  setNewsroom(newsroom: Newsroom): Promise<Newsroom>;
  setLanguage(language: string): Promise<void>;
  list(filter: Filter): Promise<ListPage>;
  search(query: string, filter: Filter): Promise<SearchResults>;
  /// Section paths the newest articles use, most used first.
  sections(): Promise<string[]>;
  article(id: ArticleId): Promise<ArticleView>;
  /// What may be done to the article if it carried `content`, by the library's clock now.
  actions(id: ArticleId, content: Content): Promise<ActionState[]>;
  create(content: Content): Promise<Article>;
  /// A new draft as the core starts one: the signed-in profile's byline, the outlet's dateline.
  createDraft(): Promise<Article>;
  /// `mergedFrom`: when the content settles a conflict, the revision the refused save started
  /// from, which the new revision records as its second parent.
  save(id: ArticleId, base: RevisionNo, content: Content, mergedFrom: RevisionNo | null): Promise<Article>;
  autosave(id: ArticleId, base: RevisionNo, content: Content): Promise<void>;
  discardRecovered(id: ArticleId): Promise<void>;
  act(command: WorkflowCommand, id: ArticleId, change: ChangeInput): Promise<Article>;
  revisions(id: ArticleId): Promise<Revision[]>;
  revisionContent(id: ArticleId, number: RevisionNo): Promise<Content>;
  compare(id: ArticleId, from: RevisionNo, to: RevisionNo): Promise<FieldChange[]>;
  /// The fields that differ from `before` to `after`, as the core compares revisions.
  compareContents(before: Content, after: Content): Promise<FieldChange[]>;
  /// The content a refused save's merge gives with one choice per overlapping passage, applied
  /// by the core (`Merged::resolve`).
  resolveMerge(merged: Merged, choices: Choice[]): Promise<Content>;
  restore(id: ArticleId, number: RevisionNo, base: RevisionNo | null): Promise<Article>;
  releaseDue(): Promise<ArticleId[]>;
  addPhoto(name: string, bytes: Uint8Array): Promise<Photo>;
  /// A photo file picked in the native dialog (its token), read by the shell.
  addPhotoFile(token: string): Promise<Photo>;
  preview(id: ArticleId, content: Content): Promise<Preview>;
  toInstant(local: string): Promise<string>;
  toLocal(instant: string): Promise<string>;
  /** A day typed in either language (`2025. 02. 20.`, `02/20/2025`, `2025-02-20`) as `2025-02-20`. */
  toDay(text: string): Promise<string>;
  /// Exports into the folder picked in `pickExportFolder` (its token), or `session.export_folder`.
  exportArticle(id: ArticleId, folder: string | null, format: Format, selfContained: boolean, preview: boolean): Promise<Exported>;
  /// Opens what an export wrote, by its `Exported.open` token.
  openPath(token: string): Promise<void>;
  /// Native file dialogs titled `title`, opened by the shell; `null` (or none) when the user
  /// cancels. The page gets tokens for the chosen paths, never acts on a path itself.
  pickLibrary(mode: 'open' | 'create', title: string): Promise<Picked | null>;
  pickExportFolder(title: string): Promise<Picked | null>;
  pickPhotos(title: string): Promise<Picked[]>;
  /// Scheduled articles the running app released; returns an unsubscribe function.
  onReleased(handler: (ids: ArticleId[]) => void): () => void;
  /// What colleagues do on the newsroom server, as it happens.
  onDeskEvent(handler: (event: DeskEvent) => void): () => void;
  /// The server became reachable or not.
  onServerStatus(handler: (status: ServerStatus) => void): () => void;
  /// The session ended on the server (revoked, password changed, account disabled).
  onSignedOut(handler: (message: string) => void): () => void;
}

let current: Backend | null = null;

export function setBackend(next: Backend): void {
  current = next;
}

export function backend(): Backend {
  if (!current) throw new Error('no backend installed: call setBackend() first');
  return current;
}

export function errorCode(error: unknown): ErrorCode {
  return error instanceof BackendError ? error.code : 'internal';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
