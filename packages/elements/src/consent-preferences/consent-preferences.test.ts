import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { getConsentController, resetConsentControllers, type ConsentChangeEvent } from '@akkoord/core/consent';
import './define.js';
import '../consent-banner/define.js';
import type { ConsentPreferences } from './consent-preferences.js';
import { consentBanner, consentPreferences } from '../../../../stories/templates.js';

const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
const NO_CONSENT_MANIFEST = '/packages/notices/dist/data/dcube-resource/manifest.json';
const CONSENT_PURPOSES = ['marketing', 'seminar-announcements', 'feature-announcements'];

let subject = '';
beforeEach(() => {
  // A new customer for every test: records in IndexedDB never leak between tests.
  subject = `customer-${Math.random().toString(36).slice(2)}`;
});
afterEach(() => {
  fixtureCleanup();
  resetConsentControllers();
});

const part = <E extends Element = HTMLElement>(el: Element, name: string) => el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const switchesOf = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[role="switch"]')];
const statusOf = (el: Element) => part(el, 'status')!.textContent!.trim();

async function prefs(lang = 'en', notice = MANIFEST, timeout = 5000): Promise<ConsentPreferences> {
  const el = await fixture<ConsentPreferences>(consentPreferences({ notice, subject, lang }));
  await waitUntil(() => part(el, 'switch') ?? part(el, 'other-purposes'), 'preferences did not render', { timeout });
  return el;
}

/** The controller the element uses: one per notice and subject on a page. */
async function controllerOf() {
  const layer = await (await fetch('/packages/notices/dist/data/gmo-registry/first-layer.en.json')).json();
  const controller = getConsentController({ notice: layer, subject });
  await controller.ready;
  return controller;
}

