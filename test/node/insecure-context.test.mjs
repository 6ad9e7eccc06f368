// A registrar's page on plain http from a host that is not localhost: not a secure context, so the
// browser gives it no Web Crypto (`crypto.subtle`, `CryptoKey`) and a consent record cannot be sealed.
// The page loads the banner from the build, on www.registrar.test (resolved to 127.0.0.1 by Chromium's
// host rules) and without the flag that would treat it as secure. The visitor's choice holds for this
// page view (the banner closes, the gated script follows it), is neither stored nor sent, and the page
// hears it once as a `consent-error` with code `insecure-context`; nothing uncaught reaches the page.
// Needs the build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { CONTENT_TYPES, sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The registrar's page: the banner, and a tag that may run only with consent to marketing. */
const page = ({ endpoint, cookieDomain }) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Registrar on plain http</title>
    <script type="module" src="/akkoord/akkoord.min.js"></script>
  </head>
  <body>
    <h1>Registrar</h1>
    <consent-banner notice="/akkoord/notices/gmo-registry/manifest.json" privacy-href="/privacy"${endpoint ? ` endpoint="${endpoint}"` : ''}${cookieDomain ? ` cookie-domain="${cookieDomain}"` : ''}></consent-banner>
    <script type="text/plain" data-consent="marketing" src="/js/marketing-tag.js"></script>
  </body>
</html>`;

/** The build and the notice from files; the two pages and the tag from here; anything under /consent/ counted as a call to the receiver. */
function serve(routes) {
  const receiverCalls = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/') return res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] }).end(page({}));
    if (path === '/with-receiver.html') {
      return res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] }).end(page({ endpoint: `http://${req.headers.host}/consent`, cookieDomain: 'registrar.test' }));
    }
    if (path === '/js/marketing-tag.js') return res.writeHead(200, { 'content-type': CONTENT_TYPES['.js'] }).end('window.marketingRan = (window.marketingRan ?? 0) + 1;');
    if (path.startsWith('/consent/')) {
      receiverCalls.push(`${req.method} ${path}`);
      return res.writeHead(503).end();
    }
    sendStaticFile(res, routes, path);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, port: server.address().port, receiverCalls })));
}

/** Records the page's `consent-error`s and `consent-change`s from its first script on, and its uncaught errors. */
async function watch(page) {
  const uncaught = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  await page.addInitScript(() => {
    window.consentErrors = [];
    window.consentChanges = [];
    document.addEventListener('consent-error', (e) => window.consentErrors.push({ code: e.code, message: e.message }));
    document.addEventListener('consent-change', (e) => window.consentChanges.push({ decisions: e.decisions, source: e.source }));
  });
  return uncaught;
}

/** The pseudonyms and records our database holds in this browser ([] when it was never made). */
const storedKeys = (page) =>
  page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'akkoord')) return [];
    const db = await new Promise((ok, fail) => Object.assign(indexedDB.open('akkoord'), { onsuccess: (e) => ok(e.target.result), onerror: fail }));
    const names = [...db.objectStoreNames];
    const keys = [];
    for (const name of names) {
      const all = await new Promise((ok) => Object.assign(db.transaction(name).objectStore(name).getAllKeys(), { onsuccess: (e) => ok(e.target.result) }));
      keys.push(...all.map(String));
    }
    db.close();
    return keys;
  });

describe('A page that is not a secure context: no Web Crypto', { timeout: 90_000 }, () => {
  let out, site, browser;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'akkoord-insecure-context-'));
    execFileSync(process.execPath, [join(ROOT, 'packages/core/bin/akkoord-notice.js'), 'build', join(ROOT, 'packages/notices/notices/gmo-registry.json'), '--out', join(out, 'notices')], { stdio: 'pipe' });
    site = await serve({ '/akkoord/notices/': join(out, 'notices'), '/akkoord/': join(ROOT, 'packages/elements/dist') });
    browser = await chromium.launch({
      executablePath: findChromium(),
      headless: true,
      // Only the host name is mapped: nothing tells the browser to treat this http origin as secure.
      args: [...HEADLESS_ARGS, '--host-resolver-rules=MAP *.registrar.test 127.0.0.1'],
    });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('"Accept all" holds for this page view: the banner closes and the gated tag runs; one insecure-context error; nothing stored', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const uncaught = await watch(tab);
      await tab.goto(`http://www.registrar.test:${site.port}/`);
      assert.deepEqual(
        await tab.evaluate(() => ({ secure: isSecureContext, subtle: typeof crypto.subtle, cryptoKey: typeof CryptoKey })),
        { secure: false, subtle: 'undefined', cryptoKey: 'undefined' },
        'the page really has no Web Crypto',
      );
      const accept = tab.getByRole('button', { name: 'Accept all' });
      await accept.click();
      await accept.waitFor({ state: 'hidden' });
      await tab.waitForFunction(() => window.marketingRan === 1);

      const errors = await tab.evaluate(() => window.consentErrors);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0].code, 'insecure-context');
      assert.match(errors[0].message, /not a secure context/);
      assert.match(errors[0].message, /this page view only/);
      assert.deepEqual(await tab.evaluate(() => window.consentChanges.map((c) => [c.source, c.decisions.marketing])), [['user', 'granted']]);
      assert.deepEqual(await storedKeys(tab), [], 'no pseudonym, no record, no receipt in IndexedDB');

      // The next page view asks again: the choice was not kept, and the tag waits for it.
      await tab.reload();
      await tab.getByRole('button', { name: 'Accept all' }).waitFor({ state: 'visible' });
      assert.equal(await tab.evaluate(() => window.marketingRan), undefined);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('"Reject all" with a receiver and a shared cookie domain: the banner closes, the tag stays put, one insecure-context error, nothing sent or shared', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const uncaught = await watch(tab);
      await tab.goto(`http://www.registrar.test:${site.port}/with-receiver.html`);
      const reject = tab.getByRole('button', { name: 'Reject all' });
      await reject.click();
      await reject.waitFor({ state: 'hidden' });
      await tab.waitForFunction(() => window.consentChanges.length === 1);

      assert.deepEqual(await tab.evaluate(() => window.consentChanges.map((c) => [c.source, c.decisions.marketing])), [['user', 'denied']]);
      assert.deepEqual(
        await tab.evaluate(() => window.consentErrors.map((e) => e.code)),
        ['insecure-context'],
      );
      assert.equal(await tab.evaluate(() => window.marketingRan), undefined);
      assert.deepEqual(await storedKeys(tab), []);
      assert.deepEqual(site.receiverCalls, [], 'no receipt can be built without Web Crypto, so none is sent');
      assert.deepEqual(await context.cookies(), [], 'a page-only decision is not shared with the domain\'s other hosts');
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });
});
