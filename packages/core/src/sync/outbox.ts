/**
 * The outbox: decisions wait in IndexedDB until the receiver has confirmed
 * and countersigned their receipts. Nothing is lost (an entry leaves only in
 * the transaction that stores its countersigned receipt) and nothing is
 * counted twice (a receipt is built once, stored before it is sent, and sent
 * again byte for byte under the same Idempotency-Key).
 *
 * This module decides what happens to each receipt after the receiver's
 * answer; the parts it drives each have a module of their own:
 *   outbox-lock.ts        one tab flushes at a time
 *   outbox-build.ts       receipts built from the sealed record, kept before they are sent
 *   outbox-send.ts        a round goes as one batch, or one request per receipt
 *   countersignature.ts   a "stored" answer counts only with a countersignature that verifies
 *   outbox-timer.ts       backoff, and the one timer that flushes again
 *
 * Keys in the consent store:
 *   outbox:<decidedAt>:<receiptId>   a decision waiting (its sealed record, attempts, next attempt)
 *   built:<receiptId>                its receipt, once built: what is sent, and sent again
 *   synced:<subject>:<decidedAt>:<receiptId>   the countersigned receipt, the person's proof
 *   chain:<subject>                  hash of the subject's latest receipt the receiver confirmed
 *   rejected:<receiptId>             a receipt the receiver refused for good (400/422), kept
 *   outbox-lease                     which tab flushes, where the browser has no Web Locks
 */
import type { NoticeDocument } from '../notice/schema.js';
import type { ConsentStorage } from '../consent/storage.js';
import type { ConsentRecord } from '../consent/types.js';
import type { ConsentReceipt } from '../receipts/schema.js';
import type { ReceiptClient } from './client.js';
import { CountersignatureVerifier } from './countersignature.js';
import { RoundBuilder, type Lane, type Pending } from './outbox-build.js';
import { FlushLock } from './outbox-lock.js';
import { RoundSender } from './outbox-send.js';
import { backoffDelay, FlushTimer } from './outbox-timer.js';
import { syncedKey, type OutboxEntry } from './queue.js';

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
  /**
   * The head of the subject's chain as the receiver holds it now, asked
   * before new receipts are built, so that a receipt decided while another
   * device decided too is built on that device's receipt, not refused with a
   * 409 first. `undefined` (or a failure): not known, the last head this
   * browser saw is used.
   */
  chainHead?: (subject: string) => Promise<string | null | undefined>;
  /**
   * A receipt came back countersigned. `rebased`: it was built on a head this
   * browser had not written (another device decided in between), found
   * before it was built or from the receiver's 409.
   */
  onSynced?: (synced: SyncedReceipt, how: 'stored' | 'rebased') => void;
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

const MAX_REBUILDS = 3;

export class ReceiptOutbox {
  #options: OutboxOptions;
  #lock: FlushLock;
  #timer: FlushTimer;
  #sender: RoundSender;
  #countersignatures: CountersignatureVerifier;
  #running?: Promise<FlushReport>;
  #again?: Promise<FlushReport>;
  #againKeepalive = false;

  constructor(options: OutboxOptions) {
    this.#options = options;
    const now = () => this.#now();
    this.#lock = new FlushLock(options.storage, now);
    this.#timer = new FlushTimer(now, () => this.#flushInBackground());
    this.#sender = new RoundSender(options.client);
    this.#countersignatures = new CountersignatureVerifier(() => options.client.keys());
  }

