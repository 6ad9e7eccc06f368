import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { createStore, del, get } from 'idb-keyval';
import { getConsentController, resetConsentControllers } from '@akkoord/core/consent';
import './define.js';
import '../consent-preferences/define.js';
import type { ConsentBanner } from './consent-banner.js';
import type { ConsentPreferences } from '../consent-preferences/consent-preferences.js';
import type { ConsentChangeEvent } from '@akkoord/core/consent';
import { consentBanner } from '../../../../stories/templates.js';

const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
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

async function banner(lang = 'en', extra = html``): Promise<ConsentBanner> {
  const el = await fixture<ConsentBanner>(html`<div>
    ${extra}${consentBanner({ notice: MANIFEST, subject, lang })}
  </div>`).then((wrapper) => wrapper.querySelector('consent-banner')!);
  await waitUntil(() => el.shadowRoot!.querySelector('[part="region"], [part="settings-button"]'), 'banner did not render', { timeout: 5000 });
  return el;
}

const part = <E extends Element = HTMLElement>(el: Element, name: string) => el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
/** The dialog is made when first opened (it loads with the preferences). */
const dialogOf = async (el: Element) => {
  await waitUntil(() => part(el, 'dialog'), 'no dialog', { timeout: 5000 });
  return part<HTMLDialogElement>(el, 'dialog')!;
};
const controllerOf = async () => {
  const layer = await (await fetch('/packages/notices/dist/data/gmo-registry/first-layer.en.json')).json();
  const controller = getConsentController({ notice: layer, subject });
  await controller.ready;
  return controller;
};
const nothingGranted = async () => {
  const controller = await controllerOf();
  for (const id of CONSENT_PURPOSES) expect(controller.isGranted(id), id).to.be.false;
};

