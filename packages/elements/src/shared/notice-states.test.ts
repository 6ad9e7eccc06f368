/**
 * One error screen for every element that renders with Lit: a notice that
 * cannot load shows the same words, the same retry button and the same
 * details for developers in <privacy-notice>, <privacy-rights>,
 * <consent-history> and <consent-preferences>, and a retry loads it.
 */
import { expect, fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetConsentControllers } from '@akkoord/core/consent';
import '../privacy-notice/define.js';
import '../privacy-rights/define.js';
import '../consent-history/define.js';
import '../consent-preferences/define.js';

const MISSING = '/test/fixtures/does-not-exist.json';
// Written by `akkoord-notice build` in `npm run build`, which `npm test` runs first.
const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
const TAGS = ['privacy-notice', 'privacy-rights', 'consent-history', 'consent-preferences'] as const;

const textOf = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const subject = () => `customer-${Math.random().toString(36).slice(2)}`;

async function shown(tag: (typeof TAGS)[number], notice: string): Promise<HTMLElement> {
  const el = document.createElement(tag);
  el.setAttribute('lang', 'nl');
  el.setAttribute('subject', subject());
  el.setAttribute('notice', notice);
  const failed = oneEvent(el, 'consent-error');
  await fixture(html`<div>${el}</div>`);
  await failed;
  await waitUntil(() => part(el, 'error'), `<${tag}> shows no error`, { timeout: 5000 });
  return el;
}

describe('the notice error screen', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
    fixtureCleanup();
    resetConsentControllers();
  });

  it('is the same in every element: what failed in the reader\'s language, a retry, the details in English', async () => {
    const screens: string[] = [];
    for (const tag of TAGS) {
      const el = await shown(tag, MISSING);
      const error = part(el, 'error')!;
      expect(error.getAttribute('role'), tag).to.equal('alert');
      expect(textOf(error), tag).to.contain('De privacyverklaring kon niet worden geladen.');
      expect(textOf(part(el, 'retry-button')), tag).to.equal('Opnieuw proberen');
      const details = part(el, 'error-details')!;
      expect(textOf(details.querySelector('summary')), tag).to.equal('Details voor ontwikkelaars');
      expect(details.querySelector('[lang="en"]')!.textContent, tag).to.contain('404');
      await expect(el).to.be.accessible();
      screens.push(textOf(error));
      fixtureCleanup();
    }
    expect(new Set(screens).size, screens.join('\n')).to.equal(1);
  });

  for (const tag of TAGS) {
    it(`<${tag}> loads the notice when the reader tries again`, async () => {
      let fail = true;
      window.fetch = (input, init) => (fail ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init));
      const el = await shown(tag, MANIFEST);
      fail = false;
      part(el, 'retry-button')!.click();
      await waitUntil(() => !part(el, 'error') && part(el, tag === 'privacy-notice' ? 'summary' : 'heading'), `<${tag}> did not load on retry`, {
        timeout: 5000,
      });
    });
  }
});
