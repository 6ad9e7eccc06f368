// What the script tag's bundle (packages/elements/dist, from `npm run build`) makes a page load, read
// from its import graph: the cuts that keep the banner's first load small, held so that an innocent
// import does not undo them. The bytes themselves are measured by `npm run bench`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkName, importsOf, staticClosure } from '../../scripts/bundle-graph.mjs';

const DIST = fileURLToPath(new URL('../../packages/elements/dist/', import.meta.url));
const ENTRY = join(DIST, 'akkoord.min.js');
const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js')).map((name) => join(DIST, 'chunks', name));
const chunk = (name) => {
  const found = chunks.find((file) => chunkName(file) === name);
  assert.ok(found, `the bundle has a chunk named ${name}`);
  return found;
};
const names = (files) => [...files].map((file) => (file === ENTRY ? 'akkoord.min.js' : chunkName(file))).sort();

describe('The bundle: what a first visit loads', () => {
  test('the script tag loads the entry and `common` only: no Lit, no consent controller', () => {
    assert.deepEqual(names(staticClosure(ENTRY)), ['akkoord.min.js', 'common']);
  });

  test('the banner adds its own chunk only; the controller and the preferences load later', () => {
    const banner = chunk('consent-banner');
    const firstLoad = new Set([...staticClosure(ENTRY), ...staticClosure(banner)]);
    assert.deepEqual(names(firstLoad), ['akkoord.min.js', 'common', 'consent-banner']);
    const later = names([...importsOf(banner).dynamic]);
    for (const name of ['consent', 'consent-banner.en', 'consent-banner.nl', 'consent-banner.nl-BE', 'preferences-dialog']) {
      assert.ok(later.includes(name), `the banner loads ${name} on demand (it loads ${later.join(', ')})`);
    }
  });

  test('the banner\'s code carries no UI strings: each language is its own chunk', () => {
    const code = readFileSync(chunk('consent-banner'), 'utf8');
    for (const text of ['Accept all', 'Reject all', 'Your privacy', 'banner.title', 'consent.accept-all']) {
      assert.ok(!code.includes(text), `"${text}" is not in the banner's code`);
    }
    assert.match(readFileSync(chunk('consent-banner.en'), 'utf8'), /"Accept all"/);
    assert.match(readFileSync(chunk('consent-banner.nl'), 'utf8'), /"Alles accepteren"/);
    // nl-BE words only what differs from nl; the rest comes from nl.
    const belgian = readFileSync(chunk('consent-banner.nl-BE'), 'utf8');
    assert.ok(!belgian.includes('Alles accepteren') && /inschakelen/.test(belgian), belgian);
  });
});
