/** Older record shapes, brought to the current one. */
import type { ConsentNotice, ConsentRecord, Decision } from './types.js';
import type { ConsentRecordV1 } from './record-schema.js';

/**
 * Version 1 kept no fingerprint of the consent purposes. If it was made for
 * the very document in force now, the purposes are the ones shown, so the
 * decision still holds; otherwise nobody can say, and the empty fingerprint
 * makes the controller ask again.
 */
export function migrateV1(old: ConsentRecordV1, notice: ConsentNotice, maxAgeMs: number): Omit<ConsentRecord, 'integrity'> {
  const decidedAt = Date.parse(old.timestamp);
  const decisions: Record<string, Decision> = {};
  for (const [id, granted] of Object.entries(old.purposes)) decisions[id] = granted ? 'granted' : 'denied';
  return {
    schemaVersion: 2,
    subject: old.subject,
    noticeId: old.noticeId,
    noticeVersion: old.noticeVersion,
    noticeHash: old.noticeHash,
    consentFingerprint: old.noticeHash === notice.hash ? notice.consentFingerprint : '',
    locale: old.locale,
    decisions,
    method: old.method,
    decidedAt,
    expiresAt: decidedAt + maxAgeMs,
    receiptId: crypto.randomUUID(),
  };
}
