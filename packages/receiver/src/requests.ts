/**
 * Requests to use a GDPR right, for registrars that take them online:
 *
 *   POST /requests                    store one (Idempotency-Key per subject), 201 { requestId, receivedAt }
 *   GET  /subjects/{id}/requests      the subject's requests, oldest first
 *
 * Both answer only callers the host's `authorize(request, subject)` admits
 * for the subject the request is about: a person asks for their own data
 * only. The registrar's staff read the requests from the store.
 */
import type { Hono } from 'hono';
import { unaddressableSubject } from './admission.js';
import { canonicalJson } from '@akkoord/core/notice';
import { RightsRequestSchema, type ErrorCode, type ErrorBody, type RightsRequest, type RightsRequestAnswer, type SubjectRequests } from '@akkoord/core/sync';

/** One stored request. */
export interface StoredRequest {
  /** UUID v4, chosen by the receiver: the reference the person keeps. */
  requestId: string;
  subject: string;
  /** The caller's `Idempotency-Key`, unique per subject. */
  idempotencyKey: string;
  noticeId: string;
  right: RightsRequest['right'];
  /** The request as canonical JSON. */
  body: string;
  /** ISO 8601 UTC, milliseconds. */
  receivedAt: string;
}

export type PutRequestResult =
  | { outcome: 'created'; stored: StoredRequest }
  /** The same key and body as before: the stored answer again. */
  | { outcome: 'replayed'; stored: StoredRequest }
  /** The same key with another body. */
  | { outcome: 'idempotency-conflict'; stored: StoredRequest };

/** Where requests are kept; `MemoryReceiptStore` and `SqliteReceiptStore` implement it. */
export interface RequestStore {
  /** Stores `entry` unless its subject already used its key; atomic with that check. */
  putRequest(entry: StoredRequest): Promise<PutRequestResult>;
  /** The subject's requests, oldest first. */
  requests(subject: string): Promise<StoredRequest[]>;
}

export function isRequestStore(value: unknown): value is RequestStore {
  const candidate = value as Partial<RequestStore> | null | undefined;
  return typeof candidate?.putRequest === 'function' && typeof candidate.requests === 'function';
}

/** The idempotency rule for one entry, given what is stored under its subject and key. */
export function checkRequest(entry: StoredRequest, sameKey: StoredRequest | undefined): PutRequestResult | null {
  if (!sameKey) return null;
  return sameKey.body === entry.body ? { outcome: 'replayed', stored: sameKey } : { outcome: 'idempotency-conflict', stored: sameKey };
}

export interface RequestRoutesOptions {
  store: RequestStore | undefined;
  authorize: (request: Request, subjectId: string) => boolean | Promise<boolean>;
  /** The body as JSON, or the app's refusal (415, 413, 400). */
  readJson: (request: Request) => Promise<unknown>;
  /** The app's refusal, answered with the status of `error`. */
  refuse: (error: ErrorCode, message: string, extra?: Partial<ErrorBody>) => Error;
  /** The rights a notice id declares, over every version the receiver knows; undefined for an unknown notice. */
  noticeRights: (noticeId: string) => ReadonlySet<string> | undefined;
  now: () => Date;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

export function requestRoutes(app: Hono, options: RequestRoutesOptions): void {
  const { authorize, refuse, now } = options;
  const store = () => {
    if (!options.store) throw refuse('not-found', 'This receiver takes no requests.');
    return options.store;
  };

  app.post('/requests', async (c) => {
    const requests = store();
    const body = await options.readJson(c.req.raw);
    const parsed = RightsRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw refuse('invalid-request', 'The body is not a valid request.', {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const request = parsed.data;
    const unaddressable = unaddressableSubject(request.subject);
    if (unaddressable) {
      throw refuse('invalid-request', 'The subject id could not be read back through this API.', {
        issues: [{ path: 'subject', message: unaddressable }],
      });
    }
    const key = c.req.header('Idempotency-Key');
    if (key === undefined || !KEY.test(key)) {
      throw refuse('invalid-request', 'Send an Idempotency-Key header (1–200 visible ASCII characters), the same for a retry.', {
        issues: [{ path: 'Idempotency-Key', message: key === undefined ? 'missing' : 'expected 1–200 visible ASCII characters' }],
      });
    }
    if (!(await authorize(c.req.raw, request.subject))) {
      throw refuse('forbidden', 'You may make requests only about your own data.');
    }
    const rights = options.noticeRights(request.noticeId);
    if (!rights) throw refuse('unknown-notice', `This receiver does not know the notice "${request.noticeId}".`);
    if (!rights.has(request.right)) {
      throw refuse('invalid-request', `The notice "${request.noticeId}" does not offer this right.`, {
        issues: [{ path: 'right', message: 'not a right this notice declares' }],
      });
    }

    const result = await requests.putRequest({
      requestId: globalThis.crypto.randomUUID(),
      subject: request.subject,
      idempotencyKey: key,
      noticeId: request.noticeId,
      right: request.right,
      body: canonicalJson(request),
      receivedAt: now().toISOString(),
    });
    if (result.outcome === 'idempotency-conflict') {
      throw refuse('idempotency-conflict', 'Another request was made under this Idempotency-Key before.');
    }
    const answer: RightsRequestAnswer = { requestId: result.stored.requestId, receivedAt: result.stored.receivedAt };
    return c.json(answer, result.outcome === 'created' ? 201 : 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/subjects/:subjectId/requests', async (c) => {
    const requests = store();
    const subject = c.req.param('subjectId');
    if (!(await authorize(c.req.raw, subject))) throw refuse('forbidden', 'You may read only your own requests.');
    const body: SubjectRequests = {
      subject,
      requests: (await requests.requests(subject)).map((entry) => ({
        requestId: entry.requestId,
        receivedAt: entry.receivedAt,
        request: JSON.parse(entry.body) as RightsRequest,
      })),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  });
}
