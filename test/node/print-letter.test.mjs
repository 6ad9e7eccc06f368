// <privacy-rights>' letter prints alone: on the demo's account page, where
// the preferences, the consent history and the rights fill several screens,
// a prepared letter is all that printing gives (page.pdf() prints with the
// print media, as the browser's Print does), on one A4 page. The page
// (scripts/demo/pages.mjs) has no print CSS of its own for this: the element
// does it. Before a letter is prepared, the whole page prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoOnFreePorts } from '../fixtures/demo.mjs';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';

const STEP_TIMEOUT_MS = 10_000;

/** Pages in a PDF that Chromium wrote: the `/Count` of its page tree (the largest, if it has several levels). */
const pageCount = (pdf) => Math.max(0, ...[...pdf.toString('latin1').matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => Number(m[1] ?? m[2])));

/**
 * The text a reader sees in print, as { text, inLetter } per element whose
 * own text renders, across shadow roots: whether it is part of the letter.
 */
function visibleTexts() {
  const found = [];
  const letter = document.querySelector('privacy-rights').shadowRoot.querySelector('[part~="letter"]');
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').replace(/\s+/g, ' ').trim();
      if (own && el.checkVisibility() && el.getClientRects().length) found.push({ text: own, inLetter: letter?.contains(el) ?? false });
    }
  };
  visit(document.body);
  return found;
}

describe('<privacy-rights> prints the letter alone', () => {
  let running;
  let browser;

  before(async () => {
    running = await startDemoOnFreePorts('print-letter');
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    running?.stop();
  });

  test('on the account page: the whole page before, the letter alone on one A4 page after it is prepared', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.goto(`http://127.0.0.1:${running.ports.gmo}/account?lang=en`);
      const rights = page.locator('privacy-rights');
      await rights.locator('[part~="request-form"]').waitFor();

      const whole = pageCount(await page.pdf({ format: 'A4' }));
      assert.ok(whole > 2, `without a letter the account page prints as a whole (${whole} pages)`);

      await rights.locator('#field-right').selectOption('access');
      await rights.locator('#field-name').fill('Jan Jansen');
      await rights.locator('#field-email').fill('jan@example.nl');
      await rights.locator('#field-street').fill('Dorpsstraat 1');
      await rights.locator('#field-postalCode').fill('1234 AB');
      await rights.locator('#field-locality').fill('Utrecht');
      await rights.locator('#field-country').fill('Nederland');
      await rights.locator('button[data-action="postal"]').click();
      await rights.locator('[part~="letter"]').waitFor();

      await page.emulateMedia({ media: 'print' });
      const texts = await page.evaluate(visibleTexts);
      const outside = texts.filter((t) => !t.inLetter).map((t) => t.text);
      assert.deepEqual(outside, [], 'in print, nothing shows but the letter');
      const letter = texts.map((t) => t.text).join(' ');
      for (const words of ['Jan Jansen', 'Dorpsstraat 1', 'Dear Sir or Madam,', 'Yours faithfully,']) assert.ok(letter.includes(words), `the letter shows "${words}"`);
      // (page.pdf() prints with the print media unless screen media is emulated: back to none.)
      await page.emulateMedia({ media: null });

      assert.equal(pageCount(await page.pdf({ format: 'A4' })), 1, 'the letter prints on one page');

      // A changed form is another request: the letter goes, and the page prints whole again.
      // (At least as long as before: the page's other elements may have rendered more since.)
      await rights.locator('#field-name').fill('Jan de Vries');
      await rights.locator('[part~="letter"]').waitFor({ state: 'detached' });
      const again = pageCount(await page.pdf({ format: 'A4' }));
      assert.ok(again >= whole, `the account page prints whole again (${again} pages, ${whole} before the letter)`);
    } finally {
      await context.close();
    }
  });
});
