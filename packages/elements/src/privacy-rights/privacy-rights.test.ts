import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { NoticeDocument, RightId } from '@akkoord/core/notice';
import { applicableRights, purposesWithRight, rightsForBasis } from '@akkoord/core/rights';
import './define.js';
import type { PrivacyRights } from './privacy-rights.js';
import { PrivacyRequestEvent } from './events.js';
import { ConsentErrorEvent } from '../events.js';
import { rigConfig } from '../../../../test/fixtures/receiver-rig.js';
import { privacyRights } from '../../../../stories/templates.js';

const MANIFEST = (id: string) => `/packages/notices/dist/data/${id}/manifest.json`;
const DOCUMENT = (id: string) => `/packages/notices/notices/${id}.json`;
const LAUNCH = ['gmo-registry', 'dcube-resource'] as const;

/** Our English UI strings: none may show when the element speaks Dutch. */
const ENGLISH_UI = [
  'Your privacy rights',
  'Using these rights is free',
  'Your other rights',
  'Which rights apply to each purpose',
  'Making a request',
  'Applies to',
  'Make a request',
  'GDPR',
  'You may also complain',
  'All data protection authorities',
  'Your request',
  'Fields marked',
  'Which right do you want',
  'Your name',
  'Prepare the',
  'By post',
  'By e-mail',
  'Send your letter to',
  'Enclose',
  'does not accept requests',
  'You can object',
];

async function documentOf(id: string): Promise<NoticeDocument> {
  return (await (await fetch(DOCUMENT(id))).json()) as NoticeDocument;
}

interface Options {
  endpoint?: string;
  subject?: string;
  credentials?: () => HeadersInit;
}

async function show(notice: string | NoticeDocument, lang?: string, options: Options = {}): Promise<PrivacyRights> {
  const el = await fixture<PrivacyRights>(privacyRights({ notice, lang, ...options }));
  expect(await el.loadComplete, 'the notice loaded').to.equal(true);
  return el;
}

