/**
 * The receiver's HTTP contract as zod schemas: request bodies, answers and
 * errors. The receiver's OpenAPI document is generated from these and
 * from core's receipt schema; a client parses answers with the same schemas.
 */
import * as z from 'zod/mini';
import { ConsentReceiptSchema, ReceiptExtensionSchema, UUID_V4 } from '../receipts/schema.js';
import { createNoticeSchema } from '../notice/schema.js';

const sha256 = () => z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 hex digits'));
const receiptId = () => z.string().check(z.regex(UUID_V4, 'expected a UUID v4'));
/** `header.payload.signature`, each part base64url. */
const compactJws = () =>
  z.string().check(z.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected a compact JWS'));
/** ISO 8601, UTC, with milliseconds: `2026-11-26T12:00:00.000Z`. */
const timestamp = () => z.iso.datetime({ precision: 3 });

export const ERROR_CODES = [
  'invalid-json',
  'invalid-receipt',
  'invalid-request',
  'unsupported-media-type',
  'payload-too-large',
  'idempotency-key-mismatch',
  'idempotency-conflict',
  'unknown-notice',
  'chain-conflict',
  'invalid-countersignature',
  'forbidden',
  'not-found',
  'rate-limited',
  'busy',
  'internal-error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const IssueSchema = z.strictObject({
  /** Where in the body, as `akkoord.decisions.marketing` or `services[0].purposes`; empty for the body itself. */
  path: z.string(),
  message: z.string(),
});

export const ErrorBodySchema = z.strictObject({
  /** Machine-readable; the client acts on this, never on `message`. */
  error: z.enum(ERROR_CODES),
  /** One sentence for people. */
  message: z.string(),
  issues: z.optional(z.array(IssueSchema)),
  /** With `chain-conflict`: the head of the subject's chain, to rebuild on (null: no receipt yet). */
  latestReceiptHash: z.optional(z.nullable(sha256())),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** `POST /receipts`: 201 when stored now, 200 with the same answer when it was stored before. */
export const ReceiptAnswerSchema = z.strictObject({
  receiptId: receiptId(),
  receiptHash: sha256(),
  /** Compact JWS, ES256, header `{alg, kid, typ: "JWT"}`, payload: the receipt's canonical JSON. */
  countersignature: compactJws(),
  storedAt: timestamp(),
});
export type ReceiptAnswer = z.infer<typeof ReceiptAnswerSchema>;

/** The subject's current decisions under one notice: from its latest receipt for that notice id. */
export const ConsentEntrySchema = z.strictObject({
  ...z.pick(ReceiptExtensionSchema, {
    noticeId: true,
    noticeVersion: true,
    noticeHash: true,
    locale: true,
    method: true,
    decisions: true,
    decidedAt: true,
    expiresAt: true,
  }).shape,
  receiptId: receiptId(),
  receiptHash: sha256(),
  storedAt: timestamp(),
});

export const SubjectConsentSchema = z.strictObject({
  subject: z.string(),
  /** The head of the subject's chain: the next receipt's `previousReceiptHash`. */
  latestReceiptHash: z.nullable(sha256()),
  notices: z.array(ConsentEntrySchema),
});
export type SubjectConsent = z.infer<typeof SubjectConsentSchema>;

export const HistoryItemSchema = z.strictObject({
  receipt: ConsentReceiptSchema,
  countersignature: compactJws(),
  storedAt: timestamp(),
});

export const SubjectHistorySchema = z.strictObject({
  subject: z.string(),
  /** Oldest first: each receipt names the hash of the one before it. */
  receipts: z.array(HistoryItemSchema),
});
export type SubjectHistory = z.infer<typeof SubjectHistorySchema>;

export const PublicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  /** RFC 7638 thumbprint. */
  kid: z.string(),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});

export const JwksSchema = z.strictObject({ keys: z.array(PublicJwkSchema).check(z.minLength(1)) });

export const VerifyRequestSchema = z.strictObject({ countersignature: z.string() });

/** `POST /verify`: the countersignature is ours and names a receipt we hold. */
export const VerifyAnswerSchema = z.strictObject({
  valid: z.literal(true),
  kid: z.string(),
  receiptId: receiptId(),
  receiptHash: sha256(),
  storedAt: timestamp(),
});

export const HealthSchema = z.strictObject({ status: z.literal('ok') });

/** The notice document shape (for documentation: locales are any string here). */
export const NoticeDocumentSchema = createNoticeSchema(z.string());

export { ConsentReceiptSchema };
