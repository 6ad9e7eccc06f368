/**
 * Rate limits: a token bucket per key (a client address, a subject). Each
 * bucket holds at most `burst` tokens and refills at `perSecond`; a request
 * takes one, and with none left it is refused with 429 and a `Retry-After`
 * that says when the next token is there. The buckets live in this process:
 * with several nodes, each node limits on its own.
 */
import { refuse } from './refusal.js';

export interface RateLimit {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Most tokens a bucket holds: the burst allowed after a quiet time. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    /** Most keys remembered; the least recently used go first (a full bucket loses nothing by being forgotten). */
    readonly maxKeys = 100_000,
    readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new RangeError('A rate limit needs perSecond > 0 and burst >= 1');
  }

  /** Takes a token for `key`: 0 when there was one, else the seconds until there is. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.#buckets.get(key);
    let tokens = this.limit.burst;
    if (bucket) {
      tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
      this.#buckets.delete(key); // re-inserted below: the Map's order is the order of use
    } else if (this.#buckets.size >= this.maxKeys) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    if (tokens >= 1) {
      this.#buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.#buckets.set(key, { tokens, at: now });
    return (1 - tokens) / this.limit.perSecond;
  }

  /** Takes a token, or throws the 429 refusal for `what` (e.g. "this address"). */
  takeOrRefuse(key: string, what: string): void {
    const wait = this.take(key);
    if (wait > 0) {
      throw refuse('rate-limited', `Too many requests for ${what}; try again in a moment.`, {}, { 'Retry-After': String(Math.max(1, Math.ceil(wait))) });
    }
  }
}

/** `"20/s"`, `"20/s,40"` (rate and burst), `"600/min"`: a limit from a command-line value; burst defaults to twice the rate per second, at least 1. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+(?:\.\d+)?)\/(s|min)(?:,(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a rate like 20/s, 20/s,40 or 600/min`);
  const perSecond = Number(match[1]) / (match[2] === 'min' ? 60 : 1);
  const burst = match[3] !== undefined ? Number(match[3]) : Math.max(1, Math.ceil(perSecond * 2));
  if (!(perSecond > 0) || burst < 1) throw new RangeError(`"${text}": the rate and the burst must be above 0`);
  return { perSecond, burst };
}
