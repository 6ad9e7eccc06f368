/**
 * The receiver's HTTP answers, as zod schemas: the client parses every
 * response with them before trusting it, and the receiver's OpenAPI document
 * is generated from them, so the contract is written once.
 */
import * as z from 'zod/mini';
import { ConsentReceiptSchema } from '../receipts/schema.js';

const sha256 = () => z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/));
const compactJws = () => z.string().check(z.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected a compact JWS'));

export const StoredAnswerSchema = z.object({
  receiptId: z.string(),
  receiptHash: sha256(),
  countersignature: compactJws(),
  storedAt: z.string(),
});
export type StoredAnswer = z.infer<typeof StoredAnswerSchema>;

export const ErrorAnswerSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  latestReceiptHash: z.optional(z.nullable(sha256())),
});
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;

export const JwksSchema = z.object({
  keys: z
    .array(
      z.object({
        kty: z.literal('EC'),
        crv: z.literal('P-256'),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.optional(z.literal('ES256')),
        use: z.optional(z.string()),
      }),
    )
    .check(z.minLength(1)),
});
export type Jwks = z.infer<typeof JwksSchema>;
export type PublicJwk = Jwks['keys'][number];

export const HistoryItemSchema = z.object({
  receipt: ConsentReceiptSchema,
  countersignature: compactJws(),
  storedAt: z.string(),
});
export const HistorySchema = z.object({ subject: z.string(), receipts: z.array(HistoryItemSchema) });
export type HistoryItem = z.infer<typeof HistoryItemSchema>;

export const CurrentConsentSchema = z.object({
  subject: z.string(),
  notices: z.array(
    z.object({
      noticeId: z.string(),
      noticeHash: sha256(),
      decisions: z.record(z.string(), z.enum(['granted', 'denied'])),
      method: z.string(),
      receiptId: z.string(),
      decidedAt: z.number(),
    }),
  ),
});
export type CurrentConsent = z.infer<typeof CurrentConsentSchema>;
