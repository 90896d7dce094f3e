// Starts the real Copydesk window through tauri-driver (which starts WebKitWebDriver and the
// app) with its own HOME, config folder, library file and clock, and drives it with
// WebdriverIO. Needs DISPLAY (run under xvfb-run).
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';
import { checkAccessibility } from './axe.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.COPYDESK_APP_BIN ?? path.join(ROOT, 'target/debug/copydesk-app');
export const CLI = process.env.COPYDESK_CLI_BIN ?? path.join(ROOT, 'target/debug/copydesk');
export const SHOTS = path.join(ROOT, 'docs/screenshots');

function tauriDriver() {
  const local = path.join(process.env.CARGO_HOME ?? path.join(process.env.HOME ?? '/root', '.cargo'), 'bin/tauri-driver');
  if (fs.existsSync(local)) return local;
  return execFileSync('sh', ['-c', 'command -v tauri-driver'], { encoding: 'utf8' }).trim();
}

export async function waitForPort(port, timeout = 20000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on ${port} within ${timeout} ms`);
}

/** Every process started (directly or not) by `pid`, found through /proc. */
function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  const found = [];
  const walk = (p) => (children.get(p) ?? []).forEach((c) => (found.push(c), walk(c)));
  walk(pid);
  return found;
}

function comm(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * PSS, USS (private pages) and anonymous memory in kB. Only the last is unaffected by other
 * processes mapping the same libraries, which makes a shared page neither private nor ours alone.
 */
function memoryOf(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { kb: field('Pss'), ussKb: field('Private_Clean') + field('Private_Dirty'), anonKb: field('Anonymous') };
  } catch {
    return { kb: 0, ussKb: 0, anonKb: 0 };
  }
}

/**
 * WebKit processes on this machine outside `ours`: they share WebKit's libraries with ours, so
 * while they run our PSS is lower (a shared page's cost is split between every process mapping it).
 */
function otherWebKitProcesses(ours) {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && !ours.includes(Number(entry)) && comm(entry).startsWith('WebKit')).length;
}

/** The 12 largest mappings of `pid` by PSS in MB, anonymous ones grouped by kind. */
export function largestMappings(pid) {
  const sizes = new Map();
  let current = '';
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) current = header[2] || `[anon ${header[1]}]`;
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) sizes.set(current, (sizes.get(current) ?? 0) + Number(pss[1]));
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, kb]) => `${(kb / 1024).toFixed(1)} ${name}`);
}

/**
 * Launches the app as one person on one desktop.
 * Two at once need their own `port` each (tauri-driver's, and the WebKitWebDriver's next to it);
 * `COPYDESK_DRIVER_PORT` moves the default one, so two checkouts can run their tests side by side.
 * @param {{ home: string, library: string, now?: string, application?: string, env?: Record<string, string>, port?: number }} options
 */
export async function launch({ home, library, now, application = BIN, env: extra = {}, port = Number(process.env.COPYDESK_DRIVER_PORT ?? 4444) }) {
  fs.mkdirSync(home, { recursive: true });
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    COPYDESK_LIBRARY: library,
    COPYDESK_RELEASE_SECONDS: '1',
    // GTK's file dialogs keep their settings in dconf, which needs a session bus Xvfb has not.
    GSETTINGS_BACKEND: 'memory',
    ...extra,
  };
  // The kernel keeps the first 15 bytes of a process name.
  const name = path.basename(application).slice(0, 15);
  if (now) env.COPYDESK_NOW = now;
  else delete env.COPYDESK_NOW;
  const driver = spawn(tauriDriver(), ['--port', String(port), '--native-port', String(port + 1)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    capabilities: {
      browserName: 'wry',
      'tauri:options': { application },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  const app = {
    browser,
    /** Closes the window the way a user quits. */
    async stop() {
      try {
        await browser.deleteSession();
      } catch {
        // already gone
      }
      driver.kill();
      await once(driver, 'exit').catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
    },
    /** Kills the app process without warning, like a crash or a power cut. */
    async crash() {
      for (const pid of descendants(driver.pid)) {
        try {
          if (comm(pid) === name) process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      await app.stop();
    },
    /** PSS (and USS) in kB summed over the app and every process it started (WebKit's web and network processes). */
    pss() {
      const app = descendants(driver.pid).find((pid) => comm(pid) === name);
      if (!app) return { kb: 0, processes: [] };
      const processes = [app, ...descendants(app)].map((pid) => ({ pid, name: comm(pid), ...memoryOf(pid) }));
      const ours = [driver.pid, ...descendants(driver.pid)];
      const sum = (key) => processes.reduce((total, p) => total + p[key], 0);
      return { kb: sum('kb'), ussKb: sum('ussKb'), anonKb: sum('anonKb'), processes, others: otherWebKitProcesses(ours) };
    },
    /** When the app process was started, in ms since the epoch (10 ms resolution, from /proc). */
    startedAt() {
      const app = descendants(driver.pid).find((pid) => comm(pid) === name);
      if (!app) return null;
      const stat = fs.readFileSync(`/proc/${app}/stat`, 'utf8');
      const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      const boot = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))[1]);
      return boot * 1000 + (ticks * 1000) / 100;
    },
    $: (testid) => browser.$(`[data-testid="${testid}"]`),
    $$: (testid) => browser.$$(`[data-testid="${testid}"]`),
    async shot(name, dir = SHOTS) {
      fs.mkdirSync(dir, { recursive: true });
      await new Promise((r) => setTimeout(r, 300));
      // Without GPU compositing (src-tauri/src/webview.rs) WebKit takes the snapshot at the next
      // paint, and an idle page never paints: schedule one, or the screenshot waits forever.
      await browser.execute(() => {
        setTimeout(() => {
          document.documentElement.style.outline = '1px solid transparent';
          requestAnimationFrame(() => (document.documentElement.style.outline = ''));
        }, 100);
      });
      await browser.saveScreenshot(path.join(dir, `${name}.png`));
      // Every screen the run shows in the docs is a screen it checks for accessibility; the
      // screenshots of a failure are not.
      if (dir === SHOTS) await checkAccessibility(browser, name);
    },
    async text(testid) {
      return (await browser.$(`[data-testid="${testid}"]`).getText()).trim();
    },
    async until(check, message, timeout = 15000) {
      await browser.waitUntil(check, { timeout, interval: 200, timeoutMsg: message });
    },
  };
  await app.until(async () => (await browser.$('main').isExisting()), 'the window never showed the app');
  return app;
}

/** Runs the copydesk CLI on the test library. */
export function cli(args, env = {}) {
  return execFileSync(CLI, args, { encoding: 'utf8', env: { ...process.env, ...env } });
}
