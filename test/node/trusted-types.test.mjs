// The README's embed recipe under the strictest policy a registrar may send: `script-src 'self'` and
// Trusted Types required for every script sink. Gated scripts are created through one named policy,
// `akkoord`, which the host's `trusted-types` directive must allow. Driven in Chromium against the
// build of `npm test` (packages/elements/dist and the launch notices' data), served with the policy
// as a response header (a <meta> cannot carry `require-trusted-types-for` in every browser).
//   - the policy allows `akkoord`: "Accept all" runs the gated marketing script; nothing uncaught;
//   - the policy also allows Lit's own policy, `lit-html` (the preferences dialog renders with Lit):
//     "Choose", marketing on, save: the gated script runs; nothing uncaught;
//   - the policy allows `akkoord` only: "Choose" cannot load the dialog (Lit's policy is refused); the page
//     hears a `consent-error`, and nothing uncaught;
//   - the policy allows another name only: nothing uncaught either, the gated script stays unrun,
//     and the page hears a `consent-error` that names the policy to allow;
//   - a video in `<consent-embed>` (the policy allows `akkoord` and `lit-html`): its placeholder shows,
//     "Always allow" loads it and runs the gated script of the same purpose; nothing uncaught.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/strict-csp');
const policy = (names) => `default-src 'self'; script-src 'self'; object-src 'none'; require-trusted-types-for 'script'; trusted-types ${names}`;
/** The page, under which policy. */
const PAGES = {
  '/allows-akkoord/': { csp: policy('akkoord'), file: 'index.html' },
  '/allows-akkoord-and-lit/': { csp: policy('akkoord lit-html'), file: 'index.html' },
  '/allows-another/': { csp: policy('registrar-own'), file: 'index.html' },
  '/embed/': { csp: policy('akkoord lit-html'), file: 'embed.html' },
};

function serve() {
  const routes = { '/akkoord/notices/': join(ROOT, 'packages/notices/dist/data'), '/akkoord/': join(ROOT, 'packages/elements/dist'), '/js/': FIXTURE };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const page = PAGES[path];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': page.csp }).end(readFileSync(join(FIXTURE, page.file)));
      return;
    }
    sendStaticFile(res, routes, path);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

describe('Trusted Types and a strict Content-Security-Policy (the README embed recipe)', { timeout: 60_000 }, () => {
  let site, browser;
  before(async () => {
    site = await serve();
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
  });

  /** A fresh visitor on `path`; uncaught errors and CSP violations are collected. */
  async function visit(path) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const uncaught = [];
    const console = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    page.on('console', (message) => message.type() === 'error' && console.push(message.text()));
    await page.goto(`${site.origin}${path}`);
    return { context, page, uncaught, console };
  }

  test('the policy allows `akkoord`: the gated script runs after "Accept all", and nothing uncaught reaches the page', async () => {
    const { context, page, uncaught } = await visit('/allows-akkoord/');
    try {
      await page.getByRole('button', { name: 'Accept all' }).waitFor();
      assert.equal(await page.locator('#newsletter').isVisible(), false, 'the gated script waits for consent');
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.locator('#newsletter').waitFor({ state: 'visible' });
      await page.getByRole('button', { name: 'Privacy settings' }).waitFor();
      assert.deepEqual(await page.evaluate(() => window.consentErrors), []);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('the policy allows `akkoord` and `lit-html`: "Choose", marketing on, save runs the gated script; nothing uncaught', async () => {
    const { context, page, uncaught } = await visit('/allows-akkoord-and-lit/');
    try {
      const banner = page.locator('consent-banner');
      await banner.locator('[part~="choose-button"]').click();
      const dialog = banner.locator('[part~="dialog"]');
      await dialog.waitFor();
      await dialog.locator('[part~="switch"][aria-describedby="description-marketing"]').check();
      assert.equal(await page.locator('#newsletter').isVisible(), false, 'nothing runs before the choice is saved');
      await dialog.locator('[part~="save-button"]').click();
      await page.locator('#newsletter').waitFor({ state: 'visible' });
      assert.deepEqual(await page.evaluate(() => window.consentErrors), []);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('the policy allows `akkoord` but not Lit\'s `lit-html`: "Choose" reports that the preferences could not load; nothing uncaught', async () => {
    const { context, page, uncaught } = await visit('/allows-akkoord/');
    try {
      await page.locator('consent-banner [part~="choose-button"]').click();
      await page.waitForFunction(() => window.consentErrors.length > 0);
      const [error] = await page.evaluate(() => window.consentErrors);
      assert.equal(error.code, 'script-failed');
      assert.match(error.message, /preferences could not load.*lit-html/);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('the policy does not allow `akkoord`: a consent-error names it, the script stays unrun, nothing uncaught', async () => {
    const { context, page, uncaught } = await visit('/allows-another/');
    try {
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.getByRole('button', { name: 'Privacy settings' }).waitFor();
      await page.waitForFunction(() => window.consentErrors.length > 0);
      const [error, ...more] = await page.evaluate(() => window.consentErrors);
      assert.equal(error.code, 'script-blocked');
      assert.match(error.message, /trusted-types.*akkoord/);
      assert.deepEqual(more, [], 'one error for the page, not one per script');
      assert.equal(await page.locator('#newsletter').isVisible(), false);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('an embed: the placeholder, then "Always allow" loads the video and runs the gated script of its purpose; nothing uncaught', async () => {
    const { context, page, uncaught, console: logged } = await visit('/embed/');
    try {
      const embed = page.locator('consent-embed');
      await embed.getByRole('button', { name: 'Load this once' }).waitFor();
      assert.equal(await embed.locator('iframe').count(), 0, 'no iframe before consent');
      await embed.getByRole('button', { name: 'Always allow' }).click();
      await embed.locator('iframe[title="Our offers in two minutes"]').waitFor();
      await page.frameLocator('consent-embed iframe').locator('#video').waitFor();
      await page.locator('#newsletter').waitFor({ state: 'visible' });
      assert.deepEqual(await page.evaluate(() => window.consentErrors), []);
      assert.deepEqual(uncaught, []);
      assert.deepEqual(logged, [], 'no policy violation is logged');
    } finally {
      await context.close();
    }
  });
});
