/**
 * A stored receipt as an ISO/IEC TS 27560 consent record, in W3C DPV terms
 * (JSON-LD), after the DPV guide to 27560 (https://w3id.org/dpv/guides/consent-27560):
 * a `dpv:ConsentReceipt` that holds one `dpv:ConsentRecord` per consent
 * purpose of the notice, each with its status, the time and method of
 * indication, the data subject, the controllers, the notice shown and the
 * legal basis (GDPR art. 6(1)(a)).
 *
 * The Kantara receipt stays the signed original; this is a rendering of it
 * for those who read DPV. A denied purpose is `dpv:ConsentRefused`, or
 * `dpv:ConsentWithdrawn` when the subject's previous decision on it (on the
 * same notice) was a grant: that is why the renderer takes the decisions
 * before this receipt.
 */
import type { NoticeDocument } from '@akkoord/core/notice';
import { plainText } from '@akkoord/core/notice/rich-text';
import type { ConsentReceipt } from '@akkoord/core/receipts';

export const ISO27560_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  dct: 'http://purl.org/dc/terms/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** The profile the records follow: the DPV guide's 27560 record for the GDPR. */
export const ISO27560_PROFILE = 'https://w3id.org/dpv/guides/consent-27560#record-eu-gdpr';

/** The notice's purpose categories that DPV names a purpose class for; others are plain `dpv:Purpose`. */
const DPV_PURPOSE_TYPES: Record<string, string> = {
  'direct-marketing': 'dpv:DirectMarketing',
  'service-provision': 'dpv:ServiceProvision',
  billing: 'dpv:PaymentManagement',
  'customer-communication': 'dpv:CommunicationManagement',
  'legal-compliance': 'dpv:LegalCompliance',
  research: 'dpv:ResearchAndDevelopment',
  'service-development': 'dpv:ServiceOptimisation',
};

export type ConsentStatus = 'dpv:ConsentGiven' | 'dpv:ConsentRefused' | 'dpv:ConsentWithdrawn';

export interface Iso27560Options {
  /** The subject's decisions on this notice before this receipt (from its previous receipt on the notice). */
  previousDecisions?: Readonly<Record<string, 'granted' | 'denied'>>;
  /** The notice document, for the purposes' titles. */
  notice?: NoticeDocument;
  /** When the receiver stored the receipt (ISO 8601). */
  storedAt?: string;
}

const dateTime = (ms: number | string) => ({ '@value': new Date(ms).toISOString(), '@type': 'xsd:dateTime' });

/** The status of one purpose's decision, given what the subject had decided on it before. */
export function consentStatus(decision: 'granted' | 'denied', before: 'granted' | 'denied' | undefined): ConsentStatus {
  if (decision === 'granted') return 'dpv:ConsentGiven';
  return before === 'granted' ? 'dpv:ConsentWithdrawn' : 'dpv:ConsentRefused';
}

export function toIso27560(receipt: ConsentReceipt, options: Iso27560Options = {}): Record<string, unknown> {
  const { akkoord } = receipt;
  const id = `urn:uuid:${receipt.consentReceiptID}`;
  const subject = { '@id': `urn:akkoord:subject:${encodeURIComponent(receipt.piiPrincipalId)}`, '@type': 'dpv:DataSubject', 'dct:identifier': receipt.piiPrincipalId };
  const notice = {
    '@id': receipt.policyUrl,
    '@type': 'dpv:PrivacyNotice',
    'dct:identifier': akkoord.noticeId,
    'dct:hasVersion': akkoord.noticeVersion,
    'dct:language': akkoord.locale,
    // The SHA-256 of the notice's canonical JSON: which text was shown, byte for byte.
    'dct:source': akkoord.noticeHash,
  };
  const controllers = receipt.piiControllers.map((c) => ({
    '@type': 'dpv:DataController',
    'dpv:hasName': c.piiController,
    'dpv:hasAddress': c.address,
    'dpv:hasContact': { 'dpv:hasEmail': c.email, ...(c.phone && { 'dpv:hasTelephone': c.phone }), 'dct:description': c.contact },
    ...(c.onBehalf && { 'dpv:hasRole': 'dpv:Representative' }),
  }));
  const localized = <T>(text: Partial<Record<string, T>> | undefined): T | undefined => text?.[akkoord.locale] ?? text?.[options.notice!.defaultLocale];
  const purposeOf = (purposeId: string) => options.notice?.purposes.find((p) => p.id === purposeId);
  const dataTitle = (id: string) => localized(options.notice?.dataCategories.find((d) => d.id === id)?.title);
  const records = Object.keys(akkoord.decisions)
    .sort()
    .map((purposeId) => {
      const purpose = purposeOf(purposeId);
      const title = localized(purpose?.title);
      return {
        '@id': `${id}#${encodeURIComponent(purposeId)}`,
        '@type': 'dpv:ConsentRecord',
        'dpv:hasDataSubject': { '@id': subject['@id'] },
        'dpv:hasPurpose': {
          '@id': `urn:akkoord:purpose:${encodeURIComponent(akkoord.noticeId)}:${encodeURIComponent(purposeId)}`,
          '@type': DPV_PURPOSE_TYPES[purpose?.category ?? ''] ?? 'dpv:Purpose',
          'dct:identifier': purposeId,
          ...(title && { 'dct:title': title }),
        },
        // The personal data the purpose uses, as the notice lists it (with the notice at hand).
        ...(purpose && {
          'dpv:hasPersonalData': purpose.dataCategories.map((id) => ({
            '@id': `urn:akkoord:data:${encodeURIComponent(akkoord.noticeId)}:${encodeURIComponent(id)}`,
            '@type': 'dpv:PersonalData',
            'dct:identifier': id,
            ...(dataTitle(id) && { 'dct:title': dataTitle(id) }),
          })),
        }),
        ...(purpose?.retention && {
          'dpv:hasStorageCondition': { '@type': 'dpv:StorageDuration', 'dct:description': plainText(localized(purpose.retention)!) },
        }),
        'dpv:hasLegalBasis': { '@id': 'eu-gdpr:A6-1-a' },
        'dpv:hasConsentStatus': { '@id': consentStatus(akkoord.decisions[purposeId]!, options.previousDecisions?.[purposeId]) },
        'dpv:isIndicatedAtTime': dateTime(akkoord.decidedAt),
        'dpv:isIndicatedBy': { '@id': subject['@id'] },
        'dpv:hasIndicationMethod': akkoord.method,
        'dpv:hasDuration': { '@type': 'dpv:UntilTimeDuration', 'dpv:hasValue': dateTime(akkoord.expiresAt) },
        'dpv:hasNotice': { '@id': notice['@id'] },
      };
    });
  return {
    '@context': ISO27560_CONTEXT,
    '@id': id,
    '@type': 'dpv:ConsentReceipt',
    'dct:conformsTo': { '@id': ISO27560_PROFILE },
    'dct:identifier': receipt.consentReceiptID,
    ...(options.storedAt && { 'dct:created': dateTime(options.storedAt) }),
    'dpv:hasJurisdiction': receipt.jurisdiction,
    'dpv:hasDataSubject': subject,
    'dpv:hasDataController': controllers,
    'dpv:hasNotice': notice,
    'dpv:hasRecordOfActivity': records,
  };
}
