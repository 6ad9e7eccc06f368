import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import { emulateMedia } from '@web/test-runner-commands';
import { validateNotice, type NoticeDocument } from '@akkoord/core/notice';
import './define.js';
import type { PrivacyNotice } from './privacy-notice.js';
import { ConsentErrorEvent } from '../events.js';
import { resolveUiLocale, setLocale } from '../localization.js';
import { richText } from '../shared/rich-text.js';
import { HOSTILE_STRINGS, hostileNotice, sampleNotice } from '../../../../test/fixtures/notices.js';
import { privacyNotice } from '../../../../stories/templates.js';

/** Every English UI string, so that a Dutch rendering can be checked for leftovers. */
const ENGLISH_UI = [
  'Loading the privacy notice',
  'In short',
  'Who is responsible',
  'Representative in the EU',
  'Data protection officer',
  'What your data is used for',
  'Interest pursued',
  'Good to know',
  'Withdrawing your consent',
  'Your rights',
  'How to use your rights',
  'Read the full privacy notice',
  'Full privacy notice',
  'Version',
  'With your consent',
  'Legal basis',
  'could not be loaded',
  'contains errors',
  'Please try again',
  'Try again',
  'Details for developers',
];

async function show(notice: NoticeDocument | string | undefined, lang?: string, level?: number): Promise<PrivacyNotice> {
  const el = await fixture<PrivacyNotice>(privacyNotice({ notice, lang, headingLevel: level }));
  await el.loadComplete;
  return el;
}

const root = (el: PrivacyNotice) => el.shadowRoot!;
const $ = <E extends Element = HTMLElement>(el: PrivacyNotice, selector: string) => root(el).querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: PrivacyNotice, selector: string) => [...root(el).querySelectorAll<E>(selector)];
const textOf = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const plain = (text: unknown): string =>
  typeof text === 'string' ? text : (text as (string | { text: string })[]).map((p) => (typeof p === 'string' ? p : p.text)).join('');

/** Texts of one locale that the other locale does not share: none may show in the other language. */
function onlyIn(doc: NoticeDocument, locale: string, other: string): string[] {
  const out = new Set<string>();
  const leaves = (value: unknown, into: Set<string>) => {
    if (typeof value === 'string') into.add(value);
    else if (Array.isArray(value)) value.forEach((v) => leaves(v, into));
    else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v.text === 'string' && typeof v.href === 'string') into.add(v.text);
      else Object.entries(v).forEach(([k, x]) => k !== 'type' && k !== 'href' && leaves(x, into));
    }
  };
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (locale in record && other in record) {
      const mine = new Set<string>();
      const theirs = new Set<string>();
      leaves(record[locale], mine);
      leaves(record[other], theirs);
      // Sentences, not single words: a one-word text ("Name", "Belgium") may well occur inside the other language's text.
      for (const text of mine) if (!theirs.has(text) && text.trim().split(/\s+/).length >= 3) out.add(text);
      return;
    }
    Object.values(record).forEach(walk);
  };
  walk(doc);
  return [...out];
}

/** Asserts that every section and every right of `doc` is rendered in `locale`. */
function expectComplete(el: PrivacyNotice, doc: NoticeDocument, locale: string) {
  expect($(el, '[part="base"]')!.lang).to.equal(locale);
  const sections = $$<HTMLDetailsElement>(el, 'details[part="section"]');
  expect(sections.map((d) => d.id)).to.deep.equal(doc.sections.map((s) => s.id));
  doc.sections.forEach((section, i) => {
    const details = sections[i]!;
    expect(textOf(details.querySelector('[part="section-title"]'))).to.equal(section.title[locale]!.trim());
    expect(textOf(details.querySelector('[part="section-abstract"]'))).to.equal(plain(section.summary[locale]).replace(/\s+/g, ' ').trim());
    expect(details.querySelector('[part="section-body"]')!.children.length).to.equal(section.body[locale]!.length);
  });
  const rights = $$(el, '[part="right"]');
  expect(rights.map((r) => r.dataset.right)).to.deep.equal(doc.rights.map((r) => r.right));
  expect(rights.map((r) => textOf(r))).to.deep.equal(doc.rights.map((r) => r.title[locale]!.trim()));
  const purposes = $$(el, '[part="purpose"]');
  expect(purposes.map((p) => p.dataset.purpose)).to.deep.equal(doc.purposes.map((p) => p.id));
}

