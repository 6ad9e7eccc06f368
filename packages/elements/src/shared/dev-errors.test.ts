/**
 * Developer errors (packages/elements/src/shared/dev-errors.ts): each mistake
 * a developer can fix is said in the console once per page and element kind,
 * with what is wrong, how to fix it, and a link to the README section.
 *
 * The page's record of what was said lives as long as the page, so each
 * mistake and element kind appears in one test only.
 */
import { aTimeout, expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetConsentControllers } from '@akkoord/core/consent';
import type { ConsentErrorEvent } from '@akkoord/core/consent';
import type { NoticeDocument } from '@akkoord/core/notice';
import '../consent-banner/define.js';
import '../consent-preferences/define.js';
import '../privacy-notice/define.js';
import { define } from './define.js';
import { sampleNotice } from '../../../../test/fixtures/notices.js';

const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
const DOCS = 'See https://github.com/akkoord/akkoord#';

const logged: { level: 'error' | 'warn'; text: string }[] = [];
const original = { error: console.error, warn: console.warn };

before(() => {
  console.error = (...args: unknown[]) => void logged.push({ level: 'error', text: args.map(String).join(' ') });
  console.warn = (...args: unknown[]) => void logged.push({ level: 'warn', text: args.map(String).join(' ') });
});
after(() => Object.assign(console, original));
afterEach(() => {
  fixtureCleanup();
  resetConsentControllers();
});

const ours = (level: 'error' | 'warn', ...parts: string[]) =>
  logged.filter((entry) => entry.level === level && entry.text.startsWith('[Akkoord] ') && parts.every((part) => entry.text.includes(part)));

/** Waits for the line (the checks run a moment after the element), then gives duplicates a moment to show up. */
async function saidOnce(parts: string[], level: 'error' | 'warn' = 'error'): Promise<string> {
  await waitUntil(() => ours(level, ...parts).length > 0, `no console.${level} with ${parts.join(' … ')}`, { timeout: 5000 });
  await aTimeout(100);
  const lines = ours(level, ...parts);
  expect(lines, lines.map((l) => l.text).join('\n')).to.have.length(1);
  return lines[0]!.text;
}

function invalidNotice(): NoticeDocument {
  const doc = sampleNotice() as unknown as Record<string, unknown>;
  delete doc.controller;
  (doc.purposes as { legalBasis: string }[])[1]!.legalBasis = 'because';
  return doc as unknown as NoticeDocument;
}

const subject = () => `customer-${Math.random().toString(36).slice(2)}`;

