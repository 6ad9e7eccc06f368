// <consent-embed> on a registrar's page, against the build: what reaches the embed's provider.
//
// Two servers on 127.0.0.1: the registrar's site (the script tag's bundle, the launch notice as
// `akkoord-notice build` wrote it, a page under `script-src 'self'`), and the provider of the
// embedded videos on another port, which counts every request it gets. The page has two videos
// for "marketing" and one for "seminar-announcements", and the preferences for withdrawing.
//   - before any choice, the provider hears nothing, also after the page has settled;
//   - "load this once" requests that one video, once; a reload asks again and requests nothing;
//   - "always allow" requests both marketing videos (one each), never the seminar's;
//   - a reload of a visitor who allowed requests them at once, one each;
//   - withdrawing in the preferences removes them, and requests nothing more.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const listen = (server) => new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`)));

/** The provider: a page per video, and a list of every request it was sent. */
async function provider() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (req.url.startsWith('/video?')) res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Video</title><p>▶ video</p>');
    else res.writeHead(404).end();
  });
  return { server, requests, origin: await listen(server) };
}

function page(videos) {
  const embed = (purpose, id, title) =>
    `<consent-embed notice="/akkoord/notices/gmo-registry/manifest.json" purpose="${purpose}" embed-src="${videos}/video?id=${id}"
      provider="VideoHost" title="${title}" width="480" height="270"></consent-embed>`;
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Registrar with videos</title><script type="module" src="/akkoord/akkoord.min.js"></script></head>
  <body>
    <h1>Registrar</h1>
    ${embed('marketing', 1, 'Our offers')}
    ${embed('marketing', 2, 'More offers')}
    ${embed('seminar-announcements', 3, 'Last seminar')}
    <consent-preferences notice="/akkoord/notices/gmo-registry/manifest.json"></consent-preferences>
  </body>
</html>`;
}

async function site(videos) {
  const routes = { '/akkoord/notices/': join(ROOT, 'packages/notices/dist/data'), '/akkoord/': join(ROOT, 'packages/elements/dist') };
  const html = page(videos);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/') {
      const csp = `default-src 'self'; script-src 'self'; frame-src ${videos}; object-src 'none'`;
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(html);
      return;
    }
    sendStaticFile(res, routes, path);
  });
  return { server, origin: await listen(server) };
}

describe('<consent-embed>: nothing reaches the provider before consent', { timeout: 60_000 }, () => {
  let videos, registrar, browser;
  before(async () => {
    videos = await provider();
    registrar = await site(videos.origin);
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });
  after(async () => {
    await browser?.close();
    registrar?.server.close();
    videos?.server.close();
  });

  test('before consent nothing, "load this once" one request, "always allow" one per embed of the purpose, withdrawal none', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      tab.setDefaultTimeout(10_000);
      const uncaught = [];
      tab.on('pageerror', (error) => uncaught.push(error.message));
      const embed = (title) => tab.locator('consent-embed', { has: tab.locator(`[part~="title"]:text-is("${title}")`) });
      const frames = () => tab.locator('consent-embed iframe');
      // Every embed's frame has loaded its page, so its one request has reached the provider. (Not the
      // page's network going quiet: that also waits for our developer checks, which load when the page is idle.)
      const framesLoaded = async () => {
        for (const frame of tab.frames().slice(1)) await frame.waitForLoadState('load');
      };
      const settled = async () => {
        // The elements are on screen: three placeholders, or frames where consent was given.
        await tab.waitForFunction(() => [...document.querySelectorAll('consent-embed')].every((el) => el.shadowRoot?.querySelector('[part~="placeholder"], iframe')));
        await framesLoaded();
      };

      await tab.goto(registrar.origin);
      await settled();
      assert.equal(await tab.locator('consent-embed [part~="placeholder"]').count(), 3);
      assert.deepEqual(videos.requests, [], 'nothing is requested before consent');

      await embed('Our offers').getByRole('button', { name: 'Load this once' }).click();
      await frames().first().waitFor();
      await framesLoaded();
      assert.deepEqual(tab.frames().slice(1).map((f) => f.url()), [`${videos.origin}/video?id=1`], 'the iframe shows the video');
      assert.deepEqual(videos.requests, ['GET /video?id=1'], 'the one video, once');

      await tab.reload();
      await settled();
      assert.equal(await frames().count(), 0, '"load this once" was for that page view only');
      assert.deepEqual(videos.requests, ['GET /video?id=1'], 'and nothing more is requested after a reload');

      await embed('More offers').getByRole('button', { name: 'Always allow' }).click();
      await tab.waitForFunction(() => document.querySelectorAll('consent-embed').length === 3 && [...document.querySelectorAll('consent-embed')].filter((el) => el.shadowRoot.querySelector('iframe')).length === 2);
      await framesLoaded();
      assert.deepEqual(videos.requests.slice(1).sort(), ['GET /video?id=1', 'GET /video?id=2'], 'each marketing video once; the seminar waits');

      await tab.reload();
      await settled();
      await tab.waitForFunction(() => [...document.querySelectorAll('consent-embed')].filter((el) => el.shadowRoot.querySelector('iframe')).length === 2);
      await framesLoaded();
      assert.deepEqual(videos.requests.slice(3).sort(), ['GET /video?id=1', 'GET /video?id=2'], 'a visitor who allowed: both at once, once each');

      const preferences = tab.locator('consent-preferences');
      await preferences.getByRole('switch', { name: 'News and offers by email' }).uncheck();
      await preferences.getByRole('button', { name: 'Save choices' }).click();
      await tab.waitForFunction(() => [...document.querySelectorAll('consent-embed')].every((el) => el.shadowRoot.querySelector('[part~="placeholder"]')));
      await framesLoaded();
      assert.equal(videos.requests.length, 5, 'a withdrawal requests nothing');
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });
});
