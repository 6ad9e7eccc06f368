/**
 * The default store: embedded SQLite through `libsql` (better-sqlite3's
 * synchronous API, prebuilt binaries). Node only.
 *
 * Durability: WAL with `synchronous=FULL` by default, so a `201` is only sent
 * after the write-ahead log has been fsynced: a stored receipt survives a
 * crash of the process AND a power loss. (`NORMAL` in WAL mode survives a
 * process crash, but the last transactions can be lost on power loss.)
 *
 * Group commit (group-commit.ts): everything queued during one turn of the
 * event loop is written in ONE immediate transaction (one fsync), in arrival
 * order, each entry with its own idempotency and chain check against what is
 * stored, including the entries before it in the same transaction.
 */
/// <reference types="node" />
import { API_KEY_COLUMNS, apiKeyValues, fromApiKeyRow, fromRequestRow, fromRow, fromStateRow, RECEIPT_COLUMNS, receiptValues, REQUEST_COLUMNS, requestValues, STATE_COLUMNS, stateValues, type ApiKeyRow, type ReceiptRow, type RequestRow, type StateRow } from './store-rows.js';
import Database from 'libsql';
import { checkAppend, type AppendResult, type BatchAppendResult, type ReceiptStore, type StoredReceipt } from './store.js';
import { CommitStats, GroupCommitQueue } from './group-commit.js';
import { pendingMigrations, type Migration } from './migrations.js';
import { SQLITE_PROOF_MIGRATION } from './proof-migrations.js';
import { checkRequest, type PutRequestResult, type RequestStore, type StoredRequest } from './requests.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-keys.js';
import { decisionFacts, rowsOf, supersedes, type ConsentStateRow, type ConsentStateStore, type ConsentStateValue } from './consent-state.js';

export interface SqliteStoreOptions {
  /** `FULL` (default): durable against power loss. `NORMAL`: against process crashes only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Most entries in one transaction (default 512); one `appendAll` larger than this still goes in one. */
  maxBatch?: number;
  /** Most entries waiting to be written; beyond it `append` fails with `StoreBusyError` (default 10,000). */
  maxQueue?: number;
}

/** The schema, step by step; the file's `user_version` says how far it is. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'receipts and notices',
    sql: `
      CREATE TABLE IF NOT EXISTS receipts (
        seq INTEGER PRIMARY KEY,
        receipt_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        notice_id TEXT NOT NULL,
        notice_hash TEXT NOT NULL,
        receipt_hash TEXT NOT NULL,
        previous_hash TEXT,
        body TEXT NOT NULL,
        countersignature TEXT NOT NULL,
        stored_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS receipts_by_subject ON receipts (subject, seq);
      -- A second guard under the chain check: one successor per receipt, one first receipt per subject.
      CREATE UNIQUE INDEX IF NOT EXISTS receipts_no_fork ON receipts (subject, coalesce(previous_hash, ''));
      CREATE TABLE IF NOT EXISTS notices (
        hash TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        stored_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'requests to use a right',
    sql: `
      -- Requests to use a right: rare, so each is its own transaction, outside the receipts' group commit.
      CREATE TABLE IF NOT EXISTS requests (
        seq INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        notice_id TEXT NOT NULL,
        right_id TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (subject, idempotency_key)
      );
    `,
  },
  {
    version: 3,
    description: 'back-office API keys, and the current consent per subject, notice and purpose',
    sql: `
      -- Only the SHA-256 of each key: a copy of this file opens nothing.
      CREATE TABLE IF NOT EXISTS api_keys (
        key_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      -- Written in the receipt's transaction (consent-state.ts says which receipt is in force).
      CREATE TABLE IF NOT EXISTS consent_state (
        subject TEXT NOT NULL,
        notice_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('granted', 'denied')),
        receipt_id TEXT NOT NULL,
        decided_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (subject, notice_id, purpose)
      ) WITHOUT ROWID;
      -- The subjects of one purpose and state, in subject order, without a look into the table.
      CREATE INDEX IF NOT EXISTS consent_state_by_purpose ON consent_state (notice_id, purpose, state, subject, expires_at, receipt_id);
      -- The receipts stored before this version: per subject and notice, the decision made last.
      INSERT OR IGNORE INTO consent_state (subject, notice_id, purpose, state, receipt_id, decided_at, expires_at, seq)
      SELECT r.subject, r.notice_id, d.key, d.value, r.receipt_id, r.decided_at, r.expires_at, r.seq
      FROM (
        SELECT seq, subject, notice_id, receipt_id, body,
               json_extract(body, '$.akkoord.decidedAt') AS decided_at,
               json_extract(body, '$.akkoord.expiresAt') AS expires_at,
               row_number() OVER (
                 PARTITION BY subject, notice_id
                 ORDER BY json_extract(body, '$.akkoord.decidedAt') DESC, receipt_id DESC
               ) AS rank
        FROM receipts
      ) r, json_each(r.body, '$.akkoord.decisions') d
      WHERE r.rank = 1;
    `,
  },
  { version: 4, ...SQLITE_PROOF_MIGRATION },
];

/** Brings the file to the newest schema, one transaction per step; refuses a newer file and closes it. */
function migrate(db: InstanceType<typeof Database>, path: string): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  let steps: Migration[];
  try {
    steps = pendingMigrations(version, SQLITE_MIGRATIONS, path);
  } catch (error) {
    db.close();
    throw error;
  }
  for (const step of steps) {
    db.transaction(() => {
      db.exec(step.sql);
      db.exec(`PRAGMA user_version = ${step.version}`);
    }).immediate();
  }
}

