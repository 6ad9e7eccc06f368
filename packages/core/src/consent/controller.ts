/**
 * The consent controller: one per notice and subject, the only thing that
 * reads or writes consent. It is an EventTarget so that any framework, or
 * none, can listen; elements render what it says.
 *
 * It never throws into the host page: storage that fails turns into a
 * `consent-error` event and memory-only operation, and a stored record that
 * cannot be trusted counts as no decision, so the person is asked again.
 *
 * A signed-in customer (`subject` set) has one consent on every device: see
 * signed-in.ts for how this browser follows the receiver.
 *
 * Without Web Crypto (a page on plain http from a host that is not
 * localhost), a decision cannot be sealed, so it is neither stored nor sent
 * as a receipt: an unsealed record would be indistinguishable from one
 * forged in devtools, and a receipt needs its hashes. The person's choice
 * still holds for this page view: the banner closes and gated scripts follow
 * it, because they chose and a page that ignored them would be worse. The
 * next page asks again. The page is told once, with `insecure-context`.
 */
import { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent, type ConsentErrorCode } from './events.js';
import { outboxEntry, outboxKey } from '../sync/queue.js';
import type { ReceiptOutbox, SyncedReceipt } from '../sync/outbox.js';
import type { NoticeDocument } from '../notice/schema.js';
import { SUBJECT_KEY } from './database.js';
import { globalPrivacyControl, gpcPurposes } from './gpc.js';
import { describeError, MemoryStorage, openStorage, type ConsentStorage } from './storage.js';
import { integrityKey, isSealed, seal, sealingUnavailable } from './integrity.js';
import { TabChannel, type TabMessage } from './tabs.js';
import type { ChangeSource, ConsentLifetime, ConsentMethod, ConsentNotice, ConsentRecord, Decision, StorageMode } from './types.js';
import type { SignedIn } from './signed-in.js';
import { isLater } from './order.js';
import { deleteRefused } from './declared-storage.js';
import { consentModeState } from './consent-mode-signals.js';
import { coversHost, readSharedDecision, writeSharedDecision } from './shared-decision.js';

export const DEFAULT_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;
/**
 * How long a decision holds when the notice does not say, as the Italian
 * and French regulators advise: a grant 12 months, and a refusal 6, after
 * which the person may be asked again (not sooner).
 */
export const DEFAULT_CONSENT_LIFETIME: Required<ConsentLifetime> = { grantedMonths: 12, refusedMonths: 6 };

export interface ConsentControllerOptions {
  notice: ConsentNotice;
  /** The customer id the host knows; else a random pseudonym kept in the browser. */
  subject?: string;
  /** The locale the notice is shown in; elements keep it current. */
  locale?: string;
  /**
   * How long any decision holds before the person is asked again, overriding
   * the notice's `consentLifetime` (by default 12 months for a decision that
   * grants every consent purpose, 6 for one that refuses any).
   */
  maxAgeMs?: number;
  /** The clock, in epoch milliseconds; tests move it. */
  now?: () => number;
  /** Where records live; by default IndexedDB, or memory when that fails. */
  storage?: ConsentStorage;
  /** The Global Privacy Control signal; by default `navigator.globalPrivacyControl`. */
  globalPrivacyControl?: boolean;
  /** Where receipts go; without it, decisions stay in the browser only. */
  sync?: SyncOptions;
  /**
   * The registrar's domain (`example.nl`) whose hosts share one decision:
   * the decision in force is mirrored in a cookie on it, and a later one
   * found there is adopted (shared-decision.ts). Without it, each host
   * asks on its own.
   */
  cookieDomain?: string;
}

export interface SyncOptions {
  /** The receiver's base URL (https, or http on localhost). */
  endpoint: string;
  /**
   * The host's credentials for the receiver, e.g. `() => ({ authorization: 'Bearer …' })`.
   * With `subject`, they (or `credentials`) let the controller read the
   * customer's consent on the receiver; without either it does not try.
   */
  headers?: () => HeadersInit | Promise<HeadersInit>;
  /** `include` sends cookies to a receiver on another origin; any value (also `same-origin`) counts as credentials given. */
  credentials?: RequestCredentials;
  /**
   * The notice document with this hash; by default the receiver's
   * `GET /notices/{hash}`, which resolves every version it accepts.
   */
  documentFor?: (noticeHash: string) => Promise<NoticeDocument>;
  /** How long one request to the receiver may take (default 10 s). */
  timeoutMs?: number;
  /**
   * With `subject`: how long the controller waits for the customer's
   * consent on the receiver before it decides whether to ask with what this
   * browser knows (default 2 s). An answer that comes later still applies.
   */
  readTimeoutMs?: number;
  /** The first retry's delay, doubled on each failure, with jitter (default 1 s). */
  baseDelayMs?: number;
  /** The longest delay between retries (default 5 minutes). */
  maxDelayMs?: number;
}

