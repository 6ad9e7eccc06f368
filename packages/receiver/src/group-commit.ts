/**
 * Group commit, shared by the SQLite and the PostgreSQL store: appends wait
 * in one queue and are written together, many per transaction (one commit,
 * one flush to disk), by one writer at a time.
 *
 * - Order: entries are written in the order they were queued, so a
 *   subject's receipts reach the chain check in arrival order.
 * - Batches: everything queued during one turn of the event loop, and all
 *   that arrives while a batch is being written, goes in the next batch, up
 *   to `maxBatch` entries; the entries of one `appendAll` are never split
 *   over two transactions, even when they are more than `maxBatch`.
 * - Admission: past `maxQueue` waiting entries, `appendAll` is refused with
 *   `StoreBusyError` (a 503 with Retry-After), whole: half of a batch
 *   admitted would be answered half. What was admitted before stays queued.
 * - Answers: each caller gets its own slice of its batch's results. A batch
 *   whose write throws (the commit failed: nothing of it is stored) rejects
 *   its own callers only; the next batch is still written.
 * - Close: no more appends; everything admitted is written first.
 *
 * The store supplies the one thing that is its own: how to write a batch in
 * one transaction, each entry checked against what is stored and against
 * the entries before it in the batch.
 */
/// <reference types="node" />
import { StoreBusyError, type AppendResult, type BatchAppendResult, type StoredReceipt } from './store.js';

/** Writes `entries` in one transaction and answers each, in order; throws when nothing of it could be stored. */
export type WriteBatch = (entries: readonly StoredReceipt[]) => BatchAppendResult[] | Promise<BatchAppendResult[]>;

export interface GroupCommitOptions {
  /** Most entries in one transaction; one `appendAll` larger than this still goes in one. */
  maxBatch: number;
  /** Most entries waiting to be written; beyond it `appendAll` fails with `StoreBusyError`. */
  maxQueue: number;
  /**
   * The writer waits for this before it takes its first batch (the PostgreSQL store's migration), so that
   * everything queued meanwhile goes together. Its rejection is not the queue's to report: the write function
   * sees it and throws, which rejects that batch's callers.
   */
  ready?: Promise<unknown>;
}

/** Group commit at work: transactions written, entries in them, the largest batch. */
export class CommitStats {
  transactions = 0;
  entries = 0;
  largestBatch = 0;

  /** One transaction of `entries` entries has committed. */
  record(entries: number): void {
    this.transactions++;
    this.entries += entries;
    if (entries > this.largestBatch) this.largestBatch = entries;
  }
}

/** One `append` or `appendAll`: written in one transaction, answered together. */
interface Pending {
  entries: readonly StoredReceipt[];
  resolve: (results: BatchAppendResult[]) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue {
  readonly #write: WriteBatch;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #ready: Promise<unknown> | undefined;
  #queue: Pending[] = [];
  /** Entries in the queue (a pending `appendAll` counts each of its entries). */
  #waiting = 0;
  /** The writer's loop while it runs; one at a time. */
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(write: WriteBatch, options: GroupCommitOptions) {
    this.#write = write;
    this.#maxBatch = options.maxBatch;
    this.#maxQueue = options.maxQueue;
    this.#ready = options.ready;
  }

  /** True once `close` was called: appends are refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /** One entry: its result, or the error that kept it from being stored. */
  async append(entry: StoredReceipt): Promise<AppendResult> {
    const [result] = await this.appendAll([entry]);
    if (result!.outcome === 'failed') throw result!.error;
    return result!;
  }

  /** Entries written in one transaction, in order, each answered in its place. */
  appendAll(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
    if (this.#closed) return Promise.reject(new Error('The receipt store is closed'));
    if (!entries.length) return Promise.resolve([]);
    // Taken whole or not at all. An empty queue takes any batch, however large: one `appendAll` is never split.
    if (this.#waiting && this.#waiting + entries.length > this.#maxQueue) {
      return Promise.reject(new StoreBusyError(`${this.#waiting} receipts are waiting to be written`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, resolve, reject });
      this.#waiting += entries.length;
      // Wait for the rest of this turn of the event loop: what else arrives in it shares the transaction.
      this.#draining ??= new Promise<void>((done) => setImmediate(done)).then(() => this.#drain());
    });
  }

  /** Refuses further appends and settles once everything admitted has been written. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#draining) await this.#draining;
  }

  /** Writes until the queue is empty, one batch at a time. */
  async #drain(): Promise<void> {
    try {
      await this.#ready?.catch(() => {});
      while (this.#queue.length) {
        const batch = this.#takeBatch();
        let results: BatchAppendResult[];
        try {
          results = await this.#write(batch.flatMap((p) => p.entries));
        } catch (error) {
          for (const p of batch) p.reject(error);
          continue;
        }
        let offset = 0;
        for (const p of batch) {
          p.resolve(results.slice(offset, offset + p.entries.length));
          offset += p.entries.length;
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }

  /** The callers at the head of the queue whose entries fit in `maxBatch` together (at least one). */
  #takeBatch(): Pending[] {
    let count = this.#queue[0]!.entries.length;
    let units = 1;
    while (units < this.#queue.length && count + this.#queue[units]!.entries.length <= this.#maxBatch) {
      count += this.#queue[units++]!.entries.length;
    }
    this.#waiting -= count;
    return this.#queue.splice(0, units);
  }
}
