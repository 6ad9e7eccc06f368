import { expect } from '@open-wc/testing';
import { ConsentController } from './controller.js';
import { MemoryStorage } from './storage.js';
import { followConsentChanges, setConsentModeDefault } from './consent-mode.js';
import type { ConsentNotice } from './types.js';

/** A notice mapping marketing to the ads signals and statistics to analytics_storage; support has no signal. */
const notice: ConsentNotice = {
  id: 'consent-mode',
  version: '1',
  hash: `sha256:${'a'.repeat(64)}`,
  consentFingerprint: `sha256:${'f'.repeat(64)}`,
  purposes: [
    { id: 'registration', legalBasis: 'contract' },
    { id: 'marketing', legalBasis: 'consent', category: 'direct-marketing', consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'] },
    { id: 'statistics', legalBasis: 'consent', category: 'service-development', consentMode: ['analytics_storage'] },
    { id: 'support', legalBasis: 'consent', category: 'customer-communication' },
  ],
};

const DENIED = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
  functionality_storage: 'denied',
  personalization_storage: 'denied',
  security_storage: 'denied',
};

/** What Google's tags would read: each dataLayer entry as its command's arguments. */
const recorded = () => window.dataLayer!.map((entry) => Array.from(entry as ArrayLike<unknown>));

describe('Google Consent Mode v2, against a recording dataLayer', () => {
  let stops: (() => void)[] = [];
  beforeEach(() => {
    window.dataLayer = [];
  });
  afterEach(() => {
    stops.forEach((stop) => stop());
    stops = [];
    delete window.dataLayer;
  });

  it('the default: every signal denied, wait_for_update, regions, ads_data_redaction, as arguments objects', () => {
    setConsentModeDefault({ waitForUpdate: 800, regions: ['NL', 'BE'], adsDataRedaction: true, urlPassthrough: true });
    expect(recorded()).to.deep.equal([
      ['consent', 'default', { ...DENIED, wait_for_update: 800, region: ['NL', 'BE'] }],
      ['set', 'ads_data_redaction', true],
      ['set', 'url_passthrough', true],
    ]);
    // gtag.js takes an arguments object as a command, not an array.
    expect(Object.prototype.toString.call(window.dataLayer![0])).to.equal('[object Arguments]');
  });

  it('without options: denied everywhere, waiting 500 ms, nothing else', () => {
    setConsentModeDefault();
    expect(recorded()).to.deep.equal([['consent', 'default', { ...DENIED, wait_for_update: 500 }]]);
  });

  it('an update on every change, mapped as the notice declares; a returning visitor\'s load sends one too', async () => {
    const storage = new MemoryStorage();
    setConsentModeDefault();
    const first = new ConsentController({ notice, storage, globalPrivacyControl: false });
    stops.push(followConsentChanges(first));
    await first.ready;
    expect(recorded(), 'a first visit sends no update: the default holds').to.have.length(1);

    await first.save({ marketing: 'granted', statistics: 'denied', support: 'granted' });
    await first.grant('statistics');
    await first.withdraw('marketing');
    expect(recorded().slice(1)).to.deep.equal([
      ['consent', 'update', { ...DENIED, ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }],
      ['consent', 'update', { ...DENIED, ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' }],
      ['consent', 'update', { ...DENIED, analytics_storage: 'granted' }],
    ]);
    first.dispose();

    // The next page: the default first, then the stored decision as an update, before anyone decides again.
    window.dataLayer = [];
    setConsentModeDefault();
    const next = new ConsentController({ notice, storage, globalPrivacyControl: false });
    stops.push(followConsentChanges(next));
    await next.ready;
    expect(recorded()).to.deep.equal([
      ['consent', 'default', { ...DENIED, wait_for_update: 500 }],
      ['consent', 'update', { ...DENIED, analytics_storage: 'granted' }],
    ]);
    next.dispose();
  });

  it('the elements\' way: the events reach the document, which the script tag follows; a notice without signals sends none', async () => {
    stops.push(followConsentChanges(document));
    const withSignals = new ConsentController({ notice: { ...notice, id: 'relayed' }, storage: new MemoryStorage(), globalPrivacyControl: false });
    const relay = (e: Event) => document.dispatchEvent((e as Event & { clone(): Event }).clone());
    withSignals.addEventListener('consent-change', relay);
    await withSignals.acceptAll();
    const plain = new ConsentController({
      notice: { ...notice, id: 'no-signals', purposes: [{ id: 'support', legalBasis: 'consent', category: 'customer-communication' }] },
      storage: new MemoryStorage(),
      globalPrivacyControl: false,
    });
    plain.addEventListener('consent-change', relay);
    await plain.acceptAll();
    expect(recorded()).to.deep.equal([['consent', 'update', Object.fromEntries(Object.keys(DENIED).map((k) => [k, k.startsWith('ad_') || k === 'analytics_storage' ? 'granted' : 'denied']))]]);
    withSignals.dispose();
    plain.dispose();
  });
});
