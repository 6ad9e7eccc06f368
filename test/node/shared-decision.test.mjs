// One decision across a registrar's hosts: `cookie-domain` on the consent elements mirrors the decision
// in a cookie on the registrable domain, and every host under it reads that before it asks. Two host
// names resolved to 127.0.0.1 (www and account), one browser profile, the built bundle, a real gated
// script; what is asserted is what a visitor meets: whether the banner asks, what runs, what the
// switches say.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { sendStaticFile } from '../../scripts/test/static-files.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOTICE = '/data/gmo-registry/first-layer.nl.json';

const page = (body) => `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Registrar</title>
<script type="module" src="/akkoord/akkoord.min.js"></script>
<script src="/listen.js"></script></head>
<body><main><h1>Registrar</h1>${body}</main>
<script type="text/plain" data-consent="marketing" src="/gated.js"></script>
</body></html>`;

function serve(root) {
  const routes = { '/akkoord/': join(ROOT, 'packages/elements/dist'), '/data/': join(ROOT, 'packages/notices/dist/data'), '/': root };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    sendStaticFile(res, routes, path);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, port: server.address().port })));
}

describe('One decision across a registrar\'s hosts (cookie-domain)', { timeout: 90_000 }, () => {
  let out, site, browser, www, account;
  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'akkoord-shared-decision-'));
    const banner = (domain) => `<consent-banner notice="${NOTICE}" lang="nl" privacy-href="/privacy"${domain}></consent-banner>`;
    writeFileSync(join(out, 'index.html'), page(banner(' cookie-domain="registrar.test"')));
    writeFileSync(
      join(out, 'account.html'),
      page(`${banner(' cookie-domain="registrar.test"')}<consent-preferences notice="${NOTICE}" lang="nl" cookie-domain="registrar.test"></consent-preferences>`),
    );
    writeFileSync(join(out, 'alone.html'), page(banner('')));
    writeFileSync(join(out, 'gated.js'), 'window.gatedRan = (window.gatedRan ?? 0) + 1;\n');
    writeFileSync(
      join(out, 'listen.js'),
      "window.changes = []; window.errors = [];\n" +
        "document.addEventListener('consent-change', (e) => window.changes.push({ source: e.source, decisions: e.decisions }));\n" +
        "document.addEventListener('consent-error', (e) => window.errors.push(e.code));\n",
    );
    site = await serve(out);
    www = `http://www.registrar.test:${site.port}`;
    account = `http://account.registrar.test:${site.port}`;
    browser = await chromium.launch({
      executablePath: findChromium(),
      headless: true,
      args: [
        ...HEADLESS_ARGS,
        '--host-resolver-rules=MAP *.registrar.test 127.0.0.1',
        // Plain http stands in for the registrar's https: Web Crypto, which seals the record, needs a secure context.
        `--unsafely-treat-insecure-origin-as-secure=${www},${account}`,
      ],
    });
  });
  after(async () => {
    await browser?.close();
    site?.server.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** A page of the profile, with its uncaught errors collected. */
  async function open(context, url) {
    const tab = await context.newPage();
    const uncaught = [];
    tab.on('pageerror', (error) => uncaught.push(error.message));
    await tab.goto(url);
    return { tab, uncaught };
  }
  const askButton = (tab) => tab.locator('consent-banner').getByRole('button', { name: 'Alles accepteren' });
  const settled = (tab) => tab.waitForFunction(() => window.changes.length > 0 || window.errors.length > 0);
  /** Accept all on www, as a first visit does; the gated script has run once. */
  async function acceptOnWww(context) {
    const visit = await open(context, `${www}/`);
    await askButton(visit.tab).click();
    await visit.tab.waitForFunction(() => window.gatedRan === 1);
    return visit;
  }

  test('decided on www: account does not ask, runs what was granted; withdrawn on account: www follows on its next look', async () => {
    const context = await browser.newContext();
    try {
      const first = await acceptOnWww(context);
      const mirror = (await context.cookies()).find((c) => c.name === 'akkoord_gmo-registry');
      assert.ok(mirror, 'the decision is mirrored in a cookie');
      assert.equal(mirror.domain, '.registrar.test');
      assert.equal(mirror.sameSite, 'Lax');
      assert.ok(!/psn_/.test(Buffer.from(mirror.value.split('.')[0], 'base64url').toString()), 'the cookie carries no subject');

      const second = await open(context, `${account}/account.html`);
      await second.tab.waitForFunction(() => window.gatedRan === 1);
      assert.equal(await askButton(second.tab).count(), 0, 'the banner does not ask on account');
      const marketing = second.tab.locator('consent-preferences').getByRole('switch', { name: /Nieuws en aanbiedingen/ });
      assert.equal(await marketing.isChecked(), true);
      assert.deepEqual(await second.tab.evaluate(() => window.changes.at(-1).decisions), {
        marketing: 'granted',
        'seminar-announcements': 'granted',
        'feature-announcements': 'granted',
      });

      // Withdrawn on account; www, shown again, follows without a reload, and a reload does not run the script.
      await marketing.click();
      await second.tab.locator('consent-preferences').locator('[part~="save-button"]').click();
      await second.tab.waitForFunction(() => window.changes.at(-1).decisions.marketing === 'denied');
      await first.tab.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await first.tab.waitForFunction(() => window.changes.at(-1)?.decisions.marketing === 'denied');
      await first.tab.reload();
      await settled(first.tab);
      assert.equal(await first.tab.evaluate(() => window.gatedRan ?? 0), 0);
      assert.equal(await askButton(first.tab).count(), 0);
      assert.deepEqual([...first.uncaught, ...second.uncaught], []);
      assert.deepEqual(await first.tab.evaluate(() => window.errors), []);
      assert.deepEqual(await second.tab.evaluate(() => window.errors), []);
    } finally {
      await context.close();
    }
  });

  test('a damaged cookie is ignored and reported: the host asks', async () => {
    const context = await browser.newContext();
    try {
      const first = await acceptOnWww(context);
      const mirror = (await context.cookies()).find((c) => c.name === 'akkoord_gmo-registry');
      const body = JSON.parse(Buffer.from(mirror.value.split('.')[0], 'base64url').toString());
      body.decisions.marketing = 'granted';
      body.decidedAt += 60_000; // "later", so it would win if it were believed
      const forged = `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${mirror.value.split('.')[1]}`;
      await context.addCookies([{ ...mirror, value: forged }]);

      const second = await open(context, `${account}/account.html`);
      await askButton(second.tab).waitFor();
      await second.tab.waitForFunction(() => window.errors.includes('record-invalid'));
      assert.equal(await second.tab.evaluate(() => window.gatedRan ?? 0), 0);
      assert.deepEqual(second.uncaught, []);
    } finally {
      await context.close();
    }
  });

  test('without cookie-domain a host keeps to itself', async () => {
    const context = await browser.newContext();
    try {
      const first = await acceptOnWww(context);
      const alone = await open(context, `${account}/alone.html`);
      await askButton(alone.tab).waitFor();
      assert.equal(await alone.tab.evaluate(() => window.gatedRan ?? 0), 0);
    } finally {
      await context.close();
    }
  });
});
