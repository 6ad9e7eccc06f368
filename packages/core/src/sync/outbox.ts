/**
 * The outbox: decisions wait in IndexedDB until the receiver has confirmed
 * and countersigned their receipts. Nothing is lost (an entry leaves only in
 * the transaction that stores its countersigned receipt) and nothing is
 * counted twice (a receipt is built once, stored before it is sent, and sent
 * again byte for byte under the same Idempotency-Key).
 *
 * Keys in the consent store:
 *   outbox:<decidedAt>:<receiptId>   a decision waiting (its sealed record, attempts, next attempt)
 *   built:<receiptId>                its receipt, once built: what is sent, and sent again
 *   synced:<subject>:<decidedAt>:<receiptId>   the countersigned receipt, the person's proof
 *   chain:<subject>                  hash of the subject's latest receipt the receiver confirmed
 *   rejected:<receiptId>             a receipt the receiver refused for good (400/422), kept
 */
import { canonicalJson, hashJson } from '../notice/canonical.js';
import type { NoticeDocument } from '../notice/schema.js';
import type { ConsentStorage } from '../consent/storage.js';
import type { ConsentRecord } from '../consent/types.js';
import { buildReceipt, ReceiptBuildError } from '../receipts/build.js';
import type { ConsentReceipt } from '../receipts/schema.js';
import type { ReceiptClient } from './client.js';
import { verifyCompact, type PublicJwk } from './jws.js';
import type { OutboxEntry } from './queue.js';

export interface SyncedReceipt {
  receipt: ConsentReceipt;
  receiptHash: string;
  countersignature: string;
  storedAt: string;
}

export interface OutboxOptions {
  storage: ConsentStorage;
  client: ReceiptClient;
  /** The notice document whose hash a decision names (the current one, or an earlier version). */
  documentFor: (noticeHash: string) => Promise<NoticeDocument>;
  onSynced?: (synced: SyncedReceipt) => void;
  onError?: (code: 'receipt-rejected' | 'sync-failed', message: string) => void;
  now?: () => number;
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface FlushReport {
  sent: number;
  waiting: number;
  skipped?: 'another-tab' | 'offline';
}

const LOCK_NAME = 'akkoord-outbox';
const LEASE_KEY = 'outbox-lease';
const LEASE_MS = 30_000;

export class ReceiptOutbox {
  #options: OutboxOptions;
  #keys?: PublicJwk[];
  #timer?: ReturnType<typeof setTimeout>;
  #running?: Promise<FlushReport>;
  readonly #id = crypto.randomUUID();

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Sends what is due, in the order decisions were made; one tab at a time. */
  flush({ keepalive = false } = {}): Promise<FlushReport> {
    // Within a tab, a flush that is running covers the one asked for.
    this.#running ??= this.#exclusive(() => this.#drain(keepalive)).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async waiting(): Promise<number> {
    return (await this.#options.storage.list('outbox:')).length;
  }

  /** The subject's countersigned receipts, oldest first. */
  async synced(subject: string): Promise<SyncedReceipt[]> {
    return (await this.#options.storage.list<SyncedReceipt>(`synced:${subject}:`)).map(([, value]) => value);
  }

  /** Flushes at the moments that matter: now, back online, page hidden; stop() undoes it. */
  start(): () => void {
    const onOnline = () => void this.flush();
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush({ keepalive: true });
    };
    addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onHidden);
    void this.flush();
    return () => {
      removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onHidden);
      clearTimeout(this.#timer);
    };
  }

  // ---------------------------------------------------------------------------

