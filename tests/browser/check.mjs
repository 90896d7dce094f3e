// Checks exported pages the way a reader's browser and a validator see them:
//   --valid FILE...    W3C Nu HTML checker (zero errors) and axe-core WCAG 2.1 AA (zero
//                      violations) in headless Chromium; the font-size control works without
//                      JavaScript on article pages.
//   --hostile FILE...  pages made from hostile articles: loaded in headless Chromium, no script
//                      may run (no script parsed, no console output or dialog from a payload, the
//                      title unchanged, no window.__pwned), and no event-handler attributes.
// Prints one line per check and a closing "N passed, M failed"; exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import vnu from 'vnu-jar';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const groups = { valid: [], hostile: [] };
let group = null;
for (const arg of args) {
  if (arg === '--valid') group = 'valid';
  else if (arg === '--hostile') group = 'hostile';
  else if (group) groups[group].push(resolve(arg));
  else { console.error(`usage: check.mjs --valid FILE... --hostile FILE...`); process.exit(2); }
}

let passed = 0;
let failed = 0;
const pass = (name) => { passed++; console.log(`ok    ${name}`); };
const fail = (name, detail) => { failed++; console.log(`FAIL  ${name}\n${String(detail).replace(/^/gm, '      ')}`); };

// 1. Nu HTML checker, all valid pages in one Java run.
if (groups.valid.length > 0) {
  let report;
  try {
    execFileSync('java', ['-jar', vnu, '--format', 'json', ...groups.valid], { stdio: ['ignore', 'pipe', 'pipe'] });
    report = { messages: [] };
  } catch (error) {
    try { report = JSON.parse(error.stderr.toString()); } catch { report = null; }
    if (!report) { fail('Nu HTML checker ran', error.stderr?.toString() || error.message); }
  }
  if (report) {
    for (const file of groups.valid) {
      const url = pathToFileURL(file).href;
      const errors = report.messages.filter((m) => m.url === url && (m.type === 'error' || m.type === 'non-document-error'));
      if (errors.length === 0) pass(`Nu HTML checker: ${file}`);
      else fail(`Nu HTML checker: ${file}`, errors.map((m) => `line ${m.lastLine}: ${m.message} ${m.extract ?? ''}`).join('\n'));
    }
  }
}

const profile = mkdtempSync(join(tmpdir(), 'copydesk-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
});
const axeSource = readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

try {
  // 2. axe-core, WCAG 2.1 A and AA rules, at phone and desktop widths.
  for (const file of groups.valid) {
    for (const [width, height] of [[390, 844], [1280, 900]]) {
      const page = await browser.newPage();
      await page.setViewport({ width, height });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      const name = `axe-core WCAG 2.1 AA at ${width}px: ${file}`;
      if (result.violations.length === 0) pass(name);
      else fail(name, result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('\n'));
      await page.close();
    }
  }

  // 3. The reader's font-size control works with JavaScript switched off.
  for (const file of groups.valid.filter((f) => readFileSync(f, 'utf8').includes('name="font-size"'))) {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const size = async () => (await page.$eval('.article-body', (el) => getComputedStyle(el).fontSize));
    const before = await size();
    await page.click('label[for="font-size-5"]');
    const larger = await size();
    await page.click('label[for="font-size-1"]');
    const smaller = await size();
    const name = `font-size control without JavaScript: ${file}`;
    if (parseFloat(larger) > parseFloat(before) && parseFloat(smaller) < parseFloat(before)) pass(name);
    else fail(name, `보통 ${before}, 더 크게 ${larger}, 더 작게 ${smaller}`);
    await page.close();
  }

  // 4. Hostile pages run no script. First the detector proves it catches a page that does.
  const scriptProblems = async (file) => {
    const page = await browser.newPage();
    const client = await page.createCDPSession();
    const scripts = [];
    client.on('Debugger.scriptParsed', (event) => scripts.push(event));
    await client.send('Debugger.enable');
    const events = [];
    page.on('console', (message) => events.push(`console.${message.type()}: ${message.text()}`));
    page.on('dialog', async (dialog) => { events.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
    page.on('pageerror', (error) => events.push(`page error: ${error.message}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Give timers, animations and lazy handlers a moment, and hover and focus.
    await page.mouse.move(10, 10);
    await page.keyboard.press('Tab');
    await new Promise((done) => setTimeout(done, 300));
    const pageScripts = scripts.filter((s) => !s.url.startsWith('pptr:') && !s.url.includes('__puppeteer'));
    const state = await page.evaluate(() => ({
      title: document.title,
      pwned: typeof window.__pwned !== 'undefined',
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.localName}[${a.name}]`)),
      scriptUrls: [...document.querySelectorAll('[href],[src],[action]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action'))
        .filter((url) => /^\s*(javascript|vbscript):/i.test(url)),
    }));
    const problems = [];
    if (pageScripts.length > 0) problems.push(`${pageScripts.length} script(s) parsed from the page: ${pageScripts.map((s) => s.url || '(inline)').join(', ')}`);
    problems.push(...events.filter((e) => /PWNED|dialog/.test(e)));
    if (state.title === 'PWNED') problems.push('the title was changed by a script');
    if (state.pwned) problems.push('window.__pwned was set');
    if (state.handlers.length > 0) problems.push(`event handlers: ${state.handlers.join(', ')}`);
    if (state.scriptUrls.length > 0) problems.push(`script URLs: ${state.scriptUrls.join(', ')}`);
    await page.close();
    return problems;
  };

  if (groups.hostile.length > 0) {
    const canary = join(profile, 'canary.html');
    writeFileSync(canary, '<!DOCTYPE html><html lang="en"><title>canary</title><p>x<img src="x" alt="" onerror="console.log(\'PWNED\')"><script>document.title = \'PWNED\'</script>');
    const problems = await scriptProblems(canary);
    const name = 'the script detector catches a page whose script runs';
    if (problems.some((p) => p.includes('title')) && problems.some((p) => p.includes('PWNED')) && problems.some((p) => p.includes('parsed'))) pass(name);
    else fail(name, `it found only: ${problems.join('; ') || 'nothing'}`);
  }
  for (const file of groups.hostile) {
    const problems = await scriptProblems(file);
    const name = `no script runs in Chromium: ${file}`;
    if (problems.length === 0) pass(name);
    else fail(name, problems.join('\n'));
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
