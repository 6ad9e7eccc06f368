export { ReceiptClient, ReceiverError, checkEndpoint, retryAfterMs, type ReceiptClientOptions, type PostResult } from './client.js';
export { ReceiptOutbox, type OutboxOptions, type SyncedReceipt, type FlushReport } from './outbox.js';
export { outboxKey, outboxEntry, type OutboxEntry } from './queue.js';
export { signCompact, verifyCompact, JwsError, base64urlEncode, base64urlDecode } from './jws.js';
export * from './contract.js';