  async #exclusive(work: () => Promise<FlushReport>): Promise<FlushReport> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      return { sent: 0, waiting: await this.waiting(), skipped: 'offline' };
    }
    if (typeof navigator !== 'undefined' && navigator.locks) {
      const result = await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
        lock ? work() : undefined,
      );
      return result ?? { sent: 0, waiting: await this.waiting(), skipped: 'another-tab' };
    }
    // No Web Locks: a lease in the store, taken atomically, that a crashed tab cannot hold for long.
    const now = this.#now();
    const lease = await this.#options.storage.put(
      LEASE_KEY,
      { owner: this.#id, until: now + LEASE_MS },
      (held) => !!held && held.owner !== this.#id && held.until > now,
    );
    if (lease.owner !== this.#id) return { sent: 0, waiting: await this.waiting(), skipped: 'another-tab' };
    try {
      return await work();
    } finally {
      await this.#options.storage.commit([], [LEASE_KEY]).catch(() => undefined);
    }
  }

  async #drain(keepalive: boolean): Promise<FlushReport> {
    const { storage } = this.#options;
    let sent = 0;
    let rebuilds = 0;
    const entries = await storage.list<OutboxEntry>('outbox:');
    for (let i = 0; i < entries.length; i++) {
      const [key, entry] = entries[i]!;
      // Later decisions wait behind an earlier one: the chain has an order.
      if (entry.nextAttemptAt > this.#now()) break;
      const outcome = await this.#send(key, entry, keepalive);
      if (outcome === 'sent') sent++;
      else if (outcome === 'rebuild' && rebuilds++ < 3) i--;
      else if (outcome !== 'dropped') break;
    }
    const waiting = await storage.list<OutboxEntry>('outbox:');
    this.#schedule(waiting.map(([, e]) => e.nextAttemptAt));
    return { sent, waiting: waiting.length };
  }

  async #send(key: string, entry: OutboxEntry, keepalive: boolean): Promise<'sent' | 'retry' | 'rebuild' | 'dropped'> {
    const { storage, client } = this.#options;
    const { record } = entry;
    let receipt: ConsentReceipt;
    try {
      receipt = await this.#receiptFor(record);
    } catch (error) {
      if (error instanceof ReceiptBuildError) return this.#reject(key, record, error.message);
      return this.#retryLater(key, entry, `the notice document could not be loaded: ${describe(error)}`);
    }

    const result = await client.postReceipt(receipt, { keepalive });
    switch (result.kind) {
      case 'stored': {
        const problem = await this.#checkCountersignature(receipt, result.answer.countersignature, result.answer.receiptHash);
        if (problem) return this.#retryLater(key, entry, problem);
        const synced: SyncedReceipt = {
          receipt,
          receiptHash: result.answer.receiptHash,
          countersignature: result.answer.countersignature,
          storedAt: result.answer.storedAt,
        };
        await storage.commit(
          [
            [`synced:${record.subject}:${String(record.decidedAt).padStart(15, '0')}:${record.receiptId}`, synced],
            [`chain:${record.subject}`, result.answer.receiptHash],
          ],
          [key, `built:${record.receiptId}`],
        );
        this.#options.onSynced?.(synced);
        return 'sent';
      }
      case 'chain-conflict':
        // The receiver knows a later receipt than we do (another device, cleared storage): chain onto it.
        await storage.commit([[`chain:${record.subject}`, result.latestReceiptHash]], [`built:${record.receiptId}`]);
        return 'rebuild';
      case 'rejected':
        return this.#reject(key, record, `${result.status} ${result.error.error}: ${result.error.message}`);
      case 'retry-later':
        return this.#retryLater(key, entry, result.reason, result.afterMs);
    }
  }

  /** The receipt built for this decision before, or a new one, stored before it is ever sent. */
  async #receiptFor(record: ConsentRecord): Promise<ConsentReceipt> {
    const { storage } = this.#options;
    const built = await storage.get<ConsentReceipt>(`built:${record.receiptId}`);
    if (built) return built;
    const previous = (await storage.get<string | null>(`chain:${record.subject}`)) ?? null;
    const receipt = await buildReceipt(record, await this.#options.documentFor(record.noticeHash), previous);
    await storage.commit([[`built:${record.receiptId}`, receipt]]);
    return receipt;
  }

  /** A countersignature counts only if it verifies under the published key and signs our receipt. */
  async #checkCountersignature(receipt: ConsentReceipt, jws: string, receiptHash: string): Promise<string | undefined> {
    if (receiptHash !== (await hashJson(receipt))) return 'the receiver confirmed another receipt than the one sent';
    try {
      this.#keys ??= await this.#options.client.keys();
      let verified = await verifyCompact(jws, { keys: this.#keys });
      if (!verified.ok) {
        // The receiver may have rotated its key since we last asked.
        this.#keys = await this.#options.client.keys();
        verified = await verifyCompact(jws, { keys: this.#keys });
      }
      if (!verified.ok) throw new Error(verified.reason);
      if (canonicalJson(JSON.parse(verified.payload)) !== canonicalJson(receipt)) return 'the countersignature signs another receipt';
      return undefined;
    } catch (error) {
      this.#options.onError?.('sync-failed', `The receiver's countersignature was not accepted: ${describe(error)}`);
      return `countersignature not accepted: ${describe(error)}`;
    }
  }

  async #retryLater(key: string, entry: OutboxEntry, reason: string, afterMs?: number): Promise<'retry'> {
    const attempts = entry.attempts + 1;
    const base = this.#options.baseDelayMs ?? 1000;
    const cap = this.#options.maxDelayMs ?? 5 * 60_000;
    // Exponential backoff with full jitter, unless the receiver said when.
    const delay = afterMs ?? Math.min(cap, base * 2 ** (attempts - 1)) * (0.5 + (this.#options.random ?? Math.random)());
    await this.#options.storage
      .commit([[key, { ...entry, attempts, nextAttemptAt: this.#now() + delay, lastError: reason }]])
      .catch(() => undefined);
    return 'retry';
  }

  async #reject(key: string, record: ConsentRecord, reason: string): Promise<'dropped'> {
    // Kept, not deleted: a refused receipt is evidence of a bug somewhere, and the decision stands.
    await this.#options.storage.commit([[`rejected:${record.receiptId}`, { record, reason }]], [key, `built:${record.receiptId}`]);
    this.#options.onError?.('receipt-rejected', `The receiver refused receipt ${record.receiptId}: ${reason}`);
    return 'dropped';
  }

  #schedule(times: number[]): void {
    clearTimeout(this.#timer);
    if (!times.length) return;
    const next = Math.min(...times);
    this.#timer = setTimeout(() => void this.flush(), Math.max(0, next - this.#now()));
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
