/**
 * The outbox: decisions wait in IndexedDB until the receiver has confirmed
 * and countersigned their receipts. Nothing is lost (an entry leaves only in
 * the transaction that stores its countersigned receipt) and nothing is
 * counted twice (a receipt is built once, stored before it is sent, and sent
 * again byte for byte under the same Idempotency-Key).
 *
 * A backlog goes in batches (`POST /receipts/batch`, up to 100 receipts of a
 * chain per request); one receipt, a flush on page hide (keepalive) and a
 * receiver without batches get one `POST /receipts` per receipt.
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
import type { PostResult, ReceiptClient } from './client.js';
import { MAX_BATCH_ITEMS } from './contract.js';
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

/** Sent one by one: how many receipts of one chain may be on their way at once (a keepalive flush sends one at a time). */
const WINDOW = 8;
const MAX_REBUILDS = 3;

/** A receipt built and kept, about to be sent. */
interface Pending {
  key: string;
  entry: OutboxEntry;
  receipt: ConsentReceipt;
  /** Its hash: what the receiver answers, and what the next receipt names. */
  hash: string;
}

const LOCK_NAME = 'akkoord-outbox';
const LEASE_KEY = 'outbox-lease';
const LEASE_MS = 30_000;

export class ReceiptOutbox {
  #options: OutboxOptions;
  #keys?: PublicJwk[];
  #timer?: ReturnType<typeof setTimeout>;
  #timerAt = Infinity;
  #stopped = false;
  #running?: Promise<FlushReport>;
  #again?: Promise<FlushReport>;
  #hashes = new WeakMap<ConsentReceipt, Promise<string>>();
  #againKeepalive = false;
  #leased = false;
  /** Receipts per batch: fewer after a 413, 1 (one by one) for a receiver that takes no batches. */
  #batchSize = MAX_BATCH_ITEMS;
  readonly #id = crypto.randomUUID();

  constructor(options: OutboxOptions) {
    this.#options = options;
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
      // A drain still running must not arm a new timer for a stopped outbox.
      this.#stopped = true;
      clearTimeout(this.#timer);
      this.#timerAt = Infinity;
    };
  }

  // ---------------------------------------------------------------------------

