import { expect } from '@open-wc/testing';
import { loadNotice } from '@akkoord/notices';
import { parseNotice, hashJson, toConsentNotice, type NoticeDocument } from '../notice/index.js';
import type { ConsentRecord } from '../consent/types.js';
import { buildReceipt, receiptHash, ReceiptBuildError } from './build.js';
import { ConsentReceiptSchema, UUID_V4 } from './schema.js';
import { readRecord } from '../consent/record-schema.js';

let gmo: NoticeDocument;
let gmoHash: string;

function record(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  return {
    schemaVersion: 2,
    subject: 'psn_0123456789abcdef01234567',
    noticeId: 'gmo-registry',
    noticeVersion: gmo.version,
    noticeHash: gmoHash,
    consentFingerprint: `sha256:${'f'.repeat(64)}`,
    locale: 'nl',
    decisions: { marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'granted' },
    method: 'preferences',
    decidedAt: Date.UTC(2026, 10, 26, 12, 0, 0, 456),
    expiresAt: Date.UTC(2027, 10, 26, 12, 0, 0, 456),
    receiptId: crypto.randomUUID(),
    integrity: 'x',
    ...overrides,
  };
}

describe('buildReceipt', () => {
  before(async () => {
    gmo = parseNotice(await loadNotice('gmo-registry'));
    gmoHash = await hashJson(gmo);
  });

  it('builds a receipt that our schema accepts, with the Kantara formats', async () => {
    const receipt = await buildReceipt(record(), gmo, null);
    const parsed = ConsentReceiptSchema.safeParse(receipt);
    expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).to.be.true;
    expect(receipt.version).to.equal('KI-CR-v1.1.0');
    expect(receipt.consentTimestamp).to.equal(Date.UTC(2026, 10, 26, 12, 0, 0) / 1000);
    expect(receipt.consentReceiptID).to.match(UUID_V4);
    expect(receipt.piiControllers[0]!.address['@type']).to.equal('PostalAddress');
    expect(receipt.policyUrl).to.equal(`${gmo.policyUrl}#${gmoHash.replace(':', '=')}`);
  });

  it('lists what was consented to as Kantara purposes, and every decision in the extension', async () => {
    const receipt = await buildReceipt(record(), gmo, null);
    const purposes = receipt.services[0]!.purposes;
    expect(purposes.map((p) => p.purpose)).to.deep.equal(['Nieuws en aanbiedingen per e-mail', 'Aankondigingen van nieuwe functies']);
    expect(purposes.every((p) => p.purposeCategory[0] === '6 - Marketing' && p.consentType === 'EXPLICIT')).to.be.true;
    expect(receipt.akkoord.decisions['seminar-announcements']).to.equal('denied');
    expect(receipt.akkoord.noticeHash).to.equal(gmoHash);
  });

  it("builds the receiver's withdrawal from a mail's unsubscribe link, which a browser takes back as its record", async () => {
    const receipt = await buildReceipt(record({ method: 'email-unsubscribe', decisions: { marketing: 'denied', 'seminar-announcements': 'denied', 'feature-announcements': 'granted' } }), gmo, `sha256:${'a'.repeat(64)}`);
    const parsed = ConsentReceiptSchema.safeParse(receipt);
    expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).to.be.true;
    expect(receipt.collectionMethod).to.equal('e-mail: one-click unsubscribe link (RFC 8058)');
    expect(receipt.akkoord.method).to.equal('email-unsubscribe');
    expect(receipt.services[0]!.purposes.map((p) => p.purpose)).to.deep.equal(['Aankondigingen van nieuwe functies']);
    // The controller restores its record from such a receipt: the record schema takes the method too.
    const stored = readRecord({ ...record(), method: 'email-unsubscribe' });
    expect(stored.kind).to.equal('current');
    expect(ConsentReceiptSchema.safeParse({ ...receipt, akkoord: { ...receipt.akkoord, method: 'e-mail' } }).success).to.be.false;
  });

  it('names the EU representative as a controller acting on behalf', async () => {
    const receipt = await buildReceipt(record(), gmo, null);
    expect(receipt.piiControllers.map((c) => c.piiController)).to.deep.equal(['GMO Registry, Inc.', 'GMO GlobalSign Ltd.']);
    expect(receipt.piiControllers[1]!.onBehalf).to.be.true;
  });

  it('says GPC in the collection method of a GPC default', async () => {
    const receipt = await buildReceipt(record({ method: 'gpc', decisions: { marketing: 'denied' } }), gmo, null);
    expect(receipt.collectionMethod).to.include('Global Privacy Control');
    expect(receipt.services[0]!.purposes).to.deep.equal([]);
  });

  it('chains receipts: the next names the hash of the previous, and an edit breaks it', async () => {
    const first = await buildReceipt(record(), gmo, null);
    const second = await buildReceipt(record({ method: 'reject-all' }), gmo, await receiptHash(first));
    expect(second.akkoord.previousReceiptHash).to.equal(await receiptHash(first));
    const edited = { ...first, akkoord: { ...first.akkoord, decisions: { marketing: 'denied' as const } } };
    expect(await receiptHash(edited)).not.to.equal(second.akkoord.previousReceiptHash);
  });

  it('is deterministic: the same decision gives the same bytes', async () => {
    const r = record();
    expect(await receiptHash(await buildReceipt(r, gmo, null))).to.equal(await receiptHash(await buildReceipt(r, gmo, null)));
  });

  it('refuses to describe a decision with a document other than the one shown', async () => {
    let error: unknown;
    await buildReceipt(record({ noticeHash: `sha256:${'0'.repeat(64)}` }), gmo, null).catch((e) => (error = e));
    expect(error).to.be.instanceOf(ReceiptBuildError);
  });

  it('rejects receipts that break the Kantara rules', async () => {
    const receipt = await buildReceipt(record(), gmo, null);
    const bad = (change: (r: any) => void) => {
      const copy = structuredClone(receipt) as any;
      change(copy);
      return ConsentReceiptSchema.safeParse(copy).success;
    };
    expect(bad((r) => (r.version = 'KI-CR-v1.0.0'))).to.be.false;
    expect(bad((r) => (r.consentTimestamp = 1.5))).to.be.false;
    expect(bad((r) => (r.consentReceiptID = 'not-a-uuid'))).to.be.false;
    expect(bad((r) => (r.services[0].purposes[0].thirdPartyDisclosure = true))).to.be.false;
    expect(bad((r) => (r.sensitive = true))).to.be.false;
    expect(bad((r) => (r.piiControllers[0].phone = '+31 20 000'))).to.be.false;
    expect(bad(() => undefined)).to.be.true;
  });

  it('uses the consent fingerprint of the notice for the controller view', async () => {
    const view = await toConsentNotice(gmo, gmoHash);
    expect(view.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id)).to.deep.equal([
      'marketing', 'seminar-announcements', 'feature-announcements',
    ]);
  });
});