describe('developer errors in the console', () => {
  it('an invalid notice: once per element kind, with its first issues, how to check it, and the link', async () => {
    const banners = [1, 2].map(() => {
      const el = document.createElement('consent-banner');
      el.notice = invalidNotice();
      el.subject = subject();
      return el;
    });
    const fired = banners.map((el) => oneEvent(el, 'consent-error') as unknown as Promise<ConsentErrorEvent>);
    await fixture(html`<div lang="en">${banners}</div>`);
    for (const event of await Promise.all(fired)) expect(event.code).to.equal('notice-invalid');
    const line = await saidOnce(['<consent-banner>', 'is not a valid notice document']);
    expect(line).to.contain('controller: ');
    expect(line).to.contain('purposes[1].legalBasis: ');
    expect(line).to.contain('Check the document with `npx akkoord-notice check notice.json`');
    expect(line).to.match(/ See https:\/\/github\.com\/akkoord\/akkoord#author-a-notice-document$/);

    const notice = document.createElement('privacy-notice');
    notice.notice = invalidNotice();
    await fixture(html`<div lang="en">${notice}</div>`);
    await saidOnce(['<privacy-notice>', 'is not a valid notice document', 'npx akkoord-notice check', `${DOCS}author-a-notice-document`]);
  });

  it('a notice that cannot be fetched: the URL, the HTTP status, and where to point the attribute', async () => {
    await fixture(html`<privacy-notice notice="/no-such-notice.json" lang="en"></privacy-notice>`);
    const line = await saidOnce(['<privacy-notice notice="/no-such-notice.json">', 'Could not fetch the notice']);
    expect(line).to.contain('404');
    expect(line).to.contain('Point notice at a URL this page can fetch');
    expect(line).to.contain(`${DOCS}embed-it-with-one-script-tag`);
  });

  it('an element without a notice, but not one that gets its .notice a moment after it is added', async () => {
    await fixture(html`<div lang="en"><consent-banner></consent-banner><consent-banner></consent-banner><privacy-notice></privacy-notice></div>`);
    // As a host that fetches first, or a framework, does it: add the element, set the property later.
    const late = document.createElement('consent-preferences');
    document.body.append(late);
    await aTimeout(500);
    late.notice = MANIFEST;
    late.subject = subject();
    const line = await saidOnce(['<consent-banner> still has no notice 2 s after it was added to the page']);
    expect(line).to.contain('Set its notice attribute to the manifest.json that `akkoord-notice build` wrote');
    expect(line).to.contain(`${DOCS}embed-it-with-one-script-tag`);
    await saidOnce(['<privacy-notice> still has no notice']);
    expect(ours('error', '<consent-preferences> still has no notice')).to.have.length(0);
    late.remove();
  });

  it('an endpoint that is not https, or empty; http on localhost is fine', async () => {
    await fixture(html`<div lang="en">
      <consent-banner notice=${MANIFEST} subject=${subject()} endpoint="http://localhost:9/consent"></consent-banner>
    </div>`);
    await aTimeout(300);
    expect(ours('error', 'endpoint=')).to.have.length(0);

    await fixture(html`<div lang="en">
      <consent-banner notice=${MANIFEST} subject=${subject()} endpoint="http://registrar.example/consent"></consent-banner>
      <consent-banner notice=${MANIFEST} subject=${subject()} endpoint="http://registrar.example/consent"></consent-banner>
      <consent-preferences notice=${MANIFEST} subject=${subject()} endpoint=""></consent-preferences>
    </div>`);
    const line = await saidOnce(['<consent-banner endpoint="http://registrar.example/consent"> does not use https:']);
    expect(line).to.contain('decisions stay in this browser');
    expect(line).to.contain('Set endpoint to your receiver\'s absolute https URL (endpoint="https://registrar.example/consent")');
    expect(line).to.contain(`${DOCS}embed-it-with-one-script-tag`);
    await saidOnce(['<consent-preferences endpoint=""> is empty', 'Leave the attribute out', `${DOCS}embed-it-with-one-script-tag`]);
  });

  it('a heading-level outside 1–6', async () => {
    await fixture(html`<div lang="en">
      <privacy-notice notice=${MANIFEST} heading-level="3"></privacy-notice>
      <privacy-notice notice=${MANIFEST} heading-level="9"></privacy-notice>
      <consent-preferences notice=${MANIFEST} subject=${subject()} heading-level="0"></consent-preferences>
    </div>`);
    const line = await saidOnce(['<privacy-notice heading-level="9"> is not a heading level.']);
    expect(line).to.contain('Set heading-level to 1–6');
    expect(line).to.contain(`${DOCS}errors-in-the-console`);
    await saidOnce(['<consent-preferences heading-level="0"> is not a heading level.', 'Set heading-level to 1–6']);
    expect(ours('error', 'heading-level="3"')).to.have.length(0);
  });

  it('a lang the notice does not have, or that is no language tag; nl-BE finds nl', async () => {
    await fixture(html`<div>
      <privacy-notice notice=${MANIFEST} lang="nl-BE"></privacy-notice>
      <privacy-notice notice=${MANIFEST} lang="fr"></privacy-notice>
      <consent-banner notice=${MANIFEST} subject=${subject()} lang="en_GB"></consent-banner>
    </div>`);
    const line = await saidOnce(['<privacy-notice lang="fr"> names a language this notice does not have (it has nl, en)']);
    expect(line).to.contain('Set lang to one of nl, en');
    expect(line).to.contain(`${DOCS}embed-it-with-one-script-tag`);
    await saidOnce(['<consent-banner lang="en_GB"> is not a BCP 47 language tag', 'Write it as a BCP 47 tag, with hyphens, for one of nl, en']);
    expect(ours('error', 'lang="nl-BE"')).to.have.length(0);
  });

  it('a second copy of a tag: a warning, once, and the first registration stays', async () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    define('akkoord-copy-test', First);
    define('akkoord-copy-test', Second);
    define('akkoord-copy-test', Second);
    expect(customElements.get('akkoord-copy-test')).to.equal(First);
    const line = await saidOnce(['<akkoord-copy-test> is already defined by another script'], 'warn');
    expect(line).to.contain('Load Akkoord once per page');
    expect(line).to.contain(`${DOCS}ways-to-adopt-it`);
  });

  it('every line says what is wrong, how to fix it, and links to the docs', () => {
    const lines = logged.filter((entry) => entry.text.startsWith('[Akkoord] '));
    expect(lines.length).to.be.at.least(10);
    for (const { text } of lines) expect(text).to.match(/^\[Akkoord\] .+\. .+ See https:\/\/github\.com\/akkoord\/akkoord#[a-z-]+$/s);
  });
});
