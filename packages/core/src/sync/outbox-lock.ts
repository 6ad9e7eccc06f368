/**
 * One tab flushes at a time. Two tabs sending the same chain would race each
 * other into chain conflicts; one tab sends what every tab queued, since the
 * outbox is shared through IndexedDB.
 *
 * Web Locks where the browser has them: the lock goes when the tab goes. Without
 * them, a lease in the consent store, taken atomically and renewed before each
 * round of sending, so a tab that crashed holds it for `LEASE_MS` at most.
 */
import type { ConsentStorage } from '../consent/storage.js';

const LOCK_NAME = 'akkoord-outbox';
const LEASE_KEY = 'outbox-lease';
const LEASE_MS = 30_000;

interface Lease {
  owner: string;
  until: number;
}

export type LockOutcome<T> =
  | { kind: 'done'; value: T }
  /** Another tab holds the lock; `freeInMs` is when its lease runs out, if that is known. */
  | { kind: 'busy'; freeInMs?: number };

export class FlushLock {
  #storage: ConsentStorage;
  #now: () => number;
  #leased = false;
  readonly #id = crypto.randomUUID();

  constructor(storage: ConsentStorage, now: () => number) {
    this.#storage = storage;
    this.#now = now;
  }

  /** Runs `work` holding the lock, or answers at once that another tab holds it. */
  async run<T>(work: () => Promise<T>): Promise<LockOutcome<T>> {
    if (typeof navigator !== 'undefined' && navigator.locks) {
      const outcome = await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
        lock ? { kind: 'done' as const, value: await work() } : undefined,
      );
      return outcome ?? { kind: 'busy' };
    }
    const lease = await this.#takeLease();
    if (lease.owner !== this.#id) return { kind: 'busy', freeInMs: Math.max(0, lease.until - this.#now()) };
    this.#leased = true;
    try {
      return { kind: 'done', value: await work() };
    } finally {
      this.#leased = false;
      await this.#storage.commit([], [LEASE_KEY]).catch(() => undefined);
    }
  }

  /**
   * Whether the work may go on: a lease is renewed here, so a long flush
   * keeps it; a Web Lock is held until the work returns.
   */
  async stillHeld(): Promise<boolean> {
    if (!this.#leased) return true;
    return (await this.#takeLease().catch(() => undefined))?.owner === this.#id;
  }

  /** Takes the lease, or renews it; answers who holds it afterwards. */
  #takeLease(): Promise<Lease> {
    const now = this.#now();
    return this.#storage.put<Lease>(
      LEASE_KEY,
      { owner: this.#id, until: now + LEASE_MS },
      (held) => !!held && held.owner !== this.#id && held.until > now,
    );
  }
}
