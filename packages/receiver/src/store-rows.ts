/**
 * The table rows both SQL stores read (SQLite and PostgreSQL share one
 * schema and its column names), and their mapping to the store's types.
 */
import type { StoredRequest } from './requests.js';
import type { StoredReceipt } from './store.js';

export interface ReceiptRow {
  receipt_id: string;
  subject: string;
  notice_id: string;
  notice_hash: string;
  receipt_hash: string;
  previous_hash: string | null;
  body: string;
  countersignature: string;
  stored_at: string;
}

export interface RequestRow {
  request_id: string;
  subject: string;
  idempotency_key: string;
  notice_id: string;
  right_id: string;
  body: string;
  received_at: string;
}

export function fromRow(row: ReceiptRow): StoredReceipt {
  return {
    receiptId: row.receipt_id,
    subject: row.subject,
    noticeId: row.notice_id,
    noticeHash: row.notice_hash,
    receiptHash: row.receipt_hash,
    previousReceiptHash: row.previous_hash,
    body: row.body,
    countersignature: row.countersignature,
    storedAt: row.stored_at,
  };
}

export function fromRequestRow(row: RequestRow): StoredRequest {
  return {
    requestId: row.request_id,
    subject: row.subject,
    idempotencyKey: row.idempotency_key,
    noticeId: row.notice_id,
    right: row.right_id as StoredRequest['right'],
    body: row.body,
    receivedAt: row.received_at,
  };
}
