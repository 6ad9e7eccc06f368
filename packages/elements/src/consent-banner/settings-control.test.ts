/**
 * The *privacy settings* control a visitor keeps after deciding, on a desktop
 * (1280×800) and a phone (390×844), in Dutch and English: small and in its
 * corner, its name shown on focus, positionable, hideable (the host then opens
 * the preferences with `openPreferences()`), in the site's colours, and the
 * one note it gives when Global Privacy Control decided. Each state is also
 * written as a PNG to test/screenshots/ for review.
 */
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import { resetConsentControllers } from '@akkoord/core/consent';
import './define.js';
import '../consent-preferences/define.js';
import type { ConsentBanner } from './consent-banner.js';
import { consentBanner } from '../../../../stories/templates.js';

const manifest = (id: string) => `/packages/notices/dist/data/${id}/manifest.json`;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
const NAME = { nl: 'Privacy-instellingen', en: 'Privacy settings' } as const;

const part = <E extends Element = HTMLElement>(el: Element, name: string) => el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const screenshot = (name: string) => executeServerCommand('akkoord-screenshot', { name });
const frame = () => new Promise(requestAnimationFrame);

/** A banner for a notice that asks nothing of this visitor, so it shows the control at once. */
async function control(lang: string, { notice = manifest('dcube-resource'), attributes = {} as Record<string, string>, before = html`` } = {}) {
  const subject = `control-${Math.random().toString(36).slice(2)}`;
  const wrapper = await fixture<HTMLElement>(html`<div>${before}${consentBanner({ notice, subject, lang })}</div>`);
  const el = wrapper.querySelector<ConsentBanner>('consent-banner')!;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  await waitUntil(() => part(el, 'settings-button'), 'the settings control shows', { timeout: 5000 });
  await frame();
  return el;
}

afterEach(async () => {
  fixtureCleanup();
  resetConsentControllers();
  await setViewport({ width: 800, height: 600 });
});

for (const viewport of VIEWPORTS) {
  for (const lang of ['nl', 'en'] as const) {
    describe(`the settings control on a ${viewport.name} (${viewport.width}×${viewport.height}), ${lang}`, () => {
      beforeEach(() => setViewport({ width: viewport.width, height: viewport.height }));

      it('is a small round button in the bottom end corner, named, and shows its name on keyboard focus', async () => {
        const el = await control(lang);
        const button = part(el, 'settings-button')!;
        const box = button.getBoundingClientRect();
        expect(box.width, 'icon-sized').to.be.within(44, 48);
        expect(box.height, 'a target a thumb can hit').to.be.within(44, 48);
        expect(viewport.width - box.right, 'at the end edge').to.be.within(8, 24);
        expect(viewport.height - box.bottom, 'at the bottom edge').to.be.within(8, 24);
        expect(button.textContent!.trim(), 'its accessible name is its text').to.equal(NAME[lang]);
        expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
        await expect(el).to.be.accessible();
        await screenshot(`control-${viewport.name}-${lang}`);

        // From the keyboard: the name shows beside the icon, and the control stays on screen.
        await sendKeys({ press: 'Tab' });
        await waitUntil(() => el.shadowRoot!.activeElement === button, 'Tab reaches the control');
        const focused = button.getBoundingClientRect();
        expect(focused.width, 'the name is on screen').to.be.greaterThan(120);
        expect(focused.left, 'still on screen').to.be.at.least(0);
        expect(focused.right).to.be.at.most(viewport.width);
        await screenshot(`control-${viewport.name}-${lang}-focus`);
      });

      it('goes to the start corner with settings-position="start", and keeps --akkoord-settings-offset from the edges', async () => {
        const el = await control(lang, { attributes: { 'settings-position': 'start' } });
        el.style.setProperty('--akkoord-settings-offset', '40px');
        await frame();
        const box = part(el, 'settings-button')!.getBoundingClientRect();
        expect(box.left).to.be.closeTo(40, 1);
        expect(viewport.height - box.bottom).to.be.closeTo(40, 1);
      });

      it('keeps the end of the page clear of itself', async () => {
        const el = await control(lang, { before: html`<p id="last-line" style="margin: 0">${'Tekst '.repeat(400)}</p>` });
        window.scrollTo(0, document.documentElement.scrollHeight);
        await frame();
        const line = document.getElementById('last-line')!.getBoundingClientRect();
        const box = part(el, 'settings-button')!.getBoundingClientRect();
        expect(line.bottom, 'scrolled to the end, the last line is above the control').to.be.at.most(box.top);
        window.scrollTo(0, 0);
      });
    });
  }
}