export interface DecideOptions {
  /** Who decided: elements pass `user`; the host's own code is `api` (the default). */
  source?: 'user' | 'api';
}

export class ConsentController extends EventTarget {
  readonly notice: ConsentNotice;
  /** Resolves once the stored decision has been read (or found missing). Never rejects. */
  readonly ready: Promise<void>;
  /** The problems met so far, for listeners that attach late. */
  readonly errors: ConsentErrorEvent[] = [];

  #options: ConsentControllerOptions;
  #now: () => number;
  #storage: ConsentStorage = new MemoryStorage();
  #key?: CryptoKey;
  #subject = '';
  #record?: ConsentRecord;
  #locale: string;
  #tabs?: TabChannel;
  #gpc: boolean;
  #outbox?: Promise<ReceiptOutbox | undefined>;
  #stopOutbox?: () => void;
  #signedIn?: SignedIn;
  #documents = new Map<string, Promise<NoticeDocument>>();
  /** False while the stored decision is read: changes found then are announced once, as 'restored'. */
  #loaded = false;
  /** Whether `insecure-context` was reported: once per controller is enough to say it. */
  #toldInsecure = false;
  /** The domain whose hosts share the decision, once it is known to cover this host. */
  #cookieDomain?: string;

  constructor(options: ConsentControllerOptions) {
    super();
    this.#options = options;
    this.notice = options.notice;
    this.#now = options.now ?? Date.now;
    this.#locale = options.locale ?? 'und';
    this.#gpc = options.globalPrivacyControl ?? globalPrivacyControl();
    this.ready = this.#load().catch((error) => this.#report('storage-unavailable', describeError(error)));
  }

  /** The consent purposes of the notice: the only ones a person decides. */
  get consentPurposes(): readonly string[] {
    return this.notice.purposes.flatMap((p) => (p.legalBasis === 'consent' && p.id ? [p.id] : []));
  }

  /** Decisions in force: one per consent purpose that has one. Nothing is ever pre-granted. */
  get decisions(): Readonly<Record<string, Decision>> {
    return this.#current()?.decisions ?? {};
  }

  get(purposeId: string): Decision | undefined {
    return this.decisions[purposeId];
  }

  isGranted(purposeId: string): boolean {
    return this.get(purposeId) === 'granted';
  }

  /** Whether the person must be asked: no decision, an expired one, or a material change. */
  get needsDecision(): boolean {
    if (this.consentPurposes.length === 0) return false;
    const record = this.#current();
    return !record || this.consentPurposes.some((id) => record.decisions[id] === undefined);
  }

  get record(): ConsentRecord | undefined {
    return this.#current();
  }

  /** The subject: the host's id, or the browser's pseudonym ('' until a first visitor's first decision makes it). */
  get subject(): string {
    return this.#subject;
  }

  get storageMode(): StorageMode {
    return this.#storage.mode;
  }

  get globalPrivacyControl(): boolean {
    return this.#gpc;
  }

  /** Whether a GPC signal set marketing purposes to denied; the UI says so. */
  get gpcHonoured(): boolean {
    return this.#gpc && this.#current()?.method === 'gpc';
  }

  get locale(): string {
    return this.#locale;
  }

  set locale(locale: string) {
    this.#locale = locale;
  }

  acceptAll(options?: DecideOptions): Promise<void> {
    return this.#decide(this.#all('granted'), 'accept-all', options);
  }

  rejectAll(options?: DecideOptions): Promise<void> {
    return this.#decide(this.#all('denied'), 'reject-all', options);
  }

  /** Decide some purposes; the others keep their decision, or are denied if they have none. */
  save(decisions: Record<string, Decision>, options?: DecideOptions): Promise<void> {
    return this.#decide(decisions, options?.source === 'user' ? 'preferences' : 'api', options);
  }

