/**
 * The event feed: every stored receipt as an event, in the order the store
 * committed them, resumable from a cursor, nothing skipped. `GET /events`
 * serves it and the webhook worker follows it.
 *
 * Why a cursor is safe to resume from:
 * - SQLite has one writer at a time, and a row's `seq` is given inside its
 *   write transaction, so `seq` order is commit order: a reader that has
 *   seen `seq` n will never later find a new row below n. (Retention only
 *   deletes the oldest receipts of a chain, never the newest row, so SQLite
 *   never gives a `seq` twice.)
 * - PostgreSQL has many writers, and `bigserial` hands out `seq` before
 *   commit: a transaction may take seq 5, another seq 6 and commit first; a
 *   reader that paged by seq would pass 6 and never see 5. So each row also
 *   records the id of the transaction that wrote it (`xid`, an `xid8`, which
 *   never wraps around), and the feed is ordered by (xid, seq) and hands out
 *   only rows whose xid is below `pg_snapshot_xmin(pg_current_snapshot())`,
 *   the oldest transaction still running. Every transaction below it has
 *   ended, so that part of the table is final; every transaction that can
 *   still commit a row has an xid at or above it, so it sorts after every
 *   cursor given out. Per subject the order is the chain's: the store
 *   writes a subject's receipts under one lock, one transaction after the
 *   other, and a later transaction gets a larger xid. The cost: a long
 *   transaction anywhere on the server holds the feed back until it ends.
 */
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { SqlDatabase, SqlRunner } from './sql.js';

export const EVENT_TYPE = 'consent.recorded';

/** One stored receipt as the feed and the webhooks give it (Standard Webhooks' payload shape: type, timestamp, data). */
export interface ReceiptEvent {
  /** Unique per event and the same on every delivery of it: the webhook's `webhook-id`. */
  id: string;
  type: typeof EVENT_TYPE;
  /** When the receiver stored the receipt (ISO 8601). */
  timestamp: string;
  /** Resume the feed after this event with `?after=<cursor>`. */
  cursor: string;
  data: {
    subject: string;
    noticeId: string;
    noticeVersion: string;
    noticeHash: string;
    /** The notice's consent purposes the receipt grants, and those it denies. */
    granted: string[];
    denied: string[];
    method: string;
    /** When the person decided (ISO 8601). */
    decidedAt: string;
    receiptId: string;
    receiptHash: string;
    previousReceiptHash: string | null;
    storedAt: string;
  };
}

export interface FeedPage {
  events: ReceiptEvent[];
  /** The cursor to ask after next: the last event's, or the one asked after when there was nothing new. */
  next: string | null;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

interface FeedRow {
  cursor: string;
  receipt_id: string;
  subject: string;
  receipt_hash: string;
  previous_hash: string | null;
  body: string;
  stored_at: string;
}

/** The event for one stored receipt. */
export function eventOf(row: FeedRow): ReceiptEvent {
  const receipt = JSON.parse(row.body) as ConsentReceipt;
  const { akkoord } = receipt;
  const decisions = Object.entries(akkoord.decisions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    id: `evt_${row.receipt_id}`,
    type: EVENT_TYPE,
    timestamp: row.stored_at,
    cursor: row.cursor,
    data: {
      subject: row.subject,
      noticeId: akkoord.noticeId,
      noticeVersion: akkoord.noticeVersion,
      noticeHash: akkoord.noticeHash,
      granted: decisions.filter(([, d]) => d === 'granted').map(([id]) => id),
      denied: decisions.filter(([, d]) => d === 'denied').map(([id]) => id),
      method: akkoord.method,
      decidedAt: new Date(akkoord.decidedAt).toISOString(),
      receiptId: row.receipt_id,
      receiptHash: row.receipt_hash,
      previousReceiptHash: row.previous_hash,
      storedAt: row.stored_at,
    },
  };
}

const FEED_COLUMNS = 'receipt_id, subject, receipt_hash, previous_hash, body, stored_at';

/** SQLite cursors are a seq; PostgreSQL cursors are `xid-seq`. Anything else is refused, never guessed at. */
function parseCursor(dialect: SqlDatabase['dialect'], cursor: string): [string, string] {
  const match = dialect === 'sqlite' ? /^()(\d{1,18})$/.exec(cursor) : /^(\d{1,20})-(\d{1,18})$/.exec(cursor);
  if (!match) throw new InvalidCursorError(`"${cursor}" is not a cursor this feed gave out`);
  return [match[1]!, match[2]!];
}

/** Up to `limit` events after `after` (from the start without one), in commit order. */
export async function readFeed(db: SqlRunner & Pick<SqlDatabase, 'dialect'>, after: string | undefined, limit: number): Promise<FeedPage> {
  let rows: FeedRow[];
  if (db.dialect === 'sqlite') {
    const seq = after === undefined ? '0' : parseCursor('sqlite', after)[1];
    rows = await db.all<FeedRow>(
      `SELECT CAST(seq AS TEXT) AS cursor, ${FEED_COLUMNS} FROM receipts WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [Number(seq), limit],
    );
  } else {
    const [xid, seq] = after === undefined ? ['0', '0'] : parseCursor('postgres', after);
    rows = await db.all<FeedRow>(
      `SELECT xid::text || '-' || seq::text AS cursor, ${FEED_COLUMNS} FROM receipts
       WHERE (xid, seq) > ($1::text::xid8, $2::bigint) AND xid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY xid, seq LIMIT $3`,
      [xid, seq, limit],
    );
  }
  const events = rows.map(eventOf);
  return { events, next: events.at(-1)?.cursor ?? after ?? null };
}

/** The cursor of the last event the feed can hand out now (null for an empty feed): where a new follower starts. */
export async function feedHead(db: SqlRunner & Pick<SqlDatabase, 'dialect'>): Promise<string | null> {
  const [row] =
    db.dialect === 'sqlite'
      ? await db.all<{ cursor: string }>('SELECT CAST(seq AS TEXT) AS cursor FROM receipts ORDER BY seq DESC LIMIT 1')
      : await db.all<{ cursor: string }>(
          `SELECT xid::text || '-' || seq::text AS cursor FROM receipts WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY xid DESC, seq DESC LIMIT 1`,
        );
  return row?.cursor ?? null;
}
