// One customer, two devices: two Chromium browser contexts (each a profile of
// its own: its own IndexedDB, pseudonym and outbox), the real receiver
// process on 127.0.0.1, and a registrar page that passes the customer's
// credentials through the documented `credentials` property. The scenarios
// are those a customer lives through:
//   anonymous, then signed in: not asked again, the chain shows the
//     carried-over receipt;
//   a second device: no banner, the same switches, and its next decision
//     continues the chain without a 409;
//   a withdrawal on one device reaches the other when the page becomes
//     visible again, and on reload its gated script stays put;
//   both devices decide offline, then come online: one chain, every decision
//     once, the decision made last in force on both;
//   the receiver is down at sign-in: the page works, the carried-over receipt
//     arrives once the receiver is back.
// The receiver runs with --demo-auth (`Bearer demo:<subject>` reads that
// subject's records), which stands in for a registrar's session check.
// Every wait is on the page's or the receiver's state, never a sleep.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { startReceiver } from '../../packages/receiver/test/harness.mjs';
import { freePort } from '../fixtures/demo.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STEP_TIMEOUT_MS = 10_000;
const MANIFEST = '/akkoord/notices/gmo-registry/manifest.json';
const MOUNTS = [
  { prefix: '/akkoord/notices/', root: join(ROOT, 'packages/notices/dist/data') },
  { prefix: '/akkoord/', root: join(ROOT, 'packages/elements/dist') },
];
const TYPES = { '.js': 'text/javascript', '.json': 'application/json' };

// The page's own scripts (external: nothing inline). The sign-in hands the
// receiver the customer's token, as a registrar's page returns its session's.
const SIGN_IN = `for (const el of document.querySelectorAll('[subject]')) {
  const subject = el.getAttribute('subject');
  el.credentials = () => ({ authorization: 'Bearer demo:' + subject });
}`;
const MARKETING = `document.body.dataset.marketing = 'ran';`;