  async grant(purposeIds: string | string[], options?: DecideOptions): Promise<void> {
    return this.save(this.#each(purposeIds, 'granted'), options);
  }

  async deny(purposeIds: string | string[], options?: DecideOptions): Promise<void> {
    return this.save(this.#each(purposeIds, 'denied'), options);
  }

  /** Withdrawal is a denial of what was granted: it takes effect at once, everywhere. */
  withdraw(purposeIds: string | string[], options?: DecideOptions): Promise<void> {
    return this.deny(purposeIds, options);
  }

  /**
   * The receipt outbox, loaded on first use (it is not on the banner's first
   * load); undefined without a `sync` endpoint or when it cannot start.
   */
  outbox(): Promise<ReceiptOutbox | undefined> {
    this.#outbox ??= this.#openOutbox();
    return this.#outbox;
  }

  /** The subject's countersigned receipts kept in this browser, oldest first. */
  async syncedReceipts(): Promise<SyncedReceipt[]> {
    await this.ready;
    return (await this.outbox())?.synced(this.#subject) ?? [];
  }

  /**
   * A problem met by one of the controller's helpers (gated scripts, cookie
   * clearing), told the way the controller tells its own: a `consent-error`
   * on the controller, which the elements pass on to the page.
   */
  reportError(code: ConsentErrorCode, message: string): void {
    this.#report(code, message);
  }

  /** Stops listening to other tabs and the network; fires `dispose` so that helpers stop too. */
  dispose(): void {
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisible);
    this.#tabs?.close();
    this.#stopOutbox?.();
    this.#signedIn?.stop();
    this.dispatchEvent(new Event('dispose'));
  }

  // ---------------------------------------------------------------------------

  get #recordKey(): string {
    return this.#keyFor(this.#subject);
  }

  #keyFor(subject: string): string {
    return `record:${this.notice.id}:${subject}`;
  }

  #current(): ConsentRecord | undefined {
    const record = this.#record;
    if (!record) return undefined;
    if (record.expiresAt <= this.#now()) return undefined;
    if (record.consentFingerprint !== this.notice.consentFingerprint) return undefined;
    return record;
  }

