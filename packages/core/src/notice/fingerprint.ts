/**
 * What makes a change of notice material: its consent purposes (added,
 * removed, reworded, other basis or channel). Other edits change the
 * document's hash, not this fingerprint, and keep earlier decisions.
 */
import { hashJson } from './canonical.js';
import type { NoticeDocument } from './schema.js';
import type { ConsentNotice } from '../consent/types.js';

export function consentFingerprint(doc: NoticeDocument): Promise<string> {
  const consentPurposes = doc.purposes
    .filter((p) => p.legalBasis === 'consent')
    .map(({ id, title, description, legalBasis, category, channel, dataCategories }) => ({
      id, title, description, legalBasis, category, channel, dataCategories,
    }));
  return hashJson(consentPurposes);
}

/** The part of a validated document the consent controller needs. */
export async function toConsentNotice(doc: NoticeDocument, hash?: string): Promise<ConsentNotice> {
  return {
    id: doc.id,
    version: doc.version,
    hash: hash ?? (await hashJson(doc)),
    consentFingerprint: await consentFingerprint(doc),
    purposes: doc.purposes.map(({ id, legalBasis, category }) => ({ id, legalBasis, category })),
  };
}
