// How the script tag's bundle gets a banner on screen (packages/elements/src/akkoord.ts, first-paint.ts):
// after the HTML, the script; then the banner's code, its UI strings and its first-layer file, asked for
// side by side. The server proves "side by side" without a clock: it holds each of those three answers
// until it has seen all three requests, which would never happen if one were asked for only after
// another had arrived. And a host that adds a query string to the script's URL (WordPress's `?ver=`)
// still has one Akkoord: `setLocale` from its URL reaches the banner, `instanceof ConsentErrorEvent`
// holds for what the banner fires, and the elements' code loads once. Needs the build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { CONTENT_TYPES, sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROUTES = { '/akkoord/notices/': join(ROOT, 'packages/notices/dist/data'), '/akkoord/': join(ROOT, 'packages/elements/dist') };
/** How long the server waits for the rest of the second round trip before it gives up and answers. */
const HOLD_LIMIT_MS = 10_000;

const html = (lang, body) => `<!doctype html>
<html lang="${lang}">
  <head><meta charset="utf-8" /><title>Registrar</title></head>
  <body><h1>Registrar</h1>${body}</body>
</html>`;

const PAGES = {
  // The README's embedding, with the first-layer file in the page's language.
  '/': html('nl', `<script type="module" src="/akkoord/akkoord.min.js"></script>
    <consent-banner notice="/akkoord/notices/gmo-registry/first-layer.nl.json" privacy-href="/privacy"></consent-banner>`),
  // A CMS that versions its script URLs; the page's own module imports from the same URL.
  '/versioned': html('nl', `<script type="module" src="/akkoord/akkoord.min.js?ver=6.4.2"></script>
    <consent-banner notice="/akkoord/notices/gmo-registry/first-layer.nl.json" privacy-href="/privacy"></consent-banner>
    <consent-banner id="broken" notice="/akkoord/notices/missing.json"></consent-banner>
    <script type="module">
      import { ConsentErrorEvent, setLocale, getLocale } from '/akkoord/akkoord.min.js?ver=6.4.2';
      window.errors = [];
      document.addEventListener('consent-error', (e) => window.errors.push({ code: e.code, ours: e instanceof ConsentErrorEvent }));
      window.api = { setLocale, getLocale };
    </script>`),
  // A notice attribute that is no URL at all: the banner says so, as it would without the head start.
  '/not-a-url': html('en', `<script type="module" src="/akkoord/akkoord.min.js"></script>
    <script type="module">
      window.errors = [];
      document.addEventListener('consent-error', (e) => window.errors.push(e.code));
    </script>
    <consent-banner notice="http://["></consent-banner>`),
};

/** The second round trip of the first page: the banner's code, its Dutch strings, its first-layer file. */
const SECOND_TRIP = [/^\/akkoord\/chunks\/consent-banner-[\w-]+\.js$/, /^\/akkoord\/chunks\/consent-banner\.nl-[\w-]+\.js$/, /\/first-layer\.nl\.json$/];

/** The test server; with `hold`, it holds the second round trip's answers as described at the top. */
function serve({ hold = false } = {}) {
  const requests = [];
  const held = [];
  let release;
  const allAsked = new Promise((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const path = decodeURIComponent(url.pathname);
    requests.push(path + url.search);
    if (PAGES[path]) return res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] }).end(PAGES[path]);
    if (hold && SECOND_TRIP.some((pattern) => pattern.test(path))) {
      held.push(path);
      if (SECOND_TRIP.every((pattern) => held.some((p) => pattern.test(p)))) release('all three asked for');
      const timeout = new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS, 'timed out').unref()).then((why) => {
        release(why);
        return why;
      });
      return void Promise.race([allAsked, timeout]).then(() => sendStaticFile(res, ROUTES, path));
    }
    sendStaticFile(res, ROUTES, path);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, requests, allAsked, origin: `http://127.0.0.1:${server.address().port}` })));
}

describe('The script tag: a banner after two round trips', { timeout: 60_000 }, () => {
  let browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });
  after(() => browser?.close());

  /** Opens `path` in a fresh context on a fresh server (`serverOptions`: see serve), runs `check(page, site)`, and wants nothing thrown into the page. */
  async function onPage(path, check, serverOptions) {
    const site = await serve(serverOptions);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const uncaught = [];
      page.on('pageerror', (error) => uncaught.push(error.message));
      await page.goto(`${site.origin}${path}`);
      await check(page, site);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
      site.server.close();
    }
  }

  test('the banner\'s code, strings and first layer are asked for together, right after the script', () =>
    onPage('/', async (page, site) => {
      await page.getByRole('button', { name: 'Alles accepteren' }).waitFor({ state: 'visible' });
      assert.equal(await Promise.race([site.allAsked, 'not yet']), 'all three asked for', `requests: ${site.requests.join(', ')}`);
      // Before them: the page and the script, nothing else (no chunk the script would have to wait for).
      const firstOfSecondTrip = site.requests.findIndex((path) => SECOND_TRIP.some((pattern) => pattern.test(path)));
      assert.deepEqual(site.requests.slice(0, firstOfSecondTrip), ['/', '/akkoord/akkoord.min.js']);
      assert.equal(site.requests.filter((path) => path.endsWith('first-layer.nl.json')).length, 1, 'the banner takes over the early fetch');
    }, { hold: true }));

  test('a notice attribute that is no URL: one consent-error from the banner, nothing thrown into the page', () =>
    onPage('/not-a-url', async (page) => {
      await page.waitForFunction(() => window.errors.length > 0);
      assert.deepEqual(await page.evaluate(() => window.errors), ['notice-fetch-failed']);
    }));

  test('a query string on the script URL: one Akkoord, which the page\'s own import reaches', () =>
    onPage('/versioned', async (page, site) => {
      await page.getByRole('button', { name: 'Alles accepteren' }).waitFor({ state: 'visible' });

      // The banner's error reaches the page's listener as an instance of the class it imported.
      await page.waitForFunction(() => window.errors.length > 0);
      assert.deepEqual(await page.evaluate(() => window.errors), [{ code: 'notice-fetch-failed', ours: true }]);

      // setLocale from the versioned URL switches the banner the plain URL's chunks rendered.
      await page.evaluate(() => window.api.setLocale('en'));
      await page.getByRole('button', { name: 'Accept all' }).waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => window.api.getLocale()), 'en');

      const asked = (pattern) => site.requests.filter((path) => pattern.test(path));
      assert.deepEqual(asked(/akkoord\.min\.js/), ['/akkoord/akkoord.min.js?ver=6.4.2', '/akkoord/akkoord.min.js']);
      assert.equal(asked(/chunks\/consent-banner-/).length, 1, 'the banner\'s code loads once');
    }));
});
