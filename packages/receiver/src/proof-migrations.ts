/**
 * The tables of the event feed, webhooks and retention, as schema steps that
 * the two stores append to their own lists (`sqlite-store.ts`,
 * `postgres-store.ts`). Each list is numbered 1, 2, 3, …; these steps take
 * the next numbers there. Like the earlier steps, they leave alone what they
 * find already made (`IF NOT EXISTS`), so a file whose version number was
 * set back still opens.
 */
import type { Migration } from './migrations.js';

const TABLES = (types: { seq: string; int: string; bigint: string }) => `
  -- A webhook endpoint and its place in the event feed: events after \`cursor\` are not queued for it yet.
  CREATE TABLE IF NOT EXISTS webhook_endpoints (
    id text PRIMARY KEY,
    url text NOT NULL,
    secret text NOT NULL,
    created_at text NOT NULL,
    cursor text
  );
  -- Events queued for an endpoint and not yet delivered: pending (being tried), or dead (given up; replayable).
  -- A delivered event's row is deleted.
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq ${types.seq} PRIMARY KEY,
    endpoint_id text NOT NULL,
    event_id text NOT NULL,
    subject text NOT NULL,
    payload text NOT NULL,
    state text NOT NULL,
    attempts ${types.int} NOT NULL DEFAULT 0,
    queued_at ${types.bigint} NOT NULL,
    first_attempt_at ${types.bigint},
    next_attempt_at ${types.bigint} NOT NULL,
    lease_until ${types.bigint},
    last_error text,
    UNIQUE (endpoint_id, event_id)
  );
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
  CREATE INDEX IF NOT EXISTS webhook_deliveries_by_subject ON webhook_deliveries (endpoint_id, subject, seq);
  -- The last attempts, for the back office to look at (trimmed to a few thousand).
  CREATE TABLE IF NOT EXISTS webhook_attempts (
    seq ${types.seq} PRIMARY KEY,
    endpoint_id text NOT NULL,
    event_id text NOT NULL,
    attempted_at text NOT NULL,
    outcome text NOT NULL,
    status ${types.int},
    error text,
    latency_ms ${types.int} NOT NULL
  );
  -- Where a subject's chain starts after retention removed its oldest receipts: the hash its first kept receipt names.
  CREATE TABLE IF NOT EXISTS chain_starts (
    subject text PRIMARY KEY,
    previous_hash text NOT NULL,
    pruned ${types.int} NOT NULL,
    pruned_at text NOT NULL
  );
`;

export const SQLITE_PROOF_MIGRATION = {
  description: 'event feed, webhooks and retention',
  sql: TABLES({ seq: 'INTEGER', int: 'INTEGER', bigint: 'INTEGER' }),
} satisfies Omit<Migration, 'version'>;

export const POSTGRES_PROOF_MIGRATION = {
  description: 'event feed, webhooks and retention',
  sql: `
    -- The transaction that wrote each receipt, so the event feed hands out only rows no running transaction can
    -- still come before (see events.ts). Existing rows get this migration's transaction: all committed, in seq order.
    ALTER TABLE receipts ADD COLUMN IF NOT EXISTS xid xid8 NOT NULL DEFAULT pg_current_xact_id();
    CREATE INDEX IF NOT EXISTS receipts_feed ON receipts (xid, seq);
    ${TABLES({ seq: 'bigserial', int: 'integer', bigint: 'bigint' })}
  `,
} satisfies Omit<Migration, 'version'>;
