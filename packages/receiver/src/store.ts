/**
 * Where receipts are kept: a small interface, so that a PostgreSQL store can
 * follow the embedded SQLite one (`sqlite-store.ts`). `MemoryReceiptStore`
 * is the reference implementation of the rules, for tests and edge demos.
 *
 * The rules every store keeps, inside one atomic step per receipt:
 * 1. a receipt id is stored once: the same id with the same body is a replay
 *    (the stored answer again), with another body a conflict;
 * 2. a new receipt names the hash of its subject's latest stored receipt as
 *    its predecessor (null for the first), else it is a chain conflict.
 * Check and insert are one transaction, so two concurrent receipts that name
 * the same predecessor cannot both be stored.
 */

import { checkRequest, type PutRequestResult, type RequestStore, type StoredRequest } from './requests.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-keys.js';
import { decisionFacts, rowsOf, supersedes, type ConsentStateRow, type ConsentStateStore, type ConsentStateValue } from './consent-state.js';

/** One stored receipt with the receiver's answer to it. */
export interface StoredReceipt {
  receiptId: string;
  /** `piiPrincipalId`: the chain is per subject. */
  subject: string;
  noticeId: string;
  noticeHash: string;
  /** `sha256:` of the canonical receipt JSON (`body`). */
  receiptHash: string;
  previousReceiptHash: string | null;
  /** The receipt as canonical JSON: the countersignature's payload, byte for byte. */
  body: string;
  /** Compact JWS (ES256) over `body`. */
  countersignature: string;
  /** ISO 8601 UTC, milliseconds. */
  storedAt: string;
}

export type AppendResult =
  | { outcome: 'created'; stored: StoredReceipt }
  | { outcome: 'replayed'; stored: StoredReceipt }
  | { outcome: 'idempotency-conflict'; stored: StoredReceipt }
  | { outcome: 'chain-conflict'; latestReceiptHash: string | null };

/** One entry of `appendAll`: its outcome, or the error that kept it from being written (the others are not affected). */
export type BatchAppendResult = AppendResult | { outcome: 'failed'; error: unknown };

