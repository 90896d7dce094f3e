// Korean typed through a real input method: ibus with ibus-hangul (2-beolsik) on its own
// session bus, keys pressed through the X server with xdotool, as on a reporter's desktop. The
// body must get exactly the syllables typed, none lost or doubled, in the window and on disk.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cli, launch } from '../lib/app.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-ime-'));
const library = path.join(work, 'library.sqlite3');
const home = path.join(work, 'home');
const imeHome = path.join(work, 'ime');
let app;
let bus = {};

/** Runs a command of the input method's session (its HOME and bus); returns its output. */
function session(command, args) {
  return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, HOME: imeHome, NO_AT_BRIDGE: '1', ...bus }, timeout: 20000 }).trim();
}

function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8', timeout: 20000 }).trim();
}

async function pause(ms) {
  await new Promise((r) => setTimeout(r, ms));
}

/** Presses the keys of `text` one at a time, as a person types. */
function typeKeys(text) {
  xdotool('type', '--delay', '120', text);
}

describe('Korean typed through ibus-hangul in the Copydesk window', function () {
  before(async () => {
    fs.mkdirSync(imeHome, { recursive: true });
    // A session bus for ibus and its settings, started hangul mode, then the daemon.
    const launched = execFileSync('dbus-launch', ['--sh-syntax'], { encoding: 'utf8', env: { ...process.env, HOME: imeHome } });
    for (const [, name, value] of launched.matchAll(/^(\w+)='?([^';\n]*)'?;$/gm)) bus[name] = value;
    assert.match(bus.DBUS_SESSION_BUS_PID ?? '', /^\d+$/, `dbus-launch said ${launched}`);
    session('gsettings', ['set', 'org.freedesktop.ibus.engine.hangul', 'initial-input-mode', 'hangul']);
    session('ibus-daemon', ['--daemonize', '--replace', '--xim', '--panel=disable']);
    let address = '';
    for (let tries = 0; tries < 50 && !address.startsWith('unix:'); tries++) {
      await pause(200);
      address = spawnSync('ibus', ['address'], { encoding: 'utf8', env: { ...process.env, HOME: imeHome, ...bus } }).stdout?.trim() ?? '';
    }
    await pause(1000);
    session('ibus', ['engine', 'hangul']);
    assert.equal(session('ibus', ['engine']), 'hangul');
    cli(['--library', library, 'init', '--outlet', '뉴스핌', '--time-zone', 'Asia/Seoul']);
    cli(['--library', library, 'user', 'add', '--name', '김기랑', '--title', '기자', '--email', 'rang@newspim.com', '--role', 'editor']);
    fs.mkdirSync(path.join(home, '.config/copydesk'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config/copydesk/config.json'), JSON.stringify({ email: 'rang@newspim.com' }));
    app = await launch({
      home,
      library,
      now: '2025-02-20T16:00:00+09:00',
      // NO_AT_BRIDGE: the bus is only for the input method; no accessibility bus is started on it.
      env: { GTK_IM_MODULE: 'ibus', XMODIFIERS: '@im=ibus', IBUS_ADDRESS: address, DBUS_SESSION_BUS_ADDRESS: bus.DBUS_SESSION_BUS_ADDRESS, NO_AT_BRIDGE: '1' },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && app) await app.shot(this.currentTest.title.replace(/\W+/g, '-'), path.join(os.tmpdir(), 'copydesk-e2e-failures'));
  });

  after(async () => {
    if (app) await app.stop();
    spawnSync('ibus', ['exit'], { env: { ...process.env, HOME: imeHome, ...bus } });
    if (bus.DBUS_SESSION_BUS_PID) {
      try {
        process.kill(Number(bus.DBUS_SESSION_BUS_PID));
      } catch {
        // already gone
      }
    }
  });

  it('composes 안녕하세요 한국어 from dkssudgktpdy gksrnrdj, every syllable once, and saves it', async () => {
    await app.$('new-article').waitForDisplayed();
    await app.$('new-article').click();
    await app.$('headline').waitForDisplayed();
    await app.$('headline').setValue('입력기 시험');
    const body = await app.$('body');
    await body.waitForDisplayed();
    const copydeskWindow = xdotool('search', '--onlyvisible', '--name', '^Copydesk$').split('\n')[0];
    // Half a syllable: the one being composed shows in the body before it is finished. On a
    // loaded machine the first keys can be lost before X gives the window the input focus
    // (the body stays empty); keys typed into an empty body again cannot double a syllable.
    for (let attempt = 1; ; attempt++) {
      await body.click();
      // The keys go to the window that has the X input focus.
      xdotool('windowfocus', '--sync', copydeskWindow);
      await pause(500);
      typeKeys('dks');
      const composing = await app.browser
        .waitUntil(async () => (await body.getText()).startsWith('안'), { timeout: 10000, interval: 200 })
        .catch(() => false);
      if (composing) break;
      const shown = await body.getText();
      assert.ok(attempt < 3 && ['', '본문'].includes(shown), `mid-composition the body is ${JSON.stringify(shown)} (attempt ${attempt})`);
    }
    typeKeys('sudgktpdy gksrnrdj');
    // The last syllable is committed by the key after it.
    xdotool('key', 'period');
    await app.until(async () => (await body.getText()) === '안녕하세요 한국어.', `the body is ${JSON.stringify(await body.getText())}`);
    await app.shot('16-ime');
    await app.browser.keys(['Control', 's']);
    await app.until(async () => (await app.text('save-state')).includes('판 2'), 'the article was not saved');
    const listing = JSON.parse(cli(['--library', library, '--json', 'list']));
    const id = (Array.isArray(listing) ? listing : listing.articles).find((a) => a.headline === '입력기 시험').id;
    const shown = JSON.parse(cli(['--library', library, '--json', 'show', String(id)]));
    assert.equal(shown.content.body.trimEnd(), '안녕하세요 한국어.');
  });

  it('met no errors in the window', async () => {
    const errors = await app.browser.execute(() => window.__copydeskErrors ?? ['the error hook is missing']);
    assert.deepEqual(errors, []);
  });
});
