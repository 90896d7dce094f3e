// A reporter and an editor at work in the real Copydesk window, one library shared by two
// desktops (each its own HOME and config), with the clock fixed per launch (COPYDESK_NOW).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cli, launch } from '../lib/app.mjs';
import { answer } from '../lib/dialogs.mjs';

const ENTER = '\uE007';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-e2e-'));
const library = path.join(work, 'library.sqlite3');
const reporterHome = path.join(work, 'reporter');
const editorHome = path.join(work, 'editor');
const photo = path.join(ROOT, 'tests/fixtures/seed-article/photos/signing-ceremony.jpg');
const HEADLINE = '한-일 바이오 벤처 협력 강화';
let app;
let articleId;

async function typeInto(testid, text) {
  const field = await app.$(testid);
  await field.waitForDisplayed();
  await field.setValue(text);
}

async function openFromList(headline) {
  await app.$('nav-list').click();
  const row = await app.browser.$(`//table[@data-testid="articles"]//tr[.//span[text()="${headline}"]]`);
  await row.waitForExist({ timeout: 10000 });
  await row.$('td.headline span').click();
  await app.$('headline').waitForDisplayed();
}

async function status() {
  return (await app.browser.$('.editor-head .badge').getAttribute('data-status')) ?? '';
}

describe('a reporter and an editor in the Copydesk window', function () {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && app) await app.shot(this.currentTest.title.replace(/\W+/g, '-'), path.join(os.tmpdir(), 'copydesk-e2e-failures'));
  });

  after(async () => {
    if (app) await app.stop();
  });

  it('sets up the reporter profile and the outlet on first run', async () => {
    app = await launch({ home: reporterHome, library, now: '2025-02-20T14:30:00+09:00' });
    await app.until(async () => (await app.browser.$('input[name="name"]').isExisting()), 'no first-run form');
    await app.browser.$('input[name="name"]').setValue('김기랑');
    await app.browser.$('input[name="title"]').setValue('기자');
    await app.browser.$('input[name="email"]').setValue('rang@newspim.com');
    await app.browser.$('input[name="outlet"]').setValue('뉴스핌');
    await app.browser.$('input[name="base_url"]').setValue('https://www.newspim.com');
    await app.shot('01-first-run');
    await app.$('setup-start').click();
    await app.$('new-article').waitForDisplayed();
    assert.match(await app.text('who'), /김기랑 기자/);
  });

  it('writes an article with every field in Korean, adds photos by the file dialog and by drag-and-drop, reorders them and saves', async () => {
    await app.$('new-article').click();
    await app.$('headline').waitForDisplayed();
    await typeInto('section', '경제 > 경제일반');
    await typeInto('headline', HEADLINE);
    await typeInto('subheadlines', `20일 일본 도쿄서 업무협약 체결${ENTER}바이오벤처 기업 진출 기반 마련${ENTER}양국 \"협업모델 지속 발굴\"`);
    await typeInto('dateline-place', '세종');
    await typeInto('tags', '중진공, CMIC, 바이오, 업무협약');
    const body = await app.$('body');
    await body.click();
    await body.addValue(
      `중소벤처기업진흥공단과 일본 CMIC홀딩스가 한·일 양국의 바이오 분야 협력 활성화를 위해 맞손을 잡았다.${ENTER}${ENTER}` +
        `중진공은 20일(현지시간) 일본 도쿄에서 CMIC와 '한·일 바이오 분야 협력 활성화를 위한 업무협약'을 체결했다고 밝혔다.${ENTER}`,
    );
    await app.$('tab-photos').click();
    // The native file dialog, answered through the X server (lib/dialogs.mjs).
    const picking = app.$('photo-add').click();
    await answer('사진 선택', photo);
    await picking;
    await app.$('photo-caption').waitForDisplayed();
    await typeInto('photo-caption', '20일(현지시간) 일본 도쿄에서 열린 업무협약식에서 참석자들이 기념사진을 촬영하고 있다.');
    await typeInto('photo-credit', '중소벤처기업진흥공단');
    // Typed the way the Korean UI writes days; the core reads it back as 2025-02-20.
    await app.browser.execute(() => {
      const input = document.querySelector('[data-testid="photo-date"]');
      input.value = '2025. 02. 20.';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await app.until(async () => (await app.$('photo-date').getValue()) === '2025. 02. 20.', 'the photo date is not shown in Korean form');
    await typeInto('photo-alt', '업무협약식 참석자들의 기념사진');
    await app.$('photo-place').click();
    // A second photo dragged onto the editor from the desktop, then moved first.
    await app.browser.execute(() => {
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], '현장.png', { type: 'image/png' }));
      document.querySelector('.editor').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await app.until(async () => (await app.$$('photo-caption')).length === 2, 'the dropped photo was not added');
    await (await app.$$('photo-down'))[0].click();
    await app.until(async () => (await app.browser.$('.photo code').getText()) === 'photos/현장.png', 'the photos were not reordered');
    await app.$('tab-preview').click();
    const srcdoc = () => app.browser.execute(() => document.querySelector('[data-testid="preview-frame"]').getAttribute('srcdoc') ?? '');
    await app.until(async () => /<figure[\s\S]*photo:\/\/localhost\//.test(await srcdoc()), 'the preview shows no photo');
    const counts = await app.text('counts');
    assert.match(counts, /공백 포함 \d+자 · 공백 제외 \d+자 · 원고지 1매/);
    await app.browser.keys(['Control', 's']);
    await app.until(async () => (await app.text('save-state')).includes('판 2'), 'saving made no revision');
    await app.shot('02-editor');
    // The preview is the export's own page render.
    const preview = await srcdoc();
    assert.match(preview, /\[세종=뉴스핌\]/);
    assert.match(preview, /김기랑 기자/);
    assert.match(preview, /\[사진=중소벤처기업진흥공단\]/);
    assert.match(preview, /noindex/);
    await app.$('preview-phone').click();
    await app.shot('03-preview-phone');
  });

  it('shows the article in the list and finds it by a two-syllable search', async () => {
    await app.$('nav-list').click();
    const row = await app.browser.$(`//span[text()="${HEADLINE}"]`);
    await row.waitForExist();
    await app.shot('04-list');
    await app.$('search').setValue('협약');
    await app.until(async () => (await app.browser.$$('table[data-testid="articles"] mark')).length > 0, 'no highlighted snippet');
    assert.equal(await app.browser.$('table[data-testid="articles"] mark').getText(), '협약');
    await app.shot('05-search');
    await app.browser.keys(['Escape']);
    await app.$('search').clearValue();
    await app.browser.execute(() => document.querySelector('[data-testid="search"]').dispatchEvent(new Event('input', { bubbles: true })));
  });

  it('offers the sections the library uses, and a new section typed as a path joins them', async () => {
    const offered = (id) => app.browser.execute((id) => [...document.querySelectorAll(`#${id} option`)].map((option) => option.value), id);
    await app.until(async () => (await offered('filter-sections')).includes('경제 > 경제일반'), 'the list filter does not offer the article\'s section');
    assert.ok(!(await offered('filter-sections')).includes('스포츠'), 'a section nobody uses is offered');
    await app.$('new-article').click();
    await app.$('headline').waitForDisplayed();
    await app.until(async () => (await offered('sections')).includes('경제 > 경제일반'), 'the picker does not offer the library\'s section');
    await typeInto('section', '문화 > 공연');
    await typeInto('headline', '국립극장 신년 공연 개막');
    await app.browser.keys(['Control', 's']);
    await app.until(async () => (await app.text('save-state')).includes('판 2'), 'the new article was not saved');
    await app.$('back').click();
    await app.until(async () => (await offered('filter-sections')).join('|') === '경제 > 경제일반|문화 > 공연', 'the new section is not offered beside the old one');
    await typeInto('filter-section', '문화');
    await app.browser.keys(['Tab']);
    await app.until(async () => (await app.text('list-count')) === '1건', 'filtering by the new section does not find its article');
    assert.equal(await app.browser.$('table[data-testid="articles"] td.section').getText(), '문화 > 공연');
    await app.$('clear-filters').click();
    await app.until(async () => (await app.text('list-count')) === '2건', 'the section filter did not clear');
  });

  it('submits (송고) as the reporter, who may not publish', async () => {
    await openFromList(HEADLINE);
    const publish = await app.$('action-publish');
    assert.equal(await publish.isEnabled(), false);
    assert.match(await publish.getAttribute('title'), /reporter/);
    await app.$('action-submit').click();
    await app.until(async () => (await status()) === 'submitted', 'the article was not submitted');
    await app.stop();
  });

  it('publishes with an embargo as the editor, and the article is scheduled', async () => {
    app = await launch({ home: editorHome, library, now: '2025-02-20T14:40:00+09:00' });
    await app.until(async () => (await app.browser.$('input[name="name"]').isExisting()), 'no first-run form');
    assert.equal(await app.browser.$('input[name="outlet"]').isExisting(), false, 'the outlet is set up once per library');
    await app.browser.$('input[name="name"]').setValue('박데스크');
    await app.browser.$('input[name="title"]').setValue('데스크');
    await app.browser.$('input[name="email"]').setValue('desk@newspim.com');
    await app.browser.$('select[name="role"]').selectByAttribute('value', 'editor');
    await app.$('setup-start').click();
    await app.$('new-article').waitForDisplayed();
    // The seed story arrives from another tool; the editor links it as a related article.
    cli(['--library', library, '--user', 'desk@newspim.com', 'import', path.join(ROOT, 'tests/fixtures/seed-article/article.md')]);
    await openFromList(HEADLINE);
    await typeInto('related-search', '강석진');
    const suggestion = await app.browser.$('.suggestions button');
    await suggestion.waitForDisplayed();
    await suggestion.click();
    await app.$('related-chip').waitForDisplayed();
    // The field writes dates the Korean way whatever the system locale, and the core reads that.
    assert.equal(await app.$('embargo').getAttribute('placeholder'), '2025. 02. 20. 15:09');
    await app.browser.execute(() => {
      const input = document.querySelector('[data-testid="embargo"]');
      input.value = '2025. 02. 20. 15:09';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await app.until(async () => (await app.$('action-publish').getText()) === '예약 출고', 'publish does not offer to schedule');
    await app.$('action-publish').click();
    await app.until(async () => (await status()) === 'scheduled', 'the article was not scheduled');
    await app.shot('06-scheduled');
    await app.stop();
  });

  it('releases the article when the clock passes the embargo, and 최종수정 moves on correction', async () => {
    app = await launch({ home: editorHome, library, now: '2025-02-20T15:20:00+09:00' });
    await app.$('new-article').waitForDisplayed();
    const row = await app.browser.$(`//tr[.//span[text()="${HEADLINE}"]]`);
    await app.until(async () => (await row.$('.badge').getAttribute('data-status')) === 'published', 'the scheduled article was not released');
    assert.equal(await row.$('[data-testid="first-published"]').getText(), '2025년02월20일 15:09');
    await app.shot('07-released');
    await row.$('td.headline span').click();
    await app.$('headline').waitForDisplayed();
    await typeInto('headline', `${HEADLINE} (종합)`);
    await app.$('action-correct').click();
    await typeInto('action-note', '제목에 종합 표시 추가');
    await app.$('action-confirm').click();
    await app.until(async () => (await app.text('editor-last-modified')).includes('15:20'), '최종수정 did not move');
    assert.match(await app.text('editor-first-published'), /2025년02월20일 15:09/);
  });

  it('compares revisions in the history and restores one', async () => {
    await app.$('tab-history').click();
    await app.until(async () => (await app.$$('revision')).length >= 5, 'the history is incomplete');
    await app.$('compare').click();
    await app.until(async () => (await app.$$('change')).length > 0, 'no differences shown');
    assert.match(await app.browser.$('.history ins').getText(), /종합/);
    await app.shot('08-history');
    const before = (await app.$$('revision')).length;
    await app.browser.$('[data-testid="revision"][data-number="2"] [data-testid="restore"]').click();
    await app.until(async () => (await app.$$('revision')).length === before + 1, 'restoring made no revision');
    assert.match(await app.browser.$('[data-testid="revision"]').getText(), /복원/);
  });

  /// Another desktop (the CLI, as the same editor) edits the article with a script as its editor.
  function editElsewhere(script) {
    const editorScript = path.join(work, 'other-desk.sh');
    fs.writeFileSync(editorScript, `#!/bin/sh\n${script} "$1"\n`, { mode: 0o755 });
    cli(['--library', library, '--user', 'desk@newspim.com', 'edit', String(articleId)], { EDITOR: editorScript });
  }

  const shownBody = () => JSON.parse(cli(['--library', library, '--json', 'show', String(articleId)])).content.body;

  async function appendToBody(text) {
    const body = await app.$('body');
    await body.click();
    await app.browser.keys(['Control', 'End']);
    await body.addValue(text);
  }

  // Typing at the end of a long body scrolls the page, and WebDriver clicks an element that is
  // inside the viewport without scrolling to it, even when the sticky header covers it.
  // WebdriverIO's scrollIntoView scrolls with wheel actions, which CodeMirror's own scrolling
  // to the caret can undo: the page scrolls it, and the click waits until nothing covers it.
  async function clickSave() {
    const save = await app.$('save');
    await app.until(async () => {
      await app.browser.execute((button) => button.scrollIntoView({ block: 'center' }), save);
      return save.isClickable();
    }, 'Save stays covered');
    await save.click();
  }

  it('merges a colleague\'s change to another paragraph into the save, and shows the merged text', async () => {
    const listing = cli(['--library', library, '--json', 'list']);
    const articles = JSON.parse(listing);
    const found = (Array.isArray(articles) ? articles : articles.articles ?? []).find((a) => a.headline.startsWith(HEADLINE));
    articleId = found.id;
    // The other desk saves first (the CLI starts from the person's working copy, which would
    // already hold what the window typed).
    editElsewhere("sed -i 's/^중진공은 20일(현지시간) 일본 도쿄에서/중진공은 20일(현지시간) 일본 도쿄 본사에서/'");
    await app.$('tab-preview').click();
    await typeInto('headline', '내가 고친 제목');
    await appendToBody(`${ENTER}덧붙인 마지막 문단.`);
    await clickSave();
    await app.$('merged-in').waitForDisplayed();
    const saved = shownBody();
    assert.match(saved, /일본 도쿄 본사에서/, 'the colleague\'s paragraph is kept');
    assert.match(saved, /덧붙인 마지막 문단\./, 'my paragraph is kept');
    await app.until(async () => (await app.$('body').getText()).includes('도쿄 본사에서'), 'the editor does not show the merged text');
    assert.equal(await app.$('conflict').isExisting(), false);
  });

  it('shows only the passage both changed, and saves the version picked', async () => {
    editElsewhere("sed -i 's/^덧붙인 마지막 문단\\.$/덧붙인 마지막 문단. 다른 창에서 고침./'");
    await appendToBody(' 내가 고침.');
    await clickSave();
    await app.$('conflict').waitForDisplayed();
    const passages = await app.$$('passage');
    assert.equal(passages.length, 1, 'only the overlapping passage is shown');
    assert.equal((await app.text('passage-mine')).trim(), '덧붙인 마지막 문단. 내가 고침.');
    assert.equal((await app.text('passage-theirs')).trim(), '덧붙인 마지막 문단. 다른 창에서 고침.');
    assert.match(await app.text('conflict'), /박데스크의 글/);
    assert.doesNotMatch(await app.text('conflict'), /본사/, 'passages that merged are not shown');
    await app.$('edit-passage').click();
    await app.$('passage-edit').waitForDisplayed();
    await app.shot('09-conflict');
    await app.$('take-theirs-passage').click();
    await app.$('resolve-save').click();
    await app.until(async () => !(await app.$('conflict').isExisting()), 'the conflict view stayed');
    await app.until(async () => shownBody().includes('다른 창에서 고침.'), 'the picked version was not saved');
    const saved = shownBody();
    assert.doesNotMatch(saved, /내가 고침/);
    assert.match(saved, /일본 도쿄 본사에서/);
    assert.match(JSON.stringify(JSON.parse(cli(['--library', library, '--json', 'show', String(articleId)]))), /내가 고친 제목/);
    await app.until(async () => (await app.$('body').getText()).includes('다른 창에서 고침.'), 'the editor does not show the saved text');
  });

  it('exports the published page as HTML and the working copy as Markdown', async () => {
    await app.$('tab-export').click();
    // Without a folder chosen in the dialog, the export goes beside the library; the page only
    // shows the path, it cannot name one.
    const folder = path.join(work, 'export');
    assert.equal(await app.$('export-path').getValue(), folder);
    assert.equal(await app.$('export-path').getAttribute('readonly'), 'true');
    assert.equal(await app.$('export-preview').isSelected(), false, 'a published article exports for readers');
    await app.$('export-run').click();
    await app.$('export-done').waitForDisplayed();
    const page = fs.readFileSync(path.join(folder, `${articleId}.html`), 'utf8');
    assert.match(page, new RegExp(`${HEADLINE} \\(종합\\)`), 'the page shows the published (corrected) revision');
    assert.match(page, /2025-02-20T15:09:00\+09:00/);
    assert.match(page, /제목에 종합 표시 추가/);
    assert.doesNotMatch(page, /내가 고친 제목/, 'a later unpublished save stays out of the page');
    assert.ok(fs.readdirSync(path.join(folder, 'media')).length >= 1, 'the photos are beside the page');
    await app.shot('10-export');
    await app.$('export-markdown').click();
    await app.$('export-run').click();
    const markdown = path.join(folder, String(articleId), 'article.md');
    const photo = path.join(folder, String(articleId), 'photos', 'signing-ceremony.jpg');
    // The page and its photos are written by separate threads: wait for the whole export.
    await app.until(async () => fs.existsSync(markdown) && fs.existsSync(photo), 'no Markdown file with its photo beside it');
    const text = fs.readFileSync(markdown, 'utf8');
    assert.match(text, /first_published: 2025-02-20T15:09:00\+09:00/);
    assert.ok(fs.statSync(photo).size > 0, 'the photo was written whole');
  });

  it('offers the typed text back after the app is killed', async () => {
    await app.$('tab-preview').click();
    const body = await app.$('body');
    await body.click();
    await app.browser.keys(['Control', 'End']);
    await body.addValue(`${ENTER}저장하지 않은 마지막 문장.`);
    await new Promise((r) => setTimeout(r, 1000));
    await app.crash();
    app = await launch({ home: editorHome, library, now: '2025-02-20T15:30:00+09:00' });
    await openFromList('내가 고친 제목');
    await app.$('recovered').waitForDisplayed();
    await app.$('use-recovered').click();
    await app.until(async () => (await app.$('body').getText()).includes('저장하지 않은 마지막 문장.'), 'the recovered text is missing');
    await app.shot('11-recovered');
  });

  it('switches the interface to English', async () => {
    await app.$('language').click();
    await app.until(async () => (await app.$('save').getText()).startsWith('Save'), 'no English');
    await app.shot('12-english');
    await app.$('language').click();
  });

  it('stays readable at 200% zoom', async () => {
    await app.$('back').click();
    // Ctrl+= is the window's own zoom (zoomHotkeysEnabled), as a reader with low vision uses it.
    for (let step = 0; step < 5; step++) await app.browser.keys(['Control', '=']);
    await new Promise((r) => setTimeout(r, 500));
    const width = await app.browser.execute(() => window.innerWidth);
    if (width > 700) await app.browser.execute(() => (document.documentElement.style.zoom = '2'));
    await app.shot('13-list-zoom-200');
    const overflow = await app.browser.execute(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the list scrolls sideways by ${overflow}px at 200%`);
    await app.browser.execute(() => (document.documentElement.style.zoom = '1'));
    for (let step = 0; step < 5; step++) await app.browser.keys(['Control', '-']);
  });

  it('met no errors in the window', async () => {
    const errors = await app.browser.execute(() => window.__copydeskErrors ?? ['the error hook is missing']);
    assert.deepEqual(errors, []);
  });
});
