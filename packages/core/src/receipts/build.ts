/**
 * A decision becomes a receipt: the stored record, the notice document it
 * was made on, and the hash of the subject's previous receipt go in; a
 * Kantara 1.1 receipt with our extension comes out. Deterministic, so a
 * receipt rebuilt after a crash is byte for byte the one that was lost.
 */
import { hashJson } from '../notice/canonical.js';
import { plainText } from '../notice/rich-text.js';
import type { NoticeDocument, Party } from '../notice/schema.js';
import type { ConsentRecord } from '../consent/types.js';
import { COLLECTION_METHOD, KANTARA_VERSION, PURPOSE_CATEGORY, piiCategory } from './kantara.js';
import type { ConsentReceipt, ReceiptPurpose } from './schema.js';

export class ReceiptBuildError extends Error {
  override name = 'ReceiptBuildError';
}

export async function buildReceipt(
  record: ConsentRecord,
  notice: NoticeDocument,
  previousReceiptHash: string | null,
): Promise<ConsentReceipt> {
  const hash = await documentHash(notice);
  if (hash !== record.noticeHash) {
    throw new ReceiptBuildError(
      `Decision ${record.receiptId} was made on notice ${record.noticeHash}, but the document given is ${hash}`,
    );
  }
  const locale = notice.locales.includes(record.locale) ? record.locale : notice.defaultLocale;
  const categories = new Map(notice.dataCategories.map((c) => [c.id, c]));
  const granted = notice.purposes.filter((p) => p.legalBasis === 'consent' && record.decisions[p.id] === 'granted');
  const expires = new Date(record.expiresAt).toISOString().slice(0, 10);

  // Kantara has no field for a refusal: its purposes are what was consented to.
  const purposes: ReceiptPurpose[] = granted.map((p) => ({
    purpose: p.title[locale]!,
    consentType: 'EXPLICIT',
    purposeCategory: [PURPOSE_CATEGORY[p.category]],
    piiCategory: [...new Set(p.dataCategories.map(piiCategory))],
    primaryPurpose: false,
    termination: `withdrawal by the data subject, or ${expires}`,
    thirdPartyDisclosure: false,
  }));
  const special = granted.flatMap((p) => p.dataCategories).filter((id) => categories.get(id)?.special);

  const { controller } = notice;
  return {
    version: KANTARA_VERSION,
    jurisdiction: notice.jurisdiction,
    consentTimestamp: Math.floor(record.decidedAt / 1000),
    collectionMethod: COLLECTION_METHOD[record.method],
    consentReceiptID: record.receiptId,
    language: locale,
    piiPrincipalId: record.subject,
    piiControllers: [
      receiptController(controller, controller.dpo?.name ?? controller.name, controller.dpo?.email),
      ...(controller.representative ? [{ ...receiptController(controller.representative, controller.representative.name), onBehalf: true }] : []),
    ],
    policyUrl: `${notice.policyUrl}#${hash.replace(':', '=')}`,
    services: [{ service: notice.controller.name, purposes }],
    sensitive: special.length > 0,
    spiCat: [...new Set(special.map((id) => plainText(categories.get(id)!.title[locale]!)))],
    akkoord: {
      schemaVersion: 1,
      noticeId: record.noticeId,
      noticeVersion: record.noticeVersion,
      noticeHash: record.noticeHash,
      locale: record.locale,
      method: record.method,
      decisions: record.decisions,
      decidedAt: record.decidedAt,
      expiresAt: record.expiresAt,
      previousReceiptHash,
    },
  };
}

function receiptController(party: Party, contact: string, fallbackEmail?: string): ConsentReceipt['piiControllers'][number] {
  const address = party.address;
  if (!address) {
    throw new ReceiptBuildError(`"${party.name}" publishes no postal address, which a Kantara receipt requires`);
  }
  const email = party.email ?? fallbackEmail;
  if (!email) throw new ReceiptBuildError(`"${party.name}" publishes no e-mail address, which a Kantara receipt requires`);
  return {
    piiController: party.name,
    contact,
    address: { '@type': 'PostalAddress', ...address },
    email,
    phone: party.phone ?? '',
    ...(party.url && { piiControllerUrl: party.url }),
  };
}

/** A document's hash, once per document object: an outbox builds hundreds of receipts on one notice. */
const hashes = new WeakMap<NoticeDocument, Promise<string>>();
function documentHash(notice: NoticeDocument): Promise<string> {
  let hash = hashes.get(notice);
  if (!hash) hashes.set(notice, (hash = hashJson(notice)));
  return hash;
}

/** The hash that the next receipt of this subject names as its predecessor. */
export function receiptHash(receipt: ConsentReceipt): Promise<string> {
  return hashJson(receipt);
}
