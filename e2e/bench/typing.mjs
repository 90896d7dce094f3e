// Time per key typed into the body editor (run under xvfb-run): the page inserts a syllable as
// an input method commits it, waits for the next frame and reads the layout, 60 times in each
// of three articles. It tells whether a change to the web engine (such as running JavaScript
// without the JIT, `src-tauri/src/webview.rs`) makes typing slower. Under Xvfb a frame is
// ~16 ms, so only changes larger than a frame show.
//   node bench/typing.mjs LIBRARY
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from '../lib/app.mjs';

const library = path.resolve(process.argv[2] ?? '');
if (!fs.existsSync(library)) throw new Error(`usage: node bench/typing.mjs LIBRARY; ${library} does not exist`);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-typing-'));
fs.mkdirSync(path.join(home, '.config/copydesk'), { recursive: true });
fs.writeFileSync(path.join(home, '.config/copydesk/config.json'), JSON.stringify({ email: 'rang@newspim.com' }));
const app = await launch({ home, library });
await app.browser.$('[data-row="0"]').waitForExist({ timeout: 30000 });
const perArticle = [];
for (let round = 0; round < 3; round++) {
  await app.browser.$(`[data-row="${round}"] td.headline span`).click();
  const body = await app.$('body');
  await body.waitForDisplayed();
  await body.click();
  perArticle.push(
    await app.browser.execute(async () => {
      const content = document.querySelector('.cm-content');
      content.focus();
      const times = [];
      for (let i = 0; i < 60; i++) {
        const start = performance.now();
        document.execCommand('insertText', false, i % 10 === 9 ? ' ' : '협');
        await new Promise((r) => requestAnimationFrame(() => r()));
        content.getBoundingClientRect();
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return { median: Math.round(times[30]), p90: Math.round(times[54]), max: Math.round(times[59]) };
    }),
  );
  await app.browser.keys(['Control', 's']);
  await app.browser.waitUntil(async () => !(await app.text('save-state')).includes('자동'), { timeout: 10000 });
  await app.$('back').click();
  await app.browser.$('[data-row="0"]').waitForExist();
}
await app.stop();
fs.rmSync(home, { recursive: true, force: true });
console.log(JSON.stringify({ jit: process.env.COPYDESK_JIT === '1' ? 'on' : 'app default', perKeyMs: perArticle }));
