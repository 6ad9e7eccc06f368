/**
 * The typed client of a receiver (or anything that implements its OpenAPI
 * contract). Every answer is parsed before it is trusted; anything else, a
 * 500, garbage, a reset connection or silence, becomes a result the outbox
 * can act on, never an exception in the host page.
 */
import * as z from 'zod/mini';
import type { ConsentReceipt } from '../receipts/schema.js';
import {
  ErrorBodySchema,
  JwksSchema,
  ReceiptAnswerSchema,
  ReceiptBatchAnswerSchema,
  SubjectConsentSchema,
  SubjectHistorySchema,
  type ErrorBody,
  type ReceiptAnswer,
  type SubjectConsent,
  type SubjectHistory,
} from './contract.js';
import type { PublicJwk } from './jws.js';

export interface ReceiptClientOptions {
  /** The receiver's base URL, e.g. `https://registrar.example/consent`. https only, except on localhost. */
  endpoint: string;
  /** The host's credentials: headers to add to every request (e.g. `Authorization`). */
  headers?: () => HeadersInit | Promise<HeadersInit>;
  /** `include` sends the host's cookies to a receiver on another origin. */
  credentials?: RequestCredentials;
  /** How long one request may take (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type PostResult =
  | { kind: 'stored'; status: 200 | 201; answer: ReceiptAnswer }
  | { kind: 'retry-later'; afterMs?: number; reason: string }
  | { kind: 'chain-conflict'; latestReceiptHash: string | null }
  | { kind: 'rejected'; status: number; error: ErrorBody };

export type BatchResult =
  /** The batch was taken: one result per receipt, in order, as a single POST of each would have had. */
  | { kind: 'answered'; results: PostResult[] }
  /** Nothing is known of any receipt in it (500, 429/503, timeout, reset, garbage): send it again later. */
  | { kind: 'retry-later'; afterMs?: number; reason: string }
  /**
   * Refused as a whole, which says nothing about any receipt in it: `tooLarge`
   * (413), smaller batches may do; otherwise (404 or 405 from an older
   * receiver, any other 4xx) send the receipts one by one.
   */
  | { kind: 'not-taken'; tooLarge: boolean; reason: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Throws a TypeError that says what to fix when the endpoint is not https (or localhost). */
export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`Akkoord: the receipt endpoint "${endpoint}" is not an absolute URL`);
  }
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new TypeError(
      `Akkoord: the receipt endpoint must use https: (receipts carry a pseudonymous id and decisions); got "${endpoint}". ` +
        'Plain http is allowed only for localhost during development.',
    );
  }
  return url;
}

export class ReceiptClient {
  readonly endpoint: URL;
  #options: ReceiptClientOptions;

  constructor(options: ReceiptClientOptions) {
    this.endpoint = checkEndpoint(options.endpoint);
    this.#options = options;
  }