  #all(decision: Decision): Record<string, Decision> {
    return this.#each(this.consentPurposes as string[], decision);
  }

  #each(purposeIds: string | string[], decision: Decision): Record<string, Decision> {
    const ids = Array.isArray(purposeIds) ? purposeIds : [purposeIds];
    const unknown = ids.filter((id) => !this.consentPurposes.includes(id));
    if (unknown.length) {
      throw new RangeError(
        `Notice "${this.notice.id}" has no consent purpose ${unknown.map((id) => `"${id}"`).join(', ')}; ` +
          `its consent purposes are ${this.consentPurposes.join(', ') || '(none)'}`,
      );
    }
    return Object.fromEntries(ids.map((id) => [id, decision]));
  }

  async #load(): Promise<void> {
    const { storage, problem } = this.#options.storage ? { storage: this.#options.storage } : await openStorage();
    this.#storage = storage;
    if (problem) this.#report('storage-unavailable', `${problem}; decisions are kept in memory for this page only`);

    // A first visit reads one key and stops there: the pseudonym and the sealing key are made
    // with the first decision, off the banner's path.
    this.#subject = this.#options.subject ?? (await this.#storage.get<string>(SUBJECT_KEY)) ?? '';
    const raw = this.#subject ? await this.#storage.get<unknown>(this.#recordKey) : undefined;
    if (raw !== undefined) this.#record = await this.#trust(raw);
    await this.#shareAcrossHosts();

    this.#tabs = new TabChannel((message) => void this.#fromOtherTab(message));
    // A customer's decision may have been made as a pseudonym, on another device, or in the back office.
    // Only with the host's credentials for the customer: they say the subject is a signed-in customer,
    // and without them the receiver refuses to show the customer's consent.
    const sync = this.#options.sync;
    if (this.#options.subject && (sync?.headers || sync?.credentials)) await this.#followCustomer();
    this.#loaded = true;
    if (this.#record) this.#emit(this.#record.method, 'restored');
    else if (this.#gpc) await this.#applyGpc();
    // Receipts left from an earlier visit go out now, off the first render's path.
    if (this.#options.sync) void this.outbox();
  }

  /** With `cookieDomain`: adopt a later decision of another host now, and look again whenever the page is shown. */
  async #shareAcrossHosts(): Promise<void> {
    const domain = this.#options.cookieDomain;
    // The shared cookie is sealed with a digest, and a page-only decision is not for other hosts to adopt.
    if (!domain || typeof document === 'undefined' || this.#cannotSeal()) return;
    if (!coversHost(domain)) {
      this.#report('storage-write-failed', `cookie-domain "${domain}" does not cover this host (${location.hostname}); its decisions are not shared`);
      return;
    }
    this.#cookieDomain = domain;
    await this.#fromOtherHost();
    document.addEventListener('visibilitychange', this.#onVisible);
  }

  readonly #onVisible = async () => {
    if (document.visibilityState === 'visible' && (await this.#fromOtherHost())) this.#emit(this.#record!.method, 'other-tab');
  };

  /**
   * The decision another host of the domain mirrored, if it is sound, for
   * this notice's consent purposes, in force, and later than this host's:
   * it becomes this host's record (sealed here, under this browser's
   * subject), with the receipt id it was made under and no new receipt.
   */
  async #fromOtherHost(): Promise<boolean> {
    const read = await readSharedDecision(this.notice);
    if (read.kind === 'invalid') {
      this.#report('record-invalid', `The decision shared by the other hosts of ${this.#cookieDomain} is ignored: ${read.problem}`);
      return false;
    }
    if (read.kind === 'none') return false;
    const shared = read.shared;
    if (shared.consentFingerprint !== this.notice.consentFingerprint || shared.expiresAt <= this.#now()) return false;
    const own = this.#record;
    if (own && (own.receiptId === shared.receiptId || !isLater(shared, own))) return false;
    await this.#identity();
    const decisions = Object.fromEntries(this.consentPurposes.flatMap((id) => (shared.decisions[id] ? [[id, shared.decisions[id]]] : [])));
    const record = await seal<ConsentRecord>(this.#key!, {
      schemaVersion: 2,
      subject: this.#subject,
      noticeId: this.notice.id,
      noticeVersion: shared.noticeVersion,
      noticeHash: shared.noticeHash,
      consentFingerprint: shared.consentFingerprint,
      locale: this.#locale,
      decisions,
      method: shared.method,
      decidedAt: shared.decidedAt,
      expiresAt: shared.expiresAt,
      receiptId: shared.receiptId,
      sharedFrom: { host: shared.host },
    });
    let stored = record;
    try {
      stored = await this.#storage.put<ConsentRecord>(this.#recordKey, record, (existing) => isLater(existing, record));
    } catch (error) {
      this.#report('storage-write-failed', `The shared decision could not be stored (${describeError(error)}); it holds for this page only`);
    }
    this.#record = stored;
    this.#tabs?.post({ noticeId: this.notice.id, subject: this.#subject, record: stored });
    return true;
  }

  /** Mirrors the decision in force for the domain's other hosts, unless the cookie holds a later one. */
  #shareWithOtherHosts(): void {
    const record = this.#current();
    const domain = this.#cookieDomain;
    if (!record || !domain) return;
    writeSharedDecision(record, domain, this.#now()).then(
      (kept) => kept || this.#report('storage-write-failed', `The browser did not keep the shared decision's cookie on ${domain}`),
      (error) => this.#report('storage-write-failed', `The shared decision could not be written: ${describeError(error)}`),
    );
  }

  async #followCustomer(): Promise<void> {
    if (this.#cannotSeal()) return;
    const sync = this.#options.sync;
    try {
      const { SignedIn } = await import('./signed-in.js');
      this.#signedIn = new SignedIn({
        subject: this.#subject,
        notice: this.notice,
        storage: this.#storage,
        // The receiver is read with the host's credentials for the customer only: without them it would refuse.
        sync,
        now: this.#now,
        record: () => this.#record,
        key: async () => (this.#key ??= await integrityKey(this.#storage)),
        trust: (raw, subject) => this.#trust(raw, subject),
        recordKey: (subject) => this.#keyFor(subject),
        queueReceipts: !!this.#options.sync,
        adopt: (record, source) => this.#adopt(record, source),
        synced: (event) => this.dispatchEvent(event),
        report: (code, message) => this.#report(code, message),
        documentFor: (hash) => this.#documentFor(hash),
      });
      await this.#signedIn.start();
    } catch (error) {
      this.#report('sync-failed', `The customer's consent could not be followed: ${describeError(error)}`);
    }
  }

  /**
   * A decision found after the page decided (the receiver's, a carried-over
   * one) becomes the one in force, and is told to other tabs; during load it
   * is announced with the stored decision.
   */
  #adopt(record: ConsentRecord, source: ChangeSource): void {
    if (this.#record && (record.receiptId === this.#record.receiptId || isLater(this.#record, record))) return;
    this.#record = record;
    this.#tabs?.post({ noticeId: this.notice.id, subject: this.#subject, record });
    if (this.#loaded) this.#emit(record.method, source);
  }

  async #openOutbox(): Promise<ReceiptOutbox | undefined> {
    const sync = this.#options.sync;
    if (!sync || this.#cannotSeal()) return undefined;
    try {
      await this.ready;
      const [{ ReceiptOutbox }, { ReceiptClient }] = await Promise.all([
        import('../sync/outbox.js'),
        import('../sync/client.js'),
      ]);
      const client = new ReceiptClient(sync);
      const outbox = new ReceiptOutbox({
        storage: this.#storage,
        client,
        documentFor: (hash) => this.#documentFor(hash),
        // A customer's other devices may have moved the chain on: new receipts are built on its head as it is now.
        chainHead: this.#signedIn?.chainHead,
        onSynced: (s, how) => this.dispatchEvent(new ConsentSyncEvent(s.receipt.consentReceiptID, s.receiptHash, s.countersignature, how)),
        onError: (code, message) => this.#report(code, message),
        baseDelayMs: sync.baseDelayMs,
        maxDelayMs: sync.maxDelayMs,
      });
      this.#stopOutbox = outbox.start();
      return outbox;
    } catch (error) {
      this.#report('sync-failed', `Receipts cannot be sent: ${describeError(error)}`);
      return undefined;
    }
  }

  /**
   * The notice document with this hash, once per page: a document is named by
   * its hash, so it never changes; fetching, parsing and hashing it once per
   * receipt would be waste.
   */
  #documentFor(hash: string): Promise<NoticeDocument> {
    const sync = this.#options.sync!;
    let document = this.#documents.get(hash);
    if (!document) {
      document = sync.documentFor ? sync.documentFor(hash) : documentFromReceiver(sync.endpoint, hash, sync.timeoutMs);
      this.#documents.set(hash, document);
      document.catch(() => this.#documents.delete(hash));
    }
    return document;
  }

  async #pseudonym(): Promise<string> {
    return this.#storage.put<string>(SUBJECT_KEY, freshPseudonym(), (existing) => typeof existing === 'string');
  }

  /** The subject and the sealing key, made when first needed: by a decision, or to check a record. */
  async #identity(): Promise<void> {
    if (!this.#subject) this.#subject = await this.#pseudonym();
    this.#key ??= await integrityKey(this.#storage);
  }

  /** A stored value becomes the record in force only if it parses, is sealed by us, and is ours (or `subject`'s). */
  async #trust(raw: unknown, subject = this.#subject): Promise<ConsentRecord | undefined> {
    // A seal that cannot be checked proves nothing: the record counts as no decision.
    if (this.#cannotSeal()) return undefined;
    this.#key ??= await integrityKey(this.#storage);
    const { readRecord } = await import('./record-schema.js');
    const read = readRecord(raw);
    if (read.kind === 'invalid') {
      this.#report('record-invalid', `The stored consent record is unreadable (${read.problem}); asking again`);
      return undefined;
    }
    if (read.kind === 'v1') {
      // A first-design record is migrated for its own subject only (a pseudonym's is not carried over).
      if (subject !== this.#subject) return undefined;
      const { migrateV1 } = await import('./migrate.js');
      const migrated = await seal<ConsentRecord>(this.#key!, migrateV1(read.record, this.notice, this.#maxAge()));
      return this.#storage.put(this.#recordKey, migrated).catch(() => migrated);
    }
    const record = read.record;
    if (!(await isSealed(this.#key!, record)) || record.subject !== subject || record.noticeId !== this.notice.id) {
      this.#report('record-tampered', 'The stored consent record was changed outside Akkoord; asking again');
      return undefined;
    }
    return record;
  }

  async #applyGpc(): Promise<void> {
    const marketing = gpcPurposes(this.notice);
    if (marketing.length === 0) return;
    await this.#write(Object.fromEntries(marketing.map((id) => [id, 'denied' as const])), 'gpc', 'api', false);
  }

  async #decide(decisions: Record<string, Decision>, method: ConsentMethod, options?: DecideOptions): Promise<void> {
    this.#each(Object.keys(decisions), 'denied'); // rejects ids that are not consent purposes
    for (const [id, decision] of Object.entries(decisions)) {
      if (decision !== 'granted' && decision !== 'denied') {
        throw new TypeError(`Decision for "${id}" must be "granted" or "denied", not ${JSON.stringify(decision)}`);
      }
    }
    await this.ready;
    await this.#write(decisions, method, options?.source ?? 'api', true);
  }

  async #write(decisions: Record<string, Decision>, method: ConsentMethod, source: ChangeSource, complete: boolean) {
    if (this.#cannotSeal()) return this.#holdForThisPage(decisions, method, source, complete);
    await this.#identity();
    const record = await seal<ConsentRecord>(this.#key!, this.#decision(decisions, method, complete, crypto.randomUUID()));
    let stored = record;
    try {
      // Two tabs deciding at once: the later decision wins in both.
      // The receipt waits in the outbox, written in the same transaction as the decision.
      const queued: [string, unknown][] = this.#options.sync ? [[outboxKey(record), outboxEntry(record)]] : [];
      stored = await this.#storage.put<ConsentRecord>(this.#recordKey, record, (existing) => isLater(existing, record), queued);
    } catch (error) {
      this.#report('storage-write-failed', `The decision could not be stored (${describeError(error)}); it holds for this page only`);
    }
    this.#record = stored;
    this.#tabs?.post({ noticeId: this.notice.id, subject: this.#subject, record: stored });
    this.#emit(stored.method, stored === record ? source : 'other-tab');
    if (this.#options.sync) {
      void this.outbox()
        .then((outbox) => {
          // Offline, the outbox's 'online' listener flushes; asking now would only count the outbox, once per decision.
          if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
          return outbox?.flush();
        })
        .catch((error) => this.#report('sync-failed', `Receipts could not be sent: ${describeError(error)}`));
    }
  }

  /**
   * The decision `decisions` makes on top of the one in force, unsealed. A purpose it leaves out keeps its
   * decision, or is denied when `complete` (a person's choice covers every purpose).
   */
  #decision(decisions: Record<string, Decision>, method: ConsentMethod, complete: boolean, receiptId: string): Omit<ConsentRecord, 'integrity'> {
    const previous = this.#current()?.decisions ?? {};
    const merged: Record<string, Decision> = {};
    for (const id of this.consentPurposes) {
      const decision = decisions[id] ?? previous[id] ?? (complete ? 'denied' : undefined);
      if (decision) merged[id] = decision;
    }
    // A decision made after the one in force is later than it, even within the same millisecond (or when the
    // clock went back): the later decision wins everywhere, so it must not lose a tie with the one it replaces.
    const now = Math.max(this.#now(), (this.#record?.decidedAt ?? -Infinity) + 1);
    return {
      schemaVersion: 2,
      subject: this.#subject,
      noticeId: this.notice.id,
      noticeVersion: this.notice.version,
      noticeHash: this.notice.hash,
      consentFingerprint: this.notice.consentFingerprint,
      locale: this.#locale,
      decisions: merged,
      method,
      decidedAt: now,
      expiresAt: this.#expiry(now, merged),
      receiptId,
    };
  }

  /**
   * Without Web Crypto the decision cannot be sealed, so it is not stored, not told to other tabs (they would
   * have nothing to read) and not sent; it holds in this page only, as the file's comment explains.
   */
  #holdForThisPage(decisions: Record<string, Decision>, method: ConsentMethod, source: ChangeSource, complete: boolean): void {
    // The pseudonym too lives in this page only: stored, it would name a subject with no decision.
    this.#subject ||= freshPseudonym();
    this.#record = { ...this.#decision(decisions, method, complete, randomUuid()), integrity: '' };
    this.#emit(method, source);
  }

  /** True, and said once as `insecure-context`, when this page has no Web Crypto to seal records with. */
  #cannotSeal(): boolean {
    const unavailable = sealingUnavailable();
    if (!unavailable) return false;
    if (!this.#toldInsecure) {
      this.#toldInsecure = true;
      this.#report(
        'insecure-context',
        `Decisions cannot be sealed: ${unavailable}. They hold for this page view only; they are not stored or sent as receipts. Serve the page over https.`,
      );
    }
    return true;
  }

  async #fromOtherTab(message: TabMessage): Promise<void> {
    // A first visit in two tabs: the other tab made the pseudonym with its decision.
    if (!this.#subject && !this.#options.subject && this.#storage.mode === 'indexeddb') {
      this.#subject = (await this.#storage.get<string>(SUBJECT_KEY)) ?? '';
    }
    if (message.noticeId !== this.notice.id || message.subject !== this.#subject) return;
    // IndexedDB is the truth; memory-only tabs can only take the message's word for it.
    const raw = this.#storage.mode === 'indexeddb' ? await this.#storage.get<unknown>(this.#recordKey) : message.record;
    if (raw === undefined) return;
    const record = this.#storage.mode === 'indexeddb' ? await this.#trust(raw) : (raw as ConsentRecord);
    if (!record || record.receiptId === this.#record?.receiptId) return;
    if (this.#record && isLater(this.#record, record)) return;
    this.#record = record;
    this.#emit(record.method, 'other-tab');
  }

  #maxAge(): number {
    return this.#options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  /** When a decision made at `decidedAt` expires: a refusal of any purpose is kept for the refusal's lifetime. */
  #expiry(decidedAt: number, decisions: Record<string, Decision>): number {
    if (this.#options.maxAgeMs !== undefined) return decidedAt + this.#options.maxAgeMs;
    const lifetime = { ...DEFAULT_CONSENT_LIFETIME, ...this.notice.consentLifetime };
    const refused = Object.values(decisions).includes('denied');
    const expires = new Date(decidedAt);
    expires.setUTCMonth(expires.getUTCMonth() + (refused ? lifetime.refusedMonths : lifetime.grantedMonths));
    return expires.getTime();
  }

  #emit(method: ConsentMethod | undefined, source: ChangeSource): void {
    // Before the event: a listener that looks finds a refused purpose's cookies already gone.
    try {
      deleteRefused(this.notice.purposes, this.decisions);
    } catch (error) {
      // Cookies or storage the page may not touch (a sandboxed frame, storage switched off).
      this.#report('storage-write-failed', `The cookies and storage of a refused purpose could not be deleted: ${describeError(error)}`);
    }
    this.#shareWithOtherHosts();
    const decisions = this.decisions;
    this.dispatchEvent(new ConsentChangeEvent(this.notice.id, decisions, method, source, consentModeState(this.notice.purposes, decisions)));
  }

  #report(code: ConsentErrorCode, message: string): void {
    const event = new ConsentErrorEvent(code, message);
    this.errors.push(event);
    this.dispatchEvent(event);
  }
}

function freshPseudonym(): string {
  return `psn_${hex(crypto.getRandomValues(new Uint8Array(12)))}`;
}

/**
 * A UUID v4 from `crypto.getRandomValues`, which (unlike `crypto.randomUUID`) browsers give to pages that are
 * not a secure context too.
 */
function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The document a receipt names, from the receiver, which resolves every
 * version it accepts by hash: the banner loads only the first layer, so the
 * full document is fetched here, at flush, and only when a receipt is built.
 */
async function documentFromReceiver(endpoint: string, hash: string, timeoutMs = 10_000): Promise<NoticeDocument> {
  const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
  // Bounded like every request to the receiver: a fetch that never answers would hold the outbox (and its lock) for good.
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(new URL(`notices/${encodeURIComponent(hash)}`, base), { signal });
  if (!response.ok) throw new Error(`the receiver has no notice ${hash} (HTTP ${response.status})`);
  const [{ parseNotice }, { hashJson }] = await Promise.all([import('../notice/validate.js'), import('../notice/canonical.js')]);
  const document = parseNotice(await response.json());
  if ((await hashJson(document)) !== hash) throw new Error(`the receiver's notice for ${hash} has another hash`);
  return document;
}
