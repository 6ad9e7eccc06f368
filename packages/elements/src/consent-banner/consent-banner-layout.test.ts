/**
 * The banner as a visitor sees it on a desktop (1280×800) and a phone
 * (390×844), in Dutch and English, for both launch notices: how much of the
 * screen it takes, that what the first layer must say is in view without
 * scrolling inside it, and that its three choices are equal boxes. Each
 * state is also written as a PNG to test/screenshots/ for review.
 */
import { expect, fixture, fixtureCleanup, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { resetConsentControllers } from '@akkoord/core/consent';
import './define.js';
import '../consent-preferences/define.js';
import type { ConsentBanner } from './consent-banner.js';
import { consentBanner } from '../../../../stories/templates.js';

const manifest = (id: string) => `/packages/notices/dist/data/${id}/manifest.json`;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, maxShare: 0.35 },
  { name: 'phone', width: 390, height: 844, maxShare: 0.6 },
];

const part = <E extends Element = HTMLElement>(el: Element, name: string) => el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const screenshot = (name: string) => executeServerCommand('akkoord-screenshot', { name });

/** Whether `inner` is wholly inside `outer` (to half a pixel). */
function inside(inner: DOMRect, outer: DOMRect): boolean {
  return inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5 && inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
}

async function show(notice: string, lang: string): Promise<ConsentBanner> {
  const subject = `layout-${Math.random().toString(36).slice(2)}`;
  const el = await fixture<ConsentBanner>(consentBanner({ notice, subject, lang }));
  await waitUntil(() => part(el, 'region') ?? part(el, 'settings-button'), 'banner did not render', { timeout: 5000 });
  return el;
}

afterEach(async () => {
  fixtureCleanup();
  resetConsentControllers();
  await setViewport({ width: 800, height: 600 });
});

for (const viewport of VIEWPORTS) {
  for (const lang of ['nl', 'en']) {
    describe(`<consent-banner> on a ${viewport.name} (${viewport.width}×${viewport.height}), ${lang}`, () => {
      beforeEach(() => setViewport({ width: viewport.width, height: viewport.height }));

      it(`takes at most ${viewport.maxShare * 100}% of the screen and shows what it must say without scrolling (GMO Registry)`, async () => {
        const el = await show(manifest('gmo-registry'), lang);
        const region = part(el, 'region')!;
        const box = region.getBoundingClientRect();
        const share = (box.width * box.height) / (viewport.width * viewport.height);
        expect(share, `the banner's share of the screen (${Math.round(box.width)}×${Math.round(box.height)})`).to.be.at.most(viewport.maxShare);
        expect(inside(box, new DOMRect(0, 0, viewport.width, viewport.height)), 'the banner is on screen').to.be.true;

        const body = part(el, 'body')!;
        expect(body.scrollHeight, 'nothing scrolls inside the banner').to.be.at.most(body.clientHeight + 1);
        const view = body.getBoundingClientRect();
        // The controller, each consent purpose, how to withdraw, the links to the rights and the
        // full notice, and the three choices: each in view, not behind the body's edge.
        const controller = [...body.querySelectorAll('strong')].find((s) => s.textContent === 'GMO Registry, Inc.')!;
        const withdrawal = [...body.querySelectorAll('p')].find((p) => /toestemming op elk moment intrekken|withdraw your consent/i.test(p.textContent!))!;
        const required: [string, Element][] = [
          ['the controller', controller],
          ...[...part(el, 'purposes')!.querySelectorAll('li')].map((li): [string, Element] => [`purpose ${li.textContent}`, li]),
          ['how to withdraw', withdrawal],
          ...[...part(el, 'links')!.querySelectorAll('a')].map((a): [string, Element] => [`link ${a.textContent}`, a]),
        ];
        for (const [what, element] of required) {
          expect(element, what).to.exist;
          expect(inside(element.getBoundingClientRect(), view), `${what} is in view`).to.be.true;
        }
        const more = part<HTMLDetailsElement>(el, 'more')!;
        expect(more.open, 'the other purposes wait behind one line').to.be.false;
        expect(more.querySelector('summary')!.getBoundingClientRect().height).to.be.greaterThan(0);
        await expect(el).to.be.accessible();
        await screenshot(`banner-gmo-${viewport.name}-${lang}`);
      });

      it('gives accept, reject and choose equal boxes: one row or one column, never two and one', async () => {
        const el = await show(manifest('gmo-registry'), lang);
        const boxes = ['accept-button', 'reject-button', 'choose-button'].map((name) => part(el, name)!.getBoundingClientRect());
        for (const b of boxes) {
          expect(Math.abs(b.width - boxes[0]!.width), 'the same width').to.be.at.most(1);
          expect(Math.abs(b.height - boxes[0]!.height), 'the same height').to.be.at.most(1);
          expect(b.height, 'a target a thumb can hit').to.be.at.least(44);
          expect(inside(b, new DOMRect(0, 0, viewport.width, viewport.height)), 'on screen').to.be.true;
        }
        const oneRow = boxes.every((b) => Math.abs(b.top - boxes[0]!.top) <= 1);
        const oneColumn = boxes.every((b) => Math.abs(b.left - boxes[0]!.left) <= 1);
        expect(oneRow || oneColumn, `one row or one column: ${boxes.map((b) => `${Math.round(b.left)},${Math.round(b.top)}`).join(' ')}`).to.be.true;
        // Labels on one line each: a label that wraps is a button that looks different.
        for (const name of ['accept-button', 'reject-button', 'choose-button']) {
          const button = part(el, name)!;
          const lineHeight = parseFloat(getComputedStyle(button).lineHeight);
          const range = document.createRange();
          range.selectNodeContents(button);
          expect(range.getBoundingClientRect().height, `${button.textContent} on one line`).to.be.at.most(lineHeight * 1.5);
        }
      });

      it('opens the details on request, and the banner still fits the screen', async () => {
        const el = await show(manifest('gmo-registry'), lang);
        part(el, 'more')!.querySelector('summary')!.click();
        await waitUntil(() => part<HTMLDetailsElement>(el, 'more')!.open);
        const box = part(el, 'region')!.getBoundingClientRect();
        expect(box.top, 'the banner never runs off the top of the screen').to.be.at.least(0);
        expect(part(el, 'other-purposes')!.querySelectorAll('li').length).to.be.greaterThan(0);
        await expect(el).to.be.accessible();
        await screenshot(`banner-gmo-${viewport.name}-${lang}-details`);
      });

      it('shows D-Cube Resource, which asks no consent, only its small settings button', async () => {
        const el = await show(manifest('dcube-resource'), lang);
        expect(part(el, 'region')).to.be.null;
        const button = part(el, 'settings-button')!.getBoundingClientRect();
        expect((button.width * button.height) / (viewport.width * viewport.height)).to.be.at.most(0.05);
        await expect(el).to.be.accessible();
        await screenshot(`banner-dcube-${viewport.name}-${lang}`);
      });
    });
  }
}

