// A registrar's site with its own tags, on www.registrar.test, against the build.
//
// A refused purpose's declared cookies go, also from the registrable domain: a page on
// www.registrar.test (both names resolved to 127.0.0.1 by Chromium's host rules) whose marketing
// tag, a real gated script, sets a cookie on registrar.test, two on the host and a localStorage key.
// The GMO Registry notice declares them for its marketing purpose and is built with
// `akkoord-notice build`, as a registrar's CI would; the page runs the script tag's bundle.
//
// Google Consent Mode: consent-mode.min.js, loaded first under `script-src 'self'`, has set the
// default before a tag that stands in for Google's runs; "Accept all" in the banner sends the update
// the notice's mapping (marketing → the ads signals) gives; the next page load sends it again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/registrar-hosts');
const both = (nl, en) => ({ nl, en });

/** The launch notice, its marketing purpose declaring what the tag sets. */
function noticeWithCookies() {
  const notice = JSON.parse(readFileSync(join(ROOT, 'packages/notices/notices/gmo-registry.json'), 'utf8'));
  const marketing = notice.purposes.find((p) => p.id === 'marketing');
  marketing.cookies = [
    { name: '_mk_id', provider: 'Marketing B.V.', domain: '.registrar.test', lifetime: both('1 uur', '1 hour'), description: both('Herkent u.', 'Recognizes you.') },
    { name: '_mk_visit_*', provider: 'GMO Registry', lifetime: both('1 uur', '1 hour'), description: both('Telt bezoeken.', 'Counts visits.') },
  ];
  marketing.consentMode = ['ad_storage', 'ad_user_data', 'ad_personalization'];
  marketing.storage = [{ key: 'mk-profile', type: 'local', provider: 'Marketing B.V.', lifetime: both('tot u het wist', 'until you clear it'), description: both('Uw profiel.', 'Your profile.') }];
  return notice;
}

function serve(routes) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    sendStaticFile(res, routes, path, (file) =>
      extname(file) === '.html' ? { 'content-security-policy': "default-src 'self'; script-src 'self'; object-src 'none'" } : {},
    );
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, port: server.address().port })));
}

describe('A registrar\'s site with tags: declared cookies, Consent Mode', { timeout: 60_000 }, () => {
  let out, site, browser;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'akkoord-declared-cookies-'));
    writeFileSync(join(out, 'gmo-registry.json'), JSON.stringify(noticeWithCookies()));
    execFileSync(process.execPath, [join(ROOT, 'packages/core/bin/akkoord-notice.js'), 'build', join(out, 'gmo-registry.json'), '--out', join(out, 'notices')], { stdio: 'pipe' });
    site = await serve({ '/akkoord/notices/': join(out, 'notices'), '/akkoord/': join(ROOT, 'packages/elements/dist'), '/js/': FIXTURE, '/': FIXTURE });
    browser = await chromium.launch({
      executablePath: findChromium(),
      headless: true,
      args: [
        ...HEADLESS_ARGS,
        '--host-resolver-rules=MAP *.registrar.test 127.0.0.1, MAP registrar.test 127.0.0.1',
        // A registrar's site is https; here plain http stands in for it, so the browser is told to treat it as secure
        // (Web Crypto, which seals the consent record, exists in secure contexts only).
        `--unsafely-treat-insecure-origin-as-secure=http://www.registrar.test:${site.port}`,
      ],
    });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('granted: the tag sets its cookies; withdrawn: every one is gone, on both domains, with its storage key', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const uncaught = [];
      page.on('pageerror', (error) => uncaught.push(error.message));
      await page.goto(`http://www.registrar.test:${site.port}/`);
      await page.waitForFunction(() => window.consent);
      const marketingCookies = async () =>
        (await context.cookies()).filter((c) => c.name.startsWith('_mk_')).map((c) => `${c.name}@${c.domain}`).sort();

      await page.evaluate(() => window.consent.grant('marketing', { source: 'user' }));
      await page.waitForFunction(() => window.marketingRan);
      assert.deepEqual(await marketingCookies(), ['_mk_id@.registrar.test', '_mk_visit_1@www.registrar.test', '_mk_visit_2@.www.registrar.test']);
      assert.equal(await page.evaluate(() => localStorage.getItem('mk-profile')), '{"seen":1}');

      await page.evaluate(() => window.consent.withdraw('marketing', { source: 'user' }));
      assert.deepEqual(await marketingCookies(), []);
      assert.equal(await page.evaluate(() => localStorage.getItem('mk-profile')), null);
      assert.deepEqual(await page.evaluate(() => window.consent.errors.map((e) => e.code)), []);
      assert.deepEqual(uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('Consent Mode: the default before any tag, under script-src \'self\'; an update on "Accept all" and on the next load', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => message.type() === 'error' && !/favicon|404/.test(message.text()) && problems.push(message.text()));
      const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'denied' };
      const defaults = [
        ['consent', 'default', { ...denied, wait_for_update: 800, region: ['NL', 'BE'] }],
        ['set', 'ads_data_redaction', true],
      ];
      const granted = ['consent', 'update', { ...denied, ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }];
      const dataLayer = () => page.evaluate(() => window.dataLayer.map((command) => Array.from(command)));

      await page.goto(`http://www.registrar.test:${site.port}/tags.html`);
      assert.deepEqual(await page.evaluate(() => window.seenByTag), defaults, 'the tag found the default already set');
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.waitForFunction(() => window.dataLayer.length > 2);
      assert.deepEqual(await dataLayer(), [...defaults, granted]);

      await page.reload();
      await page.waitForFunction(() => window.dataLayer.length > 2);
      assert.deepEqual(await dataLayer(), [...defaults, granted], 'a returning visitor: the default, then the stored decision');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