const consentError = (target: EventTarget) => oneEvent(target, 'consent-error') as unknown as Promise<ConsentErrorEvent>;

let errors: unknown[] = [];
const onError = (event: ErrorEvent | PromiseRejectionEvent) => errors.push('reason' in event ? event.reason : event.error);

describe('<privacy-notice>', () => {
  const realFetch = window.fetch;

  beforeEach(() => {
    errors = [];
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
  });

  afterEach(async () => {
    window.fetch = realFetch;
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);
    fixtureCleanup();
    await setLocale(undefined);
    await emulateMedia({ colorScheme: 'light', media: 'screen', reducedMotion: 'no-preference' });
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    window.scrollTo(0, 0);
    expect(errors, 'nothing thrown into the page').to.deep.equal([]);
  });

  it('is accessible', async () => {
    const el = await show(sampleNotice(), 'en');
    await expect(el).to.be.accessible();
  });

  it('uses a fixture notice that validates', () => {
    const result = validateNotice(sampleNotice());
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).to.equal(true);
    expect(validateNotice(hostileNotice()).ok).to.equal(true);
  });

  describe('first layer', () => {
    it('shows the controller, its EU representative and DPO with their contact details', async () => {
      const el = await show(sampleNotice(), 'en');
      const controller = $(el, '[part="controller"]')!;
      const parties = [...controller.querySelectorAll('[part="party"]')].map(textOf);
      expect(parties[0]).to.contain('Voorbeeld Registry K.K.').and.contain('1-2-3 Shibuya').and.contain('150-0002 Tokyo').and.contain('Japan');
      expect(parties[0]).to.contain('privacy@registry.example').and.contain('+81-3-0000-0000');
      expect(parties[1]).to.contain('EU-Vertegenwoordiging B.V.').and.contain('Netherlands');
      expect(parties[2]).to.contain('Hanako Suzuki');
      const roles = [...controller.querySelectorAll('[part="party-role"]')].map(textOf);
      expect(roles).to.deep.equal(['Representative in the EU', 'Data protection officer']);
      const hrefs = [...controller.querySelectorAll('a')].map((a) => a.getAttribute('href'));
      expect(hrefs).to.include.members(['mailto:privacy@registry.example', 'tel:+81-3-0000-0000', 'https://registry.example']);
    });

    it('shows every purpose with its legal basis, consent ones marked as such', async () => {
      const el = await show(sampleNotice(), 'en');
      const bases = $$(el, '[part="legal-basis"]').map((b) => [b.dataset.basis, textOf(b)]);
      expect(bases).to.deep.equal([
        ['contract', 'Legal basis: a contract with you'],
        ['legal-obligation', 'Legal basis: a legal obligation'],
        ['legitimate-interests', 'Legal basis: legitimate interests'],
        ['consent', 'With your consent'],
      ]);
      expect(textOf($(el, '[data-purpose="security"]'))).to.contain('Interest pursued: A safe and reliable register.');
    });

    it('shows the intro, surprising processing, withdrawal, the rights and links into the full notice', async () => {
      const el = await show(sampleNotice(), 'en');
      expect(textOf($(el, '[part="intro"]'))).to.equal('We register domain names under .example and use your data to do so.');
      expect(textOf($(el, '[part="notable"]'))).to.equal("We publish the holder's name in the public WHOIS.");
      expect(textOf($(el, '[part="withdrawal"]'))).to.equal('You withdraw your consent in your preferences, whenever you like.');
      const links = $$<HTMLAnchorElement>(el, '[part="links"] a').map((a) => [textOf(a), a.getAttribute('href')]);
      expect(links).to.deep.equal([
        ['How to use your rights', '#rechten'],
        ['Read the full privacy notice', '#akkoord-full'],
      ]);
    });

    it('leaves out what the notice does not have', async () => {
      const doc = sampleNotice();
      delete doc.controller.representative;
      delete doc.controller.dpo;
      delete doc.summary.notable;
      doc.controller.establishedIn = 'NL';
      doc.sections = doc.sections.filter((s) => s.topic !== 'rights');
      doc.sections[2]!.body = { nl: [{ type: 'paragraph', text: 'Geen links.' }], en: [{ type: 'paragraph', text: 'No links.' }] };
      doc.sections[0]!.summary = { nl: 'Kort.', en: 'Short.' };
      const el = await show(doc, 'en');
      expect($$(el, '[part="party"]')).to.have.length(1);
      expect($(el, '[part="notable"]')).to.equal(null);
      expect($$(el, '[part="links"] a').map(textOf)).to.deep.equal(['Read the full privacy notice']);
      await expect(el).to.be.accessible();
    });
  });

  describe('second layer', () => {
    it('renders every section closed, with title, summary and full text', async () => {
      const doc = sampleNotice();
      const el = await show(doc, 'en');
      expectComplete(el, doc, 'en');
      expect($$<HTMLDetailsElement>(el, 'details[part="section"]').every((d) => !d.open)).to.equal(true);
      const rights = $(el, '#rechten')!;
      expect(rights.querySelector('ol')!.children).to.have.length(3);
      expect(rights.querySelector('a[href="mailto:privacy@registry.example"]')).to.exist;
      expect(textOf($(el, '#bewaartermijnen [part="note"]'))).to.equal('The tax retention duty applies after cancellation too.');
      $<HTMLDetailsElement>(el, '#contact')!.open = true;
      expect($(el, '#contact address')!.innerText.split('\n')).to.deep.equal(['Voorbeeld Registry K.K.', '1-2-3 Shibuya', 'Tokyo', 'Japan']);
      expect(textOf($(el, '[part="footer"]'))).to.equal('Version 2024-05-01');
    });

    it('puts no link inside a <summary>', async () => {
      const el = await show(sampleNotice(), 'en');
      expect($$(el, 'summary a')).to.have.length(0);
      expect(textOf($(el, '#rechten [part="section-abstract"]'))).to.equal('Access, rectification, erasure and more; see contact.');
    });

    it('is accessible with every section open', async () => {
      const el = await show(sampleNotice(), 'nl');
      $$<HTMLDetailsElement>(el, 'details').forEach((d) => (d.open = true));
      await expect(el).to.be.accessible();
    });

    it('takes its heading levels from heading-level', async () => {
      const levels = (el: PrivacyNotice) => [
        $(el, '#akkoord-summary')!.tagName,
        $(el, '[part="subheading"]')!.tagName,
        $(el, '#akkoord-full')!.tagName,
        $(el, '[part="section-title"]')!.tagName,
        $(el, '#rechten [part="section-body"] h1, #rechten [part="section-body"] h2, #rechten [part="section-body"] h3, #rechten [part="section-body"] h4, #rechten [part="section-body"] h5, #rechten [part="section-body"] h6')!.tagName,
      ];
      expect(levels(await show(sampleNotice(), 'en'))).to.deep.equal(['H2', 'H3', 'H2', 'H3', 'H4']);
      expect(levels(await show(sampleNotice(), 'en', 1))).to.deep.equal(['H1', 'H2', 'H1', 'H2', 'H3']);
      expect(levels(await show(sampleNotice(), 'en', 5))).to.deep.equal(['H5', 'H6', 'H5', 'H6', 'H6']);
    });
  });

  describe('language', () => {
    it('renders Dutch under lang=nl: UI strings and notice text, no English', async () => {
      const doc = sampleNotice();
      const el = await show(doc, 'nl');
      expectComplete(el, doc, 'nl');
      const text = textOf(root(el));
      for (const english of [...ENGLISH_UI, ...onlyIn(doc, 'en', 'nl')]) expect(text).not.to.contain(english);
      expect(textOf($(el, '#akkoord-summary'))).to.equal('In het kort');
      expect(textOf($(el, '[data-basis="consent"]'))).to.equal('Met uw toestemming');
      expect(textOf($(el, '[data-basis="contract"]'))).to.equal('Grondslag: een overeenkomst met u');
      expect(text).to.contain('Functionaris gegevensbescherming').and.contain('Japan').and.contain('Nederland');
      expect(textOf($(el, '[part="footer"]'))).to.equal('Versie 2024-05-01');
      await expect(el).to.be.accessible();
    });

    it('renders English under lang=en, with no Dutch notice text', async () => {
      const doc = sampleNotice();
      const el = await show(doc, 'en');
      const text = textOf(root(el));
      for (const dutch of onlyIn(doc, 'nl', 'en')) expect(text).not.to.contain(dutch);
    });

    it('gives Dutch for nl-NL, and Dutch with Belgian wording for nl-BE', async () => {
      const nl = await show(sampleNotice(), 'nl-NL');
      expect($(nl, '[part="base"]')!.lang).to.equal('nl');
      expect(textOf($$(nl, '[part="party-role"]')[1])).to.equal('Functionaris gegevensbescherming');

      const be = await show(sampleNotice(), 'nl-BE');
      expect($(be, '[part="base"]')!.lang).to.equal('nl');
      expect(textOf($$(be, '[part="party-role"]')[1])).to.equal('Functionaris voor gegevensbescherming (DPO)');
      // Messages without a Belgian target come from nl, never from the English source.
      expect(textOf($(be, '#akkoord-summary'))).to.equal('In het kort');
      const text = textOf(root(be));
      for (const english of ENGLISH_UI) expect(text).not.to.contain(english);
      await expect(be).to.be.accessible();
    });

    it('speaks the Belgian variant of a notice written in nl-BE to a reader who asks for nl', async () => {
      const belgian = JSON.parse(JSON.stringify(sampleNotice()).replaceAll('"nl"', '"nl-BE"')) as NoticeDocument;
      expect(belgian.locales).to.deep.equal(['nl-BE', 'en']);
      const el = await show(belgian, 'nl');
      expectComplete(el, belgian, 'nl-BE');
      expect(textOf($$(el, '[part="party-role"]')[1])).to.equal('Functionaris voor gegevensbescherming (DPO)');
    });

    it('maps language tags to UI locales', () => {
      expect(['nl', 'nl-NL', 'NL-nl', 'nl-BE', 'nl_be', 'nl-Latn-BE', 'en', 'en-GB', 'fr', '', undefined].map(resolveUiLocale)).to.deep.equal([
        'nl', 'nl', 'nl', 'nl-BE', 'nl-BE', 'nl-BE', 'en', 'en', undefined, undefined, undefined,
      ]);
    });

    it('switches language when lang changes, without a reload and keeping open sections open', async () => {
      const el = await show(sampleNotice(), 'en');
      const details = $<HTMLDetailsElement>(el, '#bewaartermijnen')!;
      details.open = true;
      el.lang = 'nl';
      await el.loadComplete;
      expect(el.getAttribute('lang')).to.equal('nl');
      expect($(el, '[part="base"]')!.lang).to.equal('nl');
      expect(textOf($(el, '#akkoord-full'))).to.equal('Volledige privacyverklaring');
      expect(textOf(details.querySelector('[part="section-title"]'))).to.equal('Hoe lang wij gegevens bewaren');
      expect($(el, '#bewaartermijnen')).to.equal(details);
      expect(details.open).to.equal(true);
      el.lang = 'en';
      await el.loadComplete;
      expect(textOf($(el, '#akkoord-full'))).to.equal('Full privacy notice');
    });

    it('resolves lang from the element, then setLocale(), then the nearest [lang] ancestor, then navigator.languages, then the notice', async () => {
      const html5 = document.documentElement;
      const pageLang = html5.getAttribute('lang');
      const languages = Object.getOwnPropertyDescriptor(navigator, 'languages');
      try {
        html5.removeAttribute('lang');
        const host = await fixture<HTMLDivElement>(html`<div><section lang="nl"><div><privacy-notice></privacy-notice></div></section></div>`);
        const el = host.querySelector('privacy-notice')!;
        el.notice = sampleNotice();
        await el.loadComplete;
        expect($(el, '[part="base"]')!.lang, 'ancestor').to.equal('nl');

        await setLocale('en');
        await el.loadComplete;
        expect($(el, '[part="base"]')!.lang, 'setLocale over ancestor').to.equal('en');

        el.lang = 'nl-BE';
        await el.loadComplete;
        expect($(el, '[part="base"]')!.lang, 'own lang over setLocale').to.equal('nl');
        expect(textOf($$(el, '[part="party-role"]')[1])).to.equal('Functionaris voor gegevensbescherming (DPO)');

        await setLocale(undefined);
        el.removeAttribute('lang');
        el.closest('section')!.removeAttribute('lang');
        Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['fr-FR', 'en-GB'] });
        // The ancestor is read again only when the element's own lang changes: it just did.
        await el.loadComplete;
        expect($(el, '[part="base"]')!.lang, 'navigator.languages').to.equal('en');

        Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['fr-FR'] });
        el.notice = sampleNotice();
        await el.loadComplete;
        expect($(el, '[part="base"]')!.lang, "the notice's default").to.equal('nl');
        expect(textOf($(el, '#akkoord-summary'))).to.equal('In het kort');
      } finally {
        if (languages) Object.defineProperty(navigator, 'languages', languages);
        else delete (navigator as { languages?: unknown }).languages;
        if (pageLang !== null) html5.setAttribute('lang', pageLang);
      }
    });

    it('does not re-localize when an ancestor lang changes (a translation plugin)', async () => {
      const host = await fixture<HTMLDivElement>(html`<div lang="nl"><privacy-notice></privacy-notice></div>`);
      const el = host.querySelector('privacy-notice')!;
      el.notice = sampleNotice();
      await el.loadComplete;
      host.lang = 'en';
      el.requestUpdate();
      await el.loadComplete;
      expect($(el, '[part="base"]')!.lang).to.equal('nl');
      expect(textOf($(el, '#akkoord-summary'))).to.equal('In het kort');
    });

    it('re-renders on setLocale() without a reload', async () => {
      const el = await show(sampleNotice());
      await setLocale('en');
      await el.loadComplete;
      expect(textOf($(el, '#akkoord-summary'))).to.equal('In short');
      await setLocale('nl');
      await el.loadComplete;
      expect(textOf($(el, '#akkoord-summary'))).to.equal('In het kort');
      expect(textOf($(el, '[part="intro"]'))).to.contain('Wij registreren');
    });
  });

  describe('loading and errors', () => {
    it('shows a localized status while loading, and is accessible', async () => {
      let release!: (response: Response) => void;
      window.fetch = () => new Promise<Response>((resolve) => (release = resolve));
      const el = await fixture<PrivacyNotice>(html`<privacy-notice lang="nl" notice="/notices/voorbeeld.json"></privacy-notice>`);
      await waitUntil(() => $(el, '[role="status"]'), 'the loading status shows');
      const status = $(el, '[role="status"]');
      expect(textOf(status)).to.equal('De privacyverklaring wordt geladen…');
      expect(status!.getAttribute('part')).to.equal('status');
      await expect(el).to.be.accessible();
      release(new Response(JSON.stringify(sampleNotice())));
      expect(await el.loadComplete).to.equal(true);
      expect($(el, '[role="status"]')).to.equal(null);
      expectComplete(el, sampleNotice(), 'nl');
    });

    it('fetches a notice URL relative to the document base URL', async () => {
      const urls: string[] = [];
      window.fetch = async (input) => {
        urls.push(String(input));
        return new Response(JSON.stringify(sampleNotice()), { headers: { 'content-type': 'application/json' } });
      };
      const el = await show('notices/voorbeeld.json', 'en');
      expect(urls).to.deep.equal([new URL('notices/voorbeeld.json', document.baseURI).href]);
      expectComplete(el, sampleNotice(), 'en');
    });

    it('shows a readable error and fires consent-error when the URL fails', async () => {
      const el = document.createElement('privacy-notice');
      el.lang = 'nl';
      el.notice = '/test/fixtures/does-not-exist.json';
      const fired = consentError(document);
      await fixture(html`<div>${el}</div>`);
      const event = await fired;
      expect(event).to.be.instanceOf(ConsentErrorEvent);
      expect(event.code).to.equal('notice-fetch-failed');
      expect(event.message).to.contain('404');
      expect(event.bubbles && event.composed).to.equal(true);
      expect(await el.loadComplete).to.equal(false);
      const alert = $(el, '[role="alert"]')!;
      expect(textOf(alert)).to.contain('De privacyverklaring kon niet worden geladen.');
      expect(textOf(alert.querySelector('summary'))).to.equal('Details voor ontwikkelaars');
      expect(alert.querySelector('[lang="en"]')!.textContent).to.contain('404');
      for (const english of ['could not be loaded', 'Please try again', 'Details for developers']) expect(textOf(alert)).not.to.contain(english);
      await expect(el).to.be.accessible();
    });

    it('shows an error for a network failure, and loads on retry', async () => {
      let fail = true;
      window.fetch = async () => {
        if (fail) throw new TypeError('Failed to fetch');
        return new Response(JSON.stringify(sampleNotice()));
      };
      const el = await show('https://registry.example/privacy.json', 'en');
      expect(textOf($(el, '[role="alert"]'))).to.contain('The privacy notice could not be loaded.');
      fail = false;
      $<HTMLButtonElement>(el, '[part="retry-button"]')!.click();
      expect(await el.loadComplete).to.equal(true);
      expectComplete(el, sampleNotice(), 'en');
    });

    it('shows an error listing the issues of an invalid document, and fires consent-error', async () => {
      const doc = sampleNotice() as unknown as Record<string, unknown>;
      delete doc.controller;
      (doc.purposes as { legalBasis: string }[])[1]!.legalBasis = 'because';
      const el = document.createElement('privacy-notice');
      el.lang = 'en';
      el.notice = doc as unknown as NoticeDocument;
      const fired = consentError(el);
      await fixture(html`<div>${el}</div>`);
      const event = await fired;
      expect(event.code).to.equal('notice-invalid');
      expect(event.issues.map((i) => i.path)).to.include.members(['controller', 'purposes[1].legalBasis']);
      expect(await el.loadComplete).to.equal(false);
      const alert = $(el, '[role="alert"]')!;
      expect(textOf(alert)).to.contain('The privacy notice could not be shown because it contains errors.');
      expect($(el, '[part="retry-button"]')).to.equal(null);
      const items = [...alert.querySelectorAll('details li')].map(textOf);
      expect(items.some((i) => i.startsWith('controller: '))).to.equal(true);
      expect(items.some((i) => i.startsWith('purposes[1].legalBasis: expected one legal basis'))).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('treats a response that is not JSON as an invalid document', async () => {
      window.fetch = async () => new Response('<!doctype html><title>Not found</title>', { status: 200 });
      const el = document.createElement('privacy-notice');
      el.notice = '/privacy.json';
      const fired = consentError(el);
      await fixture(html`<div lang="en">${el}</div>`);
      expect((await fired).code).to.equal('notice-invalid');
      expect(await el.loadComplete).to.be.false; // the error state has rendered
      expect(textOf($(el, '[role="alert"]'))).to.contain('contains errors');
    });

    it('rejects javascript: links in a notice as invalid', async () => {
      const doc = sampleNotice();
      doc.summary.intro.en = ['Click ', { text: 'here', href: 'javascript:window.__akkoordPwned = 1' }];
      const el = document.createElement('privacy-notice');
      el.notice = doc;
      const fired = consentError(el);
      await fixture(html`<div lang="en">${el}</div>`);
      const event = await fired;
      expect(event.issues.map((i) => i.path)).to.include('summary.intro.en[1].href');
      expect($$(el, 'a[href^="javascript"]')).to.have.length(0);
    });

    it('ignores a notice that was replaced while it loaded', async () => {
      const signals: AbortSignal[] = [];
      window.fetch = (_input, init) => {
        signals.push(init!.signal!);
        return new Promise<Response>((_resolve, reject) =>
          init!.signal!.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))),
        );
      };
      let fired = 0;
      const el = await fixture<PrivacyNotice>(html`<privacy-notice lang="en" notice="/a.json" @consent-error=${() => fired++}></privacy-notice>`);
      el.notice = sampleNotice();
      expect(await el.loadComplete).to.equal(true);
      expect(signals[0]!.aborted).to.equal(true);
      expect(fired).to.equal(0);
      expectComplete(el, sampleNotice(), 'en');
    });

    it('renders nothing without a notice', async () => {
      const el = await fixture<PrivacyNotice>(html`<privacy-notice lang="en"></privacy-notice>`);
      expect(textOf(root(el))).to.equal('');
    });
  });

  describe('deep links', () => {
    it('opens, scrolls to and focuses the section named in the URL on load', async () => {
      await emulateMedia({ reducedMotion: 'reduce' }); // an instant scroll
      history.replaceState(null, '', '#bewaartermijnen');
      const el = await show(sampleNotice(), 'en');
      const details = $<HTMLDetailsElement>(el, '#bewaartermijnen')!;
      expect(details.open).to.equal(true);
      const top = details.getBoundingClientRect().top;
      expect(window.scrollY).to.be.greaterThan(0);
      expect(top).to.be.within(-1, innerHeight - 50);
      expect(root(el).activeElement).to.equal(details.querySelector('summary'));
      expect($$<HTMLDetailsElement>(el, 'details[part="section"]').filter((d) => d.open)).to.have.length(1);
    });

    it('opens a section on hashchange', async () => {
      const el = await show(sampleNotice(), 'en');
      const changed = oneEvent(window, 'hashchange');
      location.hash = '#contact';
      await changed;
      const details = $<HTMLDetailsElement>(el, '#contact')!;
      expect(details.open).to.equal(true);
      expect(root(el).activeElement).to.equal(details.querySelector('summary'));
    });

    it('ignores a fragment that names nothing of ours', async () => {
      history.replaceState(null, '', '#%E0%A4%A');
      const el = await show(sampleNotice(), 'en');
      expect($$<HTMLDetailsElement>(el, 'details[open]')).to.have.length(0);
    });

    it('follows #id links in notice text and in the first layer inside the shadow root', async () => {
      const el = await show(sampleNotice(), 'en');
      $<HTMLDetailsElement>(el, '#contact')!.open = true;
      $<HTMLAnchorElement>(el, '#contact a[href="#rechten"]')!.click();
      const rights = $<HTMLDetailsElement>(el, '#rechten')!;
      expect(rights.open).to.equal(true);
      expect(root(el).activeElement).to.equal(rights.querySelector('summary'));
      expect(location.hash).to.equal('');

      $<HTMLAnchorElement>(el, '[part="withdrawal"] a')!.click();
      expect($<HTMLDetailsElement>(el, '#toestemming')!.open).to.equal(true);

      $<HTMLAnchorElement>(el, '[part="links"] a[href="#akkoord-full"]')!.click();
      expect(root(el).activeElement).to.equal($(el, '#akkoord-full'));
      await expect(el).to.be.accessible();
    });
  });

  describe('print', () => {
    it('opens every section before printing and restores them after', async () => {
      const el = await show(sampleNotice(), 'en');
      $<HTMLDetailsElement>(el, '#contact')!.open = true;
      window.dispatchEvent(new Event('beforeprint'));
      expect($$<HTMLDetailsElement>(el, 'details[part="section"]').every((d) => d.open)).to.equal(true);
      window.dispatchEvent(new Event('afterprint'));
      expect($$<HTMLDetailsElement>(el, 'details[part="section"]').filter((d) => d.open).map((d) => d.id)).to.deep.equal(['contact']);
    });

    it('shows the full text of closed sections in print media', async () => {
      const el = await show(sampleNotice(), 'en');
      const body = $(el, '#bewaartermijnen [part="section-body"]')!;
      expect(body.checkVisibility()).to.equal(false);
      await emulateMedia({ media: 'print' });
      expect(body.checkVisibility()).to.equal(true);
      expect(body.getBoundingClientRect().height).to.be.greaterThan(0);
    });
  });

  describe('hostile notice text', () => {
    for (const lang of ['en', 'nl']) {
      it(`renders markup and script as text and runs nothing (${lang})`, async () => {
        delete (window as { __akkoordPwned?: unknown }).__akkoordPwned;
        const el = await show(hostileNotice(), lang);
        $$<HTMLDetailsElement>(el, 'details').forEach((d) => (d.open = true));
        const text = root(el).textContent!;
        for (const hostile of HOSTILE_STRINGS) expect(text, hostile).to.contain(hostile);
        expect($$(el, 'script, img, svg, iframe, object, embed, [onerror], [onload], [ontoggle]')).to.have.length(0);
        for (const a of $$<HTMLAnchorElement>(el, 'a')) expect(a.getAttribute('href')).to.match(/^(https:\/\/|mailto:|tel:\+|#[a-z])/);
        // Give an onerror or ontoggle handler the chance to run, had one been created.
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
        expect((window as { __akkoordPwned?: unknown }).__akkoordPwned).to.equal(undefined);
        await expect(el).to.be.accessible();
      });
    }

    it('renders unsafe link targets as text, even past validation', () => {
      const container = document.createElement('div');
      render(
        richText([
          { text: 'a', href: 'javascript:alert(1)' },
          { text: 'b', href: 'JAVASCRIPT:alert(1)' },
          { text: 'c', href: ' javascript:alert(1)' },
          { text: 'd', href: 'data:text/html,<script>alert(1)</script>' },
          { text: 'e', href: 'http://insecure.example' },
          { text: 'f', href: 'https://ok.example' },
          { text: 'g', href: 'mailto:x@ok.example' },
          { text: 'h', href: '#section' },
          { text: 'i', href: '#"><img src=x>' },
          { text: 'j', href: 'vbscript:msgbox(1)' },
        ]),
        container,
      );
      expect(container.textContent).to.equal('abcdefghij');
      const links = [...container.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]);
      expect(links).to.deep.equal([
        ['f', 'https://ok.example', 'noopener noreferrer'],
        ['g', 'mailto:x@ok.example', 'noopener noreferrer'],
        ['h', '#section', null],
      ]);
    });
  });

  describe('styling', () => {
    it('sets lang on its root and exposes parts', async () => {
      const el = await show(sampleNotice(), 'nl');
      expect($(el, '[part="base"]')!.getAttribute('lang')).to.equal('nl');
      for (const part of ['summary', 'controller', 'purposes', 'purpose', 'legal-basis', 'notable', 'withdrawal', 'rights', 'links', 'sections', 'section', 'section-summary', 'section-title', 'section-abstract', 'section-body', 'footer']) {
        expect($(el, `[part~="${part}"]`), part).to.exist;
      }
    });

    it('takes its colors from --akkoord-* custom properties', async () => {
      const el = await show(sampleNotice(), 'en');
      el.style.setProperty('--akkoord-color-text', 'rgb(1, 2, 3)');
      el.style.setProperty('--akkoord-color-background', 'rgb(250, 250, 250)');
      const base = $(el, '[part="base"]')!;
      expect(getComputedStyle(base).color).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(base).backgroundColor).to.equal('rgb(250, 250, 250)');
    });

    it('keeps AA contrast in the dark color scheme', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const el = await show(sampleNotice(), 'en');
      expect(getComputedStyle($(el, '[part="base"]')!).backgroundColor).to.equal('rgb(13, 17, 23)');
      $$<HTMLDetailsElement>(el, 'details').forEach((d) => (d.open = true));
      await expect(el).to.be.accessible();
      const failed = await fixture<PrivacyNotice>(html`<privacy-notice lang="en" notice="/test/fixtures/does-not-exist.json"></privacy-notice>`);
      await failed.loadComplete;
      await expect(failed).to.be.accessible();
    });

    it('shows a visible focus ring', async () => {
      const el = await show(sampleNotice(), 'en');
      const summary = $(el, '#contact summary')!;
      summary.focus({ focusVisible: true } as FocusOptions);
      const style = getComputedStyle(summary);
      expect(style.outlineStyle).to.equal('solid');
      expect(style.outlineWidth).to.equal('3px');
    });
  });
});