/** Opens the preferences from *choose* and waits for its switches. */
async function openDialog(el: ConsentBanner) {
  part(el, 'choose-button')!.click();
  await waitUntil(() => part<HTMLDialogElement>(el, 'dialog')?.open, 'the dialog opens', { timeout: 5000 });
  const dialog = part<HTMLDialogElement>(el, 'dialog')!;
  await waitUntil(() => dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="switch"]'), 'the preferences render', { timeout: 5000 });
  return { dialog, prefs: dialog.querySelector('consent-preferences')! };
}

for (const viewport of VIEWPORTS) {
  for (const lang of ['nl', 'en']) {
    describe(`the preferences dialog on a ${viewport.name}, ${lang}`, () => {
      beforeEach(() => setViewport({ width: viewport.width, height: viewport.height }));

      it('keeps its choices in view while the purposes scroll, with a close button that looks like one', async () => {
        const el = await show(manifest('gmo-registry'), lang);
        const { dialog, prefs } = await openDialog(el);
        const frame = dialog.getBoundingClientRect();
        expect(inside(frame, new DOMRect(0, 0, viewport.width, viewport.height)), 'the dialog is on screen').to.be.true;
        const close = part(el, 'close-button')!;
        expect(getComputedStyle(close).borderTopStyle, 'a visible border').to.equal('solid');
        expect(close.getBoundingClientRect().top - frame.top, 'not against the top edge').to.be.at.least(8);
        const actions = prefs.shadowRoot!.querySelector('[part="actions"]')!;
        expect(inside(actions.getBoundingClientRect(), frame), 'the choices are in view before any scrolling').to.be.true;
        dialog.scrollTop = dialog.scrollHeight;
        await new Promise(requestAnimationFrame);
        expect(inside(actions.getBoundingClientRect(), frame), 'and after scrolling to the end').to.be.true;
        await expect(el).to.be.accessible();
        await screenshot(`dialog-gmo-${viewport.name}-${lang}`);
      });

      it('closes on save, says what was saved, and gives focus back', async () => {
        const el = await show(manifest('gmo-registry'), lang);
        const { dialog, prefs } = await openDialog(el);
        prefs.shadowRoot!.querySelector<HTMLInputElement>('[part="switch"]')!.click();
        prefs.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
        await waitUntil(() => !dialog.open, 'the dialog closes on save', { timeout: 5000 });
        const status = part(el, 'saved-status')!;
        expect(status.getAttribute('role')).to.equal('status');
        expect(status.textContent).to.equal(
          lang === 'nl'
            ? 'Uw keuzes zijn opgeslagen. Met uw toestemming: Nieuws en aanbiedingen per e-mail.'
            : 'Your choices have been saved. With your consent: News and offers by email.',
        );
        const box = status.getBoundingClientRect();
        expect(box.height, 'the status is visible').to.be.greaterThan(0);
        expect(inside(box, new DOMRect(0, 0, viewport.width, viewport.height))).to.be.true;
        await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'settings-button'), 'focus goes to the settings button', { timeout: 5000 });
        await expect(el).to.be.accessible();
        await screenshot(`saved-gmo-${viewport.name}-${lang}`);
      });

      it('speaks sense for a notice without consent purposes', async () => {
        const el = await show(manifest('dcube-resource'), lang);
        part(el, 'settings-button')!.click();
        await waitUntil(() => part<HTMLDialogElement>(el, 'dialog')?.open, 'the dialog opens', { timeout: 5000 });
        const prefs = part(el, 'dialog')!.querySelector('consent-preferences')!;
        await waitUntil(() => prefs.shadowRoot?.querySelector('[part="heading"]'), 'the preferences render', { timeout: 5000 });
        expect(prefs.shadowRoot!.querySelector('[part="heading"]')!.textContent!.trim()).to.equal(lang === 'nl' ? 'Hoe wij uw gegevens gebruiken' : 'How we use your data');
        await expect(el).to.be.accessible();
        await screenshot(`dialog-dcube-${viewport.name}-${lang}`);
      });
    });
  }
}
