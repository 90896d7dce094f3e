// An admin manages the people of a library in the real window: sees them, adds a reporter,
// switches to that profile, and as the reporter is told (in the core's words) why adding is not
// allowed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, launch } from '../lib/app.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-people-'));
const library = path.join(work, 'library.sqlite3');
let app;

async function people() {
  return app.browser.execute(() => [...document.querySelectorAll('[data-testid="person"]')].map((row) => row.dataset.email));
}

describe('people of a library in the Copydesk window', function () {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && app) await app.shot(this.currentTest.title.replace(/\W+/g, '-'), path.join(os.tmpdir(), 'copydesk-e2e-failures'));
  });

  after(async () => {
    if (app) await app.stop();
  });

  it('an admin sets up the library and sees its people', async () => {
    app = await launch({ home: path.join(work, 'admin'), library, now: '2025-02-20T14:30:00+09:00' });
    await app.until(async () => (await app.browser.$('input[name="name"]').isExisting()), 'no first-run form');
    await app.browser.$('input[name="name"]').setValue('최관리');
    await app.browser.$('input[name="title"]').setValue('부장');
    await app.browser.$('input[name="email"]').setValue('admin@newspim.com');
    await app.browser.$('select[name="role"]').selectByAttribute('value', 'admin');
    await app.browser.$('input[name="outlet"]').setValue('뉴스핌');
    await app.$('setup-start').click();
    await app.$('new-article').waitForDisplayed();
    await app.$('nav-people').click();
    await app.$('people').waitForDisplayed();
    assert.deepEqual(await people(), ['admin@newspim.com']);
    assert.equal(await app.browser.$('[data-testid="current-person"]').isExisting(), true);
    assert.equal(await app.$('people-refusal').isExisting(), false);
  });

  it('adds a reporter with name, title, email and role, kept in the library', async () => {
    await app.browser.$('input[name="person-name"]').setValue('김기랑');
    await app.browser.$('input[name="person-title"]').setValue('기자');
    await app.browser.$('input[name="person-email"]').setValue('rang@newspim.com');
    await app.browser.$('select[name="person-role"]').selectByAttribute('value', 'reporter');
    await app.$('add-person').click();
    await app.until(async () => (await people()).length === 2, 'the reporter was not added');
    assert.match(await app.browser.$('[data-email="rang@newspim.com"]').getText(), /김기랑\s*기자\s*rang@newspim\.com\s*취재/);
    await app.shot('14-people');
    const stored = JSON.parse(cli(['--library', library, '--json', 'user', 'list']));
    assert.deepEqual(
      stored.map((user) => [user.name, user.title, user.email, user.role]),
      [['최관리', '부장', 'admin@newspim.com', 'admin'], ['김기랑', '기자', 'rang@newspim.com', 'reporter']],
    );
  });

  it('refuses an address that is not one, in the core\'s words', async () => {
    await app.browser.$('input[name="person-name"]').setValue('박데스크');
    await app.browser.execute(() => document.querySelector('input[name="person-email"]').setAttribute('type', 'text'));
    await app.browser.$('input[name="person-email"]').setValue('desk at newspim');
    await app.$('add-person').click();
    await app.$('people-error').waitForDisplayed();
    assert.match(await app.text('people-error'), /desk at newspim/);
    assert.equal((await people()).length, 2);
  });

  it('switches the signed-in profile to the reporter, who is told why they cannot add people', async () => {
    await app.browser.$('[data-email="rang@newspim.com"] [data-testid="switch-person"]').click();
    await app.until(async () => (await app.text('who')).startsWith('김기랑 기자'), 'the profile did not switch');
    await app.$('people-refusal').waitForDisplayed();
    assert.match(await app.text('people-refusal'), /사용자를 추가할 수 없습니다: only an admin manages people/);
    assert.equal(await app.$('add-person').isEnabled(), false);
    await app.shot('15-people-reporter');
    const config = JSON.parse(fs.readFileSync(path.join(work, 'admin/.config/copydesk/config.json'), 'utf8'));
    assert.equal(config.email, 'rang@newspim.com', 'the switch is remembered for the next start');
    await app.browser.$('[data-email="admin@newspim.com"] [data-testid="switch-person"]').click();
    await app.until(async () => (await app.text('who')).startsWith('최관리 부장'), 'the profile did not switch back');
    await app.until(async () => !(await app.$('people-refusal').isExisting()), 'the admin is still refused');
    assert.equal(await app.$('add-person').isEnabled(), true);
  });

  it('met no errors in the window', async () => {
    const errors = await app.browser.execute(() => window.__copydeskErrors ?? ['the error hook is missing']);
    assert.deepEqual(errors, []);
  });
});
