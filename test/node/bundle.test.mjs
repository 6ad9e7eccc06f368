// What the script tag's bundle (packages/elements/dist, from `npm run build`) makes a page load, read
// from its import graph: the cuts that keep the banner's first load small, held so that an innocent
// import does not undo them; and the size budgets of `npm run bench` (its sizes part, which reads the
// build and takes a second), so that a change over budget does not land.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chunkName, importsOf, staticClosure } from '../../scripts/build/bundle-graph.mjs';

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
  test('the script tag loads the entry only, which imports nothing: no Lit, no consent controller', () => {
    assert.deepEqual(names(staticClosure(ENTRY)), ['akkoord.min.js']);
  });

  test('the banner adds its own chunk only; the controller and the preferences load later', () => {
    const banner = chunk('consent-banner');
    const firstLoad = new Set([...staticClosure(ENTRY), ...staticClosure(banner)]);
    assert.deepEqual(names(firstLoad), ['akkoord.min.js', 'consent-banner']);
    const later = names([...importsOf(banner).dynamic]);
    for (const name of ['consent', 'preferences-dialog']) {
      assert.ok(later.includes(name), `the banner loads ${name} on demand (it loads ${later.join(', ')})`);
    }
    // Its strings are loaded through the entry, which starts them beside the banner's code (first-paint.ts).
    const strings = names([...importsOf(ENTRY).dynamic]);
    for (const name of ['consent-banner.en', 'consent-banner.nl', 'consent-banner.nl-BE']) {
      assert.ok(strings.includes(name), `the entry loads ${name} on demand (it loads ${strings.join(', ')})`);
    }
  });

  test('the developer checks are on no element\'s load: they come a second later, when one is asked for', () => {
    for (const element of ['consent-banner', 'privacy-notice', 'consent-preferences', 'privacy-rights', 'consent-history', 'consent-embed']) {
      const loads = names(new Set([...staticClosure(ENTRY), ...staticClosure(chunk(element))]));
      assert.ok(!loads.includes('dev-errors') && !loads.includes('dev-messages'), `<${element}> loads ${loads.join(', ')}`);
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

test('the size budgets hold (bench/budgets.json: the banner\'s first load ≤ 10 kB, the notice page\'s code ≤ 20 kB)', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  let output; // it also writes bench/out/size.json (ignored by git), as `npm run bench` does
  try {
    output = execFileSync(process.execPath, ['scripts/bench/bench.mjs', '--no-browser', '--no-receipts'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`npm run bench (sizes) failed:\n${error.stdout}\n${error.stderr}`);
  }
  const lines = output.split('\n').filter((line) => line.startsWith('budget '));
  assert.equal(lines.length, 4, output);
  assert.ok(lines.every((line) => /to spare$/.test(line)), lines.join('\n'));
});
