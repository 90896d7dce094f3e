// Answers the app's native GTK file dialogs under Xvfb with xdotool, the way a person does: the
// dialog is found by its title, Ctrl+L opens its location field (an open or folder dialog), the
// path is typed, Enter. WebDriver cannot reach these windows; they are not part of the page.
// Paths should be ASCII: xdotool types through the keyboard map.
import { execFileSync } from 'node:child_process';

function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8', timeout: 20000 }).trim();
}

function visibleWindows() {
  let ids = [];
  try {
    ids = xdotool('search', '--onlyvisible', '--name', '.').split('\n').filter(Boolean);
  } catch {
    // xdotool exits 1 when nothing matches
  }
  return ids.map((id) => {
    try {
      return { id, name: xdotool('getwindowname', id) };
    } catch {
      return { id, name: '' };
    }
  });
}

async function waitFor(check, message, timeout = 15000) {
  const until = Date.now() + timeout;
  for (;;) {
    const found = check();
    if (found) return found;
    if (Date.now() > until) throw new Error(message);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The X window of the visible dialog titled `title`, once it shows. */
export async function dialog(title) {
  const found = await waitFor(
    () => visibleWindows().find((w) => w.name === title),
    `no dialog titled ${JSON.stringify(title)}; windows: ${JSON.stringify(visibleWindows().map((w) => w.name))}`,
  );
  // Let GTK finish mapping and focusing the chooser before keys arrive.
  await new Promise((r) => setTimeout(r, 500));
  return found.id;
}

async function closed(id) {
  await waitFor(() => !visibleWindows().some((w) => w.id === id), 'the dialog stayed open');
}

/**
 * Types `path` into the dialog titled `title` and accepts it. `location` opens the location
 * field first (open and folder dialogs); a save dialog's name field takes a path as it is.
 */
export async function answer(title, path, { location = true } = {}) {
  const id = await dialog(title);
  xdotool('windowfocus', '--sync', id);
  if (location) {
    xdotool('key', '--clearmodifiers', 'ctrl+l');
    await new Promise((r) => setTimeout(r, 300));
  } else {
    xdotool('key', '--clearmodifiers', 'ctrl+a');
  }
  xdotool('type', '--delay', '20', path);
  await new Promise((r) => setTimeout(r, 300));
  xdotool('key', 'Return');
  await closed(id);
}

/** Closes the dialog titled `title` with Escape, as a person who changed their mind. */
export async function cancel(title) {
  const id = await dialog(title);
  xdotool('windowfocus', '--sync', id);
  xdotool('key', 'Escape');
  await closed(id);
}
