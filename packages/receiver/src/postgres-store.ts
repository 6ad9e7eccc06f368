/**
 * The store for several nodes: PostgreSQL through `pg`. Node only.
 *
 * The same guarantees as the SQLite store, across every receiver process
 * that shares the database:
 * - one transaction per write: a transaction-scoped advisory lock on each
 *   subject it touches (taken in one order, so two writers cannot
 *   deadlock), then the idempotency and chain checks (`checkAppend`), then
 *   the insert; a node that writes the same subject waits for the lock and
 *   then sees what the first one stored;
 * - a unique index on `(subject, previous hash)`, so that even a writer
 *   that skips the checks cannot fork a chain;
 * - group commit (group-commit.ts): appends that arrive while a write is in
 *   flight wait and go together in the next transaction (one commit, one WAL
 *   flush), in arrival order; one `appendAll` is never split;
 * - durable: a commit returns after its WAL is flushed
 *   (`synchronous_commit=on`, PostgreSQL's default; do not turn it off).
 *
 * A lost connection or a restarting server is `StoreBusyError` (503 with
 * Retry-After): the client sends again, and a receipt whose commit did land
 * is answered as a replay.
 */
/// <reference types="node" />
import { API_KEY_COLUMNS, apiKeyValues, fromApiKeyRow, fromRequestRow, fromRow, fromStateRow, RECEIPT_COLUMNS, receiptValues, REQUEST_COLUMNS, requestValues, STATE_COLUMNS, stateValues, type ApiKeyRow, type ReceiptRow, type RequestRow, type StateRow } from './store-rows.js';
import pg from 'pg';
import { pendingMigrations, type Migration } from './migrations.js';
import { POSTGRES_PROOF_MIGRATION } from './proof-migrations.js';
import { checkRequest, type PutRequestResult, type RequestStore, type StoredRequest } from './requests.js';
import type { ApiKeyRecord, ApiKeyStore } from './api-keys.js';
import { decisionFacts, rowsOf, supersedes, type ConsentStateRow, type ConsentStateStore, type ConsentStateValue, type DecisionFacts } from './consent-state.js';
import {
  checkAppend,
  StoreBusyError,
  type AppendResult,
  type BatchAppendResult,
  type ReceiptStore,
  type StoredReceipt,
} from './store.js';
import { CommitStats, GroupCommitQueue } from './group-commit.js';

export interface PostgresStoreOptions {
  /** Tables in this schema (created if missing) instead of `public`: several receivers, or tests, in one database. */
  schema?: string;
  /** Most connections to the server (default 10). */
  poolSize?: number;
  /** Most entries in one transaction (default 512); one `appendAll` larger than this still goes in one. */
  maxBatch?: number;
  /** Most entries waiting to be written; beyond it `append` fails with `StoreBusyError` (default 10,000). */
  maxQueue?: number;
  /** How long to keep trying to reach the server at start (a node may start before its database): default 30 s. */
  startupTimeoutMs?: number;
}

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'receipts, notices and requests',
    sql: `
      CREATE TABLE receipts (
        seq bigserial PRIMARY KEY,
        receipt_id text NOT NULL UNIQUE,
        subject text NOT NULL,
        notice_id text NOT NULL,
        notice_hash text NOT NULL,
        receipt_hash text NOT NULL,
        previous_hash text,
        body text NOT NULL,
        countersignature text NOT NULL,
        stored_at text NOT NULL
      );
      CREATE INDEX receipts_by_subject ON receipts (subject, seq);
      -- A second guard under the chain check: one successor per receipt, one first receipt per subject.
      CREATE UNIQUE INDEX receipts_no_fork ON receipts (subject, coalesce(previous_hash, ''));
      CREATE TABLE notices (
        hash text PRIMARY KEY,
        document text NOT NULL,
        stored_at text NOT NULL
      );
      CREATE TABLE requests (
        seq bigserial PRIMARY KEY,
        request_id text NOT NULL UNIQUE,
        subject text NOT NULL,
        idempotency_key text NOT NULL,
        notice_id text NOT NULL,
        right_id text NOT NULL,
        body text NOT NULL,
        received_at text NOT NULL,
        UNIQUE (subject, idempotency_key)
      );
    `,
  },
  {
    version: 2,
    description: 'back-office API keys, and the current consent per subject, notice and purpose',
    sql: `
      -- Only the SHA-256 of each key: a copy of this database opens nothing.
      CREATE TABLE IF NOT EXISTS api_keys (
        key_id text PRIMARY KEY,
        name text NOT NULL,
        scopes text NOT NULL,
        key_hash text NOT NULL,
        created_at text NOT NULL,
        revoked_at text
      );
      -- Written in the receipt's transaction (consent-state.ts says which receipt is in force).
      -- Subjects in byte order ("C"), as SQLite orders them: a cursor means the same in both stores.
      CREATE TABLE IF NOT EXISTS consent_state (
        subject text COLLATE "C" NOT NULL,
        notice_id text NOT NULL,
        purpose text NOT NULL,
        state text NOT NULL CHECK (state IN ('granted', 'denied')),
        receipt_id text NOT NULL,
        decided_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (subject, notice_id, purpose)
      );
      -- The subjects of one purpose and state, in subject order, from the index alone.
      CREATE INDEX IF NOT EXISTS consent_state_by_purpose ON consent_state (notice_id, purpose, state, subject) INCLUDE (expires_at, receipt_id);
      -- The receipts stored before this version: per subject and notice, the decision made last.
      INSERT INTO consent_state (subject, notice_id, purpose, state, receipt_id, decided_at, expires_at, seq)
      SELECT r.subject, r.notice_id, d.key, d.value, r.receipt_id, r.decided_at, r.expires_at, r.seq
      FROM (
        SELECT DISTINCT ON (subject, notice_id)
               seq, subject, notice_id, receipt_id, body::jsonb AS doc,
               (body::jsonb #>> '{akkoord,decidedAt}')::bigint AS decided_at,
               (body::jsonb #>> '{akkoord,expiresAt}')::bigint AS expires_at
        FROM receipts
        ORDER BY subject, notice_id, (body::jsonb #>> '{akkoord,decidedAt}')::bigint DESC, receipt_id DESC
      ) r, jsonb_each_text(r.doc #> '{akkoord,decisions}') d
      ON CONFLICT DO NOTHING;
    `,
  },
  { version: 3, ...POSTGRES_PROOF_MIGRATION },
];