describe('<privacy-notice> with the launch notices', () => {
  const launch = ['gmo-registry', 'dcube-resource'];
  for (const name of launch) {
    describe(name, () => {
      let doc: NoticeDocument | undefined;
      let url = '';
      before(async function () {
        url = new URL(`/packages/notices/notices/${name}.json`, location.href).href;
        const response = await fetch(url);
        if (response.status === 404) return this.skip(); // not written yet
        const result = validateNotice(await response.json());
        if (!result.ok) throw new Error(`${name} is invalid:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
        doc = result.notice;
      });

      afterEach(() => fixtureCleanup());

      it('renders every section and every right in each of its languages, with no other language', async function () {
        for (const locale of doc!.locales) {
          const el = await show(url, locale); // fetched, as a registrar's page does
          expectComplete(el, doc!, locale);
          const text = textOf(root(el));
          for (const other of doc!.locales.filter((l) => l !== locale)) {
            for (const foreign of onlyIn(doc!, other, locale)) expect(text, `${locale} shows ${other} text`).not.to.contain(foreign);
          }
          if (locale.startsWith('nl')) for (const english of ENGLISH_UI) expect(text).not.to.contain(english);
          $$<HTMLDetailsElement>(el, 'details').forEach((d) => (d.open = true));
          await expect(el).to.be.accessible();
        }
      });

      it('shows the first layer: controller, purposes with their basis, withdrawal, rights link, full notice link', async () => {
        const el = await show(doc, doc!.defaultLocale);
        expect(textOf($(el, '[part="controller"]'))).to.contain(doc!.controller.name);
        if (doc!.controller.representative) expect(textOf($(el, '[part="controller"]'))).to.contain(doc!.controller.representative.name);
        expect($$(el, '[part="legal-basis"]').map((b) => b.dataset.basis)).to.deep.equal(doc!.purposes.map((p) => p.legalBasis));
        expect(textOf($(el, '[part="withdrawal"]'))).not.to.equal('');
        const rights = doc!.sections.find((s) => s.topic === 'rights');
        if (rights) expect($(el, `[part="links"] a[href="#${rights.id}"]`)).to.exist;
        expect($(el, '[part="links"] a[href="#akkoord-full"]')).to.exist;
      });

      it('opens each section from a deep link', async () => {
        for (const section of doc!.sections) {
          history.replaceState(null, '', `#${section.id}`);
          const el = await show(doc, doc!.defaultLocale);
          expect($<HTMLDetailsElement>(el, `#${section.id}`)!.open, section.id).to.equal(true);
          fixtureCleanup();
        }
        history.replaceState(null, '', location.pathname + location.search);
      });
    });
  }
});