export class SqliteReceiptStore implements ReceiptStore, RequestStore, ApiKeyStore, ConsentStateStore {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  /** Group commit at work: transactions written, entries in them, the largest batch. */
  readonly stats = new CommitStats();
  #db: InstanceType<typeof Database>;
  readonly #commits: GroupCommitQueue;
  #stmt: {
    byId: Database.Statement;
    head: Database.Statement;
    insert: Database.Statement;
    history: Database.Statement;
    latest: Database.Statement;
    current: Database.Statement;
    putNotice: Database.Statement;
    getNotice: Database.Statement;
    noticeHashes: Database.Statement;
    requestByKey: Database.Statement;
    insertRequest: Database.Statement;
    requests: Database.Statement;
    stateHead: Database.Statement;
    stateDelete: Database.Statement;
    stateInsert: Database.Statement;
    statesOf: Database.Statement;
    subjectsWithState: Database.Statement;
    putApiKey: Database.Statement;
    apiKey: Database.Statement;
    apiKeys: Database.Statement;
    revokeApiKey: Database.Statement;
  };
  #putRequest: Database.Transaction<(entry: StoredRequest) => PutRequestResult>;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path;
    this.synchronous = options.synchronous ?? 'FULL';
    const db = (this.#db = new Database(path));
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${this.synchronous}; PRAGMA busy_timeout = 5000;`);
    // The back office's bulk check looks up thousands of random subjects at once: read the file through a memory
    // map (no system call per page) with a larger page cache. Reads only; writes and their fsync are as before.
    db.exec('PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;');
    migrate(db, path);
    this.#stmt = {
      byId: db.prepare(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = ?`),
      head: db.prepare('SELECT receipt_hash FROM receipts WHERE subject = ? ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(`INSERT INTO receipts (${RECEIPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      history: db.prepare(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE subject = ? ORDER BY seq`),
      latest: db.prepare(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE subject = ? ORDER BY seq DESC LIMIT 1`),
      current: db.prepare(
        `SELECT ${RECEIPT_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')} FROM receipts r
         JOIN (SELECT notice_id, max(seq) AS seq FROM receipts WHERE subject = ? GROUP BY notice_id) m ON r.seq = m.seq
         ORDER BY r.notice_id`,
      ),
      putNotice: db.prepare('INSERT OR IGNORE INTO notices (hash, document, stored_at) VALUES (?, ?, ?)'),
      getNotice: db.prepare('SELECT document FROM notices WHERE hash = ?'),
      noticeHashes: db.prepare('SELECT hash FROM notices ORDER BY stored_at, hash'),
      requestByKey: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE subject = ? AND idempotency_key = ?`),
      insertRequest: db.prepare(`INSERT INTO requests (${REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      requests: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE subject = ? ORDER BY seq`),
      stateHead: db.prepare('SELECT decided_at, receipt_id FROM consent_state WHERE subject = ? AND notice_id = ? LIMIT 1'),
      stateDelete: db.prepare('DELETE FROM consent_state WHERE subject = ? AND notice_id = ?'),
      stateInsert: db.prepare(`INSERT INTO consent_state (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      // The subjects come as one JSON array: one statement for ten thousand of them, each found by the primary key.
      statesOf: db.prepare(
        `SELECT ${STATE_COLUMNS} FROM consent_state WHERE subject IN (SELECT value FROM json_each(?)) AND notice_id = ? AND purpose = ?`,
      ),
      subjectsWithState: db.prepare(
        `SELECT ${STATE_COLUMNS} FROM consent_state INDEXED BY consent_state_by_purpose
         WHERE notice_id = ? AND purpose = ? AND state = ? AND subject > ? AND expires_at > ? ORDER BY subject LIMIT ?`,
      ),
      putApiKey: db.prepare(`INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`),
      apiKey: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_id = ?`),
      apiKeys: db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id`),
      revokeApiKey: db.prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE key_id = ?'),
    };
    const stmt = this.#stmt;
    this.#putRequest = db.transaction((entry: StoredRequest): PutRequestResult => {
      const sameKey = stmt.requestByKey.get(entry.subject, entry.idempotencyKey) as RequestRow | undefined;
      const refused = checkRequest(entry, sameKey && fromRequestRow(sameKey));
      if (refused) return refused;
      stmt.insertRequest.run(...requestValues(entry));
      return { outcome: 'created', stored: entry };
    });
    // A savepoint inside the batch's transaction: the receipt and its current state go in together or not at all.
    // (libsql's transaction() does not nest, so the savepoint is spelled out.)
    const savepoint = db.prepare('SAVEPOINT receipt');
    const release = db.prepare('RELEASE receipt');
    const rollbackTo = db.prepare('ROLLBACK TO receipt');
    const writeOne = (entry: StoredReceipt) => {
      savepoint.run();
      try {
        insertWithState(entry);
      } catch (error) {
        rollbackTo.run();
        release.run();
        throw error;
      }
      release.run();
    };
    const insertWithState = (entry: StoredReceipt) => {
      const { lastInsertRowid } = stmt.insert.run(...receiptValues(entry));
      const facts = decisionFacts(entry);
      if (!facts) return;
      const held = stmt.stateHead.get(entry.subject, entry.noticeId) as { decided_at: number; receipt_id: string } | undefined;
      if (!supersedes(facts, held && { decidedAt: held.decided_at, receiptId: held.receipt_id })) return;
      stmt.stateDelete.run(entry.subject, entry.noticeId);
      for (const row of rowsOf(facts, Number(lastInsertRowid))) {
        stmt.stateInsert.run(...stateValues(row));
      }
    };
    const writeBatch = db.transaction((entries: readonly StoredReceipt[]) =>
      entries.map((entry): BatchAppendResult => {
        try {
          const sameId = stmt.byId.get(entry.receiptId) as ReceiptRow | undefined;
          const head = stmt.head.get(entry.subject) as { receipt_hash: string } | undefined;
          const refused = checkAppend(entry, sameId && fromRow(sameId), head && { receiptHash: head.receipt_hash });
          if (refused) return refused;
          writeOne(entry);
          return { outcome: 'created', stored: entry };
        } catch (error) {
          // This statement is undone; the others in the batch are not affected.
          return { outcome: 'failed', error };
        }
      }),
    );
    this.#commits = new GroupCommitQueue(
      (entries) => {
        // A throw here is a failed commit (disk full, I/O error): nothing of this batch is stored.
        const results = writeBatch.immediate(entries);
        this.stats.record(entries.length);
        return results;
      },
      { maxBatch: options.maxBatch ?? 512, maxQueue: options.maxQueue ?? 10_000 },
    );
  }

  append(entry: StoredReceipt): Promise<AppendResult> {
    return this.#commits.append(entry);
  }

  appendAll(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
    return this.#commits.appendAll(entries);
  }

  async get(receiptId: string) {
    const row = this.#stmt.byId.get(receiptId) as ReceiptRow | undefined;
    return row && fromRow(row);
  }

  async latest(subject: string) {
    const row = this.#stmt.latest.get(subject) as ReceiptRow | undefined;
    return row && fromRow(row);
  }

  async history(subject: string) {
    return (this.#stmt.history.all(subject) as ReceiptRow[]).map(fromRow);
  }

  async currentConsent(subject: string) {
    return (this.#stmt.current.all(subject) as ReceiptRow[]).map(fromRow);
  }

  async putNotice(hash: string, document: string) {
    this.#stmt.putNotice.run(hash, document, new Date().toISOString());
  }

  async getNotice(hash: string) {
    return (this.#stmt.getNotice.get(hash) as { document: string } | undefined)?.document;
  }

  async noticeHashes() {
    return (this.#stmt.noticeHashes.all() as { hash: string }[]).map((r) => r.hash);
  }

  /** Stores a request in its own immediate transaction (durable like a receipt: fsynced before the answer). */
  async putRequest(entry: StoredRequest): Promise<PutRequestResult> {
    if (this.#commits.closed) throw new Error('The receipt store is closed');
    return this.#putRequest.immediate(entry);
  }

  async requests(subject: string) {
    return (this.#stmt.requests.all(subject) as RequestRow[]).map(fromRequestRow);
  }

  async consentStates(noticeId: string, purpose: string, subjects: readonly string[]): Promise<ConsentStateRow[]> {
    if (!subjects.length) return [];
    return (this.#stmt.statesOf.all(JSON.stringify(subjects), noticeId, purpose) as StateRow[]).map(fromStateRow);
  }

  async subjectsWithState(query: { noticeId: string; purpose: string; state: ConsentStateValue; after?: string; limit: number; now: number }) {
    const { noticeId, purpose, state, after = '', limit, now } = query;
    return (this.#stmt.subjectsWithState.all(noticeId, purpose, state, after, now, limit) as StateRow[]).map(fromStateRow);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    this.#stmt.putApiKey.run(...apiKeyValues(record));
  }

  async apiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#stmt.apiKey.get(id) as ApiKeyRow | undefined;
    return row && fromApiKeyRow(row);
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return (this.#stmt.apiKeys.all() as ApiKeyRow[]).map(fromApiKeyRow);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    return this.#stmt.revokeApiKey.run(at, id).changes > 0;
  }

  /** How many receipts are stored (for checks and the benchmark). */
  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n;
  }

  /** Writes what is queued, then closes the file. */
  async close(): Promise<void> {
    if (this.#commits.closed) return;
    await this.#commits.close();
    this.#db.close();
  }
}
