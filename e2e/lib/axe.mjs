// Checks the page in the app's window against axe-core's WCAG 2.1 A and AA rules, the same
// rules the exported pages pass (tests/browser/). axe's script comes from e2e/node_modules and is
// injected through WebDriver, so the app itself ships nothing of it.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Fails with every violation on the screen the window shows now, named by `screen`. */
export async function checkAccessibility(browser, screen) {
  // The script goes in as WebDriver's own script body: the page's CSP forbids eval, which a
  // page could not get around, but WebDriver's scripts are not the page's.
  if (!(await browser.execute('return !!window.axe;'))) await browser.execute(`${source}\n;return true;`);
  const violations = await browser.executeAsync(async (done) => {
    try {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      done(result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) })));
    } catch (error) {
      done([{ id: 'axe-failed', help: String(error), nodes: [] }]);
    }
  });
  if (violations.length) {
    throw new Error(`axe-core finds ${violations.length} WCAG 2.1 AA violation(s) on the ${screen} screen:\n${JSON.stringify(violations, null, 2)}`);
  }
}
