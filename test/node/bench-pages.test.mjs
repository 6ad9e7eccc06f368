// The browser benchmark's pages as the benchmark's browser gets them: the
// real bench server on a free port of 127.0.0.1, every page, and every file
// a page names in a src or href. A page that names a file which is neither
// written by the bench nor in git (a peer's configuration script left out of
// a commit, say) would make that peer time out in `npm run bench` on a clean
// clone; here it fails by name. Needs the build (`npm run build`), as the
// bench does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES_BY_SYSTEM } from '../../scripts/bench/pages.mjs';
import { startServer } from '../../scripts/bench/server.mjs';

let server;
let origin;

before(async () => {
  ({ server, origin } = await startServer(0));
});

after(() => new Promise((resolve) => server.close(resolve)));

/** The URLs on this server that a page loads: src and href values that start with one slash. */
const localReferences = (html) => [...html.matchAll(/\b(?:src|href)="(\/(?!\/)[^"]*)"/g)].map(([, url]) => url);

// Every system of the comparison, and the preload experiment (its page names our hashed chunks).
const systems = [...Object.keys(PAGES_BY_SYSTEM), 'akkoord-preload'];

for (const system of systems) {
  test(`bench page ${system}: it and every file it names are served`, async () => {
    const page = await fetch(`${origin}/bench/${system}/`);
    assert.equal(page.status, 200, `/bench/${system}/ answers ${page.status}`);
    const html = await page.text();
    const references = localReferences(html).filter((url) => url !== '/privacy');
    // The control page is the banner in the HTML itself; every other page loads a script.
    if (system !== 'control') assert.ok(references.length > 0, `/bench/${system}/ names no file: the pattern above no longer finds them`);
    const missing = [];
    for (const url of references) {
      const response = await fetch(origin + url);
      await response.arrayBuffer();
      if (response.status !== 200) missing.push(`${url} (${response.status})`);
    }
    assert.deepEqual(missing, [], `/bench/${system}/ names files the bench server does not have: ${missing.join(', ')}`);
  });
}

test('the bench server answers 404 for a file no page names', async () => {
  const response = await fetch(`${origin}/bench/klaro/no-such-file.js`);
  await response.arrayBuffer();
  assert.equal(response.status, 404);
});
