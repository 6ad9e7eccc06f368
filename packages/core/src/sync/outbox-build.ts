/**
 * Building the receipts of one subject's chain, a round at a time. A receipt
 * is built once, from the sealed record and the notice document it names,
 * on the hash of the receipt before it, and kept (`built:<receiptId>`)
 * before it is sent: a retry sends the same bytes under the same
 * Idempotency-Key, so the receiver can never count a decision twice.
 */
import { hashJson } from '../notice/canonical.js';
import type { NoticeDocument } from '../notice/schema.js';
import type { ConsentStorage } from '../consent/storage.js';
import type { ConsentRecord } from '../consent/types.js';
import { buildReceipt, ReceiptBuildError } from '../receipts/build.js';
import type { ConsentReceipt } from '../receipts/schema.js';
import type { OutboxEntry } from './queue.js';

/** One subject's outbox entries, under their keys, in the order decided. */
export type Lane = [string, OutboxEntry][];

/** A receipt built and kept, about to be sent. */
export interface Pending {
  key: string;
  entry: OutboxEntry;
  receipt: ConsentReceipt;
  /** Its hash: what the receiver answers, and what the next receipt names. */
  hash: string;
}

export interface RoundBuilderOptions {
  storage: ConsentStorage;
  documentFor: (noticeHash: string) => Promise<NoticeDocument>;
  /** A record no receipt can be made of (the builder refused it): it leaves the lane. */
  unbuildable: (key: string, record: ConsentRecord, reason: string) => Promise<unknown>;
  /** The notice document of the lane's first record could not be had: that entry waits. */
  documentMissing: (key: string, entry: OutboxEntry, reason: string) => Promise<unknown>;
}

export class RoundBuilder {
  #options: RoundBuilderOptions;
  /** Receipts built and kept, by receipt id. */
  #built: Map<string, ConsentReceipt>;
  #hashes = new WeakMap<ConsentReceipt, Promise<string>>();

  private constructor(options: RoundBuilderOptions, built: Map<string, ConsentReceipt>) {
    this.#options = options;
    this.#built = built;
  }

  /** A builder that knows every receipt built before (by this tab or another, on an earlier visit). */
  static async open(options: RoundBuilderOptions): Promise<RoundBuilder> {
    const built = new Map<string, ConsentReceipt>();
    for (const [key, receipt] of await options.storage.list<ConsentReceipt>('built:')) built.set(key.slice('built:'.length), receipt);
    return new RoundBuilder(options, built);
  }

  /**
   * The next `size` receipts of the lane from index `from`: those built
   * before as they are, the others built now on the one before them (the
   * first on `head`), and kept in one transaction before any is sent.
   */
  async round(lane: Lane, head: string | null, size: number, from = 0): Promise<Pending[]> {
    const round: Pending[] = [];
    const fresh: [string, ConsentReceipt][] = [];
    for (let j = from; j < lane.length && round.length < size; ) {
      const [key, entry] = lane[j]!;
      const { record } = entry;
      let receipt = this.#built.get(record.receiptId);
      if (!receipt) {
        try {
          const document = await this.#options.documentFor(record.noticeHash);
          receipt = await buildReceipt(record, document, round.length ? round[round.length - 1]!.hash : head);
        } catch (error) {
          if (error instanceof ReceiptBuildError) {
            await this.#options.unbuildable(key, record, error.message);
            lane.splice(j, 1);
            continue;
          }
          // Without the document nothing after this one can be built either.
          if (!round.length) await this.#options.documentMissing(key, entry, `the notice document could not be loaded: ${describe(error)}`);
          break;
        }
        fresh.push([`built:${record.receiptId}`, receipt]);
        this.#built.set(record.receiptId, receipt);
      }
      round.push({ key, entry, receipt, hash: await this.#hash(receipt) });
      j++;
    }
    if (fresh.length) await this.#options.storage.commit(fresh);
    return round;
  }

  /**
   * Forgets `from` and the receipts built on it, one on the other, later in
   * the lane (they name a hash the receiver will never hold); answers the
   * storage keys to delete. They are built again on the receiver's head.
   */
  async forget(from: Pending, lane: Lane): Promise<string[]> {
    const ids = [from.entry.record.receiptId];
    let hash = from.hash;
    for (const [, entry] of lane) {
      const receipt = this.#built.get(entry.record.receiptId);
      if (!receipt || receipt === from.receipt || receipt.akkoord.previousReceiptHash !== hash) continue;
      ids.push(entry.record.receiptId);
      hash = await this.#hash(receipt);
    }
    for (const id of ids) this.#built.delete(id);
    return ids.map((id) => `built:${id}`);
  }

  /** The receiver stored it: the kept copy goes in the same transaction as the entry (see the outbox). */
  stored(receiptId: string): string {
    this.#built.delete(receiptId);
    return `built:${receiptId}`;
  }

  /** A receipt's hash, once per receipt object (a round may be looked at twice: built ahead, then sent). */
  #hash(receipt: ConsentReceipt): Promise<string> {
    let hash = this.#hashes.get(receipt);
    if (!hash) this.#hashes.set(receipt, (hash = hashJson(receipt)));
    return hash;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