  /** A flush nobody awaits: what goes wrong (storage that stopped answering) is reported, and tried again later. */
  #flushInBackground(keepalive = false): void {
    this.flush({ keepalive }).catch((error) => {
      this.#options.onError?.('sync-failed', `Receipts could not be sent: ${describe(error)}`);
      this.#schedule([this.#now() + (this.#options.baseDelayMs ?? 1000)]);
    });
  }

  async #exclusive(work: () => Promise<FlushReport>): Promise<FlushReport> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      // The 'online' event flushes again.
      return { sent: 0, waiting: await this.waiting(), skipped: 'offline' };
    }
    if (typeof navigator !== 'undefined' && navigator.locks) {
      const result = await navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) =>
        lock ? work() : undefined,
      );
      return result ?? this.#anotherTab();
    }
    // No Web Locks: a lease in the store, taken atomically, that a crashed tab cannot hold for long.
    const lease = await this.#takeLease();
    if (lease.owner !== this.#id) return this.#anotherTab(Math.max(0, lease.until - this.#now()));
    this.#leased = true;
    try {
      return await work();
    } finally {
      this.#leased = false;
      await this.#options.storage.commit([], [LEASE_KEY]).catch(() => undefined);
    }
  }

  /** Takes the lease, or renews it; answers who holds it afterwards. */
  #takeLease(): Promise<{ owner: string; until: number }> {
    const now = this.#now();
    return this.#options.storage.put(
      LEASE_KEY,
      { owner: this.#id, until: now + LEASE_MS },
      (held) => !!held && held.owner !== this.#id && held.until > now,
    );
  }

  /** Whether this tab may go on sending: under a lease, renewed before each round, so a long drain keeps it. */
  async #mayGoOn(): Promise<boolean> {
    if (!this.#leased) return true;
    return (await this.#takeLease().catch(() => undefined))?.owner === this.#id;
  }

  /**
   * Another tab is flushing. It sends what this tab queued too, unless it
   * goes away first (a reload, a crash): so look again a little later.
   */
  async #anotherTab(leaseLeftMs = 0): Promise<FlushReport> {
    const waiting = await this.waiting();
    if (waiting) this.#schedule([this.#now() + Math.min(Math.max(this.#options.baseDelayMs ?? 1000, 1), leaseLeftMs || Infinity)]);
    return { sent: 0, waiting, skipped: 'another-tab' };
  }

  async #drain(keepalive: boolean): Promise<FlushReport> {
    const { storage } = this.#options;
    // A subject's receipts are one chain and go in the order decided; subjects do not wait for each other.
    const lanes = new Map<string, [string, OutboxEntry][]>();
    for (const item of await storage.list<OutboxEntry>('outbox:')) {
      const lane = lanes.get(item[1].record.subject);
      if (lane) lane.push(item);
      else lanes.set(item[1].record.subject, [item]);
    }
    let sent = 0;
    if (lanes.size) {
      const built = new Map<string, ConsentReceipt>();
      for (const [key, receipt] of await storage.list<ConsentReceipt>('built:')) built.set(key.slice('built:'.length), receipt);
      for (const lane of lanes.values()) sent += await this.#drainLane(lane, built, keepalive);
    }
    const waiting = await storage.list<OutboxEntry>('outbox:');
    // Each chain waits for its first receipt (the one backing off); the others go when it goes.
    const heads = new Map<string, number>();
    for (const [, entry] of waiting) if (!heads.has(entry.record.subject)) heads.set(entry.record.subject, entry.nextAttemptAt);
    this.#schedule([...heads.values()]);
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
  async #drainLane(lane: [string, OutboxEntry][], built: Map<string, ConsentReceipt>, keepalive: boolean): Promise<number> {
    const { storage } = this.#options;
    const subject = lane[0]![1].record.subject;
    /** The hash of the latest receipt the receiver confirmed to us: what the next new receipt names. */
    let head = (await storage.get<string | null>(`chain:${subject}`)) ?? null;
    let sent = 0;
    let rebuilds = 0;
    while (lane.length) {
      // Later decisions wait behind the first: the chain has an order.
      if (lane[0]![1].nextAttemptAt > this.#now()) break;
      if (!(await this.#mayGoOn())) break;
      const size = keepalive ? 1 : this.#batchSize > 1 ? this.#batchSize : WINDOW;
      const round = await this.#buildRound(lane, built, head, size);
      if (!round.length) break;
      const [results] = await Promise.all([
        this.#send(round, keepalive),
        // Meanwhile, the next round is built on the last of this one (and kept, like any built receipt).
        round.length === size && lane.length > size ? this.#buildRound(lane, built, round[round.length - 1]!.hash, size, size) : undefined,
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

      const deletes: string[] = [];
      if (forget) {
        for (const id of await this.#builtOn(forget, lane, built)) {
          built.delete(id);
          deletes.push(`built:${id}`);
        }
      }
      const writes: [string, unknown][] = confirmed.map(({ pending: { entry }, synced }) => [
        `synced:${subject}:${String(entry.record.decidedAt).padStart(15, '0')}:${entry.record.receiptId}`,
        synced,
      ]);
      for (const { pending } of confirmed) {
        deletes.push(pending.key, `built:${pending.entry.record.receiptId}`);
        built.delete(pending.entry.record.receiptId);
      }
      if (newHead !== head) writes.push([`chain:${subject}`, newHead]);
      // An entry leaves the outbox only in the transaction that keeps its countersigned receipt.
      if (writes.length || deletes.length) await storage.commit(writes, deletes);
      head = newHead;
      lane.splice(0, confirmed.length);
      sent += confirmed.length;
      for (const { synced } of confirmed) this.#options.onSynced?.(synced);
      await after?.();
      if (next === 'stop') break;
    }
    return sent;
  }

  /**
   * The answers to a round, one per receipt, in order: from one batch, or
   * from one request per receipt (keepalive, a lone receipt, a receiver that
   * takes no batches). `undefined` when the receiver did not take the batch
   * as a whole; the batch size is lowered for the next try.
   */
  async #send(round: Pending[], keepalive: boolean): Promise<PostResult[] | undefined> {
    const { client } = this.#options;
    // keepalive bodies share 64 kB per page: a page-hide flush stays one small request at a time.
    if (keepalive || round.length === 1 || this.#batchSize < 2) {
      return Promise.all(round.map((p) => client.postReceipt(p.receipt, { keepalive })));
    }
    const answer = await client.postBatch(round.map((p) => p.receipt));
    if (answer.kind === 'answered') return answer.results;
    // Nothing is known of any of them: the first backs off and the others wait behind it, as after a single 500.
    if (answer.kind === 'retry-later') return round.map(() => answer);
    // 413: halve (a proxy with a smaller body limit); anything else (an older receiver): one by one from now on.
    this.#batchSize = answer.tooLarge ? Math.floor(round.length / 2) : 1;
    return undefined;
  }

  /**
   * The next `size` receipts of the lane: those built before as they are,
   * the others built now on the one before them (the first on `head`), and
   * kept (one transaction) before any is sent.
   */
  async #buildRound(
    lane: [string, OutboxEntry][],
    built: Map<string, ConsentReceipt>,
    head: string | null,
    size: number,
    from = 0,
  ): Promise<Pending[]> {
    const round: Pending[] = [];
    const fresh: [string, ConsentReceipt][] = [];
    for (let j = from; j < lane.length && round.length < size; ) {
      const [key, entry] = lane[j]!;
      const { record } = entry;
      let receipt = built.get(record.receiptId);
      if (!receipt) {
        try {
          const document = await this.#options.documentFor(record.noticeHash);
          receipt = await buildReceipt(record, document, round.length ? round[round.length - 1]!.hash : head);
        } catch (error) {
          if (error instanceof ReceiptBuildError) {
            await this.#reject(key, record, error.message);
            lane.splice(j, 1);
            continue;
          }
          // Without the document nothing after this one can be built either.
          if (!round.length) await this.#retryLater(key, entry, `the notice document could not be loaded: ${describe(error)}`);
          break;
        }
        fresh.push([`built:${record.receiptId}`, receipt]);
        built.set(record.receiptId, receipt);
      }
      round.push({ key, entry, receipt, hash: await this.#hash(receipt) });
      j++;
    }
    // A receipt is built once, and kept before it is sent: a retry sends the same bytes under the same key.
    if (fresh.length) await this.#options.storage.commit(fresh);
    return round;
  }

  /** A receipt's hash, once per receipt object (a round may be looked at twice: built ahead, then sent). */
  #hash(receipt: ConsentReceipt): Promise<string> {
    let hash = this.#hashes.get(receipt);
    if (!hash) this.#hashes.set(receipt, (hash = hashJson(receipt)));
    return hash;
  }

  /** The ids of `from` and of the receipts built on it, one on the other, later in the lane. */
  async #builtOn(from: Pending, lane: [string, OutboxEntry][], built: Map<string, ConsentReceipt>): Promise<string[]> {
    const ids = [from.entry.record.receiptId];
    let hash = from.hash;
    for (const [, entry] of lane) {
      const receipt = built.get(entry.record.receiptId);
      if (!receipt || receipt === from.receipt || receipt.akkoord.previousReceiptHash !== hash) continue;
      ids.push(entry.record.receiptId);
      hash = await this.#hash(receipt);
    }
    return ids;
  }

  /** A countersignature counts only if it verifies under the published key and signs our receipt. */
  async #checkCountersignature({ receipt, hash }: Pending, jws: string, receiptHash: string): Promise<string | undefined> {
    try {
      if (receiptHash !== hash) throw new Error('the receiver confirmed another receipt than the one sent');
      this.#keys ??= await this.#options.client.keys();
      let verified = await verifyCompact(jws, { keys: this.#keys });
      if (!verified.ok) {
        // The receiver may have rotated its key since we last asked.
        this.#keys = await this.#options.client.keys();
        verified = await verifyCompact(jws, { keys: this.#keys });
      }
      if (!verified.ok) throw new Error(verified.reason);
      // A valid countersignature of another receipt proves nothing about this one (and is reported like a forged one).
      if (canonicalJson(JSON.parse(verified.payload)) !== canonicalJson(receipt)) throw new Error('it signs another receipt');
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

  #schedule(times: number[]): void {
    if (this.#stopped || !times.length) return;
    const next = Math.min(...times);
    // An earlier timer stays: flushing early costs a look at the outbox, flushing late delays receipts.
    if (next >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = next;
    this.#timer = setTimeout(() => {
      this.#timerAt = Infinity;
      this.#flushInBackground();
    }, Math.max(0, next - this.#now()));
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
