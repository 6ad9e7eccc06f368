/**
 * Sending a round of receipts: one batch (`POST /receipts/batch`), or one
 * request per receipt for a lone receipt, a flush on page hide (keepalive)
 * and a receiver that takes no batches. The batch size adapts: halved after
 * a 413 (a proxy with a smaller body limit), one by one after any other
 * refusal of the batch as a whole (an older receiver).
 */
import type { PostResult, ReceiptClient } from './client.js';
import { MAX_BATCH_ITEMS } from './contract.js';
import type { Pending } from './outbox-build.js';

/** Sent one by one: how many receipts of one chain may be on their way at once. */
const WINDOW = 8;

export class RoundSender {
  #client: ReceiptClient;
  /** Receipts per batch: fewer after a 413, 1 (one by one) for a receiver that takes no batches. */
  #batchSize = MAX_BATCH_ITEMS;

  constructor(client: ReceiptClient) {
    this.#client = client;
  }

  /** How many receipts the next round holds (a keepalive flush sends one at a time). */
  roundSize(keepalive: boolean): number {
    if (keepalive) return 1;
    return this.#batchSize > 1 ? this.#batchSize : WINDOW;
  }

  /**
   * The answers to a round, one per receipt, in order. `undefined` when the
   * receiver did not take the batch as a whole; the batch size is lowered
   * for the next try.
   */
  async send(round: Pending[], keepalive: boolean): Promise<PostResult[] | undefined> {
    // keepalive bodies share 64 kB per page: a page-hide flush stays one small request at a time.
    if (keepalive || round.length === 1 || this.#batchSize < 2) {
      return Promise.all(round.map((p) => this.#client.postReceipt(p.receipt, { keepalive })));
    }
    const answer = await this.#client.postBatch(round.map((p) => p.receipt));
    if (answer.kind === 'answered') return answer.results;
    // Nothing is known of any of them: the first backs off and the others wait behind it, as after a single 500.
    if (answer.kind === 'retry-later') return round.map(() => answer);
    this.#batchSize = answer.tooLarge ? Math.floor(round.length / 2) : 1;
    return undefined;
  }
}
