// The native GTK file dialogs in the real window, answered through the X server with xdotool
// (lib/dialogs.mjs), checked in the app and on disk: the export folder, a new library (a save
// dialog), opening a library, a photo dialog cancelled, and a photo whose caption and credit
// come from its IPTC metadata (written with ExifTool).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cli, launch } from '../lib/app.mjs';
import { answer, cancel } from '../lib/dialogs.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-dialogs-'));
const library = path.join(work, 'library.sqlite3');
const home = path.join(work, 'home');
const SEED = '중진공-일본 CMIC, 한-일 바이오 중소기업 지원 맞손';
let app;
let seedId;

function config() {
  return JSON.parse(fs.readFileSync(path.join(home, '.config/copydesk/config.json'), 'utf8'));
}

async function openSeed() {
  const row = await app.browser.$(`//table[@data-testid="articles"]//tr[.//span[text()="${SEED}"]]`);
  await row.waitForExist({ timeout: 10000 });
  seedId = Number(await row.getAttribute('data-id'));
  await row.$('td.headline span').click();
  await app.$('headline').waitForDisplayed();
}

describe('native file dialogs in the Copydesk window', function () {
  before(() => {
    cli(['--library', library, 'init', '--outlet', '뉴스핌', '--time-zone', 'Asia/Seoul']);
    cli(['--library', library, 'user', 'add', '--name', '김기랑', '--title', '기자', '--email', 'rang@newspim.com', '--role', 'reporter']);
    cli(['--library', library, 'user', 'add', '--name', '박데스크', '--title', '데스크', '--email', 'desk@newspim.com', '--role', 'editor']);
    cli(['--library', library, '--user', 'desk@newspim.com', 'import', path.join(ROOT, 'tests/fixtures/seed-article/article.md')]);
    fs.mkdirSync(path.join(home, '.config/copydesk'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config/copydesk/config.json'), JSON.stringify({ email: 'desk@newspim.com' }));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && app) await app.shot(this.currentTest.title.replace(/\W+/g, '-'), path.join(os.tmpdir(), 'copydesk-e2e-failures'));
  });

  after(async () => {
    if (app) await app.stop();
  });

  it('exports into the folder chosen in the folder dialog', async () => {
    app = await launch({ home, library, now: '2025-02-20T16:00:00+09:00' });
    await openSeed();
    await app.$('tab-export').click();
    const folder = path.join(work, 'site');
    fs.mkdirSync(folder);
    const browsing = app.$('export-browse').click();
    await answer('내보낼 폴더 선택', folder);
    await browsing;
    await app.until(async () => (await app.$('export-path').getValue()) === folder, 'the chosen folder is not the export folder');
    await app.$('export-run').click();
    await app.$('export-done').waitForDisplayed();
    const page = path.join(folder, `${seedId}.html`);
    await app.until(async () => fs.existsSync(page), `no ${page}`);
    assert.match(fs.readFileSync(page, 'utf8'), /중진공/);
  });

  it('adds nothing when the photo dialog is cancelled', async () => {
    await app.$('tab-photos').click();
    const before = (await app.$$('photo-caption')).length;
    const picking = app.$('photo-add').click();
    await cancel('사진 선택');
    await picking;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await app.$$('photo-caption')).length, before);
    assert.equal(await app.browser.$('.photos .error').isExisting(), false);
    assert.match(await app.text('save-state'), /저장됨/, 'cancelling changed the article');
  });

  it("fills a picked photo's caption and credit from its IPTC metadata", async () => {
    const photo = path.join(work, 'ceremony.jpg');
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/seed-article/photos/signing-ceremony.jpg'), photo);
    execFileSync('exiftool', ['-q', '-overwrite_original', '-XMP-dc:Description=업무협약식에서 참석자들이 기념사진을 촬영하고 있다.',
      '-XMP-photoshop:Credit=중소벤처기업진흥공단', '-XMP-photoshop:DateCreated=2025:02:20', '-XMP-iptcCore:CreatorWorkEmail=rang@newspim.com', photo]);
    const before = (await app.$$('photo-caption')).length;
    const picking = app.$('photo-add').click();
    await answer('사진 선택', photo);
    await picking;
    await app.until(async () => (await app.$$('photo-caption')).length === before + 1, 'the photo was not added');
    const captions = await app.$$('photo-caption');
    const credits = await app.$$('photo-credit');
    assert.equal(await captions[before].getValue(), '업무협약식에서 참석자들이 기념사진을 촬영하고 있다.');
    assert.equal(await credits[before].getValue(), '중소벤처기업진흥공단');
  });

  it('creates a new library where the save dialog says', async () => {
    const second = path.join(work, 'desk-two.sqlite3');
    const creating = app.$('menu-create').click();
    await answer('새 라이브러리 만들기', second, { location: false });
    await creating;
    await app.until(async () => (await app.browser.$('.setup').isExisting()), 'the new library did not open at its first-run screen');
    assert.match(await app.browser.$('.setup').getText(), new RegExp(second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok(fs.existsSync(second), 'no library file on disk');
    assert.equal(config().library, second, 'the new library is not remembered');
    assert.deepEqual(JSON.parse(cli(['--library', second, '--json', 'user', 'list'])), []);
  });

  it('opens a library chosen in the open dialog', async () => {
    const opening = app.$('menu-open').click();
    await answer('라이브러리 열기', library);
    await opening;
    await app.browser.$(`//span[text()="${SEED}"]`).waitForExist({ timeout: 10000 });
    assert.equal(config().library, library);
  });

  it('acts on no path the page names itself, and calls only the app\'s own commands', async () => {
    const evil = path.join(work, 'evil.sqlite3');
    const outcomes = await app.browser.executeAsync(async (evil, done) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const tries = [
        ['open_library', { path: evil }],
        ['open_library', { token: evil }],
        ['add_photo_file', { path: '/etc/hostname' }],
        ['add_photo_file', { token: '0'.repeat(32) }],
        ['open_path', { path: '/etc/hostname' }],
        ['open_path', { token: '/etc/hostname' }],
        ['plugin:dialog|open', { options: {} }],
        ['plugin:opener|open_path', { path: '/etc/hostname' }],
      ];
      const out = [];
      for (const [command, args] of tries) {
        try {
          await invoke(command, args);
          out.push(`${command}: allowed`);
        } catch (error) {
          out.push(`${command}: ${typeof error === 'string' ? error : (error?.code ?? JSON.stringify(error))}`);
        }
      }
      done(out);
    }, evil);
    assert.deepEqual(outcomes.filter((outcome) => outcome.endsWith(': allowed')), [], JSON.stringify(outcomes));
    assert.ok(!fs.existsSync(evil), 'the page created a library where it wanted');
    assert.equal(config().library, library);
  });

  it('met no errors in the window', async () => {
    const errors = await app.browser.execute(() => window.__copydeskErrors ?? ['the error hook is missing']);
    assert.deepEqual(errors, []);
  });
});
