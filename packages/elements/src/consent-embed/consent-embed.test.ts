import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import { getConsentController, resetConsentControllers, type ConsentChangeEvent, type ConsentErrorEvent } from '@akkoord/core/consent';
import './define.js';
import '../consent-preferences/define.js';
import type { ConsentEmbed } from './consent-embed.js';
import { consentEmbed, type EmbedArgs } from '../../../../stories/templates.js';

const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
const VIDEO = '/packages/elements/src/consent-embed/test-video.html';

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
const frameOf = (el: Element) => el.shadowRoot!.querySelector('iframe');
const text = (el: Element) => part(el, 'base')!.textContent!.replace(/\s+/g, ' ').trim();

const args = (more: Partial<EmbedArgs> = {}): EmbedArgs => ({
  notice: MANIFEST,
  subject,
  lang: 'en',
  purpose: 'marketing',
  embedSrc: VIDEO,
  provider: 'VideoHost B.V.',
  title: 'Akkoord in two minutes',
  width: 640,
  height: 360,
  ...more,
});

async function embed(more: Partial<EmbedArgs> = {}, timeout = 5000): Promise<ConsentEmbed> {
  const el = await fixture<ConsentEmbed>(consentEmbed(args(more)));
  await waitUntil(() => part(el, 'placeholder') ?? frameOf(el) ?? part(el, 'error'), 'the embed did not render', { timeout });
  return el;
}

/** The controller the element uses: one per notice and subject on a page. */
async function controllerOf() {
  const layer = await (await fetch('/packages/notices/dist/data/gmo-registry/first-layer.en.json')).json();
  const controller = getConsentController({ notice: layer, subject });
  await controller.ready;
  return controller;
}

/** The iframe has loaded its page: the embed's address was requested. */
const loaded = (el: Element) => frameOf(el)?.contentDocument?.body?.textContent?.includes('The video');

