// The Backend over Tauri IPC: each method is one `#[tauri::command]` in src-tauri/src/commands.rs.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { open, save } from '@tauri-apps/plugin-dialog';
import type { ArticleId, IpcError } from '../bindings';
import { type Backend, BackendError } from './index';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    const ipc = error as Partial<IpcError>;
    if (ipc && typeof ipc === 'object' && typeof ipc.code === 'string') {
      throw new BackendError({ code: ipc.code, message: ipc.message ?? '' });
    }
    throw new BackendError({ code: 'internal', message: String(error) });
  }
}

const libraryFilter = [{ name: 'Copydesk library', extensions: ['sqlite3'] }];
const photoFilter = [{ name: 'Photos', extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'JPG', 'JPEG', 'PNG'] }];

export const tauriBackend: Backend = {
  session: () => call('session'),
  openLibrary: (path) => call('open_library', { path }),
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
  create: (content) => call('create', { content }),
  save: (id, base, content) => call('save', { id, base, content }),
  autosave: (id, base, content) => call('autosave', { id, base, content }),
  discardRecovered: (id) => call('discard_recovered', { id }),
  act: (command, id, change) => call(command, { id, change }),
  revisions: (id) => call('revisions', { id }),
  revisionContent: (id, number) => call('revision_content', { id, number }),
  compare: (id, from, to) => call('compare', { id, from, to }),
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
  exportArticle: (id, folder, format, selfContained, preview) => call('export', { id, folder, format, selfContained, preview }),
  openPath: (path) => call('open_path', { path }),
  addPhotoFile: (path) => call('add_photo_file', { path }),
  pickLibrary: async (mode, title) => {
    const picked =
      mode === 'open'
        ? await open({ title, multiple: false, directory: false, filters: libraryFilter })
        : await save({ title, filters: libraryFilter, defaultPath: 'library.sqlite3' });
    return typeof picked === 'string' ? picked : null;
  },
  pickExportFolder: async (defaultPath, title) => {
    const picked = await open({ title, directory: true, multiple: false, defaultPath });
    return typeof picked === 'string' ? picked : null;
  },
  pickPhotos: async (title) => {
    const picked = await open({ title, multiple: true, directory: false, filters: photoFilter });
    return Array.isArray(picked) ? picked : typeof picked === 'string' ? [picked] : [];
  },
  onReleased: (handler) => {
    const unlisten = listen<ArticleId[]>('released', (event) => handler(event.payload));
    return () => void unlisten.then((stop) => stop());
  },
};
