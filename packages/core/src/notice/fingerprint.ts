/**
 * What makes a change of notice material: its consent purposes (added,
 * removed, reworded, other basis or channel, other cookies or storage keys,
 * or another provider for them). Other edits change the
 * document's hash, not this fingerprint, and keep earlier decisions.
 */
import { hashJson } from './canonical.js';
import type { NoticeDocument } from './schema.js';
import type { ConsentNotice } from '../consent/types.js';

export function consentFingerprint(doc: NoticeDocument): Promise<string> {
  const consentPurposes = doc.purposes
    .filter((p) => p.legalBasis === 'consent')
    .map(({ id, title, description, legalBasis, category, channel, dataCategories, cookies, storage }) => ({
      id, title, description, legalBasis, category, channel, dataCategories,
      // What is stored and by whom; not the wording of its lifetime or use, which is not material.
      cookies: cookies?.map(({ name, provider, domain }) => ({ name, provider, domain })),
      storage: storage?.map(({ key, type, provider }) => ({ key, type, provider })),
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
    purposes: doc.purposes.map(({ id, legalBasis, category, cookies, storage, consentMode }) => ({
      id,
      legalBasis,
      category,
      ...(legalBasis === 'consent' && storedItems(cookies, storage, consentMode)),
    })),
    ...(doc.consentLifetime && { consentLifetime: doc.consentLifetime }),
  };
}

/**
 * What the controller deletes when a consent purpose is refused or
 * withdrawn: the cookies' name, domain and path and the storage keys, only
 * when the purpose declares any (a notice without them loads no extra byte).
 */
export function storedItems(
  cookies: NoticeDocument['purposes'][number]['cookies'],
  storage: NoticeDocument['purposes'][number]['storage'],
  consentMode?: NoticeDocument['purposes'][number]['consentMode'],
): Pick<ConsentNotice['purposes'][number], 'cookies' | 'storage' | 'consentMode'> {
  return {
    // The Consent Mode signals a refusal or a grant sends (consent-mode-signals.ts), also only when declared.
    ...(consentMode && { consentMode }),
    ...(cookies && { cookies: cookies.map(({ name, domain, path }) => ({ name, ...(domain && { domain }), ...(path && { path }) })) }),
    ...(storage && { storage: storage.map(({ key, type }) => ({ key, type })) }),
  };
}