describe('<consent-banner>', () => {
  it('is accessible on first visit', async () => {
    const el = await banner();
    await expect(el).to.be.accessible();
    expect(part(el, 'region')!.getAttribute('aria-labelledby')).to.equal('title');
  });

  it('shows the first layer: controller and EU representative, every purpose with its basis, notable processing, withdrawal, links', async () => {
    const el = await banner();
    const text = part(el, 'region')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.include('GMO Registry, Inc.');
    expect(text).to.include('GMO GlobalSign Ltd.');
    // The representative is in the United Kingdom: named with its country, never as a representative "in the EU".
    expect(text).to.include('Controller: GMO Registry, Inc.; representative: GMO GlobalSign Ltd. (United Kingdom)');
    expect(text).not.to.include('in the EU');
    // Consent purposes by name; the other twelve that concern a site's visitors grouped under their legal
    // basis (the purposes for staff, candidates and their families are in the full notice only).
    const consent = [...part(el, 'purposes')!.querySelectorAll('li')].map((li) => li.textContent!.trim());
    expect(consent).to.deep.equal(['News and offers by email', 'Seminar announcements', 'New feature announcements']);
    const groups = [...part(el, 'other-purposes')!.querySelectorAll('li')];
    expect(groups.map((g) => g.dataset.basis)).to.have.members(['contract', 'legitimate-interests', 'legal-obligation']);
    const listed = groups.flatMap((g) => g.textContent!.replace(/^[^:]*:/, '').split(';').map((t) => t.trim()));
    expect(listed).to.have.length(12);
    for (const staff of ['Recruiting candidates', 'Personnel management', 'Legal duties as an employer']) expect(listed).not.to.include(staff);
    const legal = groups.find((g) => g.dataset.basis === 'legal-obligation')!.textContent!;
    expect(legal).to.include('Required by law:');
    expect(legal).to.include('Accounting');
    expect(text).to.include('special categories');
    expect(text).to.include('withdraw your consent');
    // Section links in the first layer lead to that section of the full notice.
    expect(part(el, 'region')!.querySelector('a[href$="#special-categories"]')!.getAttribute('href')).to.equal(
      'https://www.gmoregistry.com/nl/privacy/#special-categories',
    );
    const links = [...part(el, 'links')!.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['https://www.gmoregistry.com/nl/privacy/#rights', 'https://www.gmoregistry.com/nl/privacy/']);
  });

  it('links to a relative privacy page the host names, and never to javascript:', async () => {
    const wrapper = await fixture(html`<div>
      ${consentBanner({ notice: MANIFEST, subject, lang: 'en', privacyHref: '/privacy' })}
      ${consentBanner({ notice: MANIFEST, subject: `${subject}-2`, lang: 'en', privacyHref: 'javascript:alert(1)' })}
    </div>`);
    const [good, bad] = [...wrapper.querySelectorAll('consent-banner')];
    await waitUntil(() => part(good!, 'links') && part(bad!, 'links'));
    expect([...part(good!, 'links')!.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal(['/privacy#rights', '/privacy']);
    expect(part(bad!, 'links')!.querySelector('a')).to.be.null;
  });

  it('speaks Dutch under lang="nl", with neutral parallel labels', async () => {
    const el = await banner('nl');
    const labels = ['accept-button', 'reject-button', 'choose-button'].map((name) => part(el, name)!.textContent!.trim());
    expect(labels).to.deep.equal(['Alles accepteren', 'Alles weigeren', 'Zelf kiezen']);
    expect(part(el, 'region')!.textContent).not.to.match(/Accept all|Reject all|consent for|Required by law|Your privacy/);
    await expect(el).to.be.accessible();
  });

  it('gives accept, reject and choose the same element, size, colour and weight', async () => {
    const el = await banner();
    const buttons = ['accept-button', 'reject-button', 'choose-button'].map((name) => part(el, name)!);
    expect(buttons.map((b) => b.localName)).to.deep.equal(['button', 'button', 'button']);
    const look = (b: Element) => {
      const s = getComputedStyle(b);
      return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderTopWidth, s.borderTopColor, s.paddingTop].join('|');
    };
    expect(new Set(buttons.map(look)).size).to.equal(1);
    const boxes = buttons.map((b) => b.getBoundingClientRect());
    for (const box of boxes) {
      expect(Math.abs(box.height - boxes[0]!.height)).to.be.at.most(2);
      expect(Math.abs(box.width - boxes[0]!.width)).to.be.at.most(2);
    }
  });

  it('grants nothing when the person scrolls, presses Esc, clicks elsewhere or waits', async () => {
    const el = await banner('en', html`<button id="elsewhere">Elsewhere</button><div style="height:3000px"></div>`);
    window.scrollTo(0, 1500);
    await sendKeys({ press: 'Escape' });
    document.getElementById('elsewhere')!.click();
    await aTimeout(300);
    await nothingGranted();
    expect(part(el, 'region'), 'the banner is still asking').to.exist;
    window.scrollTo(0, 0);
  });

  it('accepts all on click, collapses to a settings button, and does not ask again after a reload', async () => {
    const el = await banner();
    const change = oneEvent(document, 'consent-change') as Promise<ConsentChangeEvent>;
    part(el, 'accept-button')!.click();
    const event = await change;
    expect(event.source).to.equal('user');
    expect(event.method).to.equal('accept-all');
    expect(event.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'granted', 'feature-announcements': 'granted' });
    await waitUntil(() => part(el, 'settings-button'));
    expect(part(el, 'region')).to.be.null;
    await expect(el).to.be.accessible();

    fixtureCleanup();
    resetConsentControllers(); // as a reload would
    const again = await banner();
    expect(part(again, 'region'), 'no banner after a decision').to.be.null;
    expect(part(again, 'settings-button')).to.exist;
  });

  it('rejects all: nothing granted, the page stays usable, and no banner after a reload', async () => {
    let clicked = false;
    const el = await banner('en', html`<button id="host-control" @click=${() => (clicked = true)}>Host</button>`);
    part(el, 'reject-button')!.click();
    await waitUntil(() => part(el, 'settings-button'));
    await nothingGranted();
    document.getElementById('host-control')!.click();
    expect(clicked, 'no cookie wall').to.be.true;
    fixtureCleanup();
    resetConsentControllers();
    expect(part(await banner(), 'region')).to.be.null;
  });

  it('asks again when the consent purposes changed materially', async () => {
    const layer = await (await fetch('/packages/notices/dist/data/gmo-registry/first-layer.en.json')).json();
    const el = await fixture<ConsentBanner>(consentBanner({ notice: layer, subject }));
    await waitUntil(() => part(el, 'accept-button'));
    part(el, 'reject-button')!.click();
    await waitUntil(() => part(el, 'settings-button'));
    fixtureCleanup();
    resetConsentControllers();
    const edited = { ...layer, hash: `sha256:${'1'.repeat(64)}` }; // another text, same consent purposes
    const same = await fixture<ConsentBanner>(consentBanner({ notice: edited, subject }));
    await waitUntil(() => part(same, 'settings-button'), 'a non-material edit must not ask again');
    fixtureCleanup();
    resetConsentControllers();
    const material = { ...edited, consentFingerprint: `sha256:${'2'.repeat(64)}` };
    const asked = await fixture<ConsentBanner>(consentBanner({ notice: material, subject }));
    await waitUntil(() => part(asked, 'region'), 'a material change asks again');
  });

  it('opens the preferences in a modal dialog from the keyboard; Esc closes it without granting and focus returns', async () => {
    const el = await banner();
    part(el, 'choose-button')!.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await dialogOf(el);
    await waitUntil(() => dialog.open && dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="switch"]'));
    expect(dialog.matches(':modal')).to.be.true;
    await expect(el).to.be.accessible();
    // Focus is inside the dialog, and Tab keeps it there.
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      const active = el.shadowRoot!.activeElement;
      expect(active === null || dialog.contains(active), `Tab ${i} left the dialog`).to.be.true;
    }
    // Space on a switch toggles it; Esc then closes without saving anything.
    const prefs = dialog.querySelector<ConsentPreferences>('consent-preferences')!;
    const firstSwitch = prefs.shadowRoot!.querySelector<HTMLInputElement>('[part="switch"]')!;
    firstSwitch.focus();
    await sendKeys({ press: 'Space' });
    expect(firstSwitch.checked).to.be.true;
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    await nothingGranted();
    await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'choose-button'), 'focus returns to Choose');
  });

  it('passes its theme on to the preferences in its dialog', async () => {
    const el = await banner();
    el.style.setProperty('--akkoord-color-button', 'rgb(1, 2, 3)');
    part(el, 'choose-button')!.click();
    const dialog = await dialogOf(el);
    await waitUntil(() => dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="save-button"]'));
    const save = dialog.querySelector('consent-preferences')!.shadowRoot!.querySelector('[part="save-button"]')!;
    expect(getComputedStyle(save).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(part(el, 'accept-button')!).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('follows a customer who signs in: a new subject gets its own controller', async () => {
    const el = await banner();
    part(el, 'reject-button')!.click();
    await waitUntil(() => part(el, 'settings-button'));
    el.subject = `${subject}-signed-in`;
    await waitUntil(() => part(el, 'region'), 'the signed-in customer has not decided yet');
  });

  it('saves a choice made in the dialog, and the banner collapses', async () => {
    const el = await banner();
    part(el, 'choose-button')!.click();
    const dialog = await dialogOf(el);
    await waitUntil(() => dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="switch"]'));
    const prefs = dialog.querySelector<ConsentPreferences>('consent-preferences')!;
    const switches = [...prefs.shadowRoot!.querySelectorAll<HTMLInputElement>('[part="switch"]')];
    switches[1]!.click();
    await aTimeout(50);
    expect(dialog.open, 'nothing closes by itself').to.be.true;
    prefs.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
    await waitUntil(() => prefs.shadowRoot!.querySelector('[part="status"]')!.textContent!.includes('saved'));
    const controller = await controllerOf();
    expect(controller.decisions).to.deep.equal({ marketing: 'denied', 'seminar-announcements': 'granted', 'feature-announcements': 'denied' });
    await waitUntil(() => part(el, 'settings-button'));
    // The save closed the dialog (the errand is done) and says so outside it; a switch alone closes nothing.
    expect(dialog.open, 'the save closed the dialog').to.be.false;
    expect(part(el, 'saved-status')!.textContent).to.include('Seminar announcements');
  });

  it('honours Global Privacy Control: marketing off by default, said so, opting in stays possible', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    try {
      const el = await banner();
      await waitUntil(() => part(el, 'settings-button'), 'all consent purposes are marketing: GPC decided them');
      const controller = await controllerOf();
      expect(controller.record?.method).to.equal('gpc');
      part(el, 'settings-button')!.click();
      const dialog = await dialogOf(el);
      await waitUntil(() => dialog.querySelector('consent-preferences')?.shadowRoot?.querySelector('[part="gpc-note"]'));
      const prefs = dialog.querySelector<ConsentPreferences>('consent-preferences')!;
      expect(prefs.shadowRoot!.querySelector('[part="gpc-note"]')!.textContent).to.include('Global Privacy Control');
      prefs.shadowRoot!.querySelector<HTMLInputElement>('[part="switch"]')!.click();
      prefs.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-button"]')!.click();
      await waitUntil(() => controller.isGranted('marketing'));
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });

  it('runs a consent-gated script only after the purpose is granted', async () => {
    (window as { gatedRan?: number }).gatedRan = 0;
    const el = await banner('en', html`<script type="text/plain" data-consent="marketing">window.gatedRan++</script>`);
    await aTimeout(50);
    expect((window as { gatedRan?: number }).gatedRan).to.equal(0);
    part(el, 'accept-button')!.click();
    await waitUntil(() => (window as { gatedRan?: number }).gatedRan === 1);
  });

  it('fits a 320 px wide screen: no horizontal scroll, both buttons visible', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      const el = await banner();
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      for (const name of ['accept-button', 'reject-button']) {
        const box = part(el, name)!.getBoundingClientRect();
        expect(box.right).to.be.at.most(320);
        expect(box.bottom).to.be.at.most(640);
        expect(box.width).to.be.at.least(24);
        expect(box.height).to.be.at.least(24);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('never hides a focused element of the page', async () => {
    const buttons = Array.from({ length: 30 }, (_, i) => html`<p><button class="host">Host ${i}</button></p>`);
    const el = await banner('en', html`${buttons}`);
    const panel = part(el, 'region')!;
    for (const button of document.querySelectorAll<HTMLButtonElement>('button.host')) {
      button.focus();
      await aTimeout(0);
      const box = button.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      expect(hit === el || panel.contains(hit), `${button.textContent} is under the banner`).to.be.false;
    }
  });

  it('agrees with another tab of the same origin within a second', async () => {
    const el = await banner();
    const frame = document.createElement('iframe');
    frame.src = `/test/fixtures/pages/tab.html?subject=${subject}`;
    document.body.append(frame);
    try {
      const accept = () => frame.contentDocument?.querySelector('consent-banner')?.shadowRoot?.querySelector<HTMLButtonElement>('[part="accept-button"]');
      await waitUntil(accept, 'the other tab shows a banner', { timeout: 5000 });
      accept()!.click();
      const started = performance.now();
      await waitUntil(() => part(el, 'settings-button'), 'this tab saw the decision', { timeout: 1000 });
      expect(performance.now() - started).to.be.below(1000);
      // This tab's controller holds the other tab's decision: every consent purpose granted.
      const controller = await controllerOf();
      for (const id of CONSENT_PURPOSES) expect(controller.isGranted(id), id).to.be.true;
      expect(controller.record?.method).to.equal('accept-all');
    } finally {
      frame.remove();
    }
  });
});

describe('<consent-banner> on a first visit (no customer id: a pseudonym in this browser)', () => {
  // The pseudonym is made by the first decision; without it, this browser has never decided.
  const forgetPseudonym = () => del('subject', createStore('akkoord', 'consent'));
  beforeEach(forgetPseudonym);
  afterEach(forgetPseudonym);

  const anonymousBanner = async () => {
    const el = await fixture<ConsentBanner>(consentBanner({ notice: MANIFEST, lang: 'en' }));
    await waitUntil(() => part(el, 'region') ?? part(el, 'settings-button'), 'banner did not render', { timeout: 5000 });
    return el;
  };

  it('shows the first layer before the controller has loaded, and a click right away still decides', async () => {
    const el = await anonymousBanner();
    expect(part(el, 'region'), 'a first visit is asked').to.exist;
    await expect(el).to.be.accessible();
    const decided: ConsentChangeEvent[] = [];
    const record = (event: Event) => void decided.push(event as ConsentChangeEvent);
    document.addEventListener('consent-change', record);
    try {
      part(el, 'reject-button')!.click();
      part(el, 'reject-button')?.click(); // a double click, before the controller has loaded
      await waitUntil(() => part(el, 'settings-button'), 'the decision collapsed the banner', { timeout: 5000 });
      await aTimeout(200);
    } finally {
      document.removeEventListener('consent-change', record);
    }
    const byUser = decided.filter((event) => event.source === 'user');
    expect(byUser, 'a double click is one decision').to.have.length(1);
    expect(byUser[0]!.method).to.equal('reject-all');
    const pseudonym = await get<string>('subject', createStore('akkoord', 'consent'));
    expect(pseudonym, 'the decision made the pseudonym').to.match(/^psn_[0-9a-f]{24}$/);
    fixtureCleanup();
    resetConsentControllers(); // as a reload would
    const again = await anonymousBanner();
    expect(part(again, 'region'), 'no banner after a decision').to.be.null;
    expect(part(again, 'settings-button')).to.exist;
  });

  it('loads the controller while idle, so another tab\'s decision shows without a click', async () => {
    const el = await anonymousBanner();
    const frame = document.createElement('iframe');
    frame.src = '/test/fixtures/pages/tab.html';
    document.body.append(frame);
    try {
      const accept = () => frame.contentDocument?.querySelector('consent-banner')?.shadowRoot?.querySelector<HTMLButtonElement>('[part="accept-button"]');
      await waitUntil(accept, 'the other tab shows a banner', { timeout: 5000 });
      accept()!.click();
      await waitUntil(() => part(el, 'settings-button'), 'this tab saw the decision', { timeout: 2000 });
    } finally {
      frame.remove();
    }
  });
});