/** Any fixed number: the advisory lock that lets one node at a time migrate. */
const MIGRATION_LOCK = 0x616b6b6f;


export class PostgresReceiptStore implements ReceiptStore, RequestStore, ApiKeyStore, ConsentStateStore {
  /** Group commit at work: transactions written, entries in them, the largest batch. */
  readonly stats = new CommitStats();
  /** Settles once the schema is migrated; every call waits for it. Rejects with `NewerDatabaseError` and the like. */
  readonly ready: Promise<void>;
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #commits: GroupCommitQueue;

  constructor(connectionString: string, options: PostgresStoreOptions = {}) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
      throw new TypeError(`schema: "${options.schema}" is not a plain lowercase SQL name`);
    }
    this.#schema = options.schema;
    this.#pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      ...(this.#schema && { options: `-c search_path=${this.#schema}` }),
    });
    // An idle connection the server dropped (a restart): the pool forgets it; the next query opens another.
    this.#pool.on('error', () => {});
    this.ready = this.#migrateWhenReachable(options.startupTimeoutMs ?? 30_000);
    this.ready.catch(() => {}); // reported to whoever awaits it
    this.#commits = new GroupCommitQueue(
      async (entries) => {
        await this.ready;
        return this.#write(entries);
      },
      { maxBatch: options.maxBatch ?? 512, maxQueue: options.maxQueue ?? 10_000, ready: this.ready },
    );
  }

  async #migrateWhenReachable(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        return await this.#migrate();
      } catch (error) {
        if (!(error instanceof StoreBusyError) || Date.now() + wait > until) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async #migrate(): Promise<void> {
    const client = await this.#connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if (this.#schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.#schema}`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      const where = `The PostgreSQL database${this.#schema ? ` (schema ${this.#schema})` : ''}`;
      for (const step of pendingMigrations(rows[0]?.version ?? 0, POSTGRES_MIGRATIONS, where)) {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [step.version, step.description]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(isConnectionError(error));
      throw busyOr(error);
    }
    client.release();
  }

  async #connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw busyOr(error);
    }
    // The pool listens for errors on idle connections only. A server that goes away while this one is checked out
    // emits 'error' on it, which would end the process without a listener; the query under way fails on its own.
    if (!listened.has(client)) {
      listened.add(client);
      client.on('error', () => {});
    }
    return client;
  }

  /** One query on any connection, once the schema is ready. */
  async #query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    await this.ready;
    try {
      return (await this.#pool.query<R>(text, values)).rows;
    } catch (error) {
      throw busyOr(error);
    }
  }

  append(entry: StoredReceipt): Promise<AppendResult> {
    return this.#commits.append(entry);
  }

  appendAll(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
    return this.#commits.appendAll(entries);
  }

  /** Checks and inserts `entries` in order, in one transaction; a failed insert is retried entry by entry. */
  async #write(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
    const client = await this.#connect();
    let results: BatchAppendResult[];
    let toInsert: StoredReceipt[];
    try {
      await client.query('BEGIN');
      const subjects = [...new Set(entries.map((e) => e.subject))];
      await client.query(
        'SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest($1::text[]) s ORDER BY 1) locks',
        [subjects],
      );
      const [same, heads] = [
        await client.query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = ANY($1::text[])`, [entries.map((e) => e.receiptId)]),
        await client.query<{ subject: string; receipt_hash: string | null }>(
          'SELECT s AS subject, (SELECT receipt_hash FROM receipts WHERE subject = s ORDER BY seq DESC LIMIT 1) AS receipt_hash FROM unnest($1::text[]) s',
          [subjects],
        ),
      ];
      const byId = new Map(same.rows.map((row) => [row.receipt_id, fromRow(row)]));
      const headOf = new Map(heads.rows.filter((r) => r.receipt_hash !== null).map((r) => [r.subject, r.receipt_hash!]));
      results = [];
      toInsert = [];
      for (const entry of entries) {
        const head = headOf.get(entry.subject);
        const refused = checkAppend(entry, byId.get(entry.receiptId), head === undefined ? undefined : { receiptHash: head });
        if (refused) {
          results.push(refused);
          continue;
        }
        byId.set(entry.receiptId, entry);
        headOf.set(entry.subject, entry.receiptHash);
        toInsert.push(entry);
        results.push({ outcome: 'created', stored: entry });
      }
      if (toInsert.length) {
        const columns = RECEIPT_COLUMNS.split(', ');
        const inserted = await client.query<{ receipt_id: string; seq: string }>(
          `INSERT INTO receipts (${RECEIPT_COLUMNS}) SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) RETURNING receipt_id, seq`,
          byColumn(toInsert.map(receiptValues)),
        );
        const seqOf = new Map(inserted.rows.map((r) => [r.receipt_id, Number(r.seq)]));
        await writeConsentState(
          client,
          toInsert.flatMap((entry) => {
            const facts = decisionFacts(entry);
            return facts ? [{ facts, seq: seqOf.get(entry.receiptId)! }] : [];
          }),
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(isConnectionError(error));
      if (isConnectionError(error) || entries.length === 1) {
        if (entries.length === 1 && !isConnectionError(error)) return [{ outcome: 'failed', error }];
        throw busyOr(error);
      }
      // One entry the database refused (an exotic value): the others are written without it.
      const one: BatchAppendResult[] = [];
      for (const entry of entries) one.push(...(await this.#write([entry])));
      return one;
    }
    client.release();
    this.stats.record(entries.length);
    return results;
  }

  async get(receiptId: string) {
    const [row] = await this.#query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = $1`, [receiptId]);
    return row && fromRow(row);
  }

  async latest(subject: string) {
    const [row] = await this.#query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE subject = $1 ORDER BY seq DESC LIMIT 1`, [subject]);
    return row && fromRow(row);
  }

  async history(subject: string) {
    return (await this.#query<ReceiptRow>(`SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE subject = $1 ORDER BY seq`, [subject])).map(fromRow);
  }

  async currentConsent(subject: string) {
    const rows = await this.#query<ReceiptRow>(
      `SELECT DISTINCT ON (notice_id) ${RECEIPT_COLUMNS} FROM receipts WHERE subject = $1 ORDER BY notice_id, seq DESC`,
      [subject],
    );
    return rows.map(fromRow);
  }

  async putNotice(hash: string, document: string) {
    await this.#query('INSERT INTO notices (hash, document, stored_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING', [
      hash,
      document,
      new Date().toISOString(),
    ]);
  }

  async getNotice(hash: string) {
    const [row] = await this.#query<{ document: string }>('SELECT document FROM notices WHERE hash = $1', [hash]);
    return row?.document;
  }

  async noticeHashes() {
    return (await this.#query<{ hash: string }>('SELECT hash FROM notices ORDER BY stored_at, hash')).map((r) => r.hash);
  }

  async putRequest(entry: StoredRequest): Promise<PutRequestResult> {
    if (this.#commits.closed) throw new Error('The receipt store is closed');
    const inserted = await this.#query<RequestRow>(
      `INSERT INTO requests (${REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (subject, idempotency_key) DO NOTHING RETURNING ${REQUEST_COLUMNS}`,
      requestValues(entry),
    );
    if (inserted.length) return { outcome: 'created', stored: entry };
    const [sameKey] = await this.#query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE subject = $1 AND idempotency_key = $2`, [
      entry.subject,
      entry.idempotencyKey,
    ]);
    return checkRequest(entry, sameKey && fromRequestRow(sameKey)) ?? { outcome: 'created', stored: entry };
  }

  async requests(subject: string) {
    return (await this.#query<RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE subject = $1 ORDER BY seq`, [subject])).map(
      fromRequestRow,
    );
  }

  async consentStates(noticeId: string, purpose: string, subjects: readonly string[]): Promise<ConsentStateRow[]> {
    if (!subjects.length) return [];
    const rows = await this.#query<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM consent_state WHERE subject = ANY($1::text[]) AND notice_id = $2 AND purpose = $3`,
      [subjects, noticeId, purpose],
    );
    return rows.map(fromStateRow);
  }

  async subjectsWithState(query: { noticeId: string; purpose: string; state: ConsentStateValue; after?: string; limit: number; now: number }) {
    const { noticeId, purpose, state, after = '', limit, now } = query;
    const rows = await this.#query<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM consent_state
       WHERE notice_id = $1 AND purpose = $2 AND state = $3 AND subject > $4 AND expires_at > $5 ORDER BY subject LIMIT $6`,
      [noticeId, purpose, state, after, now, limit],
    );
    return rows.map(fromStateRow);
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.#query(`INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, apiKeyValues(record));
  }

  async apiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.#query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_id = $1`, [id]);
    return row && fromApiKeyRow(row);
  }

  async apiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.#query<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, key_id`)).map(fromApiKeyRow);
  }

  async revokeApiKey(id: string, at: string): Promise<boolean> {
    const rows = await this.#query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE key_id = $2 RETURNING key_id', [at, id]);
    return rows.length > 0;
  }

  /** How many receipts are stored (for checks and the benchmark). */
  async count(): Promise<number> {
    const [row] = await this.#query<{ n: string }>('SELECT count(*) AS n FROM receipts');
    return Number(row!.n);
  }

  /** Finishes pending writes, then closes the connections. */
  async close(): Promise<void> {
    if (this.#commits.closed) return;
    // Refuses appends at once; the writer waits for the migration itself before it writes what was queued.
    await this.#commits.close();
    await this.ready.catch(() => {});
    await this.#pool.end();
  }
}

