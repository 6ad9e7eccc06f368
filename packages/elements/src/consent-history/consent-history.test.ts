import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { getConsentController, resetConsentControllers, type ConsentController, type ConsentRecord } from '@akkoord/core/consent';
import { hashJson, type FirstLayer, type NoticeDocument } from '@akkoord/core/notice';
import { buildReceipt } from '@akkoord/core/receipts';
import { ReceiptClient, type PublicJwk } from '@akkoord/core/sync';
import { mergeHistory, verifyExport, verifyHistory, type HistoryExport } from '@akkoord/core/history';
import './define.js';
import type { ConsentHistory } from './consent-history.js';
import { control, rigConfig } from '../../../../test/fixtures/receiver-rig.js';
import { consentHistory } from '../../../../stories/templates.js';

const BUILT = '/packages/notices/dist/data/gmo-registry';
const MANIFEST = `${BUILT}/manifest.json`;
const CONSENT_PURPOSES = ['marketing', 'seminar-announcements', 'feature-announcements'];

const ENGLISH_UI = ['Your consent history', 'Every choice you made', 'Allowed', 'Refused', 'Countersignature', 'Verified', 'Show the whole receipt', 'Download my history', 'Accepted all'];

let receiver = '';
let subject = '';
const bearer = (who: string) => () => ({ Authorization: `Bearer demo:${who}` });

