export { ReceiptClient, ReceiverError, checkEndpoint, retryAfterMs, type ReceiptClientOptions, type PostResult, type BatchResult } from './client.js';
export { ReceiptOutbox, type OutboxOptions, type SyncedReceipt, type FlushReport } from './outbox.js';
export { outboxKey, outboxEntry, type OutboxEntry } from './queue.js';
export { signCompact, verifyCompact, jwkThumbprint, base64urlEncode, base64urlDecode, type JwsHeader, type PublicJwk, type VerifyResult } from './jws.js';
export * from './contract.js';
export { checkCountersignature, type CountersignatureCheck } from './countersignature.js';