/** The store cannot take more work now; the receiver answers 503 with `Retry-After`. */
export class StoreBusyError extends Error {
  override name = 'StoreBusyError';
  constructor(
    message = 'The receipt store is busy',
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

export interface ReceiptStore {
  /** Stores `entry` unless rule 1 or 2 says otherwise; atomic with both checks. */
  append(entry: StoredReceipt): Promise<AppendResult>;
  /**
   * Optional: `append` for each entry in order, in one transaction (one
   * durable write for a whole batch). Each entry is checked against what is
   * stored, including the entries before it; one that fails does not undo
   * the others. Without it, the receiver appends a batch one entry at a time.
   */
  appendAll?(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]>;
  get(receiptId: string): Promise<StoredReceipt | undefined>;
  /** The subject's latest receipt: the head of its chain. */
  latest(subject: string): Promise<StoredReceipt | undefined>;
  /** The subject's receipts, oldest first. */
  history(subject: string): Promise<StoredReceipt[]>;
  /** The subject's latest receipt per notice id, ordered by notice id. */
  currentConsent(subject: string): Promise<StoredReceipt[]>;
  /** Keeps a notice document (canonical JSON) under its hash, for good: every stored receipt's notice stays resolvable. Idempotent. */
  putNotice(hash: string, document: string): Promise<void>;
  getNotice(hash: string): Promise<string | undefined>;
  /** Every notice hash ever kept. */
  noticeHashes(): Promise<string[]>;
  /** Finishes pending writes, then releases the store. */
  close(): Promise<void>;
}

/**
 * Rules 1 and 2 for one entry, given the stored receipt with its id (if
 * any) and the subject's latest: the outcome, or `null` to insert it.
 */
export function checkAppend(
  entry: StoredReceipt,
  sameId: StoredReceipt | undefined,
  latest: Pick<StoredReceipt, 'receiptHash'> | undefined,
): Exclude<AppendResult, { outcome: 'created' }> | null {
  if (sameId) {
    return sameId.receiptHash === entry.receiptHash
      ? { outcome: 'replayed', stored: sameId }
      : { outcome: 'idempotency-conflict', stored: sameId };
  }
  const head = latest?.receiptHash ?? null;
  if (head !== entry.previousReceiptHash) return { outcome: 'chain-conflict', latestReceiptHash: head };
  return null;
}

/** Everything in memory: gone on restart. For tests, demos and edge experiments, not for records. */
export class MemoryReceiptStore implements ReceiptStore, RequestStore, ApiKeyStore, ConsentStateStore {
  #byId = new Map<string, StoredReceipt>();
  /** Per subject, per notice id, per purpose: the current-state rows. */
  #state = new Map<string, Map<string, Map<string, ConsentStateRow>>>();
  #apiKeys = new Map<string, ApiKeyRecord>();
  #seq = 0;
  #bySubject = new Map<string, StoredReceipt[]>();
  #notices = new Map<string, string>();
  #requests = new Map<string, StoredRequest[]>();

  async putRequest(entry: StoredRequest): Promise<PutRequestResult> {
    const list = this.#requests.get(entry.subject) ?? [];
    const refused = checkRequest(entry, list.find((r) => r.idempotencyKey === entry.idempotencyKey));
    if (refused) return refused;
    list.push({ ...entry });
    this.#requests.set(entry.subject, list);
    return { outcome: 'created', stored: entry };
  }

  async requests(subject: string) {
    return [...(this.#requests.get(subject) ?? [])];
  }

  async append(entry: StoredReceipt): Promise<AppendResult> {
    const chain = this.#bySubject.get(entry.subject);
    const refused = checkAppend(entry, this.#byId.get(entry.receiptId), chain?.at(-1));
    if (refused) return refused;
    const stored = { ...entry };
    this.#byId.set(stored.receiptId, stored);
    if (chain) chain.push(stored);
    else this.#bySubject.set(stored.subject, [stored]);
    this.#applyState(stored, ++this.#seq);
    return { outcome: 'created', stored };
  }

  #applyState(entry: StoredReceipt, seq: number): void {
    const facts = decisionFacts(entry);
    if (!facts) return;
    const notices = this.#state.get(entry.subject) ?? new Map<string, Map<string, ConsentStateRow>>();
    const held = notices.get(entry.noticeId)?.values().next().value;
    if (!supersedes(facts, held)) return;
    notices.set(entry.noticeId, new Map(rowsOf(facts, seq).map((row) => [row.purpose, row])));
    this.#state.set(entry.subject, notices);
  }

  async consentStates(noticeId: string, purpose: string, subjects: readonly string[]): Promise<ConsentStateRow[]> {
    return [...new Set(subjects)].flatMap((subject) => {
      const row = this.#state.get(subject)?.get(noticeId)?.get(purpose);
      return row ? [{ ...row }] : [];
    });
  }

  async subjectsWithState(query: { noticeId: string; purpose: string; state: ConsentStateValue; after?: string; limit: number; now: number }) {
    const { noticeId, purpose, state, after = '', limit, now } = query;
    const rows: ConsentStateRow[] = [];
    for (const notices of this.#state.values()) {
      const row = notices.get(noticeId)?.get(purpose);
      if (row && row.state === state && compareCodePoints(row.subject, after) > 0 && row.expiresAt > now) rows.push({ ...row });
    }
    // Byte order of the UTF-8, as the SQL stores compare: code points, not UTF-16 units.
    return rows.sort((a, b) => compareCodePoints(a.subject, b.subject)).slice(0, limit);
  }

  async putApiKey(record: ApiKeyRecord) {
    if (this.#apiKeys.has(record.id)) throw new Error(`An API key with id ${record.id} exists`);
    this.#apiKeys.set(record.id, { ...record, scopes: [...record.scopes] });
  }

  async apiKey(id: string) {
    const record = this.#apiKeys.get(id);
    return record && { ...record, scopes: [...record.scopes] };
  }

  async apiKeys() {
    return [...this.#apiKeys.values()].map((record) => ({ ...record, scopes: [...record.scopes] }));
  }

  async revokeApiKey(id: string, at: string) {
    const record = this.#apiKeys.get(id);
    if (!record) return false;
    record.revokedAt ??= at;
    return true;
  }

  async get(receiptId: string) {
    return this.#byId.get(receiptId);
  }

  async latest(subject: string) {
    return this.#bySubject.get(subject)?.at(-1);
  }

  async history(subject: string) {
    return [...(this.#bySubject.get(subject) ?? [])];
  }

  async currentConsent(subject: string) {
    const perNotice = new Map<string, StoredReceipt>();
    for (const entry of this.#bySubject.get(subject) ?? []) perNotice.set(entry.noticeId, entry);
    return [...perNotice.values()].sort((a, b) => (a.noticeId < b.noticeId ? -1 : a.noticeId > b.noticeId ? 1 : 0));
  }

  async putNotice(hash: string, document: string) {
    if (!this.#notices.has(hash)) this.#notices.set(hash, document);
  }

  async getNotice(hash: string) {
    return this.#notices.get(hash);
  }

  async noticeHashes() {
    return [...this.#notices.keys()];
  }

  async close() {}
}

/** Orders strings by code point (the byte order of their UTF-8), as SQLite and PostgreSQL's "C" collation do. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
  }
  return x.length - y.length;
}