describe('<consent-preferences> on an account page', () => {
  it('is accessible, with one switch per consent purpose, named by it, all off', async () => {
    const el = await prefs();
    await expect(el).to.be.accessible();
    const switches = switchesOf(el);
    expect(switches).to.have.length(3);
    for (const s of switches) {
      expect(s.getAttribute('aria-checked')).to.equal('false');
      expect(s.checked).to.be.false;
    }
    expect(switches.map((s) => s.closest('label')!.textContent!.trim())).to.deep.equal([
      'News and offers by email',
      'Seminar announcements',
      'New feature announcements',
    ]);
    const others = el.shadowRoot!.querySelector('[part="other-purposes"]')!;
    // The other purposes that concern a site's visitors; those for staff and candidates are in the full notice only.
    expect(others.querySelectorAll('li')).to.have.length(12);
    // Grouped under their legal basis, as the banner groups them: one lead per basis, not one per purpose.
    const bases = [...others.querySelectorAll<HTMLElement>('[data-basis]')];
    expect(bases.map((b) => b.dataset.basis)).to.have.members(['contract', 'legitimate-interests', 'legal-obligation']);
    expect(bases.find((b) => b.dataset.basis === 'legal-obligation')!.textContent).to.equal('Legal basis: a legal obligation');
    expect(others.textContent).not.to.include('Personnel management');
    expect(others.querySelector('input')).to.be.null;
  });

  it('describes each switch by its purpose text', async () => {
    const el = await prefs();
    for (const s of switchesOf(el)) {
      const description = el.shadowRoot!.getElementById(s.getAttribute('aria-describedby')!);
      expect(description, `${s.closest('label')!.textContent!.trim()} has its description`).to.exist;
      expect(description!.textContent!.trim()).not.to.equal('');
    }
  });

  it('toggles one purpose and leaves the others, and says so in a status message', async () => {
    const el = await prefs();
    const switches = switchesOf(el);
    switches[2]!.focus();
    await sendKeys({ press: 'Space' });
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    await waitUntil(() => status.textContent!.includes('saved'));
    const controller = await controllerOf();
    expect(controller.decisions).to.deep.equal({ marketing: 'denied', 'seminar-announcements': 'denied', 'feature-announcements': 'granted' });
    // Withdrawing takes the same steps as granting: one switch, one save.
    switches[2]!.click();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    await waitUntil(() => !controller.isGranted('feature-announcements'));
    await expect(el).to.be.accessible();
  });

  it('is worked by keyboard alone: Tab through the switches in order, Space flips one, Enter saves', async () => {
    const el = await prefs();
    const switches = switchesOf(el);
    const outside = document.createElement('button');
    outside.textContent = 'before';
    el.before(outside);
    try {
      outside.focus();
      const visited: (Element | null)[] = [];
      for (let i = 0; i < 6; i++) {
        await sendKeys({ press: 'Tab' });
        visited.push(el.shadowRoot!.activeElement);
      }
      expect(visited).to.deep.equal([...switches, part(el, 'save-button'), part(el, 'accept-button'), part(el, 'reject-button')]);

      switches[1]!.focus();
      await sendKeys({ press: 'Space' });
      expect(switches[1]!.checked).to.be.true;
      expect(switches[1]!.getAttribute('aria-checked')).to.equal('true');
      const controller = await controllerOf();
      expect(controller.isGranted('seminar-announcements'), 'a switch alone saves nothing').to.be.false;

      part(el, 'save-button')!.focus();
      const changed = oneEvent(document, 'consent-change') as Promise<ConsentChangeEvent>;
      await sendKeys({ press: 'Enter' });
      const event = await changed;
      expect(event.source).to.equal('user');
      expect(event.decisions).to.deep.equal({ marketing: 'denied', 'seminar-announcements': 'granted', 'feature-announcements': 'denied' });
      await waitUntil(() => statusOf(el) === 'Your choices have been saved. With your consent: Seminar announcements.');
    } finally {
      outside.remove();
    }
  });

  it('accepts all and rejects all with one button each, and every switch follows', async () => {
    const el = await prefs();
    const controller = await controllerOf();
    const accepted = oneEvent(document, 'consent-change') as Promise<ConsentChangeEvent>;
    part(el, 'accept-button')!.click();
    expect((await accepted).method).to.equal('accept-all');
    await waitUntil(() => switchesOf(el).every((s) => s.checked && s.getAttribute('aria-checked') === 'true'));
    for (const id of CONSENT_PURPOSES) expect(controller.isGranted(id), id).to.be.true;
    await expect(el).to.be.accessible();

    const rejected = oneEvent(document, 'consent-change') as Promise<ConsentChangeEvent>;
    part(el, 'reject-button')!.click();
    expect((await rejected).method).to.equal('reject-all');
    await waitUntil(() => switchesOf(el).every((s) => !s.checked && s.getAttribute('aria-checked') === 'false'));
    for (const id of CONSENT_PURPOSES) expect(controller.isGranted(id), id).to.be.false;
    expect(statusOf(el), 'the status says what was saved').to.equal('Your choices have been saved. You have given no consent.');
  });

  it('saves every switch it shows: one left off is a refusal, never left open', async () => {
    const el = await prefs();
    switchesOf(el)[0]!.click();
    part(el, 'save-button')!.click();
    const controller = await controllerOf();
    await waitUntil(() => controller.isGranted('marketing'));
    expect(controller.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' });
  });

  it('keeps what was saved in IndexedDB: after a reload the switches show it', async () => {
    const el = await prefs();
    switchesOf(el)[0]!.click();
    switchesOf(el)[2]!.click();
    part(el, 'save-button')!.click();
    await waitUntil(() => statusOf(el) !== '');
    fixtureCleanup();
    resetConsentControllers(); // as a reload would: nothing of the page's memory is left
    // The first read after a reload waits for IndexedDB, which on a loaded machine takes seconds.
    const again = await prefs('en', MANIFEST, 15000);
    await waitUntil(() => switchesOf(again)[0]!.checked, 'the saved choice is read back');
    expect(switchesOf(again).map((s) => s.checked)).to.deep.equal([true, false, true]);
    expect(statusOf(again), 'nothing was saved on this page yet').to.equal('');
  });

  it('forgets unsaved switches when another part of the page decides', async () => {
    const wrapper = await fixture(html`<div>
      ${consentPreferences({ notice: MANIFEST, subject, lang: 'en' })} ${consentBanner({ notice: MANIFEST, subject, lang: 'en' })}
    </div>`);
    const el = wrapper.querySelector('consent-preferences')!;
    const banner = wrapper.querySelector('consent-banner')!;
    await waitUntil(() => part(banner, 'reject-button') && part(el, 'switch'));
    switchesOf(el)[0]!.click();
    expect(switchesOf(el)[0]!.checked).to.be.true;
    part(banner, 'reject-button')!.click();
    await waitUntil(() => !switchesOf(el)[0]!.checked, 'the decision replaces the draft');
  });

  it('shares state with a banner on the same page, and a change is heard once', async () => {
    const wrapper = await fixture(html`<div>
      ${consentPreferences({ notice: MANIFEST, subject, lang: 'en' })} ${consentBanner({ notice: MANIFEST, subject, lang: 'en' })}
    </div>`);
    const p = wrapper.querySelector('consent-preferences')!;
    const b = wrapper.querySelector('consent-banner')!;
    await waitUntil(() => part(b, 'accept-button') && p.shadowRoot!.querySelector('[part="switch"]'));
    const heard: ConsentChangeEvent[] = [];
    const listen = (e: ConsentChangeEvent) => heard.push(e);
    document.addEventListener('consent-change', listen);
    part(b, 'accept-button')!.click();
    await waitUntil(() => [...p.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="switch"]')].every((s) => s.checked));
    await aTimeout(50);
    document.removeEventListener('consent-change', listen);
    expect(heard).to.have.length(1);
  });

  it('honours Global Privacy Control: says so, marketing off, and switching it on stays possible', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    try {
      const el = await prefs();
      await waitUntil(() => part(el, 'gpc-note'), 'the signal is acknowledged');
      expect(part(el, 'gpc-note')!.getAttribute('role')).to.equal('note');
      await expect(el).to.be.accessible();
      expect(switchesOf(el).every((s) => !s.checked)).to.be.true;
      switchesOf(el)[0]!.click();
      part(el, 'save-button')!.click();
      const controller = await controllerOf();
      await waitUntil(() => controller.isGranted('marketing'), 'opting in after GPC');
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });

  it('speaks Dutch under lang="nl", formal and without English left over', async () => {
    const el = await prefs('nl');
    const text = part(el, 'base')!.textContent!.replace(/\s+/g, ' ');
    expect(part(el, 'heading')!.textContent!.trim()).to.equal('Uw keuzes');
    expect(part(el, 'save-button')!.textContent!.trim()).to.equal('Keuzes opslaan');
    for (const english of ['Your choices', 'Save choices', 'Accept all', 'Reject all', 'Without a choice']) expect(text).not.to.include(english);
    switchesOf(el)[0]!.click();
    part(el, 'save-button')!.click();
    await waitUntil(() => statusOf(el) === 'Uw keuzes zijn opgeslagen. Met uw toestemming: Nieuws en aanbiedingen per e-mail.');
    await expect(el).to.be.accessible();
  });

  it('puts its heading at the level the page asks for, and the one below it under that', async () => {
    const el = await fixture<ConsentPreferences>(consentPreferences({ notice: MANIFEST, subject, lang: 'en', headingLevel: 3 }));
    await waitUntil(() => part(el, 'switch'), 'preferences did not render', { timeout: 5000 });
    expect(part(el, 'heading')!.localName).to.equal('h3');
    expect(part(el, 'other-purposes')!.querySelector('h4')).to.exist;
  });

  it('says so when a notice asks no consent at all', async () => {
    const el = await prefs('nl', NO_CONSENT_MANIFEST);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="base"]'), 'preferences did not render', { timeout: 5000 });
    expect(el.shadowRoot!.querySelector('[role="switch"]')).to.be.null;
    expect(el.shadowRoot!.textContent).to.include('vraagt geen toestemming');
    expect(part(el, 'heading')!.textContent!.trim(), 'no "your choices" where there is nothing to choose').to.equal('Hoe wij uw gegevens gebruiken');
    expect(part(el, 'actions'), 'nothing to save').to.be.null;
    await expect(el).to.be.accessible();
  });
});
