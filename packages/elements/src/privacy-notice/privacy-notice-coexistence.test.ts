/**
 * Akkoord next to a host page that also uses @lit/localize, sharing its copy
 * (as npm dedupes it), and next to another copy of Akkoord. Its own file: the
 * host's configureLocalization() can run once per page.
 */
import { aTimeout, expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { configureLocalization, msg } from '@lit/localize';
import { PrivacyNotice } from './privacy-notice.js';
import { sampleNotice } from '../../../../test/fixtures/notices.js';

class HostsPrivacyNotice extends PrivacyNotice {}
customElements.define('hosts-privacy-notice', HostsPrivacyNotice);

const summary = (el: Element) => el.shadowRoot!.querySelector('#akkoord-summary')!.textContent!.trim();

async function show(lang: string): Promise<HostsPrivacyNotice> {
  const el = await fixture<HostsPrivacyNotice>(html`<hosts-privacy-notice lang=${lang} .notice=${sampleNotice()}></hosts-privacy-notice>`);
  await el.loadComplete;
  return el;
}

describe('<privacy-notice> next to a host that uses @lit/localize', () => {
  afterEach(() => fixtureCleanup());

  it('neither breaks the host nor is broken by it', async () => {
    // We render first: Akkoord configured nothing, so the host can still configure.
    expect(summary(await show('nl'))).to.equal('In het kort');

    const { setLocale } = configureLocalization({
      sourceLocale: 'en',
      targetLocales: ['nl'],
      loadLocale: async () => ({ templates: { 'host.greeting': 'Hallo van de host' } }),
    });
    await setLocale('nl');
    expect(msg('Hello from the host', { id: 'host.greeting' })).to.equal('Hallo van de host');

    // The host's page-wide locale is nl; our elements still follow their own lang.
    const english = await show('en');
    expect(summary(english)).to.equal('In short');
    const dutch = await show('nl-BE');
    expect(summary(dutch)).to.equal('In het kort');
    expect(dutch.shadowRoot!.textContent).to.contain('Functionaris voor gegevensbescherming (DPO)');

    // The host's switch re-renders nothing of ours into its language, and ours leave its msg() alone.
    await setLocale('en');
    english.requestUpdate();
    await english.updateComplete;
    expect(summary(english)).to.equal('In short');
    expect(msg('Hello from the host', { id: 'host.greeting' })).to.equal('Hello from the host');
  });

  it('warns, and does not throw, when another copy already holds the tag', async () => {
    class OtherCopy extends HTMLElement {}
    customElements.define('privacy-notice', OtherCopy);
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      await import('./define.js');
      // The warning's text loads on demand (it is on no element's first load).
      await waitUntil(() => warnings.length > 0, 'no warning', { timeout: 3000 });
      await aTimeout(50); // and it is said once
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('privacy-notice')).to.equal(OtherCopy);
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]![0])).to.contain('<privacy-notice> is already defined');
  });
});
