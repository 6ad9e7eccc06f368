/**
 * When the outbox looks again: one timer, set for the earliest moment a
 * receipt is due, and the backoff that decides those moments after a failure.
 */

export interface BackoffOptions {
  /** The first retry's delay (default 1 s), doubled on each failure. */
  baseDelayMs?: number;
  /** The longest delay (default 5 minutes). */
  maxDelayMs?: number;
  random?: () => number;
}

/**
 * The delay before attempt `attempts + 1`: exponential with full jitter, so
 * that many browsers coming back after an outage do not all knock at once.
 */
export function backoffDelay(attempts: number, { baseDelayMs = 1000, maxDelayMs = 5 * 60_000, random = Math.random }: BackoffOptions): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1)) * (0.5 + random());
}

export class FlushTimer {
  #timer?: ReturnType<typeof setTimeout>;
  #at = Infinity;
  #stopped = false;
  #now: () => number;
  #fire: () => void;

  constructor(now: () => number, fire: () => void) {
    this.#now = now;
    this.#fire = fire;
  }

  /** Fires at the earliest of `times` (epoch ms), unless it is already set to fire sooner. */
  schedule(times: number[]): void {
    if (this.#stopped || !times.length) return;
    const next = Math.min(...times);
    // An earlier timer stays: flushing early costs a look at the outbox, flushing late delays receipts.
    if (next >= this.#at) return;
    clearTimeout(this.#timer);
    this.#at = next;
    this.#timer = setTimeout(() => {
      this.#at = Infinity;
      this.#fire();
    }, Math.max(0, next - this.#now()));
  }

  /** For good: a flush still running must not set a new timer for a stopped outbox. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#at = Infinity;
  }
}