const $ = <E extends Element = HTMLElement>(el: PrivacyRights, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: PrivacyRights, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const textOf = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const plain = (text: unknown): string =>
  typeof text === 'string' ? text : (text as (string | { text: string })[]).map((p) => (typeof p === 'string' ? p : p.text)).join('');

/** Types into the form as a person would: the value, then the `input` (or `change`) event. */
async function fill(el: PrivacyRights, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const control = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(el, `[name="${name}"]`);
    expect(control, `a field ${name}`).to.exist;
    control!.value = value;
    control!.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  await el.updateComplete;
}

async function act(el: PrivacyRights, action: 'postal' | 'email' | 'online') {
  $<HTMLButtonElement>(el, `button[data-action="${action}"]`)!.click();
  await el.updateComplete;
  await el.updateComplete;
}

const PERSON = {
  right: 'access',
  name: 'Anna de Vries',
  email: 'anna@example.nl',
  street: 'Keizersgracht 1',
  postalCode: '1015 AA',
  locality: 'Amsterdam',
  country: 'Nederland',
};

let errors: unknown[] = [];
const onError = (event: ErrorEvent | PromiseRejectionEvent) => errors.push('reason' in event ? event.reason : event.error);

describe('<privacy-rights>', () => {
  beforeEach(() => {
    errors = [];
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
  });

  afterEach(async () => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);
    fixtureCleanup();
    await emulateMedia({ colorScheme: 'light', media: 'screen', reducedMotion: 'no-preference' });
    expect(errors, 'nothing thrown into the page').to.deep.equal([]);
  });

  it('is accessible', async () => {
    const el = await show(MANIFEST('gmo-registry'), 'en');
    await expect(el).to.be.accessible();
  });

  for (const id of LAUNCH) {
    for (const lang of ['nl', 'en']) {
      it(`renders every right of ${id} in ${lang}, each explained, with the notice's own text`, async () => {
        const doc = await documentOf(id);
        const el = await show(MANIFEST(id), lang);
        const locale = doc.locales.find((l) => l.startsWith(lang))!;
        expect($(el, '[part="base"]')!.lang).to.equal(locale);
        const expected = applicableRights(doc.purposes);
        const shown = [...(expected.includes('objection') ? ['objection'] : []), ...$$(el, '[part="right"]').map((r) => r.dataset.right)];
        expect(new Set(shown)).to.deep.equal(new Set(expected));
        for (const right of expected) {
          const block = right === 'objection' ? $(el, '[part="objection"]')! : $(el, `[part="right"][data-right="${right}"]`)!;
          expect(textOf(block.querySelector('[part="right-title"]')), right).not.to.equal('');
          expect(textOf(block.querySelector('[part="explanation"]')), right).not.to.equal('');
          const declared = doc.rights.find((r) => r.right === right);
          if (declared) {
            expect(textOf(block.querySelector('[part="right-title"]'))).to.equal(declared.title[locale]);
            expect(textOf(block.querySelector('[part="notice-text"]'))).to.equal(plain(declared.description[locale]).replace(/\s+/g, ' ').trim());
          }
        }
        // A notice's "#section" link leads to that section of the full notice, not into this element.
        expect($$(el, 'a[href^="#"]')).to.have.length(0);
        for (const a of $$<HTMLAnchorElement>(el, 'a')) expect(a.getAttribute('href')).to.match(/^(https:\/\/|mailto:)/);
        // Only rights that apply to some purpose: D-Cube asks no consent, so there is no consent to withdraw.
        expect(shown.includes('withdraw-consent')).to.equal(doc.purposes.some((p) => p.legalBasis === 'consent'));
        const text = textOf(el.shadowRoot);
        if (lang === 'nl') {
          for (const english of ENGLISH_UI) expect(text, `Dutch shows "${english}"`).not.to.contain(english);
          expect(text).to.contain('AVG');
        }
        ($(el, '[part="by-purpose"]') as HTMLDetailsElement).open = true;
        $$<HTMLDetailsElement>(el, 'details[part="scope"]').forEach((d) => (d.open = true));
        await expect(el).to.be.accessible();
      });
    }
  }

  it('sets the right to object apart: first, under its own heading, outside the other rights (art. 21(4))', async () => {
    const doc = await documentOf('gmo-registry');
    const el = await show(MANIFEST('gmo-registry'), 'en');
    const objection = $(el, '[part="objection"]')!;
    const others = $(el, '[part="rights"]')!;
    expect(objection.compareDocumentPosition(others) & Node.DOCUMENT_POSITION_FOLLOWING).to.be.greaterThan(0);
    expect(objection.getAttribute('aria-labelledby')).to.equal('right-objection');
    expect(textOf($(el, '#right-objection'))).to.equal('Right to object');
    expect($(el, '#right-objection')!.localName).to.equal('h3');
    expect(others.querySelector('[data-right="objection"]')).to.equal(null);
    const border = getComputedStyle(objection);
    expect(parseFloat(border.borderTopWidth)).to.be.at.least(2);
    // It names exactly the purposes on legitimate interests (GMO has none on a public task).
    const listed = [...objection.querySelectorAll<HTMLElement>('[part="scope"] li')].map((li) => li.dataset.purpose);
    expect(listed).to.deep.equal(doc.purposes.filter((p) => p.legalBasis === 'legitimate-interests').map((p) => p.id));
    expect(textOf(objection)).to.contain('direct marketing');
  });

  for (const id of LAUNCH) {
    it(`gives each purpose of ${id} exactly the rights of its legal basis (DPV mapping)`, async () => {
      const doc = await documentOf(id);
      const el = await show(MANIFEST(id), 'en');
      const items = $$(el, '[part="by-purpose"] li[data-purpose]');
      expect(items.map((li) => li.dataset.purpose)).to.deep.equal(doc.purposes.map((p) => p.id));
      for (const li of items) {
        const rights = [...li.querySelectorAll<HTMLElement>('.purpose-rights li')].map((r) => r.dataset.right);
        expect(rights, li.dataset.purpose).to.deep.equal(rightsForBasis(li.dataset.basis as NoticeDocument['purposes'][number]['legalBasis']));
      }
      // A purpose under a legal obligation alone offers no portability, and the right says for which purposes it holds.
      const legal = items.find((li) => li.dataset.basis === 'legal-obligation')!;
      expect(legal.querySelector('[data-right="portability"]')).to.equal(null);
      const scope = [...$$(el, '[part="right"][data-right="portability"] [part="scope"] li')].map((li) => li.dataset.purpose);
      expect(scope).to.deep.equal(purposesWithRight(doc.purposes, 'portability').map((p) => p.id));
      expect(scope).not.to.include(legal.dataset.purpose);
    });
  }

  it('names the supervisory authority with its contact details, and the right to complain where one lives or works', async () => {
    const gmo = await show(MANIFEST('gmo-registry'), 'nl');
    const ap = $(gmo, '[part="authority"]')!;
    expect(textOf(ap)).to.contain('Autoriteit Persoonsgegevens');
    expect(textOf(ap)).to.contain('Postbus 93374');
    expect(textOf(ap)).to.contain('2509 AJ Den Haag');
    expect(ap.querySelector('a[href="https://autoriteitpersoonsgegevens.nl"]')).to.exist;
    expect(textOf($(gmo, '[part="right"][data-right="complaint"]'))).to.contain('waar u woont, waar u werkt');
    fixtureCleanup();

    const dcube = await show(MANIFEST('dcube-resource'), 'nl-BE');
    const gba = $(dcube, '[part="authority"]')!;
    expect(textOf(gba)).to.contain('Gegevensbeschermingsautoriteit');
    expect(textOf(gba)).to.contain('Drukpersstraat 35');
    expect(gba.querySelector('a[href="mailto:contact@apd-gba.be"]')).to.exist;
    expect(gba.dataset.country).to.equal('BE');
  });

  describe('postal requests (GMO Registry)', () => {
    it('says which means are refused', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      expect(textOf($(el, '[part="refused"]'))).to.equal('GMO Registry, Inc. does not accept requests by telephone, by fax, by e-mail, or in person.');
      expect($$(el, '[part="channel"]').map((c) => c.dataset.channel)).to.deep.equal(['postal']);
      expect($$(el, 'button[data-action]').map((b) => b.dataset.action)).to.deep.equal(['postal']);
    });

    it('validates the form on screen: required fields, aria-invalid, messages tied with aria-describedby', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      await act(el, 'postal');
      const invalid = $$(el, '[aria-invalid="true"]').map((f) => f.getAttribute('name'));
      expect(invalid).to.deep.equal(['right', 'name', 'email', 'street', 'locality', 'country']);
      for (const field of $$(el, '[aria-invalid="true"]')) {
        const ids = field.getAttribute('aria-describedby')!.split(' ');
        const message = ids.map((id) => el.shadowRoot!.getElementById(id)).find((node) => node?.getAttribute('part') === 'field-error');
        expect(textOf(message), field.getAttribute('name')!).not.to.equal('');
      }
      expect($(el, '[part="form-error"]')!.getAttribute('role')).to.equal('alert');
      expect(el.shadowRoot!.activeElement?.getAttribute('name')).to.equal('right');
      expect($(el, '[part="letter"]')).to.equal(null);
      await expect(el).to.be.accessible();

      await fill(el, { ...PERSON, email: 'anna-at-example' });
      await act(el, 'postal');
      expect($$(el, '[aria-invalid="true"]').map((f) => f.getAttribute('name'))).to.deep.equal(['email']);
      expect(textOf($(el, '#error-email'))).to.contain('name@example.com');
      expect($(el, '[part="letter"]')).to.equal(null);
    });

    it('says what is wrong in the page’s language', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'nl');
      await act(el, 'postal');
      expect(textOf($(el, '#error-right'))).to.equal('Kies een recht.');
      expect(textOf($(el, '#error-name'))).to.equal('Vul dit veld in.');
      expect(textOf($(el, '[part="form-error"]'))).to.equal('Controleer de gemarkeerde velden hieronder.');
      await fill(el, { email: 'anna' });
      await act(el, 'postal');
      expect(textOf($(el, '#error-email'))).to.equal('Vul een e-mailadres in, zoals naam@voorbeeld.nl.');
      const text = textOf(el.shadowRoot);
      for (const english of [...ENGLISH_UI, 'Fill in this field', 'Choose a right', 'Check the fields']) expect(text, english).not.to.contain(english);
      await expect(el).to.be.accessible();
    });

    it('keeps what was typed when the language changes, and starts empty for another notice', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      await fill(el, { ...PERSON, right: 'erasure', message: 'Please erase my old account.' });
      el.lang = 'nl';
      await el.loadComplete;
      expect($<HTMLInputElement>(el, '[name="name"]')!.value).to.equal(PERSON.name);
      expect($<HTMLTextAreaElement>(el, '[name="message"]')!.value).to.equal('Please erase my old account.');

      el.notice = MANIFEST('dcube-resource');
      await el.loadComplete;
      expect($<HTMLInputElement>(el, '[name="name"]')!.value).to.equal('');
      expect($<HTMLTextAreaElement>(el, '[name="message"]')!.value).to.equal('');
    });

    it('makes a letter with the registrar’s address, registered post, what to enclose, and a signature line', async () => {
      const doc = await documentOf('gmo-registry');
      const el = await show(MANIFEST('gmo-registry'), 'en');
      const event = oneEvent(el, 'privacy-request') as unknown as Promise<PrivacyRequestEvent>;
      await fill(el, { ...PERSON, right: 'erasure', customerNumber: 'C-1042', message: 'Please erase my old account.' });
      await act(el, 'postal');
      const fired = await event;
      expect([fired.channel, fired.right, fired.requestId]).to.deep.equal(['postal', 'erasure', undefined]);
      const letter = $(el, '[part="letter"]')!;
      const text = textOf(letter);
      expect(text).to.contain('By registered post');
      expect(text).to.contain('GMO Internet, Inc.');
      expect(text).to.contain('Cerulean Tower 4-14F, 26-1 Sakuragaokacho, Shibuya-ku');
      expect(text).to.contain('150-8512 Tokyo');
      expect(text).to.contain('Japan');
      expect(text).to.contain('Request to erase my personal data (article 17 GDPR)');
      expect(text).to.contain('Please erase my old account.');
      expect(text).to.contain('My customer number is C-1042.');
      expect(text).to.contain('Please send your answer to anna@example.nl.');
      expect(text).to.contain('Keizersgracht 1');
      for (const enclosure of doc.requestChannels[0]!.type === 'postal' ? doc.requestChannels[0]!.enclosures!.en! : []) expect(text).to.contain(enclosure);
      expect(letter.querySelector('.signature .line')).to.exist;
      expect(el.shadowRoot!.activeElement?.id).to.equal('letter-title');
      await expect(el).to.be.accessible();
      // The letter always says what the form says: a change takes it away until it is prepared again.
      await fill(el, { name: 'Anna de Vries-Jansen' });
      expect($(el, '[part="letter"]')).to.equal(null);
      await act(el, 'postal');
      expect(textOf($(el, '[part="letter"]'))).to.contain('Anna de Vries-Jansen');
    });

    it('prints the letter alone on A4, hiding the rest (emulated print media)', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      await fill(el, PERSON);
      await act(el, 'postal');
      const letter = $(el, '[part="letter"]')!;
      const hidden = ['[part="objection"]', '[part="rights"]', '[part="request-form"]', '[part="print-button"]', '[part="heading"]', '[part="channel"]'];
      for (const selector of hidden) expect($(el, selector)!.checkVisibility(), `${selector} on screen`).to.equal(true);
      await emulateMedia({ media: 'print' });
      expect(letter.checkVisibility()).to.equal(true);
      expect(letter.getBoundingClientRect().height).to.be.greaterThan(200);
      // 170 mm at 96 px per inch: the text width of an A4 page with 20 mm margins.
      expect(letter.getBoundingClientRect().width).to.be.at.most((170 / 25.4) * 96 + 1);
      for (const selector of hidden) expect($(el, selector)!.checkVisibility(), `${selector} in print`).to.equal(false);
      expect(getComputedStyle(letter).color).to.equal('rgb(0, 0, 0)');
      await expect(el).to.be.accessible();
    });

    it('prints the rights, without the form, when no letter was made', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      await emulateMedia({ media: 'print' });
      expect($(el, '[part="rights"]')!.checkVisibility()).to.equal(true);
      expect($(el, '[part="request-form"]')!.checkVisibility()).to.equal(false);
    });

    it('names a copy of an identity document when the notice names no enclosures, and says so', async () => {
      const doc = await documentOf('gmo-registry');
      const channel = doc.requestChannels[0]!;
      if (channel.type === 'postal') delete channel.enclosures;
      const el = await show(doc, 'nl');
      const postal = $(el, '[part="channel"][data-channel="postal"]')!;
      expect(textOf(postal)).to.contain('Een kopie van een identiteitsbewijs');
      expect(textOf(postal)).to.contain('burgerservicenummer');
      expect(textOf(postal)).to.contain('De privacyverklaring zegt niet welke documenten');
      await fill(el, PERSON);
      await act(el, 'postal');
      expect(textOf($(el, '[part="letter"]'))).to.contain('Een kopie van een identiteitsbewijs');
      expect(textOf($(el, '[part="letter"]'))).to.contain('Verzoek om inzage in mijn persoonsgegevens (artikel 15 AVG)');
    });

    it('starts a request from a right: the form shows that right, with focus on it', async () => {
      const el = await show(MANIFEST('gmo-registry'), 'en');
      $<HTMLButtonElement>(el, '[part="objection"] [part="request-button"]')!.click();
      await waitUntil(() => el.shadowRoot!.activeElement?.id === 'field-right', 'focus moved to the right');
      expect($<HTMLSelectElement>(el, '#field-right')!.value).to.equal('objection');
    });
  });

  describe('e-mail requests (D-Cube Resource)', () => {
    for (const [lang, subject, sentence] of [
      ['en', 'Request to erase my personal data (article 17 GDPR)', 'Under article 17 of the GDPR, I ask you to erase'],
      ['nl-BE', 'Verzoek om mijn persoonsgegevens te wissen (artikel 17 AVG)', 'Op grond van artikel 17 van de AVG vraag ik u'],
    ] as const) {
      it(`prepares a mailto link with subject and body in ${lang}, and the same text to copy`, async () => {
        const el = await show(MANIFEST('dcube-resource'), lang);
        expect($$(el, '[part="channel"]').map((c) => c.dataset.channel)).to.deep.equal(['self-service', 'email']);
        await fill(el, { right: 'erasure', name: 'Jan Peeters', email: 'jan@example.be', customerNumber: 'DC-77', message: 'Mijn oude account.' });
        await act(el, 'email');
        const href = $<HTMLAnchorElement>(el, '[part="mailto-link"]')!.getAttribute('href')!;
        expect(href.startsWith('mailto:privacy@dcube-resource.be?subject=')).to.equal(true);
        expect(href).not.to.match(/\s/);
        const params = new URLSearchParams(href.slice(href.indexOf('?') + 1).replace(/\+/g, '%2B'));
        expect(params.get('subject')).to.equal(subject);
        const body = params.get('body')!;
        expect(body).to.contain(sentence);
        expect(body).to.contain('Jan Peeters');
        expect(body).to.contain('DC-77');
        expect(body).to.contain('Mijn oude account.');
        expect(body).to.contain('jan@example.be');
        expect(body).to.contain('\r\n\r\n');
        const area = $<HTMLTextAreaElement>(el, '[part="email-text"]')!;
        expect(area.value).to.equal(`${subject}\n\n${body.replace(/\r\n/g, '\n')}`);
        await expect(el).to.be.accessible();
      });
    }

    it('copies the text, or selects it when the clipboard is unavailable', async () => {
      const el = await show(MANIFEST('dcube-resource'), 'en');
      await fill(el, { right: 'access', name: 'Jan Peeters', email: 'jan@example.be' });
      await act(el, 'email');
      const area = $<HTMLTextAreaElement>(el, '[part="email-text"]')!;
      const descriptor = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
      let copied = '';
      try {
        Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (copied = text) } });
        $<HTMLButtonElement>(el, '[part="copy-button"]')!.click();
        await waitUntil(() => textOf($(el, '.copy-status')) === 'The text is copied.');
        expect(copied).to.equal(area.value);

        Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
        $<HTMLButtonElement>(el, '[part="copy-button"]')!.click();
        await waitUntil(() => textOf($(el, '.copy-status')).includes('Ctrl+C'));
        expect(textOf($(el, '.copy-status'))).to.equal('The text is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.');
        expect(el.shadowRoot!.activeElement).to.equal(area);
        expect([area.selectionStart, area.selectionEnd]).to.deep.equal([0, area.value.length]);
      } finally {
        delete (navigator as { clipboard?: unknown }).clipboard;
        Object.defineProperty(Navigator.prototype, 'clipboard', descriptor);
      }
      await expect(el).to.be.accessible();
    });

    it('links to the self-service application', async () => {
      const el = await show(MANIFEST('dcube-resource'), 'en');
      const a = $<HTMLAnchorElement>(el, '[part="self-service-link"]')!;
      expect(a.getAttribute('href')).to.equal('https://www.dcube-resource.be/');
      expect(textOf(a)).to.equal('Online customer application');
    });
  });

  describe('online requests, to the real receiver', () => {
    let receiver = '';
    const seen: string[] = [];
    const realFetch = window.fetch;

    before(async function () {
      this.timeout(30_000); // the first use starts the receiver process
      receiver = (await rigConfig()).receiver;
    });
    beforeEach(() => {
      seen.length = 0;
      window.fetch = (input, init) => {
        seen.push(new Request(input, init).url);
        return realFetch(input, init);
      };
    });
    afterEach(() => {
      window.fetch = realFetch;
    });

    /** GMO Registry's notice, as a registrar that also takes requests over its API would publish it. */
    async function onlineNotice(): Promise<NoticeDocument> {
      const doc = await documentOf('gmo-registry');
      doc.requestChannels.push({
        type: 'online',
        instructions: { nl: 'Signed-in customers send their request here.', en: 'Signed-in customers send their request here.' },
      });
      doc.requestChannels[doc.requestChannels.length - 1]!.instructions.nl = 'Bent u aangemeld, dan verstuurt u uw verzoek hier.';
      return doc;
    }

    const stored = async (subject: string) => {
      const response = await realFetch(`${receiver}/subjects/${encodeURIComponent(subject)}/requests`, {
        headers: { authorization: `Bearer demo:${subject}` },
      });
      return (await response.json()).requests as { requestId: string; request: { right: RightId; details: { name: string } } }[];
    };

    it('sends the request with the host’s credentials; the receiver stores it and answers a reference to keep', async () => {
      const subject = `customer-${Math.random().toString(36).slice(2)}`;
      const el = await show(await onlineNotice(), 'en', {
        endpoint: receiver,
        subject,
        credentials: () => ({ Authorization: `Bearer demo:${subject}` }),
      });
      expect($$(el, 'button[data-action]').map((b) => b.dataset.action)).to.deep.equal(['postal', 'online']);
      const event = oneEvent(el, 'privacy-request') as unknown as Promise<PrivacyRequestEvent>;
      await fill(el, { right: 'portability', name: 'Anna de Vries', email: 'anna@example.nl', message: 'As a CSV file, please.' });
      await act(el, 'online');
      await waitUntil(() => $(el, '[part="request-id"]'), 'the reference shows', { timeout: 5000 });
      const requestId = textOf($(el, '[part="request-id"]'));
      expect((await event).requestId).to.equal(requestId);
      const requests = await stored(subject);
      expect(requests.map((r) => [r.requestId, r.request.right, r.request.details.name])).to.deep.equal([[requestId, 'portability', 'Anna de Vries']]);
      expect(seen.filter((url) => url.startsWith(receiver))).to.deep.equal([`${receiver}/requests`]);
      await expect(el).to.be.accessible();

      // A second click is a retry of the same request: the same answer, stored once.
      await act(el, 'online');
      await waitUntil(() => seen.filter((url) => url.startsWith(receiver)).length === 2 && $(el, '[part="request-id"]'));
      expect(textOf($(el, '[part="request-id"]'))).to.equal(requestId);
      expect(await stored(subject)).to.have.length(1);
    });

    it('is refused for another subject, and says so', async () => {
      const subject = `customer-${Math.random().toString(36).slice(2)}`;
      const el = await show(await onlineNotice(), 'nl', {
        endpoint: receiver,
        subject,
        credentials: () => ({ Authorization: 'Bearer demo:someone-else' }),
      });
      await fill(el, { right: 'access', name: 'Anna de Vries', email: 'anna@example.nl' });
      await act(el, 'online');
      await waitUntil(() => textOf($(el, '[part="online-status"]')).includes('niet ingelogd'), 'the refusal shows', { timeout: 5000 });
      expect($(el, '[part="request-id"]')).to.equal(null);
      expect(await stored(subject)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('sends nothing anywhere the notice does not name', async () => {
      // An endpoint, but a notice without an online channel: no send button, no request.
      const subject = `customer-${Math.random().toString(36).slice(2)}`;
      const el = await show(MANIFEST('gmo-registry'), 'en', { endpoint: receiver, subject, credentials: () => ({}) });
      expect($$(el, 'button[data-action]').map((b) => b.dataset.action)).to.deep.equal(['postal']);
      await fill(el, PERSON);
      await act(el, 'postal');
      // An online channel, but no endpoint: the instructions only.
      fixtureCleanup();
      const noEndpoint = await show(await onlineNotice(), 'en', { subject });
      expect($$(noEndpoint, 'button[data-action]').map((b) => b.dataset.action)).to.deep.equal(['postal']);
      expect(seen.filter((url) => !url.includes('/packages/notices/'))).to.deep.equal([]);
    });
  });

  it('shows a readable error for a notice that cannot be fetched, and reports it', async () => {
    const el = document.createElement('privacy-rights');
    el.lang = 'nl';
    const reported = oneEvent(el, 'consent-error') as unknown as Promise<ConsentErrorEvent>;
    el.notice = '/no-such-notice.json';
    document.body.append(el);
    try {
      expect((await reported).code).to.equal('notice-fetch-failed');
      expect(await el.loadComplete).to.equal(false);
      expect(textOf($(el, '[part="error"]'))).to.contain('De privacyverklaring kon niet worden geladen');
      await expect(el).to.be.accessible();
    } finally {
      el.remove();
    }
  });

  it('is accessible in the dark colour scheme, with a letter made', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await show(MANIFEST('gmo-registry'), 'en');
    await fill(el, PERSON);
    await act(el, 'postal');
    await expect(el).to.be.accessible();
  });
});
