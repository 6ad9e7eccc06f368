import { expect } from '@open-wc/testing';
import { firstLayer } from './first-layer.js';
import { consentFingerprint, toConsentNotice } from './fingerprint.js';
import { sampleNotice } from '../../../../test/fixtures/notices.js';
import type { NoticeDocument } from './schema.js';

const both = (nl: string, en: string) => ({ nl, en });

/** The sample notice, its consent purpose declaring a cookie and a storage key. */
function withCookies(): NoticeDocument {
  const notice = sampleNotice();
  const newsletter = notice.purposes.find((p) => p.id === 'newsletter')!;
  newsletter.cookies = [
    { name: '_nb_*', provider: 'Nieuwsbrief B.V.', domain: '.registry.example', lifetime: both('13 maanden', '13 months'), description: both('Telt.', 'Counts.') },
    { name: 'nb_session', provider: 'Nieuwsbrief B.V.', path: '/news', lifetime: both('sessie', 'session'), description: both('Sessie.', 'Session.') },
  ];
  newsletter.storage = [{ key: 'nb-topics', type: 'session', provider: 'Nieuwsbrief B.V.', lifetime: both('sessie', 'session'), description: both('Onderwerpen.', 'Topics.') }];
  return notice;
}

describe('what the consent controller knows of declared cookies', () => {
  it('the first layer carries the names, domains, paths and keys a refusal deletes, and no text', async () => {
    const layer = await firstLayer(withCookies(), 'en', 'sha256:x');
    const newsletter = layer.purposes.find((p) => 'id' in p && p.id === 'newsletter');
    expect(newsletter).to.deep.include({
      cookies: [{ name: '_nb_*', domain: '.registry.example' }, { name: 'nb_session', path: '/news' }],
      storage: [{ key: 'nb-topics', type: 'session' }],
    });
    const consent = await toConsentNotice(withCookies());
    expect(consent.purposes.find((p) => p.id === 'newsletter')).to.deep.include({ storage: [{ key: 'nb-topics', type: 'session' }] });
  });

  it('a notice without cookies gives a first layer without them (not one byte more for the banner)', async () => {
    const layer = await firstLayer(sampleNotice(), 'en', 'sha256:x');
    for (const purpose of layer.purposes) expect(purpose).to.not.have.any.keys('cookies', 'storage');
  });

  it('another cookie or provider is a material change; other wording of its lifetime is not', async () => {
    const before = await consentFingerprint(withCookies());
    const reworded = withCookies();
    reworded.purposes.find((p) => p.id === 'newsletter')!.cookies![0]!.lifetime = both('een jaar', 'a year');
    expect(await consentFingerprint(reworded)).to.equal(before);
    const added = withCookies();
    added.purposes.find((p) => p.id === 'newsletter')!.cookies![0]!.name = '_other';
    expect(await consentFingerprint(added)).to.not.equal(before);
  });
});
