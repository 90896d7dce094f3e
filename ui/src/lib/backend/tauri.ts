// The Backend over Tauri IPC: each method is one `#[tauri::command]` in src-tauri/src/commands.rs.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { ArticleId, IpcError } from '../bindings';
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

export const tauriBackend: Backend = {
  session: () => call('session'),
  openLibrary: (token) => call('open_library', { token }),
  setupProfile: (user) => call('setup_profile', { user }),
  signIn: (email) => call('sign_in', { email }),
  people: () => call('people'),
  addUser: (user) => call('add_user', { user }),
  setNewsroom: (newsroom) => call('set_newsroom', { newsroom }),
  setLanguage: (language) => call('set_language', { language }),
  list: (filter) => call('list', { filter }),
  search: (query, filter) => call('search', { query, filter }),
  sections: () => call('sections'),
  article: (id) => call('article', { id }),
  actions: (id, content) => call('actions', { id, content }),
  create: (content) => call('create', { content }),
  createDraft: () => call('create_draft'),
  save: (id, base, content) => call('save', { id, base, content }),
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
  onReleased: (handler) => {
    const unlisten = listen<ArticleId[]>('released', (event) => handler(event.payload));
    return () => void unlisten.then((stop) => stop());
  },
};
