/**
 * @akkoord/receiver: the reference backend for Akkoord's consent receipts.
 *
 * This entry is Web-standard (Hono, WebCrypto): it runs on Node, Deno, Bun
 * and edge runtimes. The Node-only parts (the SQLite store, the key file)
 * load on demand through `openSqliteStore` and `loadOrCreateSigner`.
 */
export { createReceiver, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH_BODY_BYTES, type ReceiverOptions, type ReceiverApp } from './app.js';
export {
  MemoryReceiptStore,
  StoreBusyError,
  checkAppend,
  type ReceiptStore,
  type StoredReceipt,
  type AppendResult,
  type BatchAppendResult,
} from './store.js';
export { createSigner, generateSigningKey, type Signer } from './signer.js';
export type { RequestStore, StoredRequest } from './requests.js';
export { signCompact, verifyCompact, jwkThumbprint, base64urlEncode, base64urlDecode, type JwsHeader, type PublicJwk, type VerifyResult } from '@akkoord/core/sync';
export { buildOpenApi } from './openapi.js';
export * from '@akkoord/core/sync';
import type { SqliteReceiptStore, SqliteStoreOptions } from './sqlite-store.js';
import type { KeyFileResult } from './key-file.js';
export type { SqliteReceiptStore, SqliteStoreOptions, KeyFileResult };

/** The embedded SQLite store (Node; `libsql`). */
export async function openSqliteStore(path: string, options?: SqliteStoreOptions): Promise<SqliteReceiptStore> {
  const { SqliteReceiptStore } = await import('./sqlite-store.js');
  return new SqliteReceiptStore(path, options);
}

/**
 * The countersigning key kept in `dataDir/signing-key.jwk` (mode 0600),
 * created on first use (Node). `native: true` signs with node:crypto.
 */
export async function loadOrCreateSigner(dataDir: string, options?: { native?: boolean }): Promise<KeyFileResult> {
  const { loadOrCreateSigner } = await import('./key-file.js');
  return loadOrCreateSigner(dataDir, options);
}
