// One-click unsubscribe as the customer sees it, in Debian's Chromium
// (playwright-core): the GMO Registry account page (the demo's own site
// server, scripts/demo/server.mjs, in this process) signed in as a
// customer, against the real receiver process with --public-url. The
// customer accepts everything; the back office mints an unsubscribe URL;
// the customer opens it from the mail (a page in Dutch that passes axe-core)
// and unsubscribes with the keyboard; the account page's next load shows
// marketing off and the rest on, without asking again, from the receipt the
// receiver made. Needs the build (`node scripts/build/build.mjs`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { axeViolations } from '../../../scripts/test/axe.mjs';
import { HEADLESS_ARGS, findChromium } from '../../../scripts/test/chromium.mjs';
import { close, createSiteServer, listen } from '../../../scripts/demo/server.mjs';
import { SITES } from '../../../scripts/demo/sites.mjs';
import { BIN, startReceiver } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NOTICES = join(ROOT, 'packages/notices/dist/data');
const STEP_TIMEOUT_MS = 15_000;
const PUBLIC_URL = 'https://consent.gmo.example';

describe('one-click unsubscribe reaches the customer’s account page', () => {
  const site = SITES.find((s) => s.noticeId === 'gmo-registry');
  let dir;
  let receiver;
  let server;
  let origin;
  let browser;
  let mintKey;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'akkoord-unsubscribe-browser-'));
    const made = await promisify(execFile)(process.execPath, [BIN, 'keys', 'create', '--data', dir, '--scope', 'unsubscribe:mint', '--name', 'mailer']);
    mintKey = made.stdout.trim();
    let receiverUrl;
    server = createSiteServer({
      site,
      mounts: [
        { prefix: '/akkoord/notices/', root: NOTICES },
        { prefix: '/akkoord/', root: join(ROOT, 'packages/elements/dist') },
        { prefix: '/demo/', root: join(ROOT, 'scripts/demo/public') },
      ],
      endpoint: () => receiverUrl,
      gated: true,
      asksConsent: true,
    });
    const port = await listen(server, 0, { label: site.name, env: 'AKKOORD_TEST_PORT' });
    origin = `http://127.0.0.1:${port}`;
    receiver = await startReceiver({ dataDir: dir, args: ['--demo-auth', '--allow-origin', origin, '--public-url', PUBLIC_URL] });
    receiverUrl = receiver.url;
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (server) await close(server);
    await receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const history = async () =>
    (await (await fetch(`${receiver.url}/subjects/${site.subject}/receipts`, { headers: { Authorization: `Bearer demo:${site.subject}` } })).json()).receipts;

  it('accept all; unsubscribe from the mail with the keyboard; the next load shows marketing off, asks nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'nl-NL' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      const switchFor = (scope, purpose) => scope.locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
      const banner = page.locator('consent-banner');

      await page.goto(`${origin}/account`);
      await banner.locator('[part~="accept-button"]').click();
      await banner.locator('[part~="settings-button"]').waitFor();
      for (let waited = 0; (await history()).length === 0; waited += 100) {
        assert.ok(waited < STEP_TIMEOUT_MS, 'the receipt reaches the receiver');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const [accepted] = await history();
      assert.equal(accepted.receipt.akkoord.method, 'accept-all');

      // The back office mints the mail's link.
      const minted = await fetch(`${receiver.url}/unsubscribe/tokens`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${mintKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: site.subject, purpose: 'marketing', notice: 'gmo-registry' }),
      });
      assert.equal(minted.status, 201);
      const { url } = await minted.json();
      const link = `${receiver.url}${new URL(url).pathname}`;

      // The customer opens it: a page in Dutch, no script, nothing changed yet.
      const mail = await context.newPage();
      mail.setDefaultTimeout(STEP_TIMEOUT_MS);
      await mail.goto(link);
      assert.equal(await mail.locator('html').getAttribute('lang'), 'nl');
      assert.equal(await mail.locator('h1').innerText(), 'Afmelden voor Nieuws en aanbiedingen per e-mail');
      // The strict CSP keeps even our test's script out: axe runs through the DevTools protocol instead.
      assert.deepEqual(await axeViolations(mail), [], 'no accessibility violations');
      assert.equal((await history()).length, 1, 'opening the link changed nothing');

      // With the keyboard: Tab to the one button, Enter.
      await mail.keyboard.press('Tab');
      assert.equal(await mail.evaluate(() => document.activeElement?.textContent), 'Afmelden');
      await Promise.all([mail.waitForURL(link), mail.keyboard.press('Enter')]);
      await mail.locator('h1', { hasText: 'U bent afgemeld' }).waitFor();
      assert.deepEqual(await axeViolations(mail), []);
      const chain = await history();
      assert.equal(chain.length, 2);
      assert.equal(chain[1].receipt.akkoord.method, 'email-unsubscribe');

      // The account page's next load: marketing off, the others on, no banner, from the receiver's receipt.
      await page.reload();
      const prefs = page.locator('main > consent-preferences');
      await switchFor(prefs, 'seminar-announcements').waitFor();
      await page.waitForFunction(
        () => document.querySelector('main > consent-preferences')?.shadowRoot?.querySelector('[part~="switch"][aria-describedby="description-marketing"]')?.getAttribute('aria-checked') === 'false',
      );
      assert.equal(await switchFor(prefs, 'marketing').isChecked(), false);
      assert.equal(await switchFor(prefs, 'seminar-announcements').isChecked(), true);
      assert.equal(await switchFor(prefs, 'feature-announcements').isChecked(), true);
      assert.equal(await banner.locator('[part~="accept-button"]').count(), 0, 'not asked again');
      await banner.locator('[part~="settings-button"]').waitFor();

      // And the load after: the record this browser restored from that receipt is read back from IndexedDB as its own.
      await page.reload();
      await switchFor(prefs, 'seminar-announcements').waitFor();
      assert.equal(await switchFor(prefs, 'marketing').isChecked(), false);
      assert.equal(await switchFor(prefs, 'seminar-announcements').isChecked(), true);
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="accept-button"]').count(), 0, 'not asked again');

      // The next decision on this device continues the chain from the receiver's receipt.
      await switchFor(prefs, 'marketing').check();
      await prefs.locator('[part~="save-button"]').click();
      for (let waited = 0; (await history()).length < 3; waited += 100) {
        assert.ok(waited < STEP_TIMEOUT_MS, 'the next receipt reaches the receiver');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const after = await history();
      assert.equal(after.length, 3, 'no 409 retry left a receipt twice');
      assert.equal(after[2].receipt.akkoord.decisions.marketing, 'granted');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