const $ = <E extends Element = HTMLElement>(el: ConsentHistory, selector: string) => el.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(el: ConsentHistory, selector: string) => [...el.shadowRoot!.querySelectorAll<E>(selector)];
const textOf = (node: Node | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const ids = (el: ConsentHistory) => $$(el, '[part="receipt"]').map((li) => li.dataset.receiptId!);

async function show(options: { lang?: string; credentials?: () => HeadersInit; endpoint?: string | null } = {}): Promise<ConsentHistory> {
  const endpoint = options.endpoint === null ? undefined : (options.endpoint ?? receiver);
  const el = await fixture<ConsentHistory>(
    consentHistory({ notice: MANIFEST, endpoint, subject, lang: options.lang ?? 'en', credentials: options.credentials }),
  );
  await waitUntil(() => $(el, '[part="receipts"], [part="empty"]'), 'the history shows', { timeout: 5000 });
  await el.loadComplete;
  return el;
}

/** The page's controller for this subject: the one the element reads (same notice, same subject). */
async function controller(lang = 'en'): Promise<ConsentController> {
  const layer = (await (await fetch(`${BUILT}/first-layer.${lang}.json`)).json()) as FirstLayer;
  const found = getConsentController({ notice: layer, subject, locale: lang, sync: { endpoint: receiver } });
  await found.ready;
  return found;
}

/** Decides, and waits until the receiver has countersigned the receipt. */
async function decide(consent: ConsentController, act: () => Promise<void>): Promise<void> {
  const synced = new Promise((resolve) => consent.addEventListener('consent-sync', resolve, { once: true }));
  await act();
  await synced;
}

/** What the receiver stored for the subject, read through the rig. */
async function stored(who = subject): Promise<{ receipt: { consentReceiptID: string } }[]> {
  const answer = await (await fetch(`/__akkoord/stored?subject=${encodeURIComponent(who)}`, { cache: 'no-store' })).json();
  if (!answer.ok) throw new Error(answer.error);
  return answer.receipts;
}

/** A receipt made on another device: at the receiver, not in this browser. */
async function receiptFromAnotherDevice(): Promise<string> {
  const doc = (await (await fetch(`${BUILT}/notice.json`)).json()) as NoticeDocument;
  const client = new ReceiptClient({ endpoint: receiver, headers: bearer(subject) });
  const { latestReceiptHash } = await client.currentConsent(subject);
  const decidedAt = Date.now();
  const record: ConsentRecord = {
    schemaVersion: 2,
    subject,
    noticeId: doc.id,
    noticeVersion: doc.version,
    noticeHash: await hashJson(doc),
    consentFingerprint: `sha256:${'f'.repeat(64)}`,
    locale: 'nl',
    decisions: { marketing: 'denied', 'seminar-announcements': 'granted', 'feature-announcements': 'denied' },
    method: 'preferences',
    decidedAt,
    expiresAt: decidedAt + 365 * 24 * 3600 * 1000,
    receiptId: crypto.randomUUID(),
    integrity: 'x',
  };
  const result = await client.postReceipt(await buildReceipt(record, doc, latestReceiptHash));
  expect(result.kind).to.equal('stored');
  return record.receiptId;
}

describe('<consent-history>', () => {
  const realFetch = window.fetch;

  before(async function () {
    this.timeout(30_000); // the first use starts the receiver process
    receiver = (await rigConfig()).receiver;
  });

  beforeEach(() => {
    subject = `customer-${Math.random().toString(36).slice(2)}`;
  });

  afterEach(() => {
    window.fetch = realFetch;
    fixtureCleanup();
    resetConsentControllers();
  });

  it('is accessible with no receipts yet, and says so', async () => {
    const el = await show({ credentials: bearer(subject) });
    expect(textOf($(el, '[part="empty"]'))).to.equal('No choices have been recorded yet.');
    await expect(el).to.be.accessible();
  });

  describe('with decisions made', () => {
    let made: string[] = [];
    let fromElsewhere = '';

    beforeEach(async () => {
      const consent = await controller();
      await decide(consent, () => consent.acceptAll({ source: 'user' }));
      await decide(consent, () => consent.rejectAll({ source: 'user' }));
      await decide(consent, () => consent.save({ marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' }, { source: 'user' }));
      made = (await consent.syncedReceipts()).map((s) => s.receipt.consentReceiptID);
      expect(made).to.have.length(3);
      fromElsewhere = await receiptFromAnotherDevice();
    });

    it('lists exactly the receipts made, newest first, each once, with its countersignature verified', async () => {
      const el = await show({ credentials: bearer(subject) });
      // Three from this browser (also at the receiver), one from another device (at the receiver only).
      expect(ids(el)).to.deep.equal([fromElsewhere, ...[...made].reverse()]);
      expect(new Set(ids(el))).to.deep.equal(new Set((await stored()).map((s) => s.receipt.consentReceiptID)));
      const items = $$(el, '[part="receipt"]');
      expect(items.map((li) => textOf(li.querySelector('dl dd')))).to.deep.equal(['Chose per purpose', 'Chose per purpose', 'Rejected all', 'Accepted all']);
      expect($$(el, '[part="verification"]').map((v) => v.dataset.status)).to.deep.equal(['verified', 'verified', 'verified', 'verified']);
      const accepted = items[3]!;
      expect(textOf(accepted.querySelector('[data-decision="granted"]'))).to.equal('News and offers by email, Seminar announcements, New feature announcements');
      expect(textOf(accepted.querySelector('[data-decision="denied"]'))).to.equal('nothing');
      expect(textOf(items[1]!.querySelector('[data-decision="granted"]'))).to.equal('News and offers by email');
      expect(textOf(items[0]!)).to.contain('version 2018-05-25');
      await expect(el).to.be.accessible();
    });

    it('shows one receipt in readable form: its number, controller, notice, chain and signature', async () => {
      const el = await show({ credentials: bearer(subject) });
      const details = $$<HTMLDetailsElement>(el, '[part="receipt-details"]');
      details.forEach((d) => (d.open = true));
      const newest = textOf(details[0]);
      expect(newest).to.contain(fromElsewhere);
      expect(newest).to.contain('GMO Registry, Inc.');
      expect(newest).to.contain('GMO GlobalSign Ltd.');
      expect(newest).to.contain('gmo-registry, version 2018-05-25');
      expect(newest).to.contain('In our records');
      expect(textOf(details[1])).to.contain('In this browser and in our records');
      expect(textOf(details[3])).to.contain('none: this was the first');
      expect(details[0]!.querySelector('a[href^="https://www.gmoregistry.com/"]')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('downloads the whole history as JSON that parses and verifies', async () => {
      const el = await show({ credentials: bearer(subject) });
      const blobs: Blob[] = [];
      let filename = '';
      const create = URL.createObjectURL;
      const click = HTMLAnchorElement.prototype.click;
      URL.createObjectURL = (blob: Blob | MediaSource) => (blobs.push(blob as Blob), 'blob:akkoord-test');
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        filename = this.download;
      };
      try {
        $<HTMLButtonElement>(el, '[part="download-button"]')!.click();
        await waitUntil(() => blobs.length === 1, 'a file was made');
      } finally {
        URL.createObjectURL = create;
        HTMLAnchorElement.prototype.click = click;
      }
      expect(filename).to.equal(`consent-history-${subject}.json`);
      expect(blobs[0]!.type).to.equal('application/json');
      const file = JSON.parse(await blobs[0]!.text()) as HistoryExport;
      expect([file.format, file.version, file.subject]).to.deep.equal(['akkoord-consent-history', 1, subject]);
      expect(file.receipts.map((r) => r.receipt.consentReceiptID)).to.deep.equal(ids(el));
      const jwks = await control<{ keys: PublicJwk[] }>('jwks');
      expect(file.keys.keys).to.deep.equal(jwks.keys);
      expect(await verifyExport(file)).to.deep.equal({ ok: true, failures: [] });
      // The check means something: one edited decision, and that receipt no longer verifies.
      file.receipts[1]!.receipt.akkoord.decisions.marketing = 'denied';
      const edited = await verifyExport(file);
      expect(edited.ok).to.equal(false);
      expect(edited.failures.map((f) => f.receiptId)).to.deep.equal([file.receipts[1]!.receipt.consentReceiptID]);
    });

    it('marks a receipt whose countersignature does not verify', async () => {
      // The receiver's answer altered on the way: another device's receipt with a flipped signature.
      window.fetch = async (input, init) => {
        const response = await realFetch(input, init);
        if (!new Request(input, init).url.endsWith('/receipts') || (init?.method ?? 'GET') !== 'GET') return response;
        const body = await response.json();
        for (const item of body.receipts) {
          if (item.receipt.consentReceiptID !== fromElsewhere) continue;
          const [h, p, s] = item.countersignature.split('.');
          item.countersignature = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
        }
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      };
      const el = await show({ credentials: bearer(subject) });
      expect($$(el, '[part="verification"]').map((v) => v.dataset.status)).to.deep.equal(['failed', 'verified', 'verified', 'verified']);
      expect(textOf($(el, '[part="verification"]'))).to.contain('Does not verify');
      await expect(el).to.be.accessible();
    });

    it("shows this browser's copy, verified, when the receiver refuses to read it, and says so", async () => {
      const el = await show({ credentials: bearer('someone-else') });
      expect(ids(el)).to.deep.equal([...made].reverse());
      expect(textOf($(el, '[part="status"][role="status"]'))).to.contain('Our copy could not be read');
      expect($$(el, '[part="verification"]').map((v) => v.dataset.status)).to.deep.equal(['verified', 'verified', 'verified']);
      await expect(el).to.be.accessible();
    });

    it('speaks Dutch under lang="nl"', async () => {
      const el = await show({ lang: 'nl', credentials: bearer(subject) });
      const text = textOf(el.shadowRoot);
      for (const english of ENGLISH_UI) expect(text, english).not.to.contain(english);
      expect(text).to.contain('Uw toestemmingsgeschiedenis');
      expect(textOf($$(el, '[part="receipt"]')[3]!.querySelector('[data-decision="granted"]'))).to.equal(
        'Nieuws en aanbiedingen per e-mail, Aankondigingen van seminars, Aankondigingen van nieuwe functies',
      );
      $$<HTMLDetailsElement>(el, '[part="receipt-details"]').forEach((d) => (d.open = true));
      await expect(el).to.be.accessible();
    });

    it('reloads when a new receipt comes back countersigned', async () => {
      const el = await show({ credentials: bearer(subject) });
      expect(ids(el)).to.have.length(4);
      const consent = await controller();
      await decide(consent, () => consent.acceptAll({ source: 'user' }));
      await waitUntil(() => ids(el).length === 5, 'the new receipt shows', { timeout: 5000 });
      expect(ids(el)[0]).to.equal((await consent.syncedReceipts()).at(-1)!.receipt.consentReceiptID);
    });
  });
});

describe('consent history: merging and verifying (core)', () => {
  const receipt = (id: string, decidedAt: number) =>
    ({ consentReceiptID: id, piiPrincipalId: 's', akkoord: { decidedAt } }) as unknown as Parameters<typeof mergeHistory>[0][number]['receipt'];

  it('keeps each receipt once, newest first, and says where each was found', () => {
    const merged = mergeHistory(
      [
        { receipt: receipt('a', 1), receiptHash: 'h', countersignature: 'x.y.z', storedAt: '2026-01-01T00:00:00.000Z' },
        { receipt: receipt('b', 3), receiptHash: 'h', countersignature: 'x.y.z', storedAt: '2026-01-03T00:00:00.000Z' },
      ],
      [
        { receipt: receipt('b', 3), countersignature: 'x.y.z', storedAt: '2026-01-03T00:00:00.000Z' },
        { receipt: receipt('c', 2), countersignature: 'x.y.z', storedAt: '2026-01-02T00:00:00.000Z' },
      ],
    );
    expect(merged.map((e) => [e.receipt.consentReceiptID, e.sources.join('+')])).to.deep.equal([
      ['b', 'browser+receiver'],
      ['c', 'receiver'],
      ['a', 'browser'],
    ]);
  });

  it('leaves receipts unchecked without keys, and fails a signature that is not a JWS of the receipt', async () => {
    const merged = mergeHistory([], [{ receipt: receipt('a', 1), countersignature: 'e30.e30.AAAA', storedAt: '2026-01-01T00:00:00.000Z' }]);
    expect((await verifyHistory(merged, undefined))[0]!.verification.status).to.equal('unchecked');
    const key: PublicJwk = { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', kid: 'k' };
    expect((await verifyHistory(merged, [key]))[0]!.verification.status).to.equal('failed');
  });
});
