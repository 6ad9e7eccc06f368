// The demo's third registrar, Duinweg Domeinen (fictional), as a visitor
// meets it: `npm start` (scripts/demo/start.mjs) on ports chosen here, and
// Debian's Chromium (playwright-core) on its two host names,
// www.duinweg.localhost and account.duinweg.localhost (Chromium resolves
// every *.localhost name to loopback itself, so nothing needs setting up).
//   - each page is served on its own host, and the receiver admits exactly
//     those two origins for this site;
//   - the Consent Mode panel lists the adapter's `default` (all denied)
//     before anything else, then an `update` with analytics_storage granted
//     after "accept all";
//   - the video waits behind <consent-embed>'s placeholder: nothing is
//     requested before consent;
//   - the gated statistics script sets _ga and _ga_… on duinweg.localhost
//     after consent, seen on both hosts, and withdrawing "analytics" on the
//     account page deletes them;
//   - one decision on both hosts (`cookie-domain`): decided on www, the
//     account host asks nothing; withdrawn there, www follows;
//   - every page, in Dutch and in English: axe finds nothing, no console
//     error, no uncaught error.
// Screenshots of the home page with the banner and of the account page go to
// test/screenshots/ (git-ignored), for a person to look at.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { chromium } from 'playwright-core';
import { startDemoOnFreePorts } from '../fixtures/demo.mjs';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { axeViolations } from '../../scripts/test/axe.mjs';

const STEP_TIMEOUT_MS = 10_000;
const WWW = 'www.duinweg.localhost';
const ACCOUNT = 'account.duinweg.localhost';
const SCREENSHOTS = 'test/screenshots';

