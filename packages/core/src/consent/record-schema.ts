/**
 * The stored record's schema and the migration of older shapes. Loaded only
 * when a record exists, so a first visit's banner does not pay for zod.
 */
import * as z from 'zod/mini';
import { SHA256_PATTERN } from '../notice/canonical.js';
import type { ConsentRecord } from './types.js';

const decision = z.enum(['granted', 'denied']);
const epochMs = z.number().check(z.int(), z.nonnegative());
const uuid = () => z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));

export const ConsentRecordSchema = z.strictObject({
  schemaVersion: z.literal(2),
  subject: z.string().check(z.minLength(1)),
  noticeId: z.string().check(z.minLength(1)),
  noticeVersion: z.string(),
  noticeHash: z.string().check(z.regex(SHA256_PATTERN)),
  // Empty when a migrated record could not know it: then the person is asked again.
  // Empty for a record migrated from an older shape under another notice version: its fingerprint is not known.
  consentFingerprint: z.union([z.literal(''), z.string().check(z.regex(SHA256_PATTERN))]),
  locale: z.string().check(z.minLength(2)),
  decisions: z.record(z.string(), decision),
  // Every method a receipt may carry: a record is also restored from the receiver's receipt (an unsubscribe, say).
  method: z.enum(['accept-all', 'reject-all', 'preferences', 'api', 'gpc', 'email-unsubscribe']),
  decidedAt: epochMs,
  expiresAt: epochMs,
  receiptId: uuid(),
  carriedOver: z.optional(z.strictObject({ subject: z.string().check(z.minLength(1)), receiptId: uuid() })),
  sharedFrom: z.optional(z.strictObject({ host: z.string().check(z.minLength(1)) })),
  integrity: z.string().check(z.minLength(1)),
});

/**
 * Version 1, as the first design stored it: booleans per purpose, an ISO
 * time, no seal and no fingerprint of the consent purposes.
 */
export const ConsentRecordV1Schema = z.strictObject({
  schemaVersion: z.literal(1),
  subject: z.string().check(z.minLength(1)),
  noticeId: z.string(),
  noticeVersion: z.string(),
  noticeHash: z.string(),
  locale: z.string(),
  purposes: z.record(z.string(), z.boolean()),
  method: z.enum(['accept-all', 'reject-all', 'preferences', 'api', 'gpc']),
  timestamp: z.iso.datetime(),
});

export type ConsentRecordV1 = z.infer<typeof ConsentRecordV1Schema>;

export type ReadResult =
  | { kind: 'current'; record: ConsentRecord }
  | { kind: 'v1'; record: ConsentRecordV1 }
  | { kind: 'invalid'; problem: string };

export function readRecord(raw: unknown): ReadResult {
  const current = ConsentRecordSchema.safeParse(raw);
  if (current.success) return { kind: 'current', record: current.data as ConsentRecord };
  const old = ConsentRecordV1Schema.safeParse(raw);
  if (old.success) return { kind: 'v1', record: old.data };
  const first = current.error.issues[0];
  return { kind: 'invalid', problem: first ? `${first.path.join('.') || 'record'}: ${first.message}` : 'unreadable' };
}
