/**
 * A signed-in customer's consent follows them: the controller of a page
 * with a `subject` loads this module, which
 * - carries over a decision this browser made as a pseudonym before sign-in,
 *   through a receipt in the customer's chain that names the pseudonym's
 *   receipt (`carriedOver`);
 * - reads the customer's consent from the receiver before the page decides
 *   whether to ask (bounded in time: offline or refused, the browser's own
 *   state holds), and again whenever the page becomes visible;
 * - takes over a later decision from the receiver (another device, the
 *   back office), from its countersigned receipt, verified against the
 *   receiver's published key, so that the next decision here continues the
 *   customer's chain.
 *
 * The rule that decides between decisions is the same everywhere: the one
 * the person made last (`decidedAt`, ties by receipt id) is in force; every
 * other stays in the chain as history (see order.ts).
 */
import { ConsentSyncEvent } from './events.js';
import type { ConsentErrorCode } from './error-event.js';
import { isLater } from './order.js';
import { seal } from './integrity.js';
import { SUBJECT_KEY } from './database.js';
import { describeError, type ConsentStorage } from './storage.js';
import type { ChangeSource, ConsentNotice, ConsentRecord } from './types.js';
import type { SyncOptions } from './controller.js';
import type { NoticeDocument } from '../notice/schema.js';
import type { ReceiptClient } from '../sync/client.js';
import type { ReceiverState } from '../sync/subject-consent.js';
import type { SyncedReceipt } from '../sync/outbox.js';
import { outboxEntry, outboxKey, syncedKey } from '../sync/queue.js';

const DEFAULT_READ_TIMEOUT_MS = 2000;

export interface SignedInOptions {
  subject: string;
  notice: ConsentNotice;
  storage: ConsentStorage;
  sync?: SyncOptions;
  now: () => number;
  /** The decision in force in the controller now. */
  record: () => ConsentRecord | undefined;
  key: () => Promise<CryptoKey>;
  /** A stored value as a record of `subject`, if it is sealed by this browser. */
  trust: (raw: unknown, subject: string) => Promise<ConsentRecord | undefined>;
  recordKey: (subject: string) => string;
  /** Whether a carried-over decision gets a receipt (the page has an endpoint). */
  queueReceipts: boolean;
  /** Makes a decision found here the one in force, unless a later one is. */
  adopt: (record: ConsentRecord, source: ChangeSource) => void;
  synced: (event: ConsentSyncEvent) => void;
  report: (code: ConsentErrorCode, message: string) => void;
  documentFor: (hash: string) => Promise<NoticeDocument>;
}