/** A GET to the site's port on 127.0.0.1 with the Host header a browser would send for `host`. */
function getAs(port, host, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, headers: { host: `${host}:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A page that records every uncaught error and console error. */
async function watchedPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return { page, problems };
}

/** The Consent Mode panel's entries: what the tags were told, oldest first. */
const consentModeLog = (page) =>
  page.locator('#consent-mode-log > li').evaluateAll((items) =>
    items.map((item) => ({
      action: item.dataset.action,
      values: Object.fromEntries([...item.querySelectorAll('[data-signal]')].map((line) => [line.dataset.signal, line.dataset.value])),
    })),
  );

const cookieNames = (page) => page.locator('#cookie-list > li').evaluateAll((items) => items.map((item) => item.dataset.cookie));
const analyticsCookies = (names) => names.filter((name) => name === '_ga' || name.startsWith('_ga_'));

describe('demo: the third registrar, Duinweg Domeinen, on two host names', () => {
  let running;
  let port;
  let browser;

  before(async () => {
    running = await startDemoOnFreePorts('demo-third-site');
    port = running.ports.duinweg;
    assert.ok(running.receiverUrl, `the receiver runs (it is built):\n${running.demo.output()}`);
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    running?.stop();
  });

  test('npm start prints both host names; each page is served on its own host', async () => {
    const output = running.demo.output();
    assert.ok(output.includes(`home     http://${WWW}:${port}/`), output);
    assert.ok(output.includes(`privacy  http://${WWW}:${port}/privacy`), output);
    assert.ok(output.includes(`account  http://${ACCOUNT}:${port}/account`), output);

    const home = await getAs(port, WWW, '/');
    assert.equal(home.status, 200);
    // The Consent Mode adapter is the first script of the page, before any tag.
    const scripts = [...home.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts[0], '<script src="/akkoord/consent-mode.min.js" data-wait-for-update="500">');
    assert.equal(scripts[1], '<script src="/demo/consent-mode-log.js">');
    assert.ok(home.body.includes('<script type="text/plain" data-consent="analytics" src="/demo/analytics.js"></script>'));
    assert.ok(home.body.includes('notice="/akkoord/notices/duinweg-domeinen/manifest.json"'));
    // Links to the account page go to the other host.
    assert.ok(home.body.includes(`href="http://${ACCOUNT}:${port}/account"`));

    const account = await getAs(port, ACCOUNT, '/account?lang=en');
    assert.equal(account.status, 200);
    assert.match(account.body, /<consent-preferences [^>]*subject="demo-customer-duinweg-1"/);
    assert.ok(account.body.includes(`privacy-href="http://${WWW}:${port}/privacy?lang=en"`));

    // A page asked for on the wrong host, or on 127.0.0.1, is sent to its own host.
    for (const [host, path, to] of [
      [WWW, '/account?lang=en', `http://${ACCOUNT}:${port}/account?lang=en`],
      [ACCOUNT, '/privacy', `http://${WWW}:${port}/privacy`],
      ['127.0.0.1', '/', `http://${WWW}:${port}/`],
    ]) {
      const moved = await getAs(port, host, path);
      assert.equal(moved.status, 302, `${host}${path}`);
      assert.equal(moved.headers.location, to);
    }

    // The back office's mailings: marketing only, not the website's statistics or videos.
    const backOffice = await getAs(port, WWW, '/back-office');
    assert.equal(backOffice.status, 200);
    assert.deepEqual([...backOffice.body.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]), ['marketing']);

    // The built notice is served from the demo's own build.
    const manifest = await getAs(port, WWW, '/akkoord/notices/duinweg-domeinen/manifest.json');
    assert.equal(manifest.status, 200);
    assert.equal(JSON.parse(manifest.body).id, 'duinweg-domeinen');
  });

  test('the receiver admits both host names of the site, and not its 127.0.0.1 address', async () => {
    const preflight = (origin) =>
      fetch(`${running.receiverUrl}/receipts`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
      });
    for (const host of [WWW, ACCOUNT]) {
      const answer = await preflight(`http://${host}:${port}`);
      assert.equal(answer.headers.get('access-control-allow-origin'), `http://${host}:${port}`, host);
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://evil.duinweg.localhost:${port}`, `http://${WWW}:${port + 1}`]) {
      const answer = await preflight(origin);
      assert.equal(answer.headers.get('access-control-allow-origin'), null, origin);
    }
  });

  test('home page: Consent Mode is told the default, then an update on "accept all"; the statistics cookies appear', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const { page, problems } = await watchedPage(context);
      const banner = page.locator('consent-banner');
      await page.goto(`http://${WWW}:${port}/`);
      await banner.locator('[part~="accept-button"]').waitFor();

      // Before any decision: the default, every signal denied; the gated script has not run, so no cookies.
      const before = await consentModeLog(page);
      assert.equal(before.length, 1, JSON.stringify(before));
      assert.equal(before[0].action, 'default');
      for (const signal of ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage']) {
        assert.equal(before[0].values[signal], 'denied', signal);
      }
      assert.equal(before[0].values.wait_for_update, '500');
      assert.deepEqual(analyticsCookies(await cookieNames(page)), []);
      assert.equal(await page.locator('#cookies-none').isVisible(), true);
      assert.equal(await page.locator('#marketing-status').getAttribute('data-t'), 'marketing.waiting');
      assert.deepEqual(await axeViolations(page), [], 'axe on the home page with the banner');
      await page.screenshot({ path: `${SCREENSHOTS}/demo-duinweg-home-banner.png` });

      await banner.locator('[part~="accept-button"]').click();
      await page.locator('#consent-mode-log > li[data-action="update"]').waitFor();
      const after = await consentModeLog(page);
      assert.deepEqual(after.map((entry) => entry.action), ['default', 'update']);
      assert.equal(after[1].values.analytics_storage, 'granted');
      // Only "analytics" stands for a Consent Mode signal in this notice: the ad signals stay denied.
      for (const signal of ['ad_storage', 'ad_user_data', 'ad_personalization']) assert.equal(after[1].values[signal], 'denied', signal);

      // The statistics script ran, and its cookies are on the registrable domain, where both hosts see them.
      await page.locator('#marketing-status.ran').waitFor();
      await page.locator('#cookie-list > li[data-cookie="_ga"]').waitFor();
      assert.deepEqual(analyticsCookies(await cookieNames(page)).sort(), ['_ga', '_ga_DW3M0S1TE']);
      assert.equal(await page.locator('#cookies-none').isVisible(), false);
      const jar = (await context.cookies()).filter((cookie) => cookie.name.startsWith('_ga'));
      assert.deepEqual(jar.map((cookie) => cookie.domain), ['.duinweg.localhost', '.duinweg.localhost']);

      // A returning visitor: the default first again, then at once the update that restores the decision.
      await page.reload();
      await page.locator('#consent-mode-log > li[data-action="update"]').waitFor();
      const returning = await consentModeLog(page);
      assert.deepEqual(returning.map((entry) => entry.action), ['default', 'update']);
      assert.equal(returning[1].values.analytics_storage, 'granted');
      assert.deepEqual(problems, [], 'no script errors or CSP violations');
    } finally {
      await context.close();
    }
  });

  test('home page: the video waits behind its placeholder; nothing is requested before consent, "load once" loads it for this view', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const { page, problems } = await watchedPage(context);
      const videoRequests = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/demo/video/')) videoRequests.push(request.url());
      });
      const embed = page.locator('consent-embed');
      await page.goto(`http://${WWW}:${port}/`);
      const placeholder = embed.locator('[part~="placeholder"]');
      await placeholder.waitFor();
      assert.deepEqual(videoRequests, [], 'nothing of the video is requested before consent');
      const said = await placeholder.textContent();
      for (const text of ['Zo verhuist u uw domeinnaam', 'YouTube (Google)', "Video's van YouTube"]) assert.ok(said.includes(text), `the placeholder says ${text}: ${said}`);
      assert.equal(await embed.locator('iframe').count(), 0, 'no iframe before consent');

      // By keyboard: "load once" loads the video for this page view, and records nothing.
      await embed.locator('[part~="load-once-button"]').focus();
      await page.keyboard.press('Enter');
      const frame = embed.locator('[part~="frame"]');
      await frame.waitFor();
      assert.equal(await frame.getAttribute('title'), 'Zo verhuist u uw domeinnaam');
      await (await frame.elementHandle()).contentFrame().then((player) => player.locator('.player .title').waitFor());
      assert.ok(videoRequests.some((url) => url.endsWith('/demo/video/domeinnaam-verhuizen.html')), videoRequests.join('\n'));
      const loaded = videoRequests.length;
      assert.equal(await page.locator('consent-banner [part~="accept-button"]').count(), 1, 'the banner still asks: nothing was decided');

      // The next page view asks again; "accept all" in the banner loads it.
      await page.reload();
      await placeholder.waitFor();
      assert.equal(videoRequests.length, loaded, 'not loaded again before consent');
      await page.locator('consent-banner [part~="accept-button"]').click();
      await frame.waitFor();
      assert.deepEqual(problems, [], 'no script errors or CSP violations');
    } finally {
      await context.close();
    }
  });

  test('account page (the second host): the cookies appear after consent and are gone after withdrawal', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const { page, problems } = await watchedPage(context);
      const banner = page.locator('consent-banner');
      const prefs = page.locator('main > consent-preferences');
      const analyticsSwitch = prefs.locator('[part~="switch"][aria-describedby="description-analytics"]');
      await page.goto(`http://${ACCOUNT}:${port}/account`);
      await banner.locator('[part~="accept-button"]').click();
      await page.locator('#cookie-list > li[data-cookie="_ga"]').waitFor();
      assert.deepEqual(analyticsCookies(await cookieNames(page)).sort(), ['_ga', '_ga_DW3M0S1TE']);
      await analyticsSwitch.waitFor();
      assert.equal(await analyticsSwitch.isChecked(), true);

      // Withdraw "analytics" in the preferences: Akkoord deletes the declared cookies, and the tags hear it.
      await analyticsSwitch.uncheck();
      await prefs.locator('[part~="save-button"]').click();
      await page.waitForFunction(() => !document.querySelector('#cookie-list > li[data-cookie^="_ga"]'));
      assert.deepEqual((await context.cookies()).filter((cookie) => cookie.name.startsWith('_ga')), [], 'gone from the browser too');
      await page.waitForFunction(() => document.querySelectorAll('#consent-mode-log > li[data-action="update"]').length >= 2);
      const log = await consentModeLog(page);
      assert.equal(log.at(-1).action, 'update');
      assert.equal(log.at(-1).values.analytics_storage, 'denied');

      // Still gone after a reload: the script waits again, and nothing sets them.
      await page.reload();
      await banner.locator('[part~="settings-button"]').waitFor();
      await page.locator('#consent-mode-log > li[data-action="update"]').waitFor();
      assert.deepEqual(analyticsCookies(await cookieNames(page)), []);
      assert.equal(await page.locator('#marketing-status').getAttribute('data-t'), 'marketing.waiting');

      await page.locator('main > consent-history [part~="receipt"]').first().waitFor();
      await page.locator('main > privacy-rights [part~="rights"]').waitFor();
      assert.deepEqual(await axeViolations(page), [], 'axe on the account page');
      await page.screenshot({ path: `${SCREENSHOTS}/demo-duinweg-account.png`, fullPage: true });
      // The preferences beside the two panels, as a person sees them while changing a choice.
      await page.locator('.demo-panels').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/demo-duinweg-account-panels.png` });
      assert.deepEqual(problems, [], 'no script errors or CSP violations');
    } finally {
      await context.close();
    }
  });

  test('one decision on both hosts: decided on www, the account host asks nothing; withdrawn there, www follows', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const { page, problems } = await watchedPage(context);
      const banner = page.locator('consent-banner');
      await page.goto(`http://${WWW}:${port}/`);
      await banner.locator('[part~="accept-button"]').click();
      await page.locator('#cookie-list > li[data-cookie="_ga"]').waitFor();

      // The other host: its own IndexedDB is empty, but the decision holds there too.
      await page.goto(`http://${ACCOUNT}:${port}/account`);
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="accept-button"]').count(), 0, 'not asked again on the account host');
      const prefs = page.locator('main > consent-preferences');
      const switchFor = (purpose) => prefs.locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
      await switchFor('analytics').waitFor();
      for (const purpose of ['analytics', 'video', 'marketing']) assert.equal(await switchFor(purpose).isChecked(), true, purpose);
      await page.locator('#marketing-status.ran').waitFor();
      assert.deepEqual(analyticsCookies(await cookieNames(page)).sort(), ['_ga', '_ga_DW3M0S1TE']);

      // Withdrawn on the account host: the cookies go, and www follows on its next page.
      await switchFor('analytics').uncheck();
      await prefs.locator('[part~="save-button"]').click();
      await page.waitForFunction(() => !document.querySelector('#cookie-list > li[data-cookie^="_ga"]'));
      await page.goto(`http://${WWW}:${port}/`);
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="accept-button"]').count(), 0, 'not asked again on www');
      await page.locator('#consent-mode-log > li[data-action="update"]').waitFor();
      const log = await consentModeLog(page);
      assert.deepEqual(log.map((entry) => entry.action), ['default', 'update']);
      assert.equal(log[1].values.analytics_storage, 'denied', 'the tags on www hear the withdrawal made on account');
      assert.equal(await page.locator('#marketing-status').getAttribute('data-t'), 'marketing.waiting', 'the statistics script waits again');
      assert.deepEqual(analyticsCookies(await cookieNames(page)), []);
      assert.deepEqual(problems, [], 'no script errors or CSP violations');
    } finally {
      await context.close();
    }
  });

  for (const lang of ['nl', 'en']) {
    test(`every page in ${lang}: axe finds nothing, no console error; the privacy page shows the cookie table`, async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      try {
        const { page, problems } = await watchedPage(context);
        const query = lang === 'nl' ? '' : '?lang=en';
        for (const [host, path, ready] of [
          [WWW, '/', 'consent-banner [part~="accept-button"]'],
          [WWW, '/privacy', 'privacy-notice table'],
          [ACCOUNT, '/account', 'main > privacy-rights [part~="rights"]'],
        ]) {
          await page.goto(`http://${host}:${port}${path}${query}`);
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          await page.locator(ready).first().waitFor({ state: 'attached' });
          if (path === '/account') await page.locator('main > consent-preferences [part~="switch"]').first().waitFor();
          if (path === '/privacy') {
            const table = await page.locator('privacy-notice table').first().textContent();
            for (const text of ['_ga', '_ga_*', 'Google Analytics (Google Ireland Ltd.)', lang === 'nl' ? '13 maanden' : '13 months']) {
              assert.ok(table.includes(text), `the cookie table names ${text}: ${table}`);
            }
          }
          assert.deepEqual(await axeViolations(page), [], `axe on ${host}${path}${query}`);
        }
        if (lang === 'nl') {
          // The language switch, without a reload: the links to the other host keep their host and take the language.
          await page.locator('.lang-switch a[data-lang="en"]').click();
          assert.equal(await page.locator('html').getAttribute('lang'), 'en');
          assert.equal(await page.locator('consent-banner').getAttribute('privacy-href'), `http://${WWW}:${port}/privacy?lang=en`);
          assert.equal(await page.locator('.main-nav a[data-path$="/privacy"]').getAttribute('href'), `http://${WWW}:${port}/privacy?lang=en`);
          assert.equal(await page.locator('#cookies-title').textContent(), 'Cookies of this page');
        }
        assert.deepEqual(problems, [], 'no script errors or CSP violations');
      } finally {
        await context.close();
      }
    });
  }
});
