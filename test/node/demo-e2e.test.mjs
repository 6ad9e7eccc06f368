// The demo end to end, as a visitor uses it: `npm start` (scripts/demo/start.mjs)
// on ports chosen here with a fresh receiver data directory, and Debian's
// Chromium (playwright-core) on the GMO Registry site's account page, where
// the demo customer is signed in:
//   first visit: the banner shows → Choose → switch marketing on, save: the
//   dialog closes, says what was saved, and gives focus to the settings button
//   → reload: no banner, the settings button instead
//   → the account page's <consent-preferences>: seminars on, save
//   → <consent-history> lists exactly the two receipts, both verified
//   → the receiver's own history (GET /subjects/<subject>/receipts) holds
//     exactly those two receipt ids, and `npm start` printed a line for each
//     (and one more, "200 already stored", for a receipt sent again);
// a second browser context signed in as the same customer shows the same
// choices and no banner; deciding on the home page and then opening the
// account page asks nothing (the decision is carried over);
// the gated marketing script runs only once marketing is granted; SIGINT
// stops the demo cleanly. Every wait is on the page's state, not a sleep.
//
// AKKOORD_DEMO_SCREENSHOT=/tmp/account.png saves the account page at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STOP_TIMEOUT_MS, isRunning, startDemoOnFreePorts, timeoutAfter } from '../fixtures/demo.mjs';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';

const STEP_TIMEOUT_MS = 10_000;
const SUBJECT = 'demo-customer-gmo-1';

