// The demo's back office, as the registrar's staff and its customer see it:
// `npm start` on free ports, Debian's Chromium (playwright-core).
//   The demo customer accepts everything on the GMO Registry account page;
//   → the back office lists them among those who may receive the marketing
//     mailing, with the receipt that proves it, and prepares a mail with its
//     List-Unsubscribe and List-Unsubscribe-Post headers (no back-office key
//     in the page; axe finds nothing);
//   → the one-click unsubscribe, posted as a mail client posts it, lands on
//     the receiver's confirmation;
//   → the account page shows marketing off, the rest on, and the history the
//     receiver's verified unsubscribe receipt;
//   → the back office shows the customer as withdrawn, the receiver's
//     webhook deliveries, and the event the site's mail system received with
//     a verified signature; a forged delivery is turned away.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { axeViolations } from '../../scripts/test/axe.mjs';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';
import { startDemoOnFreePorts } from '../fixtures/demo.mjs';

const STEP_TIMEOUT_MS = 15_000;
const SUBJECT = 'demo-customer-gmo-1';

describe('demo back office: who may be mailed, one-click unsubscribe, webhooks', () => {
  let running;
  let browser;

  before(async () => {
    running = await startDemoOnFreePorts('demo-back-office');
    assert.match(running.demo.output(), /back office http:\/\/127\.0\.0\.1:\d+\/back-office/, running.demo.output());
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    running?.stop();
  });

  test('a customer who consented is on the list; the mail unsubscribes them; the account page and the back office show it', async () => {
    const site = `http://127.0.0.1:${running.ports.gmo}`;
    // A Dutch reader: the receiver answers the unsubscribe in the browser's language.
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'nl-NL' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

      // The customer accepts everything on the account page.
      await page.goto(`${site}/account`);
      await page.locator('consent-banner [part~="accept-button"]').click();
      const stored = async () => {
        const response = await fetch(`${running.receiverUrl}/subjects/${SUBJECT}/receipts`, { headers: { authorization: `Bearer demo:${SUBJECT}` } });
        return (await response.json()).receipts ?? [];
      };
      const until = async (what, check) => {
        const deadline = Date.now() + STEP_TIMEOUT_MS;
        for (;;) {
          const value = await check();
          if (value) return value;
          if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}\n${running.demo.output()}`);
          await new Promise((done) => setTimeout(done, 100));
        }
      };
      await until('the receipt at the receiver', async () => (await stored()).length === 1);

      // The back office: the customer may receive the marketing mailing.
      await page.goto(`${site}/back-office?purpose=marketing`);
      assert.equal(await page.locator('h1').innerText(), 'Backoffice: mailings');
      assert.equal(await page.locator('#customer-state').getAttribute('data-state'), 'granted');
      assert.ok(Number(await page.locator('#recipient-count').getAttribute('data-count')) >= 1);
      assert.match(await page.locator('#recipients').innerText(), new RegExp(SUBJECT));
      const headers = await page.locator('#mail-headers').innerText();
      assert.match(headers, new RegExp(`^List-Unsubscribe: <${running.receiverUrl}/unsubscribe/[A-Za-z0-9._~-]+>$`, 'm'));
      assert.match(headers, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      assert.doesNotMatch(await page.content(), /akk_[0-9a-f]/, 'the back-office key stays on the server');
      assert.deepEqual(await axeViolations(page), [], 'axe finds nothing on the back office');

      // Unsubscribe as the reader's mail program does: a POST of List-Unsubscribe=One-Click.
      await page.locator('#one-click button').click();
      await page.locator('h1', { hasText: 'U bent afgemeld' }).waitFor();
      const receipts = await until('the unsubscribe receipt', async () => {
        const now = await stored();
        return now.length === 2 && now;
      });
      assert.equal(receipts[1].receipt.akkoord.method, 'email-unsubscribe');

      // The account page: marketing off, the rest as it was, nothing asked; the history verifies the new receipt.
      await page.goto(`${site}/account`);
      const prefs = page.locator('main > consent-preferences');
      const switchFor = (purpose) => prefs.locator(`[part~="switch"][aria-describedby="description-${purpose}"]`);
      await switchFor('marketing').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(await switchFor('marketing').isChecked(), false, 'marketing withdrawn from the mail');
      assert.equal(await switchFor('seminar-announcements').isChecked(), true, 'the other purposes unchanged');
      assert.equal(await page.locator('consent-banner [part~="choose-button"]').count(), 0, 'not asked again');
      await page.waitForFunction(
        () => {
          const items = [...(document.querySelector('main > consent-history')?.shadowRoot?.querySelectorAll('[part~="receipt"]') ?? [])];
          return items.length === 2 && items.every((item) => item.querySelector('[part~="verification"]')?.dataset.status === 'verified');
        },
        null,
        { timeout: STEP_TIMEOUT_MS },
      );

      // The back office again: withdrawn, and the mail system heard of it through a signed webhook.
      await until('the webhook at the site', async () => {
        await page.goto(`${site}/back-office?purpose=marketing&lang=en`);
        return /email-unsubscribe/.test((await page.locator('#received').innerText().catch(() => '')) ?? '');
      });
      assert.equal(await page.locator('#customer-state').getAttribute('data-state'), 'denied');
      assert.match(await page.locator('#deliveries').innerText(), /delivered/);
      assert.match(running.demo.output(), /\[webhook\] \S+ gmo consent\.recorded demo-customer-gmo-1 email-unsubscribe .*denied: marketing/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('the site turns away a webhook delivery without a valid signature', async () => {
    const response = await fetch(`http://127.0.0.1:${running.ports.gmo}/back-office/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
      body: JSON.stringify({ type: 'consent.recorded', data: { noticeId: 'gmo-registry', subject: 'forged', method: 'forged', granted: [], denied: [] } }),
    });
    assert.equal(response.status, 401);
    assert.doesNotMatch(running.demo.output(), /\[webhook\].*forged/);
  });

  test('D-Cube asks no consent: its back office says there is no mailing to check', async () => {
    const response = await fetch(`http://127.0.0.1:${running.ports.dcube}/back-office`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /vraagt nergens toestemming voor/);
  });
});
