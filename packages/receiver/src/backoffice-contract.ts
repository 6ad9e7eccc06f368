/**
 * The back office's HTTP contract as zod schemas: what the routes of
 * `backoffice-routes.ts` and `unsubscribe.ts` take and answer. The OpenAPI
 * document is generated from them (`openapi.ts`), as for the browser's
 * routes (core's `sync/contract.ts`); only the registrar's own systems
 * call these, so they live with the receiver.
 */
import * as z from 'zod/mini';

/** Most subjects in one `POST /consent/check`. */
export const MAX_CHECK_SUBJECTS = 10_000;

const id = (what: string, max = 200) =>
  z.string().check(z.minLength(1, `expected a ${what}`), z.maxLength(max, `expected a ${what} of at most ${max} characters`));

export const ConsentCheckRequestSchema = z.strictObject({
  /** A consent purpose id of the notice (`marketing`, `seminar-announcements`, …). */
  purpose: id('purpose id'),
  /**
   * The notice id. Needed only when more than one notice this receiver
   * knows asks consent for `purpose`; otherwise the one that does.
   */
  notice: z.optional(id('notice id')),
  /** The subjects (`piiPrincipalId`) to look up, 1 to 10,000; answered in this order. */
  subjects: z.array(z.string().check(z.minLength(1, 'expected a subject id'))).check(
    z.minLength(1, 'expected at least one subject'),
    z.maxLength(MAX_CHECK_SUBJECTS, `expected at most ${MAX_CHECK_SUBJECTS} subjects`),
  ),
});
export type ConsentCheckRequest = z.infer<typeof ConsentCheckRequestSchema>;

export const CONSENT_CHECK_STATES = ['granted', 'denied', 'unknown'] as const;

export const ConsentCheckResultSchema = z.strictObject({
  subject: z.string(),
  /**
   * `granted` or `denied`: the decision in force; `unknown`: never decided
   * under this notice, or decided but expired (the banner asks again).
   */
  state: z.enum(CONSENT_CHECK_STATES),
  /** The receipt that holds the decision (absent when never decided); its countersignature is the proof. */
  receiptId: z.optional(z.string()),
  /** Epoch milliseconds, from that receipt. */
  decidedAt: z.optional(z.number()),
  expiresAt: z.optional(z.number()),
});

export const ConsentCheckAnswerSchema = z.strictObject({
  notice: z.string(),
  purpose: z.string(),
  /** One per subject asked, in the order asked. */
  results: z.array(ConsentCheckResultSchema),
});
export type ConsentCheckAnswer = z.infer<typeof ConsentCheckAnswerSchema>;

/** A line of `GET /purposes/{purpose}/subjects`: one subject in the asked state. */
export const SubjectLineSchema = z.strictObject({
  subject: z.string(),
  receiptId: z.string(),
  /** Give as `after` to resume after this line. */
  cursor: z.string(),
});

/** The last line of `GET /purposes/{purpose}/subjects`: without it, the stream was cut; resume after the last subject line. */
export const SubjectStreamEndSchema = z.strictObject({
  /** Subject lines in this response. */
  count: z.number(),
  /** More may follow (`limit` reached): give this as `after`. Null: the list is complete. */
  next: z.nullable(z.string()),
});

export const UnsubscribeTokenRequestSchema = z.strictObject({
  subject: id('subject id', 1000),
  purpose: id('purpose id'),
  /** As in `POST /consent/check`: needed only when several notices ask consent for `purpose`. */
  notice: z.optional(id('notice id')),
});
export type UnsubscribeTokenRequest = z.infer<typeof UnsubscribeTokenRequestSchema>;

export const UnsubscribeTokenAnswerSchema = z.strictObject({
  /** The one-click URL: `POST` withdraws, `GET` shows a page. */
  url: z.string(),
  /** The mail's `List-Unsubscribe` header value (RFC 2369): the URL in angle brackets. */
  listUnsubscribe: z.string(),
  /** The mail's `List-Unsubscribe-Post` header value (RFC 8058). */
  listUnsubscribePost: z.literal('List-Unsubscribe=One-Click'),
  notice: z.string(),
  purpose: z.string(),
  subject: z.string(),
  /** ISO 8601: after this the URL changes nothing. */
  expiresAt: z.string(),
});
export type UnsubscribeTokenAnswer = z.infer<typeof UnsubscribeTokenAnswerSchema>;

/** `POST /unsubscribe/{token}` with `Accept: application/json`. */
export const UnsubscribeAnswerSchema = z.strictObject({
  /** `unsubscribed`: withdrawn now; `already-unsubscribed`: the purpose was not granted, nothing changed. */
  outcome: z.enum(['unsubscribed', 'already-unsubscribed']),
  notice: z.string(),
  purpose: z.string(),
  /** The withdrawal receipt stored now (absent when nothing changed). */
  receiptId: z.optional(z.string()),
});
export type UnsubscribeAnswer = z.infer<typeof UnsubscribeAnswerSchema>;