/**
 * The current-state rows for receipts just inserted in this transaction
 * (their subjects are locked): per subject and notice, the receipt in force
 * among the held one and the new ones replaces the rows, in three queries
 * for the whole batch.
 */
async function writeConsentState(client: pg.PoolClient, inserted: readonly { facts: DecisionFacts; seq: number }[]): Promise<void> {
  const pairKey = (subject: string, noticeId: string) => `${subject}\u0000${noticeId}`;
  const winners = new Map<string, { facts: DecisionFacts; seq: number }>();
  for (const item of inserted) {
    const key = pairKey(item.facts.subject, item.facts.noticeId);
    const held = winners.get(key);
    if (!held || supersedes(item.facts, held.facts)) winners.set(key, item);
  }
  const pairs = [...winners.values()];
  if (!pairs.length) return;
  const { rows: heldRows } = await client.query<{ subject: string; notice_id: string; decided_at: string; receipt_id: string }>(
    `SELECT DISTINCT ON (s.subject, s.notice_id) s.subject, s.notice_id, s.decided_at, s.receipt_id
     FROM consent_state s JOIN unnest($1::text[], $2::text[]) AS p(subject, notice_id) ON s.subject = p.subject AND s.notice_id = p.notice_id`,
    [pairs.map((p) => p.facts.subject), pairs.map((p) => p.facts.noticeId)],
  );
  const heldOf = new Map(heldRows.map((r) => [pairKey(r.subject, r.notice_id), { decidedAt: Number(r.decided_at), receiptId: r.receipt_id }]));
  const replacing = pairs.filter((p) => supersedes(p.facts, heldOf.get(pairKey(p.facts.subject, p.facts.noticeId))));
  if (!replacing.length) return;
  await client.query(
    `DELETE FROM consent_state s USING unnest($1::text[], $2::text[]) AS p(subject, notice_id) WHERE s.subject = p.subject AND s.notice_id = p.notice_id`,
    [replacing.map((p) => p.facts.subject), replacing.map((p) => p.facts.noticeId)],
  );
  const rows = replacing.flatMap((p) => rowsOf(p.facts, p.seq));
  if (!rows.length) return;
  await client.query(
    `INSERT INTO consent_state (${STATE_COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[])`,
    byColumn(rows.map(stateValues)),
  );
}

const listened = new WeakSet<pg.PoolClient>();

/** Errors that mean "the server is not there right now", not "this write is wrong". */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message ?? '');
}

function busyOr(error: unknown): unknown {
  return isConnectionError(error) ? new StoreBusyError(`The database cannot be reached: ${(error as Error).message}`) : error;
}

/** Rows of values turned into one array per column, for an `INSERT … SELECT * FROM unnest($1, $2, …)` of them all. */
function byColumn<T>(rows: readonly T[][]): T[][] {
  return rows[0]!.map((_, i) => rows.map((row) => row[i] as T));
}
