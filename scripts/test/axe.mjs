// axe-core on a page that playwright-core drives, run through the DevTools
// protocol: the pages under test carry strict policies (no script but their
// own), so a test cannot add axe with a <script> tag. Used by the Node tests
// that check whole pages (the demo's back office, the receiver's unsubscribe
// page); the browser tests in Chromium use @open-wc/testing's axe instead.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** The violations axe finds on `page`, as "rule: help" lines (none: an empty list). */
export async function axeViolations(page) {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('Runtime.evaluate', { expression: await readFile(AXE, 'utf8') });
    const { result } = await session.send('Runtime.evaluate', {
      expression: `axe.run(document, { runOnly: ${JSON.stringify(RULES)} }).then((r) => JSON.stringify(r.violations.map((v) => v.id + ': ' + v.help)))`,
      awaitPromise: true,
      returnByValue: true,
    });
    return JSON.parse(result.value);
  } finally {
    await session.detach();
  }
}
