// Benchmarks the real window (run under xvfb-run): launch to a shown list, and PSS of the app
// and its WebKit processes over a scripted editing session.
//   node bench/app-bench.mjs LIBRARY [ITERATIONS]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, largestMappings } from '../lib/app.mjs';

const library = path.resolve(process.argv[2] ?? '');
const iterations = Number(process.argv[3] ?? 60);
if (!fs.existsSync(library)) throw new Error(`usage: node bench/app-bench.mjs LIBRARY [ITERATIONS]; ${library} does not exist`);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-bench-'));
fs.mkdirSync(path.join(home, '.config/copydesk'), { recursive: true });
fs.writeFileSync(path.join(home, '.config/copydesk/config.json'), JSON.stringify({ email: 'rang@newspim.com' }));

const started = performance.now();
const app = await launch({ home, library });
process.on('uncaughtException', async (error) => {
  console.error(error);
  await app.stop();
  process.exit(1);
});
await app.browser.$('[data-row="0"]').waitForExist({ timeout: 30000 });
const launchMs = performance.now() - started;
const inPageMs = await app.browser.execute(() => performance.getEntriesByName('list-shown')[0]?.startTime ?? null);
const shownAt = await app.browser.execute(() => performance.timeOrigin + (performance.getEntriesByName('list-shown')[0]?.startTime ?? 0));
const processToListMs = Math.round(shownAt - app.startedAt());
const total = await app.text('list-count');
await new Promise((r) => setTimeout(r, 2000));
const samples = [{ iteration: 0, ...app.pss() }];
const typing = '중진공은 일본 도쿄에서 업무협약을 체결했다. ';
const previewMicros = [];
// BENCH_MODE=list skips the editor, BENCH_MODE=editor skips the search, to tell which one holds memory.
const mode = process.env.BENCH_MODE ?? 'all';
for (let i = 1; i <= iterations; i++) {
  if (mode !== 'list') await editOne(i);
  if (mode !== 'editor') await searchOnce(i);
  if (i % 10 === 0) samples.push({ iteration: i, ...app.pss() });
}

async function editOne(i) {
  await app.browser.$(`[data-row="${i % 20}"] td.headline span`).click();
  const body = await app.$('body');
  await body.waitForDisplayed();
  await body.click();
  await body.addValue(typing);
  await app.browser.keys(['Control', 's']);
  await app.browser.waitUntil(async () => !(await app.text('save-state')).includes('자동'), { timeout: 10000 });
  previewMicros.push(Number((await app.browser.$('.preview-pane .muted').getText()).replace(/[^\d.]/g, '')) * 1000);
  // After typing at the end of a long body the sticky header can cover the back button.
  const back = await app.$('back');
  await back.scrollIntoView({ block: 'center' });
  await back.click();
  await app.browser.$('[data-row="0"]').waitForExist();
}

async function searchOnce(i) {
  await app.$('search').setValue(i % 2 ? '협약' : '바이오');
  await app.browser.$('table[data-testid="articles"] mark').waitForExist({ timeout: 10000 });
  await app.$('search').clearValue();
  await app.browser.execute(() => document.querySelector('[data-testid="search"]').dispatchEvent(new Event('input', { bubbles: true })));
  await app.browser.waitUntil(async () => (await app.browser.$$('table[data-testid="articles"] mark')).length === 0, { timeout: 10000 });
  await app.browser.$('[data-row="0"]').waitForExist();
}
// BENCH_SETTLE=SECONDS waits that long on the list before the last sample (2 s by default).
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE ?? 2) * 1000));
samples.push({ iteration: iterations, settled: true, ...app.pss() });
// BENCH_SMAPS=1 also prints where each process's memory is: the largest mappings by PSS.
const mappings = process.env.BENCH_SMAPS ? samples.at(-1).processes.map((p) => ({ name: p.name, top: largestMappings(p.pid) })) : undefined;
await app.stop();
previewMicros.sort((a, b) => a - b);
const mb = (kb) => (kb / 1024).toFixed(1);
console.log(JSON.stringify({
  library: path.basename(library),
  total,
  launchToListMs: Math.round(launchMs),
  processStartToListMs: processToListMs,
  inPageNavigationToListMs: inPageMs && Math.round(inPageMs),
  previewMedianMs: (previewMicros[Math.floor(previewMicros.length / 2)] ?? 0) / 1000,
  mappings,
  pssMB: samples.map((s) => ({ iteration: s.iteration, total: mb(s.kb), processes: s.processes.map((p) => `${p.name}:${mb(p.kb)}`).join(' '), uss: `${mb(s.ussKb)} ${s.processes.map((p) => mb(p.ussKb)).join('/')}`, anon: `${mb(s.anonKb)} ${s.processes.map((p) => mb(p.anonKb)).join('/')}`, otherWebKit: s.others })),
}, null, 1));