/** A registrar page: the banner and the account page's preferences, signed in as `customer` or anonymous. */
function page(endpoint, customer) {
  const subject = customer ? ` subject="${customer}"` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Registrar</title>
<script type="module" src="/akkoord/akkoord.min.js"></script></head>
<body>
<main><consent-preferences notice="${MANIFEST}" endpoint="${endpoint}"${subject}></consent-preferences></main>
<script type="text/plain" data-consent="marketing" src="/marketing.js"></script>
<consent-banner notice="${MANIFEST}" endpoint="${endpoint}"${subject} privacy-href="/privacy"></consent-banner>
<script src="/sign-in.js"></script>
</body></html>`;
}

function startSite(port, endpoint) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status, type, body) => response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', page(endpoint, url.searchParams.get('customer')));
    if (url.pathname === '/sign-in.js') return send(200, 'text/javascript', SIGN_IN);
    if (url.pathname === '/marketing.js') return send(200, 'text/javascript', MARKETING);
    if (url.pathname === '/favicon.ico') return response.writeHead(204).end();
    const mount = MOUNTS.find((m) => url.pathname.startsWith(m.prefix));
    const file = mount && resolve(mount.root, decodeURIComponent(url.pathname.slice(mount.prefix.length)));
    if (!file || !file.startsWith(mount.root + sep) || !TYPES[extname(file)]) return send(404, 'text/plain', 'not found');
    try {
      send(200, TYPES[extname(file)], await readFile(file));
    } catch {
      send(404, 'text/plain', 'not found');
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

describe('one customer on two devices, in two browser profiles', () => {
  let site;
  let sitePort;
  let receiver;
  let receiverPort;
  let dataDir;
  let browser;
  let customer;
  let customers = 0;
  const contexts = [];

  const startTheReceiver = async (port = 0) => {
    receiver = await startReceiver({
      dataDir,
      args: ['--demo-auth', '--allow-origin', `http://127.0.0.1:${sitePort}`, ...(port ? ['--port', String(port)] : [])],
    });
    receiverPort = Number(new URL(receiver.url).port);
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'akkoord-two-devices-'));
    sitePort = await freePort();
    await startTheReceiver();
    site = await startSite(sitePort, receiver.url);
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    await receiver?.stop();
    await new Promise((done) => (site ? site.close(done) : done()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  /** A device: a browser profile of its own; its pages collect what a customer would never want to see. */
  async function device(name = '') {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    contexts.push(context);
    const problems = [];
    const conflicts = [];
    const open = async (who = customer) => {
      const tab = await context.newPage();
      tab.setDefaultTimeout(STEP_TIMEOUT_MS);
      tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      tab.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      tab.on('response', (response) => {
        if (process.env.TRACE) console.log(name, Date.now() % 100000, response.request().method(), response.url(), response.status());
        if (response.status() === 409) conflicts.push(response.url());
      });
      // What the page heard: every consent-sync with its outcome.
      await tab.addInitScript(() => {
        window.__syncs = [];
        addEventListener('consent-sync', (event) => window.__syncs.push(event.outcome));
      });
      await tab.goto(`http://127.0.0.1:${sitePort}/${who ? `?customer=${encodeURIComponent(who)}` : ''}`);
      return tab;
    };
    return { context, open, problems, conflicts };
  }

  const banner = (tab) => tab.locator('consent-banner');
  const prefs = (tab) => tab.locator('main > consent-preferences');
  const switchFor = (tab, purpose) => prefs(tab).locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
  /** The page has settled: the banner asks, or shows its settings button, and the receiver has been read. */
  const settled = async (tab) => {
    await banner(tab).locator('[part~="choose-button"], [part~="settings-button"]').first().waitFor();
    await tab.waitForLoadState('networkidle');
  };
  const asks = async (tab) => (await banner(tab).locator('[part~="choose-button"]').count()) > 0;
  const switches = async (tab) => {
    await switchFor(tab, 'feature-announcements').waitFor();
    const state = {};
    for (const purpose of ['marketing', 'seminar-announcements', 'feature-announcements']) state[purpose] = await switchFor(tab, purpose).isChecked();
    return state;
  };
  const save = async (tab) => {
    await prefs(tab).locator('[part~="save-button"]').click();
    await prefs(tab).locator('[part~="status"]').filter({ hasText: /\S/ }).waitFor();
  };
  /** `count` receipts this page built came back countersigned (a decision taken over from the receiver does not count). */
  const synced = (tab, count) =>
    tab.waitForFunction((n) => window.__syncs.filter((outcome) => outcome !== 'restored').length >= n, count, { timeout: STEP_TIMEOUT_MS });

  const stored = async (who = customer) => {
    const response = await fetch(`${receiver.url}/subjects/${encodeURIComponent(who)}/receipts`, { headers: { authorization: `Bearer demo:${who}` } });
    assert.equal(response.status, 200);
    return (await response.json()).receipts.map((item) => item.receipt);
  };
  /** The receiver's chain: each receipt once, one after the other. */
  const chain = async (who = customer) => {
    const receipts = await stored(who);
    const ids = receipts.map((r) => r.consentReceiptID);
    assert.equal(new Set(ids).size, ids.length, `no receipt twice: ${ids}`);
    receipts.forEach((r, i) => assert.equal(r.akkoord.previousReceiptHash === null, i === 0, 'one chain, from its first receipt'));
    return receipts;
  };
  const until = async (what, check) => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };

  beforeEach(() => {
    customer = `cust-${process.pid}-${++customers}`;
  });

  test('anonymous, then signed in: not asked again; the chain shows the carried-over receipt', async () => {
    const laptop = await device();
    const anonymous = await laptop.open(null);
    await banner(anonymous).locator('[part~="reject-button"]').click();
    await banner(anonymous).locator('[part~="settings-button"]').waitFor();

    const signedIn = await laptop.open();
    await settled(signedIn);
    assert.equal(await asks(signedIn), false, 'the sign-in asked nothing');
    assert.deepEqual(await switches(signedIn), { marketing: false, 'seminar-announcements': false, 'feature-announcements': false });
    const [carried] = await until('the carried-over receipt', async () => (await stored()).length && stored());
    assert.match(carried.akkoord.carriedOver?.subject ?? '', /^psn_/, 'it names the pseudonym it came from');
    assert.deepEqual(laptop.problems, []);
  });

  test('a second device: no banner, the same switches; its next decision continues the chain without a 409', async () => {
    const laptop = await device();
    const first = await laptop.open();
    await settled(first);
    assert.equal(await asks(first), true, 'a first device of a new customer is asked');
    await switchFor(first, 'seminar-announcements').check();
    await save(first);
    await synced(first, 1);

    const phone = await device();
    const second = await phone.open();
    await settled(second);
    assert.equal(await asks(second), false, 'no banner on the second device');
    assert.deepEqual(await switches(second), { marketing: false, 'seminar-announcements': true, 'feature-announcements': false });

    await switchFor(second, 'marketing').check();
    await save(second);
    await until('the second receipt', async () => (await stored()).length === 2);
    const receipts = await chain();
    assert.equal(receipts[1].akkoord.decisions.marketing, 'granted');
    assert.deepEqual(phone.conflicts, [], 'no 409 on the way');
    assert.deepEqual([...laptop.problems, ...phone.problems], []);
  });

  test('a withdrawal on one device reaches the other when it becomes visible, and its gated script stays put on reload', async () => {
    const laptop = await device();
    const onLaptop = await laptop.open();
    await banner(onLaptop).locator('[part~="accept-button"]').click();
    await onLaptop.locator('body[data-marketing="ran"]').waitFor();
    await synced(onLaptop, 1);

    const phone = await device();
    const onPhone = await phone.open();
    await switchFor(onPhone, 'marketing').waitFor();
    assert.equal(await switchFor(onPhone, 'marketing').isChecked(), true);
    await switchFor(onPhone, 'marketing').uncheck();
    await save(onPhone);
    await until('the withdrawal at the receiver', async () => (await stored()).length === 2);

    // The laptop's tab comes back to the front.
    await onLaptop.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await onLaptop.waitForFunction(() => window.__syncs.includes('restored'), null, { timeout: STEP_TIMEOUT_MS });
    assert.equal(await switchFor(onLaptop, 'marketing').isChecked(), false, 'withdrawn on the open page');

    await onLaptop.reload();
    await settled(onLaptop);
    assert.equal(await asks(onLaptop), false);
    assert.equal(await switchFor(onLaptop, 'marketing').isChecked(), false);
    assert.equal(await onLaptop.locator('body').getAttribute('data-marketing'), null, 'the marketing script did not run');
    assert.deepEqual([...laptop.problems, ...phone.problems], []);
  });

  test('both devices decide offline, then come online: one chain, every decision once, the one made last in force on both', async () => {
    const laptop = await device('laptop');
    const onLaptop = await laptop.open();
    await banner(onLaptop).locator('[part~="accept-button"]').click();
    await synced(onLaptop, 1);
    const phone = await device('phone');
    const onPhone = await phone.open();
    await settled(onPhone);

    await laptop.context.setOffline(true);
    await phone.context.setOffline(true);
    // The phone first, then the laptop: the laptop's decision is the one made last.
    await switchFor(onPhone, 'feature-announcements').uncheck();
    await save(onPhone);
    await switchFor(onLaptop, 'seminar-announcements').uncheck();
    await switchFor(onLaptop, 'marketing').uncheck();
    await save(onLaptop);
    // Back online one after the other: the laptop then builds its receipt on the phone's, which it asks the receiver for first.
    await phone.context.setOffline(false);
    await synced(onPhone, 1);
    await laptop.context.setOffline(false);

    const receipts = await until('all three decisions at the receiver', async () => {
      const now = await stored();
      return now.length === 3 && now;
    });
    await chain();
    const byTime = [...receipts].sort((a, b) => a.akkoord.decidedAt - b.akkoord.decidedAt);
    const last = byTime.at(-1).akkoord.decisions;
    assert.equal(last.marketing, 'denied', "the laptop's decision was made last");

    const syncs = [...(await onPhone.evaluate(() => window.__syncs)), ...(await onLaptop.evaluate(() => window.__syncs))];
    assert.ok(syncs.includes('rebased'), `the one that arrived second was rebased: ${syncs}`);
    for (const tab of [onPhone, onLaptop]) {
      await tab.reload();
      await settled(tab);
      assert.deepEqual(await switches(tab), { marketing: false, 'seminar-announcements': false, 'feature-announcements': true }, 'the decision made last, on both');
    }
    assert.deepEqual([...laptop.conflicts, ...phone.conflicts], [], 'no 409 on the way');
    assert.deepEqual([...laptop.problems, ...phone.problems], [], 'no console error');
  });

  test('the receiver is down at sign-in: the page works at once, and the carried-over receipt follows once it is back', async () => {
    const laptop = await device();
    const anonymous = await laptop.open(null);
    await banner(anonymous).locator('[part~="accept-button"]').click();
    await synced(anonymous, 1);
    const port = receiverPort;
    await receiver.stop();
    try {
      const signedIn = await laptop.open();
      await settled(signedIn);
      assert.equal(await asks(signedIn), false, 'not asked: the decision made as a visitor holds');
      assert.equal(await switchFor(signedIn, 'marketing').isChecked(), true);
    } finally {
      await startTheReceiver(port);
    }
    // The next page (or the tab coming back) sends what waited.
    const later = await laptop.open();
    await settled(later);
    const [carried] = await until('the carried-over receipt', async () => (await stored()).length && stored());
    assert.match(carried.akkoord.carriedOver?.subject ?? '', /^psn_/);
    await chain();
    // Connection failures while the receiver was down are the browser's own network log lines, not ours.
    assert.deepEqual(
      laptop.problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(p)),
      [],
    );
  });
});
