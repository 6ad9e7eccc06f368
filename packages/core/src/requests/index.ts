/**
 * The typed client for requests to use a GDPR right, sent to a registrar
 * that takes them online (`POST {endpoint}/requests`). Like the receipt
 * client it parses every answer before trusting it, and turns a failure
 * into a result the caller can show, never an exception in the host page.
 *
 * It sends nothing by itself: an element calls it only when the notice
 * declares an `online` request channel and the host gave an endpoint.
 */
import {
  ErrorBodySchema,
  RightsRequestAnswerSchema,
  RightsRequestSchema,
  SubjectRequestsSchema,
  type ErrorBody,
  type RightsRequest,
  type RightsRequestAnswer,
  type SubjectRequests,
} from '../sync/contract.js';
import { checkEndpoint, getJson, requestReceiver, retryAfterMs, type ReceiptClientOptions } from '../sync/client.js';

export type RequestClientOptions = ReceiptClientOptions;

export type RequestResult =
  | { kind: 'received'; status: 200 | 201; answer: RightsRequestAnswer }
  /** The host's `authorize` hook did not admit the caller for this subject (403). */
  | { kind: 'forbidden'; error: ErrorBody }
  | { kind: 'rejected'; status: number; error?: ErrorBody }
  /** No answer, a 5xx, 429 or an answer that is not what the contract says: the same key may be sent again. */
  | { kind: 'retry-later'; afterMs?: number; reason: string };

/** A fresh idempotency key: one per request the person makes, reused for its retries. */
export function newRequestKey(): string {
  return globalThis.crypto.randomUUID();
}

export class RequestClient {
  readonly endpoint: URL;
  #options: RequestClientOptions;

  constructor(options: RequestClientOptions) {
    this.endpoint = checkEndpoint(options.endpoint);
    this.#options = options;
  }

  /** Sends a request; `key` is its Idempotency-Key (the same for a retry of the same request). */
  async send(request: RightsRequest, key: string): Promise<RequestResult> {
    const valid = RightsRequestSchema.safeParse(request);
    if (!valid.success) {
      return {
        kind: 'rejected',
        status: 0,
        error: {
          error: 'invalid-request',
          message: 'The request is not what the contract says; it was not sent.',
          issues: valid.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        },
      };
    }
    let response: Response;
    try {
      response = await this.#request('requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(valid.data),
      });
    } catch (error) {
      return { kind: 'retry-later', reason: `no answer: ${error instanceof Error ? error.message : String(error)}` };
    }
    const body = await response.json().catch(() => undefined);
    if (response.status === 200 || response.status === 201) {
      const answer = RightsRequestAnswerSchema.safeParse(body);
      if (!answer.success) return { kind: 'retry-later', reason: `HTTP ${response.status} with an answer that is not a received request` };
      return { kind: 'received', status: response.status, answer: answer.data };
    }
    const error = ErrorBodySchema.safeParse(body);
    if (response.status === 403 && error.success) return { kind: 'forbidden', error: error.data };
    if (response.status === 429 || response.status >= 500) {
      return { kind: 'retry-later', afterMs: retryAfterMs(response.headers.get('retry-after')), reason: `HTTP ${response.status}` };
    }
    return { kind: 'rejected', status: response.status, error: error.success ? error.data : undefined };
  }

  /** The subject's requests, oldest first; throws `ReceiverError` when refused. */
  async list(subject: string): Promise<SubjectRequests['requests']> {
    const answer = await getJson(this.endpoint, this.#options, `subjects/${encodeURIComponent(subject)}/requests`, SubjectRequestsSchema);
    return answer.requests;
  }

  #request(path: string, init: RequestInit): Promise<Response> {
    return requestReceiver(this.endpoint, this.#options, path, init);
  }
}

export interface SendRightsRequestOptions {
  /** The receiver (https, or http on localhost). */
  endpoint: string;
  /** The host's credentials: headers the receiver's `authorize` hook admits for the request's subject. */
  credentials?: () => HeadersInit | Promise<HeadersInit>;
  request: RightsRequest;
  /** Its Idempotency-Key (`newRequestKey()`), the same for a retry of the same request. */
  key: string;
}

/**
 * One request, sent the way an element sends it. Throws only when the
 * endpoint is not one the client accepts; every answer is a result.
 */
export function sendRightsRequest({ endpoint, credentials, request, key }: SendRightsRequestOptions): Promise<RequestResult> {
  return new RequestClient({ endpoint, headers: credentials }).send(request, key);
}

export type { RightsRequest, RightsRequestAnswer } from '../sync/contract.js';
