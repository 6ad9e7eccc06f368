/**
 * Delivers the event feed to the webhook endpoints, inside the receiver
 * process (and in each of several nodes: `webhook-store.ts` says how they
 * share the work without sending one event twice at once).
 *
 * Each request is signed as the Standard Webhooks specification says:
 * `webhook-id` (the event id, the same on every attempt), `webhook-timestamp`
 * (this attempt, unix seconds) and `webhook-signature: v1,<base64 of
 * HMAC-SHA256 over "id.timestamp.body">`, the key being the base64-decoded
 * part of the endpoint's `whsec_` secret. A 2xx is delivered; anything else,
 * no answer, or no answer within `timeoutMs` is a failure, tried again after
 * an exponential backoff with jitter until `retryForMs` have passed since
 * the first attempt; then the delivery goes on the dead-letter list. A
 * subject's later events wait until its earlier one is delivered or dead.
 */
import { createHmac } from 'node:crypto';
import type { Delivery, DeliveryAttempt, WebhookStore } from './webhook-store.js';

export interface WebhookWorkerOptions {
  /** How long to keep retrying a delivery before it is dead-lettered. Default 24 h. */
  retryForMs?: number;
  /** The first retry's delay; each further one doubles it (with jitter), up to `backoffMaxMs`. Default 1 s. */
  backoffBaseMs?: number;
  /** Default 10 min. */
  backoffMaxMs?: number;
  /** Most time a consumer gets to answer one request. Default 15 s. */
  timeoutMs?: number;
  /** How often to look for new events when nothing wakes the worker. Default 250 ms. */
  pollMs?: number;
  /** Most requests in flight at once. Default 16. */
  concurrency?: number;
  now?: () => number;
  /** Failures of the worker itself (the database away); it keeps going. Default: none. */
  onError?: (error: unknown) => void;
}

export const DEFAULT_WEBHOOK_RETRY_FOR_MS = 24 * 3600_000;

/** The three Standard Webhooks headers for `body`, signed with `secret` (`whsec_…`). */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}

/** The delay before retry number `attempt` (1 = the first retry): doubling from `base`, capped, then 50–100 % of it at random. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class WebhookWorker {
  readonly #store: WebhookStore;
  readonly #retryForMs: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #secrets = new Map<string, { url: string; secret: string }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #inFlight = new Set<Promise<void>>();
  /** Cut off at `stop()`: a stopping receiver does not wait out a slow consumer; the attempt counts as failed. */
  #stopping = new AbortController();
  #rounds = 0;

  constructor(store: WebhookStore, options: WebhookWorkerOptions = {}) {
    this.#store = store;
    this.#retryForMs = options.retryForMs ?? DEFAULT_WEBHOOK_RETRY_FOR_MS;
    this.#backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.#backoffMaxMs = options.backoffMaxMs ?? 600_000;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#pollMs = options.pollMs ?? 250;
    this.#concurrency = options.concurrency ?? 16;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
  }

  start(): void {
    this.#stopped = false;
    this.#stopping = new AbortController();
    this.wake();
  }

  /** Look now (a receipt was just stored here), rather than at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#round()
      .catch((error) => this.#onError(error))
      .finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else {
          this.#timer = setTimeout(() => this.wake(), this.#pollMs);
          this.#timer.unref?.();
        }
      });
  }

  /** Stops looking; requests in flight finish (or time out) first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    this.#stopping.abort();
    await Promise.all(this.#inFlight);
  }

  /** One round: queue new events, then send what is due, as long as there is room. */
  async #round(): Promise<void> {
    await this.#store.enqueue(this.#now());
    if (++this.#rounds % 200 === 0) await this.#store.trimLog();
    const room = this.#concurrency - this.#inFlight.size;
    if (room <= 0) return;
    const due = await this.#store.lease(this.#now(), this.#timeoutMs * 2 + 5000, room);
    if (!due.length) return;
    const endpoints = await this.#store.endpoints();
    this.#secrets = new Map(endpoints.map((e) => [e.id, e]));
    for (const delivery of due) {
      const sending: Promise<void> = this.#send(delivery)
        .catch((error) => this.#onError(error))
        .finally(() => {
          this.#inFlight.delete(sending);
          // A subject's next event may be due now that this one is settled.
          this.wake();
        });
      this.#inFlight.add(sending);
    }
    if (due.length === room) this.#again = true;
  }

  async #send(delivery: Delivery): Promise<void> {
    const endpoint = this.#secrets.get(delivery.endpointId);
    if (!endpoint) return; // removed meanwhile (its queue went with it)
    const started = this.#now();
    const headers = signWebhook(endpoint.secret, delivery.eventId, Math.floor(started / 1000), delivery.payload);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'akkoord-receiver', ...headers },
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#stopping.signal]),
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
    } catch (caught) {
      const e = caught as Error;
      error =
        e.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : this.#stopping.signal.aborted
            ? 'cut off: the receiver was stopping'
            : `${e.message}${(e.cause as Error)?.message ? `: ${(e.cause as Error).message}` : ''}`;
    }
    const ended = this.#now();
    const attempt = (outcome: DeliveryAttempt['outcome']): DeliveryAttempt => ({
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      attemptedAt: new Date(started).toISOString(),
      outcome,
      status,
      error,
      latencyMs: ended - started,
    });
    if (status !== null && status >= 200 && status < 300) {
      await this.#store.delivered(delivery, attempt('delivered'));
      return;
    }
    const firstAttemptAt = delivery.firstAttemptAt ?? started;
    const nextAttemptAt = ended + backoffDelay(delivery.attempts, this.#backoffBaseMs, this.#backoffMaxMs);
    if (nextAttemptAt - firstAttemptAt > this.#retryForMs) {
      await this.#store.failed(delivery, attempt('dead'), { dead: true });
    } else {
      await this.#store.failed(delivery, attempt('retry'), { dead: false, nextAttemptAt });
    }
  }
}