describe('the settings control, hidden by the host', () => {
  it('takes no room and no focus, and the host opens the preferences from its own link; focus goes back there', async () => {
    const el = await control('nl', {
      attributes: { 'settings-control': 'hidden' },
      before: html`<a id="host-link" href="#" @click=${(event: Event) => {
        event.preventDefault();
        void document.querySelector('consent-banner')!.openPreferences();
      }}>Privacy-instellingen</a>`,
    });
    const button = part(el, 'settings-button')!;
    expect(button.getBoundingClientRect().height, 'not on screen').to.equal(0);
    expect(el.shadowRoot!.querySelector<HTMLElement>('.settings-spacer')!.getBoundingClientRect().height, 'no room kept').to.equal(0);
    const link = document.getElementById('host-link')!;
    link.focus();
    link.click();
    await waitUntil(() => part<HTMLDialogElement>(el, 'dialog')?.open, 'openPreferences() opens the dialog', { timeout: 5000 });
    const dialog = part<HTMLDialogElement>(el, 'dialog')!;
    await waitUntil(() => dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="heading"]'), 'the preferences render', { timeout: 5000 });
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Esc closes it');
    await waitUntil(() => document.activeElement === link, 'focus goes back to the host link');
  });
});

describe('the settings control in the site\'s theme', () => {
  it('takes --akkoord-color-button and --akkoord-color-button-text from the page', async () => {
    const el = await control('en', {
      before: html`<style>
        consent-banner {
          --akkoord-color-button: #0f5e59;
          --akkoord-color-button-text: #ffffff;
        }
      </style>`,
    });
    const style = getComputedStyle(part(el, 'settings-button')!);
    expect(style.backgroundColor).to.equal('rgb(15, 94, 89)');
    expect(style.color).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });
});

describe('the settings control after Global Privacy Control decided', () => {
  const setGpc = (on: boolean) =>
    on
      ? Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
      : delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  const gmo = manifest('gmo-registry');
  beforeEach(() => localStorage.removeItem('akkoord:gpc-note-dismissed:gmo-registry'));
  afterEach(() => {
    setGpc(false);
    localStorage.removeItem('akkoord:gpc-note-dismissed:gmo-registry');
  });

  for (const viewport of VIEWPORTS) {
    for (const lang of ['nl', 'en'] as const) {
      it(`says so once, beside the control, in a status the visitor can dismiss (${viewport.name}, ${lang})`, async () => {
        await setViewport({ width: viewport.width, height: viewport.height });
        setGpc(true);
        const el = await control(lang, { notice: gmo });
        await waitUntil(() => part(el, 'gpc-status')?.textContent, 'the note shows', { timeout: 5000 });
        const note = part(el, 'gpc-status')!;
        expect(note.getAttribute('role')).to.equal('status');
        expect(note.textContent).to.include('Global Privacy Control');
        const box = note.getBoundingClientRect();
        const button = part(el, 'settings-button')!.getBoundingClientRect();
        expect(box.left, 'on screen').to.be.at.least(0);
        expect(box.right).to.be.at.most(viewport.width);
        expect(box.bottom, 'above the control, not over it').to.be.at.most(button.top);
        expect(document.querySelector('dialog[open]'), 'not a modal').to.be.null;
        await expect(el).to.be.accessible();
        await screenshot(`control-gpc-${viewport.name}-${lang}`);

        part(el, 'gpc-dismiss')!.click();
        expect(note.textContent, 'dismissed').to.equal('');
        expect(note.getBoundingClientRect().height).to.equal(0);
        expect(el.shadowRoot!.activeElement, 'focus goes to the control, not to the page start').to.equal(part(el, 'settings-button'));

        // The next page: the same visitor, GPC still on; the note does not come back.
        fixtureCleanup();
        resetConsentControllers();
        const again = await control(lang, { notice: gmo });
        await waitUntil(() => part(again, 'settings-button'));
        await frame();
        expect(part(again, 'gpc-status')!.textContent, 'never again after dismissal').to.equal('');
      });
    }
  }

  it('says nothing when the visitor decided without GPC', async () => {
    const el = await control('en');
    await frame();
    expect(part(el, 'gpc-status')!.textContent).to.equal('');
  });
});