export class SignedIn {
  #options: SignedInOptions;
  #client?: Promise<ReceiptClient>;
  #reading?: Promise<void>;
  #refused = false;
  #stopped = false;
  #onVisible = () => {
    if (document.visibilityState === 'visible') void this.#follow();
  };

  constructor(options: SignedInOptions) {
    this.#options = options;
  }

  /**
   * Before the page decides whether to ask: the receiver's decision (waited
   * for up to `readTimeoutMs`), else the pseudonym's, carried over.
   */
  async start(): Promise<void> {
    const { sync } = this.#options;
    const pseudonymous = this.#options.record() ? undefined : await this.#pseudonymDecision();
    if (sync) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, sync.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS)));
      // A slow receiver does not hold the page: its answer, when it comes, still applies.
      await Promise.race([this.#follow(pseudonymous), timeout]);
      clearTimeout(timer);
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisible);
    }
    if (pseudonymous && !this.#options.record()) await this.#carryOver(pseudonymous);
  }

  stop(): void {
    this.#stopped = true;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisible);
  }

  /** For the outbox: the head of the customer's chain on the receiver now (undefined: not known). */
  readonly chainHead = async (subject: string): Promise<string | null | undefined> => {
    if (subject !== this.#options.subject || !this.#options.sync) return undefined;
    return (await this.#read())?.head;
  };

  // ---------------------------------------------------------------------------

  /** The decision this browser made as its pseudonym, if it is still in force. */
  async #pseudonymDecision(): Promise<ConsentRecord | undefined> {
    const { storage, subject, notice, now } = this.#options;
    const pseudonym = await storage.get<string>(SUBJECT_KEY);
    if (!pseudonym || pseudonym === subject) return undefined;
    const raw = await storage.get<unknown>(this.#options.recordKey(pseudonym));
    if (raw === undefined) return undefined;
    const record = await this.#options.trust(raw, pseudonym);
    if (!record || record.expiresAt <= now() || record.consentFingerprint !== notice.consentFingerprint) return undefined;
    return record;
  }

  /**
   * The pseudonym's decision becomes the customer's: the same choices, made
   * at the same moment, in a new record (and receipt) of the customer's
   * that names where it came from. Its decision time is the person's, so
   * that a later decision of the customer elsewhere still wins.
   */
  async #carryOver(from: ConsentRecord): Promise<void> {
    const { storage, subject, queueReceipts } = this.#options;
    // A new record of the customer's, with its own receipt: not "shared from" another host any more, even if
    // the pseudonym's decision was (its receipt id is then the other host's, which carriedOver names).
    const { integrity: _, carriedOver: __, sharedFrom: ___, ...decision } = from;
    const record = await seal<ConsentRecord>(await this.#options.key(), {
      ...decision,
      subject,
      receiptId: crypto.randomUUID(),
      carriedOver: { subject: from.subject, receiptId: from.receiptId },
    });
    let stored = record;
    try {
      const queued: [string, unknown][] = queueReceipts ? [[outboxKey(record), outboxEntry(record)]] : [];
      stored = await storage.put<ConsentRecord>(this.#options.recordKey(subject), record, (existing) => !!existing, queued);
    } catch (error) {
      this.#options.report('storage-write-failed', `The decision could not be carried over (${describeError(error)}); it holds for this page only`);
    }
    this.#options.adopt(stored, 'restored');
  }

  /** Reads the receiver, and takes over its decision if it is later than this browser's (or `pending`). */
  #follow(pending?: ConsentRecord): Promise<void> {
    this.#reading ??= this.#takeOver(pending).finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  async #takeOver(pending?: ConsentRecord): Promise<void> {
    const state = await this.#read();
    const current = state?.current;
    if (!current || this.#stopped) return;
    const mine = this.#options.record() ?? pending;
    if (mine && (mine.receiptId === current.receiptId || !isLater(current, mine))) return;
    try {
      const [{ fetchCountersigned }, client] = await Promise.all([import('../sync/subject-consent.js'), this.#receiptClient()]);
      const proof = await fetchCountersigned(client, this.#options.subject, current);
      const record = await this.#recordOf(proof);
      if (!record || this.#stopped) return;
      const { storage, subject } = this.#options;
      const stored = await storage.put<ConsentRecord>(this.#options.recordKey(subject), record, (existing) => isLater(existing, record), [
        [syncedKey(record), proof],
        [`chain:${subject}`, state!.head],
      ]);
      this.#options.adopt(stored, 'receiver');
      if (stored === record) this.#options.synced(new ConsentSyncEvent(proof.receipt.consentReceiptID, proof.receiptHash, proof.countersignature, 'restored'));
    } catch (error) {
      this.#options.report('sync-failed', `The customer's decision on the receiver could not be taken over: ${describeError(error)}`);
    }
  }

  /** The receiver's state for this customer and notice; undefined when it cannot be had (and then this browser's state holds). */
  async #read(): Promise<ReceiverState | undefined> {
    if (this.#refused || !this.#options.sync) return undefined;
    try {
      const [{ readReceiverState }, client] = await Promise.all([import('../sync/subject-consent.js'), this.#receiptClient()]);
      return await readReceiverState(client, this.#options.subject, this.#options.notice.id);
    } catch (error) {
      // Offline or slow: this browser's state holds, and the next look may do better. Refused (no
      // credentials for this subject, or a receiver that lets no one read): not asked again on this page.
      const status = (error as { status?: number }).status;
      if (status === 401 || status === 403) this.#refused = true;
      return undefined;
    }
  }

  /** A record of this browser, sealed here, from the receiver's countersigned receipt. */
  async #recordOf({ receipt }: SyncedReceipt): Promise<ConsentRecord | undefined> {
    const { akkoord } = receipt;
    const { notice } = this.#options;
    // A decision on another version of the notice holds if its consent purposes are the same.
    const fingerprint =
      akkoord.noticeHash === notice.hash
        ? notice.consentFingerprint
        : await Promise.all([this.#options.documentFor(akkoord.noticeHash), import('../notice/fingerprint.js')]).then(
            ([document, { consentFingerprint }]) => consentFingerprint(document),
          );
    return seal<ConsentRecord>(await this.#options.key(), {
      schemaVersion: 2,
      subject: receipt.piiPrincipalId,
      noticeId: akkoord.noticeId,
      noticeVersion: akkoord.noticeVersion,
      noticeHash: akkoord.noticeHash,
      consentFingerprint: fingerprint,
      locale: akkoord.locale,
      decisions: akkoord.decisions,
      method: akkoord.method,
      decidedAt: akkoord.decidedAt,
      expiresAt: akkoord.expiresAt,
      receiptId: receipt.consentReceiptID,
      ...(akkoord.carriedOver && { carriedOver: akkoord.carriedOver }),
    });
  }

  #receiptClient(): Promise<ReceiptClient> {
    const sync = this.#options.sync!;
    this.#client ??= import('../sync/client.js').then(
      ({ ReceiptClient }) => new ReceiptClient({ ...sync, timeoutMs: Math.min(sync.timeoutMs ?? 10_000, sync.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS) }),
    );
    return this.#client;
  }
}
