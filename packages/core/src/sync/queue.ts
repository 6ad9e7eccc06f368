/**
 * How a decision enters the outbox: tiny on purpose, because the controller
 * writes it with every decision, on the banner's path; the outbox itself
 * loads later.
 */
import type { ConsentRecord } from '../consent/types.js';

export interface OutboxEntry {
  record: ConsentRecord;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export function outboxKey(record: ConsentRecord): string {
  return `outbox:${String(record.decidedAt).padStart(15, '0')}:${record.receiptId}`;
}

/** Where a receipt is kept once the receiver countersigned it: the subject's receipts sort by decision time. */
export function syncedKey(record: Pick<ConsentRecord, 'subject' | 'decidedAt' | 'receiptId'>): string {
  return `synced:${record.subject}:${String(record.decidedAt).padStart(15, '0')}:${record.receiptId}`;
}

export function outboxEntry(record: ConsentRecord): OutboxEntry {
  return { record, attempts: 0, nextAttemptAt: 0 };
}
