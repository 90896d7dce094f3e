// PSS of a bare Tauri 2 window (src-tauri/examples/bare_window.rs), the baseline app-bench.mjs
// is compared with (run under xvfb-run, like it):
//   node bench/bare-window.mjs [BINARY]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, launch, largestMappings } from '../lib/app.mjs';

const application = path.resolve(process.argv[2] ?? path.join(ROOT, 'target/debug/examples/bare_window'));
if (!fs.existsSync(application)) throw new Error(`${application} does not exist: cargo build -p copydesk-app --example bare_window`);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'copydesk-bare-'));
const app = await launch({ home, library: path.join(home, 'unused.sqlite3'), application });
const samples = [];
// BENCH_SECONDS keeps it open longer (10 s by default), e.g. as long as an app-bench.mjs session.
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
for (let second = 2; second <= seconds; second += 2) {
  await new Promise((r) => setTimeout(r, 2000));
  samples.push(app.pss());
}
// BENCH_SMAPS=1 also prints each process's largest mappings, as app-bench.mjs does.
const mappings = process.env.BENCH_SMAPS ? samples.at(-1).processes.map((p) => ({ name: p.name, top: largestMappings(p.pid) })) : undefined;
await app.stop();
fs.rmSync(home, { recursive: true, force: true });
const mb = (kb) => (kb / 1024).toFixed(1);
const last = samples.at(-1);
console.log(JSON.stringify({
  application: path.basename(application),
  pssMB: samples.map((s) => mb(s.kb)),
  mappings,
  processes: last.processes.map((p) => `${p.name}:${mb(p.kb)}`).join(' '),
  uss: `${mb(last.ussKb)} ${last.processes.map((p) => mb(p.ussKb)).join('/')}`,
  anon: `${mb(last.anonKb)} ${last.processes.map((p) => mb(p.anonKb)).join('/')}`,
  otherWebKit: samples.map((s) => s.others),
}, null, 1));