describe('<consent-embed>', () => {
  it('is accessible before consent, and says what loads, from whom and for which purpose, with no iframe yet', async () => {
    const el = await embed();
    await expect(el).to.be.accessible();
    expect(frameOf(el), 'nothing is loaded before consent').to.be.null;
    const placeholder = part(el, 'placeholder')!;
    expect(placeholder.getAttribute('role')).to.equal('group');
    expect(el.shadowRoot!.getElementById(placeholder.getAttribute('aria-labelledby')!)!.textContent).to.equal('Akkoord in two minutes');
    expect(part(el, 'description')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'This content comes from VideoHost B.V. and is shown only with your consent for “News and offers by email”, because VideoHost B.V. receives data about your visit when it loads.',
    );
    expect(part(el, 'load-once-button')!.textContent!.trim()).to.equal('Load this once');
    expect(part(el, 'allow-button')!.textContent!.trim()).to.equal('Always allow');
    expect(part(el, 'allow-button')!.getAttribute('aria-describedby')).to.equal('note');
    expect(part(el, 'note')!.textContent).to.include('withdraw your consent at any time in the privacy settings');
  });

  it('is worked by keyboard alone: Tab reaches both choices, Enter loads it once and the iframe takes the focus', async () => {
    const el = await embed();
    const outside = document.createElement('button');
    outside.textContent = 'before';
    el.before(outside);
    try {
      outside.focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'load-once-button'));
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'allow-button'));
      await sendKeys({ press: 'Shift+Tab' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => loaded(el), 'the iframe loads its page');
      expect(el.shadowRoot!.activeElement, 'the focus moves on to what was loaded').to.equal(frameOf(el));
      expect(part(el, 'placeholder')).to.be.null;
      await expect(el).to.be.accessible();
    } finally {
      outside.remove();
    }
  });

  it('"load this once" records nothing: the purpose stays undecided, and a reload shows the placeholder again', async () => {
    const el = await embed();
    part(el, 'load-once-button')!.click();
    await waitUntil(() => loaded(el), 'the iframe loads its page');
    const controller = await controllerOf();
    expect(controller.decisions, 'no decision, no receipt').to.deep.equal({});
    expect(controller.record).to.be.undefined;
    fixtureCleanup();
    resetConsentControllers(); // as a reload would: nothing of the page's memory is left
    const again = await embed({}, 15000);
    expect(part(again, 'placeholder'), 'asked again').to.exist;
    expect(frameOf(again)).to.be.null;
  });

  it('"always allow" (Space) grants the purpose as a decision of the person, and every embed of that purpose loads', async () => {
    const wrapper = await fixture(html`<div>
      ${consentEmbed(args())} ${consentEmbed(args({ title: 'A second video' }))} ${consentEmbed(args({ purpose: 'seminar-announcements', title: 'Seminar recording' }))}
    </div>`);
    const [first, second, seminar] = [...wrapper.querySelectorAll('consent-embed')];
    await waitUntil(() => part(first!, 'allow-button') && part(second!, 'allow-button') && part(seminar!, 'allow-button'), 'three placeholders');
    part(first!, 'allow-button')!.focus();
    const changed = oneEvent(document, 'consent-change') as Promise<ConsentChangeEvent>;
    await sendKeys({ press: 'Space' });
    const event = await changed;
    expect(event.source).to.equal('user');
    expect(event.decisions.marketing).to.equal('granted');
    await waitUntil(() => loaded(first!) && loaded(second!), 'both embeds of the purpose load');
    expect(first!.shadowRoot!.activeElement, 'the iframe of the embed that was chosen takes the focus').to.equal(frameOf(first!));
    expect(frameOf(seminar!), 'another purpose stays behind its placeholder').to.be.null;
    const controller = await controllerOf();
    // A decision as the preferences' switch makes it: what it does not grant stays off, as it was.
    expect(controller.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' });
    expect(controller.record?.method).to.equal('preferences');
    expect(controller.record?.receiptId, 'a decision with its receipt').to.be.a('string');
  });

  it('follows a withdrawal: the iframe goes and the placeholder returns, in a box of the same size', async () => {
    await setViewport({ width: 800, height: 600 });
    const el = await embed();
    const before = part(el, 'base')!.getBoundingClientRect();
    expect(Math.round(before.width)).to.equal(640);
    expect(Math.round(before.height)).to.equal(360);
    const controller = await controllerOf();
    await controller.grant('marketing', { source: 'user' });
    await waitUntil(() => loaded(el), 'granted elsewhere, it loads');
    const frame = frameOf(el)!;
    expect(frame.getAttribute('title')).to.equal('Akkoord in two minutes');
    const after = part(el, 'base')!.getBoundingClientRect();
    expect([after.width, after.height], 'nothing moves when it loads').to.deep.equal([before.width, before.height]);
    expect(frame.getBoundingClientRect().height).to.equal(after.height);

    await controller.withdraw('marketing', { source: 'user' });
    await waitUntil(() => part(el, 'placeholder'), 'the placeholder returns');
    expect(frameOf(el)).to.be.null;
    expect(part(el, 'base')!.getBoundingClientRect().height).to.equal(before.height);
    await expect(el).to.be.accessible();
  });

  it('a refusal in the preferences also ends a "load this once"', async () => {
    const wrapper = await fixture(html`<div>${consentEmbed(args())} <consent-preferences notice=${MANIFEST} subject=${subject} lang="en"></consent-preferences></div>`);
    const el = wrapper.querySelector('consent-embed')!;
    const prefs = wrapper.querySelector('consent-preferences')!;
    await waitUntil(() => part(el, 'load-once-button') && part(prefs, 'reject-button'));
    part(el, 'load-once-button')!.click();
    await waitUntil(() => frameOf(el));
    part(prefs, 'reject-button')!.click();
    await waitUntil(() => part(el, 'placeholder'), 'a refusal puts the placeholder back');
  });

  it('still follows the decisions after it is moved in the page', async () => {
    const el = await embed();
    part(el, 'load-once-button')!.click();
    await waitUntil(() => frameOf(el));
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    try {
      elsewhere.append(el);
      const controller = await controllerOf();
      await controller.deny('marketing', { source: 'user' });
      await waitUntil(() => part(el, 'placeholder'), 'a refusal after the move ends the "load this once"');
    } finally {
      elsewhere.remove();
    }
  });

  it('loads when another tab of the same origin accepts', async () => {
    const el = await embed();
    const tab = document.createElement('iframe');
    tab.src = `/test/fixtures/pages/tab.html?subject=${subject}`;
    document.body.append(tab);
    try {
      const accept = () => tab.contentDocument?.querySelector('consent-banner')?.shadowRoot?.querySelector<HTMLButtonElement>('[part="accept-button"]');
      await waitUntil(accept, 'the other tab shows a banner', { timeout: 5000 });
      accept()!.click();
      await waitUntil(() => loaded(el), 'the other tab\'s decision loads the embed', { timeout: 5000 });
    } finally {
      tab.remove();
    }
  });

  it('passes title, allow and referrerpolicy to the iframe', async () => {
    const el = await embed({ allow: 'fullscreen; picture-in-picture', referrerPolicy: 'strict-origin-when-cross-origin' });
    part(el, 'load-once-button')!.click();
    await waitUntil(() => frameOf(el));
    const frame = frameOf(el)!;
    expect(frame.getAttribute('title')).to.equal('Akkoord in two minutes');
    expect(frame.getAttribute('allow')).to.equal('fullscreen; picture-in-picture');
    expect(frame.getAttribute('referrerpolicy')).to.equal('strict-origin-when-cross-origin');
    expect(frame.src).to.equal(new URL(VIDEO, location.href).href);
  });

  it('keeps its proportions in a wide container, and is 16:9 without width and height', async () => {
    const wrapper = await fixture(html`<div style="width: 900px">${consentEmbed(args())} ${consentEmbed(args({ width: undefined, height: undefined }))}</div>`);
    const [sized, unsized] = [...wrapper.querySelectorAll('consent-embed')];
    await waitUntil(() => part(sized!, 'placeholder') && part(unsized!, 'placeholder'));
    const box = (el: Element) => part(el, 'base')!.getBoundingClientRect();
    expect([Math.round(box(sized!).width), Math.round(box(sized!).height)], 'at most its own width').to.deep.equal([640, 360]);
    expect([Math.round(box(unsized!).width), Math.round(box(unsized!).height)], 'the container\'s width, 16:9').to.deep.equal([900, 506]);
  });

  it('on a phone, shows the whole placeholder with both choices, and the video in its proportions once chosen', async () => {
    await setViewport({ width: 360, height: 640 });
    const el = await embed({ lang: 'nl', title: 'Akkoord in twee minuten' });
    const base = part(el, 'base')!;
    const box = base.getBoundingClientRect();
    const width = el.getBoundingClientRect().width; // the page's width, less the body's margins
    expect(box.width).to.equal(width);
    expect(box.height, 'the text needs more than 16:9 here: the box grows').to.be.greaterThan((width * 9) / 16 + 1);
    for (const name of ['title', 'description', 'load-once-button', 'allow-button', 'note']) {
      const inner = part(el, name)!.getBoundingClientRect();
      expect(inner.top >= box.top && inner.bottom <= box.bottom + 0.5, `${name} is inside the box, nothing cut off`).to.be.true;
    }
    await expect(el).to.be.accessible();
    await executeServerCommand('akkoord-screenshot', { name: 'embed-placeholder-phone-nl' });
    part(el, 'load-once-button')!.click();
    await waitUntil(() => frameOf(el));
    expect(base.getBoundingClientRect().height, 'the video at 640:360').to.be.closeTo((width * 360) / 640, 0.5);
    await setViewport({ width: 800, height: 600 });
  });

  for (const src of ['javascript:alert(1)', 'data:text/html,<p>hi</p>', 'ftp://files.example/video']) {
    it(`refuses embed-src="${src}": a consent-error, a clear message, and never an iframe`, async () => {
      const errors: ConsentErrorEvent[] = [];
      const listen = (event: ConsentErrorEvent) => errors.push(event);
      document.addEventListener('consent-error', listen);
      try {
        const el = await embed({ embedSrc: src });
        await waitUntil(() => errors.length > 0, 'the page hears why');
        expect(errors[0]!.code).to.equal('embed-invalid');
        expect(errors[0]!.message).to.include(src).and.to.include('https:');
        const error = part(el, 'error')!;
        expect(error.getAttribute('role')).to.equal('alert');
        expect(error.textContent!.trim()).to.equal('This content cannot be shown: its address is not a web address (https).');
        const controller = await controllerOf();
        await controller.grant('marketing', { source: 'user' });
        await el.updateComplete;
        expect(frameOf(el), 'consent does not load a refused address').to.be.null;
        expect(part(el, 'load-once-button')).to.be.null;
        expect(errors, 'said once').to.have.length(1);
        await expect(el).to.be.accessible();
      } finally {
        document.removeEventListener('consent-error', listen);
      }
    });
  }

  it('says so when the purpose is not a consent purpose of the notice, or the title is missing', async () => {
    const errors: ConsentErrorEvent[] = [];
    const listen = (event: ConsentErrorEvent) => errors.push(event);
    document.addEventListener('consent-error', listen);
    try {
      const contract = await embed({ purpose: 'domain-registration' });
      await waitUntil(() => part(contract, 'error') && errors.length > 0);
      expect(errors[0]!.code).to.equal('embed-invalid');
      expect(errors[0]!.message).to.include('no consent purpose "domain-registration"').and.to.include('marketing');
      fixtureCleanup();
      const untitled = await embed({ title: '' });
      await waitUntil(() => part(untitled, 'error') && errors.length > 1);
      expect(errors[1]!.message).to.include('needs a title');
      expect(part(untitled, 'error')!.textContent!.trim()).to.equal('This content cannot be shown: the website has not set it up correctly.');
    } finally {
      document.removeEventListener('consent-error', listen);
    }
  });

  it('speaks Dutch under lang="nl", formal and without English left over', async () => {
    const el = await embed({ lang: 'nl', title: 'Akkoord in twee minuten' });
    expect(text(el)).to.include('Deze inhoud komt van VideoHost B.V. en wordt alleen getoond met uw toestemming voor ‘Nieuws en aanbiedingen per e-mail’, omdat VideoHost B.V. bij het laden gegevens over uw bezoek ontvangt.');
    expect(part(el, 'load-once-button')!.textContent!.trim()).to.equal('Eenmalig laden');
    expect(part(el, 'allow-button')!.textContent!.trim()).to.equal('Altijd toestaan');
    for (const english of ['This content', 'Load this once', 'Always allow', 'consent']) expect(text(el)).not.to.include(english);
    expect(part(el, 'base')!.getAttribute('lang')).to.equal('nl');
    await expect(el).to.be.accessible();
  });

  for (const lang of ['en', 'nl']) {
    it(`writes a screenshot of the placeholder (${lang}) to test/screenshots/ for review`, async () => {
      await setViewport({ width: 800, height: 600 });
      const el = await embed({ lang, title: lang === 'nl' ? 'Akkoord in twee minuten' : 'Akkoord in two minutes' });
      await expect(el).to.be.accessible();
      await executeServerCommand('akkoord-screenshot', { name: `embed-placeholder-${lang}` });
    });
  }
});
