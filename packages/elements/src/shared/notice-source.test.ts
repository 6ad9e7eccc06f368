import { expect, fixture, html } from '@open-wc/testing';
import { hashJson, parseNotice } from '@akkoord/core/notice';
import '../privacy-notice/define.js';
import type { PrivacyNotice } from '../privacy-notice/privacy-notice.js';
import { loadDocument, loadFirstLayer, NoticeLoadError } from '@akkoord/core/notice-loading';

// Written by `akkoord-notice build` in `npm run build`, which `npm test` runs first.
const BUILT = '/packages/notices/dist/data/gmo-registry';

describe('notices built by akkoord-notice', () => {
  it('loads the document a manifest names, trusted by its hash', async () => {
    const { doc, hash } = await loadDocument(`${BUILT}/manifest.json`);
    const manifest = await (await fetch(`${BUILT}/manifest.json`)).json();
    expect(hash).to.equal(manifest.hash);
    expect(doc.id).to.equal('gmo-registry');
    // The same document, validated: the build's output is what the schema accepts.
    expect(await hashJson(parseNotice(doc))).to.equal(hash);
  });

  it('validates a document whose hash does not match its manifest, and reports why it fails', async () => {
    let error: unknown;
    await loadDocument('/test/fixtures/built/tampered/manifest.json').catch((e) => (error = e));
    expect(error).to.be.instanceOf(NoticeLoadError);
    expect((error as NoticeLoadError).code).to.equal('notice-invalid');
    expect((error as NoticeLoadError).issues.map((i) => i.path)).to.include('purposes[0].legalBasis');
  });

  it("renders <privacy-notice> from a manifest in the reader's language", async () => {
    const el = await fixture<PrivacyNotice>(html`<privacy-notice notice="${BUILT}/manifest.json" lang="en"></privacy-notice>`);
    expect(await el.loadComplete).to.be.true;
    expect(el.shadowRoot!.querySelectorAll('details[part="section"]').length).to.equal(12);
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('en');
  });

  it('picks the first layer for the reader from a manifest, or from a sibling first-layer file', async () => {
    const nl = await loadFirstLayer(`${BUILT}/manifest.json`, ['nl-BE']);
    expect(nl.locale).to.equal('nl');
    const en = await loadFirstLayer(`${BUILT}/first-layer.nl.json`, ['en-GB']);
    expect(en.locale).to.equal('en');
    expect(en.consentFingerprint).to.equal(nl.consentFingerprint);
    expect(en.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id)).to.deep.equal([
      'marketing',
      'seminar-announcements',
      'feature-announcements',
    ]);
  });

  it('derives the first layer from a raw document, validated', async () => {
    const layer = await loadFirstLayer('/packages/notices/notices/dcube-resource.json', ['nl']);
    expect(layer.locale).to.equal('nl-BE');
    expect(layer.purposes.every((p) => p.legalBasis !== 'consent')).to.be.true;
  });
});