  /** Sends what is due, in the order decisions were made; one tab at a time. */
  flush({ keepalive = false } = {}): Promise<FlushReport> {
    if (this.#running) {
      // The drain that is running listed the outbox before this was asked (a decision made meanwhile,
      // or its own retry timer firing before it returned): one more drain follows it, for all who ask now.
      this.#againKeepalive ||= keepalive;
      this.#again ??= this.#running
        .catch(() => undefined)
        .then(() => {
          const again = this.#againKeepalive;
          this.#again = undefined;
          this.#againKeepalive = false;
          return this.flush({ keepalive: again });
        });
      return this.#again;
    }
    const running = this.#exclusive(() => this.#drain(keepalive)).finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
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
    const onOnline = () => this.#flushInBackground();
    const onHidden = () => {
      if (document.visibilityState === 'hidden') this.#flushInBackground(true);
    };
    addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onHidden);
    this.#flushInBackground();
    return () => {
      removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onHidden);
      this.#timer.stop();
    };
  }

  // ---------------------------------------------------------------------------

  /** A flush nobody awaits: what goes wrong (storage that stopped answering) is reported, and tried again later. */
  #flushInBackground(keepalive = false): void {
    this.flush({ keepalive }).catch((error) => {
      this.#options.onError?.('sync-failed', `Receipts could not be sent: ${describe(error)}`);
      this.#timer.schedule([this.#now() + (this.#options.baseDelayMs ?? 1000)]);
    });
  }

  async #exclusive(work: () => Promise<FlushReport>): Promise<FlushReport> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      // The 'online' event flushes again.
      return { sent: 0, waiting: await this.waiting(), skipped: 'offline' };
    }
    const outcome = await this.#lock.run(work);
    if (outcome.kind === 'done') return outcome.value;
    // Another tab is flushing. It sends what this tab queued too, unless it
    // goes away first (a reload, a crash): so look again a little later.
    const waiting = await this.waiting();
    if (waiting) {
      const soon = Math.max(this.#options.baseDelayMs ?? 1000, 1);
      this.#timer.schedule([this.#now() + Math.min(soon, outcome.freeInMs || Infinity)]);
    }
    return { sent: 0, waiting, skipped: 'another-tab' };
  }

  async #drain(keepalive: boolean): Promise<FlushReport> {
    const { storage } = this.#options;
    // A subject's receipts are one chain and go in the order decided; subjects do not wait for each other.
    const lanes = new Map<string, Lane>();
    for (const item of await storage.list<OutboxEntry>('outbox:')) {
      const lane = lanes.get(item[1].record.subject);
      if (lane) lane.push(item);
      else lanes.set(item[1].record.subject, [item]);
    }
    let sent = 0;
    if (lanes.size) {
      const builder = await RoundBuilder.open({
        storage,
        documentFor: this.#options.documentFor,
        unbuildable: (key, record, reason) => this.#reject(key, record, reason),
        documentMissing: (key, entry, reason) => this.#retryLater(key, entry, reason),
      });
      for (const lane of lanes.values()) sent += await this.#drainLane(lane, builder, keepalive);
    }
    const waiting = await storage.list<OutboxEntry>('outbox:');
    // Each chain waits for its first receipt (the one backing off); the others go when it goes.
    const heads = new Map<string, number>();
    for (const [, entry] of waiting) if (!heads.has(entry.record.subject)) heads.set(entry.record.subject, entry.nextAttemptAt);
    this.#timer.schedule([...heads.values()]);
    return { sent, waiting: waiting.length };
  }

  /**
   * One subject's receipts, in rounds: build the next ones (each names the
   * hash of the one before; all are kept before any is sent), send them (one
   * batch, or one request each, all at once), then act on the answers in
   * chain order. The receiver stores a receipt only on the head of the chain,
   * so a single request that overtakes the one before it gets a 409 naming a
   * hash we just sent; it goes again, byte for byte, in the next round. The
   * first answer that is not "stored" ends the round; answers after it are
   * not trusted until asked again.
   */
  async #drainLane(lane: Lane, builder: RoundBuilder, keepalive: boolean): Promise<number> {
    const { storage } = this.#options;
    const subject = lane[0]![1].record.subject;
    /** The hash of the latest receipt the receiver confirmed to us: what the next new receipt names. */
    let head = (await storage.get<string | null>(`chain:${subject}`)) ?? null;
    /** A head another device wrote, onto which this drain built a receipt: that receipt is `rebased`. */
    let foreignHead: string | null | undefined;
    // Asked for decisions never tried: a retry's receipt is built already, or met a 409 that named the head.
    if (this.#options.chainHead && lane.some(([, entry]) => entry.attempts === 0 && !builder.isBuilt(entry.record.receiptId))) {
      const known = await this.#options.chainHead(subject).catch(() => undefined);
      if (known !== undefined && known !== head) foreignHead = known;
      if (known !== undefined) head = known;
    }
    let sent = 0;
    let rebuilds = 0;
    while (lane.length) {
      // Later decisions wait behind the first: the chain has an order.
      if (lane[0]![1].nextAttemptAt > this.#now()) break;
      if (!(await this.#lock.stillHeld())) break;
      const size = this.#sender.roundSize(keepalive);
      const round = await builder.round(lane, head, size);
      if (!round.length) break;
      const [results] = await Promise.all([
        this.#sender.send(round, keepalive),
        // Meanwhile, the next round is built on the last of this one (and kept, like any built receipt).
        round.length === size && lane.length > size ? builder.round(lane, round[round.length - 1]!.hash, size, size) : undefined,
      ]);
      // Not taken as a batch: the same receipts go again at once, in smaller batches or one by one.
      if (!results) continue;

      const confirmed: { pending: Pending; synced: SyncedReceipt }[] = [];
      let next: 'round' | 'stop' = 'round';
      let after: (() => Promise<unknown>) | undefined;
      let newHead = head;
      let forget: Pending | undefined;
      for (let k = 0; k < round.length; k++) {
        const pending = round[k]!;
        const result = results[k]!;
        if (result.kind === 'stored') {
          const problem = await this.#checkCountersignature(pending, result.answer.countersignature, result.answer.receiptHash);
          if (problem) {
            after = () => this.#retryLater(pending.key, pending.entry, problem);
            next = 'stop';
            break;
          }
          const { receiptHash, countersignature, storedAt } = result.answer;
          confirmed.push({ pending, synced: { receipt: pending.receipt, receiptHash, countersignature, storedAt } });
          newHead = receiptHash;
          continue;
        }
        if (result.kind === 'chain-conflict') {
          const previous = pending.receipt.akkoord.previousReceiptHash;
          const seen = [head, ...confirmed.map((c) => c.pending.hash)];
          if (confirmed.length && previous === newHead && seen.includes(result.latestReceiptHash)) {
            // It arrived before the receipt it names was stored: send it again as it is.
            break;
          }
          if (rebuilds++ >= MAX_REBUILDS) {
            // The chain keeps moving under us (another device deciding right now): back off, as for any failure.
            after = () => this.#retryLater(pending.key, pending.entry, 'the chain changed at the receiver while this receipt was rebuilt');
            next = 'stop';
            break;
          }
          // The receiver's chain has a head we did not know (another device, cleared storage): chain onto it.
          // A 409 says this receipt was not stored, so neither was any receipt built on it: build them again.
          newHead = result.latestReceiptHash;
          foreignHead = result.latestReceiptHash;
          forget = pending;
          break;
        }
        if (result.kind === 'rejected') {
          const reason = `${result.status} ${result.error.error}: ${result.error.message}`;
          after = () => this.#reject(pending.key, pending.entry.record, reason);
          // Receipts built on it can never be stored: build them again on the one before it.
          forget = pending;
          lane.splice(confirmed.length, 1);
          break;
        }
        after = () => this.#retryLater(pending.key, pending.entry, result.reason, result.afterMs);
        next = 'stop';
        break;
      }

      const deletes: string[] = forget ? await builder.forget(forget, lane) : [];
      const writes: [string, unknown][] = confirmed.map(({ pending: { entry }, synced }) => [syncedKey(entry.record), synced]);
      for (const { pending } of confirmed) deletes.push(pending.key, builder.stored(pending.entry.record.receiptId));
      if (newHead !== head) writes.push([`chain:${subject}`, newHead]);
      // An entry leaves the outbox only in the transaction that keeps its countersigned receipt.
      if (writes.length || deletes.length) await storage.commit(writes, deletes);
      head = newHead;
      lane.splice(0, confirmed.length);
      sent += confirmed.length;
      for (const { synced } of confirmed) {
        const rebased = foreignHead !== undefined && synced.receipt.akkoord.previousReceiptHash === foreignHead;
        this.#options.onSynced?.(synced, rebased ? 'rebased' : 'stored');
      }
      await after?.();
      if (next === 'stop') break;
    }
    return sent;
  }

  /** A countersignature counts only if it verifies under the published key and signs our receipt; else, why not. */
  async #checkCountersignature({ receipt, hash }: Pending, jws: string, receiptHash: string): Promise<string | undefined> {
    try {
      await this.#countersignatures.verify(receipt, hash, jws, receiptHash);
      return undefined;
    } catch (error) {
      this.#options.onError?.('sync-failed', `The receiver's countersignature was not accepted: ${describe(error)}`);
      return `countersignature not accepted: ${describe(error)}`;
    }
  }

  async #retryLater(key: string, entry: OutboxEntry, reason: string, afterMs?: number): Promise<'retry'> {
    const attempts = entry.attempts + 1;
    // The receiver's Retry-After, if it said when.
    const delay = afterMs ?? backoffDelay(attempts, this.#options);
    const retry = { attempts, nextAttemptAt: this.#now() + delay, lastError: reason };
    // The drain that is running holds this entry too: it waits as well.
    Object.assign(entry, retry);
    await this.#options.storage.commit([[key, { ...entry, ...retry }]]).catch(() => undefined);
    return 'retry';
  }

  async #reject(key: string, record: ConsentRecord, reason: string): Promise<'dropped'> {
    // Kept, not deleted: a refused receipt is evidence of a bug somewhere, and the decision stands.
    await this.#options.storage.commit([[`rejected:${record.receiptId}`, { record, reason }]], [key, `built:${record.receiptId}`]);
    this.#options.onError?.('receipt-rejected', `The receiver refused receipt ${record.receiptId}: ${reason}`);
    return 'dropped';
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
