/**
 * The table rows both SQL stores read and write (SQLite and PostgreSQL share
 * one schema and its column names): each table's column list, and the
 * mapping between its rows and the store's types, both ways. A column list
 * and its `…Values` function name the columns in the same order.
 */
import type { StoredRequest } from './requests.js';
import type { StoredReceipt } from './store.js';
import type { ApiKeyRecord, ApiKeyScope } from './api-keys.js';
import type { ConsentStateRow, ConsentStateValue } from './consent-state.js';

export const RECEIPT_COLUMNS = 'receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at';
export const REQUEST_COLUMNS = 'request_id, subject, idempotency_key, notice_id, right_id, body, received_at';
export const STATE_COLUMNS = 'subject, notice_id, purpose, state, receipt_id, decided_at, expires_at, seq';
export const API_KEY_COLUMNS = 'key_id, name, scopes, key_hash, created_at, revoked_at';

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

/** A receipt's values in the order of `RECEIPT_COLUMNS`. */
export function receiptValues(e: StoredReceipt): (string | null)[] {
  return [e.receiptId, e.subject, e.noticeId, e.noticeHash, e.receiptHash, e.previousReceiptHash, e.body, e.countersignature, e.storedAt];
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

/** A request's values in the order of `REQUEST_COLUMNS`. */
export function requestValues(e: StoredRequest): string[] {
  return [e.requestId, e.subject, e.idempotencyKey, e.noticeId, e.right, e.body, e.receivedAt];
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

/** A current-state row's values in the order of `STATE_COLUMNS`. */
export function stateValues(r: ConsentStateRow): (string | number)[] {
  return [r.subject, r.noticeId, r.purpose, r.state, r.receiptId, r.decidedAt, r.expiresAt, r.seq];
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

/** An API key's values in the order of `API_KEY_COLUMNS`; the scopes space-separated. */
export function apiKeyValues(r: ApiKeyRecord): (string | null)[] {
  return [r.id, r.name, r.scopes.join(' '), r.hash, r.createdAt, r.revokedAt];
}
