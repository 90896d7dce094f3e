// The Backend over Tauri IPC: each method is one `#[tauri::command]` in src-tauri/src/commands.rs.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { ArticleId, DeskEvent, IpcError, ServerStatus } from '../bindings';
import { type Backend, BackendError } from './index';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    const ipc = error as Partial<IpcError>;
    if (ipc && typeof ipc === 'object' && typeof ipc.code === 'string') {
      throw new BackendError({ code: ipc.code, message: ipc.message ?? '', conflict: ipc.conflict });
    }
    throw new BackendError({ code: 'internal', message: String(error) });
  }
}

/// Listens to a Tauri event from the shell; returns the unsubscribe function.
function subscribe<T>(name: string, handler: (payload: T) => void): () => void {
  const unlisten = listen<T>(name, (event) => handler(event.payload));
  return () => void unlisten.then((stop) => stop());
}

export const tauriBackend: Backend = {
  session: () => call('session'),
  openLibrary: (token) => call('open_library', { token }),
  setupProfile: (user) => call('setup_profile', { user }),
  signIn: (email) => call('sign_in', { email }),
  people: () => call('people'),
  signInServer: (address, email, password) => call('sign_in_server', { address, email, password }),
  signOut: () => call('sign_out'),
  useThisComputer: () => call('use_this_computer'),
  serverStatus: () => call('server_status'),
  openArticle: (id, editing) => call('open_article', { id, editing }),
  closeArticle: (id) => call('close_article', { id }),
  presence: () => call('presence'),
  addUser: (user, password = null) => call('add_user', { user, password }),
  setNewsroom: (newsroom) => call('set_newsroom', { newsroom }),
  setLanguage: (language) => call('set_language', { language }),
  list: (filter) => call('list', { filter }),
  search: (query, filter) => call('search', { query, filter }),
  sections: () => call('sections'),
  article: (id) => call('article', { id }),
  actions: (id, content) => call('actions', { id, content }),
  create: (content) => call('create', { content }),
  createDraft: () => call('create_draft'),
  save: (id, base, content, mergedFrom) => call('save', { id, base, content, mergedFrom }),
  autosave: (id, base, content) => call('autosave', { id, base, content }),
  discardRecovered: (id) => call('discard_recovered', { id }),
  act: (command, id, change) => call(command, { id, change }),
  revisions: (id) => call('revisions', { id }),
  revisionContent: (id, number) => call('revision_content', { id, number }),
  compare: (id, from, to) => call('compare', { id, from, to }),
  compareContents: (before, after) => call('compare_contents', { before, after }),
  resolveMerge: (merged, choices) => call('resolve_merge', { merged, choices }),
  restore: (id, number, base) => call('restore', { id, number, base }),
  releaseDue: () => call('release_due'),
  addPhoto: async (name, bytes) => {
    try {
      return await invoke('add_photo', bytes, { headers: { 'file-name': encodeURIComponent(name) } });
    } catch (error) {
      const ipc = error as IpcError;
      throw new BackendError({ code: ipc?.code ?? 'internal', message: ipc?.message ?? String(error) });
    }
  },
  preview: (id, content) => call('preview', { id, content }),
  toInstant: (local) => call('to_instant', { local }),
  toLocal: (instant) => call('to_local', { instant }),
  toDay: (text) => call('to_day', { text }),
  exportArticle: (id, folder, format, selfContained, preview) => call('export', { id, folder, format, selfContained, preview }),
  openPath: (token) => call('open_path', { token }),
  addPhotoFile: (token) => call('add_photo_file', { token }),
  pickLibrary: (mode, title) => call('pick_library', { mode, title }),
  pickExportFolder: (title) => call('pick_export_folder', { title }),
  pickPhotos: (title) => call('pick_photos', { title }),
  onReleased: (handler) => subscribe<ArticleId[]>('released', handler),
  onDeskEvent: (handler) => subscribe<DeskEvent>('desk-event', handler),
  onServerStatus: (handler) => subscribe<ServerStatus>('server-status', handler),
  onSignedOut: (handler) => subscribe<string>('signed-out', handler),
};
