/**
 * The table rows both SQL stores read (SQLite and PostgreSQL share one
 * schema and its column names), and their mapping to the store's types.
 */
import type { StoredRequest } from './requests.js';
import type { StoredReceipt } from './store.js';
import type { ApiKeyRecord, ApiKeyScope } from './api-keys.js';
import type { ConsentStateRow, ConsentStateValue } from './consent-state.js';

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

export interface StateRow {
  subject: string;
  notice_id: string;
  purpose: string;
  state: string;
  receipt_id: string;
  /** A bigint column comes back from PostgreSQL as a string. */
  decided_at: number | string;
  expires_at: number | string;
  seq: number | string;
}

export function fromStateRow(row: StateRow): ConsentStateRow {
  return {
    subject: row.subject,
    noticeId: row.notice_id,
    purpose: row.purpose,
    state: row.state as ConsentStateValue,
    receiptId: row.receipt_id,
    decidedAt: Number(row.decided_at),
    expiresAt: Number(row.expires_at),
    seq: Number(row.seq),
  };
}

export interface ApiKeyRow {
  key_id: string;
  name: string;
  /** Space-separated. */
  scopes: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export function fromApiKeyRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.key_id,
    name: row.name,
    scopes: row.scopes.split(' ').filter(Boolean) as ApiKeyScope[],
    hash: row.key_hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
