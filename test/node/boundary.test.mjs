// The line between the packages: elements render, @akkoord/core loads and
// syncs. No element module talks to the network itself (fetch,
// XMLHttpRequest, sendBeacon, WebSocket, EventSource) or imports the sync
// client (`@akkoord/core/sync…`, or the package root, which re-exports it):
// notices load through `@akkoord/core/notice-loading`, the history through
// `@akkoord/core/history`, requests through `@akkoord/core/requests`, and
// receipts through the consent controller. Reads the source, so it needs no
// build.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from '../../scripts/test/glob.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ELEMENTS = 'packages/elements/src';

/** Comments out, so that a word in a comment is not a call. (Template literals stay: Lit's hold code.) */
function code(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

/** Where `source` crosses the line: one message per crossing, empty when it keeps to its side. */
export function crossings(source) {
  const found = [];
  for (const [, specifier] of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(@akkoord\/core[^']*)'/g)) {
    if (specifier === '@akkoord/core' || /^@akkoord\/core\/sync(\/|$)/.test(specifier)) found.push(`imports ${specifier}`);
  }
  const body = code(source);
  for (const [call] of body.matchAll(/\bfetch\s*\(|\bXMLHttpRequest\b|\bsendBeacon\s*\(|\bnew\s+(?:WebSocket|EventSource)\s*\(/g)) {
    found.push(`calls ${call.replace(/\s*\($/, '')}`);
  }
  return found;
}

describe('the boundary: elements render, core loads and syncs', () => {
  const files = globSync(join(root, ELEMENTS), /\.ts$/).filter((file) => !/\.test\.ts$/.test(file) && !file.includes('/generated/'));

  test('finds the elements\' source', () => {
    assert.ok(files.length > 20, `only ${files.length} files under ${ELEMENTS}`);
    assert.ok(files.some((file) => file.endsWith('privacy-rights/privacy-rights.ts')));
  });

  test('no element module imports the sync client or talks to the network', () => {
    const offences = files.flatMap((file) => crossings(readFileSync(file, 'utf8')).map((what) => `${relative(root, file)} ${what}`));
    assert.deepEqual(offences, [], `move this into @akkoord/core and call it from there:\n${offences.join('\n')}`);
  });

  test('the check sees each way across, and not a word in a comment', () => {
    assert.deepEqual(crossings(`import { ReceiptClient } from '@akkoord/core/sync';`), ['imports @akkoord/core/sync']);
    assert.deepEqual(crossings(`import type { RightsRequest } from '@akkoord/core/sync';`), ['imports @akkoord/core/sync']);
    assert.deepEqual(crossings(`const m = await import('@akkoord/core/sync/client');`), ['imports @akkoord/core/sync/client']);
    assert.deepEqual(crossings(`export { x } from '@akkoord/core';`), ['imports @akkoord/core']);
    assert.deepEqual(crossings(`const r = await fetch(url, { signal });`), ['calls fetch']);
    assert.deepEqual(crossings(`const r = await globalThis.fetch(url);`), ['calls fetch']);
    assert.deepEqual(crossings(`navigator.sendBeacon(url, body);`), ['calls sendBeacon']);
    assert.deepEqual(crossings(`const x = new XMLHttpRequest();`), ['calls XMLHttpRequest']);
    assert.deepEqual(crossings(`const s = new WebSocket(url);`), ['calls new WebSocket']);
    assert.deepEqual(crossings(`import { readHistory } from '@akkoord/core/history';\n// we never fetch( here\n/** nor fetch() here */`), []);
    assert.deepEqual(crossings('html`<button @click=${() => fetch(url)}>`'), ['calls fetch']);
    assert.deepEqual(crossings(`import { loadFirstLayer } from '@akkoord/core/notice-loading/first-layer';`), []);
  });
});
