/**
 * The receiver's HTTP contract as zod schemas: request bodies, answers and
 * errors. The receiver's OpenAPI document is generated from these and
 * from core's receipt schema; a client parses answers with the same schemas.
 */
import * as z from 'zod/mini';
import { ConsentReceiptSchema, ReceiptExtensionSchema, UUID_V4, sha256Hash as sha256 } from '../receipts/schema.js';
import { createNoticeSchema } from '../notice/schema.js';
import { REQUESTABLE_RIGHTS, type RequestableRight } from '../rights/index.js';

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
  'unauthorized',
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

// ---------------------------------------------------------------------------
// `POST /receipts/batch`: many receipts in one request, for an outbox that
// drains a backlog. Each item is taken exactly as a `POST /receipts` of it
// would be, in the order given.

/** Most items in one batch; more is a 413. A client splits a longer backlog into batches of at most this many. */
export const MAX_BATCH_ITEMS = 100;

/**
 * The batch around any item body. The receiver checks this envelope with an
 * unknown `receipt` first, then each receipt on its own, so that one bad
 * receipt is that item's 400 and not the whole batch's.
 */
const batchOf = <R extends z.ZodMiniType>(receipt: R) =>
  z.strictObject({
    items: z
      .array(
        z.strictObject({
          /** As the single POST's `Idempotency-Key` header: the receipt's `consentReceiptID`. */
          idempotencyKey: z.string(),
          receipt,
        }),
      )
      .check(z.minLength(1, 'expected at least one item'), z.maxLength(MAX_BATCH_ITEMS, `expected at most ${MAX_BATCH_ITEMS} items`)),
  });

export const ReceiptBatchSchema = batchOf(ConsentReceiptSchema);
export type ReceiptBatch = z.infer<typeof ReceiptBatchSchema>;
/** The envelope alone, as the receiver checks it before it looks at any receipt. */
export const ReceiptBatchEnvelopeSchema = batchOf(z.unknown());

/**
 * One item's result: the answer a `POST /receipts` of it would have had,
 * with its status (201 stored now, 200 stored before), or the error body
 * and status it would have had (409 `chain-conflict` with
 * `latestReceiptHash`, 422 `idempotency-conflict`, 400 `invalid-receipt` …).
 */
export const BatchItemResultSchema = z.union([
  z.strictObject({
    idempotencyKey: z.string(),
    status: z.literal([201, 200]),
    answer: ReceiptAnswerSchema,
  }),
  z.strictObject({
    idempotencyKey: z.string(),
    status: z.number().check(z.int(), z.gte(400), z.lte(599)),
    error: ErrorBodySchema,
  }),
]);
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

/** `200` once the batch was taken: one result per item, in the order of the items. */
export const ReceiptBatchAnswerSchema = z.strictObject({ results: z.array(BatchItemResultSchema) });
export type ReceiptBatchAnswer = z.infer<typeof ReceiptBatchAnswerSchema>;

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

// ---------------------------------------------------------------------------
// Requests to use a GDPR right (art. 15–22), for registrars that take them
// online: `POST /requests`, `GET /subjects/{id}/requests`.

export { REQUESTABLE_RIGHTS, type RequestableRight };

const shortText = (max: number) =>
  z.string().check(
    z.refine((s) => s.trim().length > 0, 'expected non-empty text'),
    z.maxLength(max, `expected at most ${max} characters`),
  );

/** Who asks, and where the answer goes. */
export const RequesterDetailsSchema = z.strictObject({
  name: shortText(200),
  email: z.email('expected an e-mail address'),
  /** The customer number or account the registrar knows the person by, if any. */
  customerNumber: z.optional(shortText(100)),
  phone: z.optional(shortText(50)),
  /** A postal address as the person writes it, one line per item. */
  address: z.optional(z.array(shortText(200)).check(z.maxLength(6))),
});

/**
 * `POST /requests`: a request to use one right under one notice. The
 * `Idempotency-Key` header (any string of 1–200 characters, per subject)
 * makes a retry safe: the same key and body give the same answer.
 */
export const RightsRequestSchema = z.strictObject({
  noticeId: shortText(200),
  right: z.enum(REQUESTABLE_RIGHTS),
  /** The subject the request is about: the receiver's `authorize` hook must admit the caller for it. */
  subject: shortText(200),
  details: RequesterDetailsSchema,
  /** What the person asks, in their own words. */
  message: z.optional(z.string().check(z.maxLength(5000, 'expected at most 5000 characters'))),
  /**
   * How the person proves who they are: `signed-in` (the host admitted the
   * caller for this subject) or `on-request` (they send proof when the
   * registrar asks for it).
   */
  identityProof: z.optional(z.enum(['signed-in', 'on-request'])),
  /** The language the person wrote in and wants the answer in (BCP 47). */
  locale: z.optional(z.string().check(z.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language tag such as "nl" or "nl-BE"'))),
});
export type RightsRequest = z.infer<typeof RightsRequestSchema>;

/** 201 when received now, 200 with the same answer for a repeat of the same key and body. */
export const RightsRequestAnswerSchema = z.strictObject({
  /** The reference the person keeps (a UUID v4 chosen by the receiver). */
  requestId: receiptId(),
  receivedAt: timestamp(),
});
export type RightsRequestAnswer = z.infer<typeof RightsRequestAnswerSchema>;

export const StoredRightsRequestSchema = z.strictObject({
  requestId: receiptId(),
  receivedAt: timestamp(),
  request: RightsRequestSchema,
});

/** `GET /subjects/{id}/requests`: the subject's requests, oldest first. */
export const SubjectRequestsSchema = z.strictObject({
  subject: z.string(),
  requests: z.array(StoredRightsRequestSchema),
});
export type SubjectRequests = z.infer<typeof SubjectRequestsSchema>;