describe('demo end to end: GMO Registry account page in Chromium', () => {
  let running;
  let ports;
  let demo;
  let browser;
  let receiverUrl;
  let receiverPid;

  before(async () => {
    running = await startDemoOnFreePorts('demo-e2e');
    ({ ports, demo, receiverUrl, receiverPid } = running);
    assert.ok(receiverUrl && receiverPid, `the receiver runs (it is built):\n${demo.output()}`);
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    running?.stop();
  });

  test('first visit, choose, reload, account page toggle: the history shows both receipts as verified', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      // When the gated script is fetched, and whether marketing was granted by then.
      let marketingGranted = false;
      const marketingLoads = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/demo/marketing.js') marketingLoads.push({ granted: marketingGranted });
      });
      // The history's reads of the receiver's copy (with the page's demo credentials).
      const historyReads = [];
      page.on('response', (response) => {
        if (response.url() === `${receiverUrl}/subjects/${SUBJECT}/receipts`) historyReads.push(response.status());
      });

      const banner = page.locator('consent-banner');
      const badge = page.locator('#marketing-status');
      const switchFor = (scope, purpose) => scope.locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
      const statusShown = (scope) => scope.locator('[part~="status"]').filter({ hasText: /\S/ }).waitFor();

      // First visit: the banner asks; the marketing script waits.
      await page.goto(`http://127.0.0.1:${ports.gmo}/account`);
      await banner.locator('[part~="choose-button"]').waitFor();
      // The language switch, as a screen reader and voice control get it: each name begins with the visible text.
      const languageLinks = page.locator('.lang-switch a');
      assert.deepEqual(await languageLinks.allInnerTexts(), ['NL', 'EN']);
      assert.match(await languageLinks.first().ariaSnapshot(), /^- link "NL, Nederlands"/);
      assert.match(await languageLinks.last().ariaSnapshot(), /^- link "EN, English"/);
      assert.equal(await badge.getAttribute('data-t'), 'marketing.waiting');

      // Choose: marketing on, save, close.
      await banner.locator('[part~="choose-button"]').click();
      const dialog = banner.locator('[part~="dialog"]');
      await dialog.waitFor();
      assert.equal(await switchFor(dialog, 'marketing').isChecked(), false, 'nothing is on before the visitor switches it on');
      await switchFor(dialog, 'marketing').check();
      assert.equal(marketingLoads.length, 0, 'the gated script is not fetched before marketing is granted');
      marketingGranted = true;
      // The receipt comes back countersigned (consent-sync) before the reload below: a reload while it
      // is on its way would send it again, which the receiver answers "200 already stored".
      const synced = page.evaluate(() => new Promise((resolve) => document.addEventListener('consent-sync', () => resolve(), { once: true })));
      await dialog.locator('[part~="save-button"]').click();
      // The save ends the errand: the dialog closes, a status outside it says what was saved,
      // and focus is back on the settings button that replaced the banner.
      await dialog.waitFor({ state: 'hidden' });
      const saved = banner.locator('[part~="saved-status"]');
      await saved.filter({ hasText: /\S/ }).waitFor();
      assert.equal(await saved.getAttribute('role'), 'status');
      assert.equal(await saved.innerText(), 'Uw keuzes zijn opgeslagen. Met uw toestemming: Nieuws en aanbiedingen per e-mail.');
      await page.waitForFunction(() => document.querySelector('consent-banner')?.shadowRoot?.activeElement?.getAttribute('part') === 'settings-button');
      await page.locator('#marketing-status.ran').waitFor();
      assert.equal(await badge.getAttribute('data-t'), 'marketing.ran');
      await synced;

      // Reload: the decision is kept, so no banner, and the gated script runs at once.
      await page.reload();
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="choose-button"]').count(), 0, 'no banner after the decision');
      await page.locator('#marketing-status.ran').waitFor();
      assert.ok(marketingLoads.length >= 1 && marketingLoads.every((load) => load.granted), JSON.stringify(marketingLoads));

      // The account page's preferences: marketing is on; switch seminars on too and save.
      const prefs = page.locator('main > consent-preferences');
      await switchFor(prefs, 'seminar-announcements').waitFor();
      assert.equal(await switchFor(prefs, 'marketing').isChecked(), true, 'the preferences show the saved choice');
      await switchFor(prefs, 'seminar-announcements').check();
      await prefs.locator('[part~="save-button"]').click();
      await statusShown(prefs);

      // The history: exactly two receipts, both verified. It reloads on consent-sync (receipt countersigned).
      const history = page.locator('main > consent-history');
      const receipts = history.locator('[part~="receipt"]');
      const bothVerified = () =>
        page.waitForFunction(
          () => {
            const root = document.querySelector('main > consent-history')?.shadowRoot;
            const items = [...(root?.querySelectorAll('[part~="receipt"]') ?? [])];
            return items.length === 2 && items.every((item) => item.querySelector('[part~="verification"]')?.dataset.status === 'verified');
          },
          null,
          { timeout: STEP_TIMEOUT_MS },
        );
      await bothVerified();
      const shownIds = await receipts.evaluateAll((items) => items.map((item) => item.dataset.receiptId));
      assert.equal(new Set(shownIds).size, 2, `two different receipts: ${shownIds}`);
      assert.equal((await history.locator('[part~="status"]').textContent()).trim(), '', 'no note that the receiver could not be read');
      assert.ok(historyReads.length > 0 && historyReads.every((status) => status === 200), `the history read the receiver's copy: ${historyReads}`);

      // The receiver's own history holds exactly those two receipts: marketing first, then seminars as well.
      const response = await fetch(`${receiverUrl}/subjects/${SUBJECT}/receipts`, { headers: { authorization: `Bearer demo:${SUBJECT}` } });
      assert.equal(response.status, 200);
      const stored = (await response.json()).receipts.map((entry) => entry.receipt);
      assert.deepEqual(stored.map((r) => r.consentReceiptID).sort(), [...shownIds].sort());
      const decisions = stored.sort((a, b) => a.akkoord.decidedAt - b.akkoord.decidedAt).map((r) => r.akkoord.decisions);
      assert.equal(decisions[0].marketing, 'granted');
      assert.notEqual(decisions[0]['seminar-announcements'], 'granted');
      assert.equal(decisions[1].marketing, 'granted');
      assert.equal(decisions[1]['seminar-announcements'], 'granted');
      const anonymous = await fetch(`${receiverUrl}/subjects/${SUBJECT}/receipts`);
      assert.ok(anonymous.status === 401 || anonymous.status === 403, `without credentials: ${anonymous.status}`);

      // Where npm start runs, one line per stored receipt: time, subject, method, purposes, answer.
      const receiptLines = () => demo.output().split('\n').filter((line) => line.startsWith('[receipt] '));
      // The demo prints a line as the receiver answers; its output reaches this process a moment later.
      const printed = async (count) => {
        const deadline = Date.now() + STEP_TIMEOUT_MS;
        while (receiptLines().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        return receiptLines();
      };
      await printed(2);
      const line = /^\[receipt\] \d\d:\d\d:\d\d (\S+) (\S+) {2}granted: (.+) {2}denied: (.+) {2}→ (\d{3}) (.+)$/;
      const parsed = receiptLines().map((text) => line.exec(text));
      assert.equal(parsed.length, 2, `two receipt lines:\n${demo.output()}`);
      assert.ok(parsed.every(Boolean), `each line has every field:\n${receiptLines().join('\n')}`);
      for (const [, subject, method, , , status, outcome] of parsed) {
        assert.deepEqual([subject, method, status, outcome], [SUBJECT, 'preferences', '201', 'stored']);
      }
      assert.deepEqual(parsed[0][3].split(', '), ['marketing'], receiptLines()[0]);
      assert.ok(parsed[0][4].split(', ').includes('seminar-announcements'), receiptLines()[0]);
      assert.deepEqual(parsed[1][3].split(', ').sort(), ['marketing', 'seminar-announcements'], receiptLines()[1]);
      // Sent again (as an outbox does after a lost answer): the receiver answers 200, and the line says so.
      const again = await fetch(`${receiverUrl}/receipts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': stored[0].consentReceiptID },
        body: JSON.stringify(stored[0]),
      });
      assert.equal(again.status, 200, await again.text());
      assert.match((await printed(3))[2] ?? '', new RegExp(`^\\[receipt\\] \\S+ ${SUBJECT} preferences .*→ 200 already stored$`), demo.output());

      // The rights are on the page too, from the same notice.
      await page.locator('main > privacy-rights').locator('[part~="rights"]').waitFor();
      assert.deepEqual(problems, [], 'no script errors or CSP violations');

      if (process.env.AKKOORD_DEMO_SCREENSHOT) await page.screenshot({ path: process.env.AKKOORD_DEMO_SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('a second browser, signed in as the same customer: no banner, the same switches', async () => {
    // Another profile (a browser context of its own): nothing of the first is in its storage.
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      await page.goto(`http://127.0.0.1:${ports.gmo}/account`);
      const banner = page.locator('consent-banner');
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="choose-button"]').count(), 0, 'no banner: the receiver knows the decision');
      const prefs = page.locator('main > consent-preferences');
      const switchFor = (purpose) => prefs.locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
      await switchFor('seminar-announcements').waitFor();
      assert.equal(await switchFor('marketing').isChecked(), true, 'the choices made in the first browser');
      assert.equal(await switchFor('seminar-announcements').isChecked(), true);
      await page.locator('#marketing-status.ran').waitFor();
      assert.deepEqual(problems, [], 'no script errors');
    } finally {
      await context.close();
    }
  });

  test('decided on the home page, then the account page: nothing is asked, the decision is carried over', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.goto(`http://127.0.0.1:${ports.gmo}/`);
      const banner = page.locator('consent-banner');
      await banner.locator('[part~="reject-button"]').click();
      await banner.locator('[part~="settings-button"]').waitFor();
      await page.goto(`http://127.0.0.1:${ports.gmo}/account`);
      await banner.locator('[part~="settings-button"]').waitFor();
      assert.equal(await banner.locator('[part~="choose-button"]').count(), 0, 'not asked again after sign-in');
      // The customer's chain ends with the carried-over receipt, which names the pseudonym's.
      const headers = { authorization: `Bearer demo:${SUBJECT}` };
      const carried = async () => {
        const { receipts } = await (await fetch(`${receiverUrl}/subjects/${SUBJECT}/receipts`, { headers })).json();
        return receipts.at(-1)?.receipt.akkoord.carriedOver;
      };
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      while (!(await carried()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match((await carried())?.subject ?? '', /^psn_/, 'a receipt that names the pseudonym it came from');
    } finally {
      await context.close();
    }
  });

  // A visitor who decided: every page shows the settings control, never the banner.
  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    test(`the settings control covers neither a page's footer nor the account page's marketing switch (${viewport.name})`, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT_MS);
        const control = page.locator('consent-banner [part~="settings-button"]');
        const apart = (a, b) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        const show = (box) => `${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)}`;
        await page.goto(`http://127.0.0.1:${ports.gmo}/`);
        await page.locator('consent-banner [part~="reject-button"]').click();
        await control.waitFor();
        for (const path of ['/', '/privacy', '/account']) {
          await page.goto(`http://127.0.0.1:${ports.gmo}${path}`);
          await control.waitFor();
          // Scrolled to the end, the footer is above the control, not under it.
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          await page.waitForFunction(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1);
          const footer = await page.locator('.site-footer').boundingBox();
          const button = await control.boundingBox();
          assert.ok(apart(footer, button), `${path}: footer ${show(footer)}, control ${show(button)}`);
        }
        // The account page's marketing switch, scrolled to the bottom edge of the window, where the control is.
        const marketing = page.locator('main > consent-preferences [part~="switch"][aria-describedby="description-marketing"]');
        await marketing.evaluate((element) => element.scrollIntoView({ block: 'end' }));
        const switchBox = await marketing.boundingBox();
        const button = await control.boundingBox();
        assert.ok(apart(switchBox, button), `marketing switch ${show(switchBox)}, control ${show(button)}`);
        assert.ok(button.width <= 48 && button.height <= 48, `small: ${show(button)}`);

        // D-Cube Resource's site: the control in its teal, not Akkoord's blue.
        await page.goto(`http://127.0.0.1:${ports.dcube}/`);
        await control.waitFor();
        assert.equal(await control.evaluate((element) => getComputedStyle(element).backgroundColor), 'rgb(15, 94, 89)');
        if (process.env.AKKOORD_DEMO_SCREENSHOT) await page.screenshot({ path: process.env.AKKOORD_DEMO_SCREENSHOT.replace(/\.png$/, `-dcube-${viewport.name}.png`) });
      } finally {
        await context.close();
      }
    });
  }

  test('stops on SIGINT: exit code 0, receiver gone', async () => {
    await browser.close();
    browser = undefined;
    demo.child.kill('SIGINT');
    const result = await Promise.race([demo.exited, timeoutAfter(STOP_TIMEOUT_MS)]);
    assert.notEqual(result, 'timeout', `still running ${STOP_TIMEOUT_MS / 1000} s after SIGINT:\n${demo.output()}`);
    assert.deepEqual(result, { code: 0, signal: null }, demo.output());
    assert.match(demo.output(), /SIGINT: stopping the demo[\s\S]*Stopped\./);
    assert.equal(isRunning(receiverPid), false, `receiver (pid ${receiverPid}) is still running`);
  });
});