  async postReceipt(receipt: ConsentReceipt, { keepalive = false } = {}): Promise<PostResult> {
    let response: Response;
    try {
      response = await this.#request('receipts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': receipt.consentReceiptID },
        body: JSON.stringify(receipt),
        keepalive,
      });
    } catch (error) {
      return noAnswer(error);
    }
    const body = await response.json().catch(() => undefined);
    if (response.status === 200 || response.status === 201) {
      const answer = ReceiptAnswerSchema.safeParse(body);
      return storedOrNot(response.status, answer.success ? answer.data : undefined, receipt);
    }
    const error = ErrorBodySchema.safeParse(body);
    return refusal(response.status, error.success ? error.data : undefined, response.headers.get('retry-after'));
  }

  /**
   * `POST /receipts/batch`: the receipts in one request (each sent as
   * `postReceipt` sends it, under its id as the idempotency key), and an
   * answer for each, read as `postReceipt` reads a single answer.
   */
  async postBatch(receipts: readonly ConsentReceipt[]): Promise<BatchResult> {
    let response: Response;
    try {
      response = await this.#request('receipts/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: receipts.map((receipt) => ({ idempotencyKey: receipt.consentReceiptID, receipt })) }),
      });
    } catch (error) {
      return noAnswer(error);
    }
    const body = await response.json().catch(() => undefined);
    if (response.status === 200) {
      const answer = ReceiptBatchAnswerSchema.safeParse(body);
      // One result per receipt, in order, each under its key: anything else says nothing about any of them.
      if (
        !answer.success ||
        answer.data.results.length !== receipts.length ||
        answer.data.results.some((result, i) => result.idempotencyKey !== receipts[i]!.consentReceiptID)
      ) {
        return { kind: 'retry-later', reason: 'HTTP 200 with an answer that is not one result per receipt sent' };
      }
      return {
        kind: 'answered',
        results: answer.data.results.map((result, i) =>
          'answer' in result ? storedOrNot(result.status, result.answer, receipts[i]!) : refusal(result.status, result.error, null),
        ),
      };
    }
    const { status } = response;
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // Refused as a whole (404, 405: an older receiver; 413; 400, 403, 415: a proxy or the host's middleware):
      // no verdict on any receipt in it. Sent one by one, or in smaller batches, each gets its own.
      return { kind: 'not-taken', tooLarge: status === 413, reason: `HTTP ${status}` };
    }
    const afterMs = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
    return { kind: 'retry-later', afterMs, reason: `HTTP ${status}` };
  }

  async keys(): Promise<PublicJwk[]> {
    return (await this.#getJson('.well-known/jwks.json', JwksSchema)).keys;
  }

  async history(subject: string): Promise<SubjectHistory['receipts']> {
    return (await this.#getJson(`subjects/${encodeURIComponent(subject)}/receipts`, SubjectHistorySchema)).receipts;
  }

  async currentConsent(subject: string): Promise<SubjectConsent> {
    return this.#getJson(`subjects/${encodeURIComponent(subject)}/consent`, SubjectConsentSchema);
  }

  #getJson<S extends z.ZodMiniType>(path: string, schema: S): Promise<z.infer<S>> {
    return getJson(this.endpoint, this.#options, path, schema);
  }

  #request(path: string, init: RequestInit): Promise<Response> {
    return requestReceiver(this.endpoint, this.#options, path, init);
  }
}

/**
 * One request to the receiver at `endpoint`: the host's headers and
 * credentials added, bounded in time. Every client of the receiver's
 * contract (receipts, rights requests) sends through here.
 */
export async function requestReceiver(endpoint: URL, options: ReceiptClientOptions, path: string, init: RequestInit): Promise<Response> {
  const base = endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`;
  const headers = new Headers(init.headers);
  for (const [name, value] of new Headers(await options.headers?.())) headers.set(name, value);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return doFetch(new URL(path, base), {
    ...init,
    headers,
    credentials: options.credentials ?? 'same-origin',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
}

/** A GET whose answer is parsed with `schema`; a refusal or an answer off the contract throws `ReceiverError`. */
export async function getJson<S extends z.ZodMiniType>(endpoint: URL, options: ReceiptClientOptions, path: string, schema: S): Promise<z.infer<S>> {
  const response = await requestReceiver(endpoint, options, path, { method: 'GET' });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = ErrorBodySchema.safeParse(body);
    throw new ReceiverError(response.status, error.success ? error.data : undefined);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ReceiverError(response.status, undefined, `the answer to ${path} is not what the contract says`);
  return parsed.data;
}

export class ReceiverError extends Error {
  override name = 'ReceiverError';
  constructor(
    readonly status: number,
    readonly answer?: ErrorBody,
    detail?: string,
  ) {
    super(`Receiver answered ${status}: ${answer?.message ?? detail ?? 'unexpected answer'}`);
  }
}

function noAnswer(error: unknown): PostResult & { kind: 'retry-later' } {
  return { kind: 'retry-later', reason: `no answer: ${error instanceof Error ? error.message : String(error)}` };
}

/** A 200/201 is "stored" only with an answer that parsed and names the receipt sent. */
function storedOrNot(status: 200 | 201, answer: ReceiptAnswer | undefined, receipt: ConsentReceipt): PostResult {
  if (!answer || answer.receiptId !== receipt.consentReceiptID) {
    return { kind: 'retry-later', reason: `HTTP ${status} with an answer that is not a stored receipt` };
  }
  return { kind: 'stored', status, answer };
}

/** What any other status says about a receipt, with the error body if it parsed. */
function refusal(status: number, error: ErrorBody | undefined, retryAfter: string | null): PostResult {
  if (status === 409 && error?.latestReceiptHash !== undefined) {
    return { kind: 'chain-conflict', latestReceiptHash: error.latestReceiptHash };
  }
  if (status === 429 || status === 503) return { kind: 'retry-later', afterMs: retryAfterMs(retryAfter), reason: `HTTP ${status}` };
  if (status >= 400 && status < 500 && status !== 408 && error) return { kind: 'rejected', status, error };
  return { kind: 'retry-later', reason: `HTTP ${status}` };
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
