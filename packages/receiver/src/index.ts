/**
 * @akkoord/receiver: the reference backend for Akkoord's consent receipts.
 *
 * This entry is Web-standard (Hono, WebCrypto): it runs on Node, Deno, Bun
 * and edge runtimes. The Node-only parts (the SQLite and PostgreSQL stores,
 * the key file) load on demand through `openSqliteStore`,
 * `openPostgresStore` and `loadOrCreateSigner`.
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
export { NewerDatabaseError, type Migration } from './migrations.js';
export { TokenBuckets, parseRateLimit, type RateLimit } from './rate-limit.js';
export type { RequestStore, StoredRequest } from './requests.js';
export { signCompact, verifyCompact, jwkThumbprint, base64urlEncode, base64urlDecode, type JwsHeader, type PublicJwk, type VerifyResult } from '@akkoord/core/sync';
export { buildOpenApi } from './openapi.js';
export { toIso27560, consentStatus, ISO27560_CONTEXT, ISO27560_PROFILE, type ConsentStatus, type Iso27560Options } from './iso27560.js';
export { EVENT_TYPE, type ReceiptEvent, type FeedPage } from './events.js';
export type { BundleManifest, ExportSelection } from './export-bundle.js';
export type { BundleVerification, BundleFailure, VerifyBundleOptions } from './verify-bundle.js';
export * from '@akkoord/core/sync';
import type { SqliteReceiptStore, SqliteStoreOptions } from './sqlite-store.js';
import type { PostgresReceiptStore, PostgresStoreOptions } from './postgres-store.js';
import type { KeyFileResult } from './key-file.js';
export type { SqliteReceiptStore, SqliteStoreOptions, PostgresReceiptStore, PostgresStoreOptions, KeyFileResult };

/** The embedded SQLite store (Node; `libsql`). */
export async function openSqliteStore(path: string, options?: SqliteStoreOptions): Promise<SqliteReceiptStore> {
  const { SqliteReceiptStore } = await import('./sqlite-store.js');
  return new SqliteReceiptStore(path, options);
}

/** The PostgreSQL store (Node; `pg`), its schema created or migrated before it resolves. */
export async function openPostgresStore(connectionString: string, options?: PostgresStoreOptions): Promise<PostgresReceiptStore> {
  const { PostgresReceiptStore } = await import('./postgres-store.js');
  const store = new PostgresReceiptStore(connectionString, options);
  try {
    await store.ready;
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}

/**
 * The countersigning key kept in `dataDir/signing-key.jwk` (mode 0600),
 * created on first use (Node). `native: true` signs with node:crypto.
 */
export async function loadOrCreateSigner(dataDir: string, options?: { native?: boolean }): Promise<KeyFileResult> {
  const { loadOrCreateSigner } = await import('./key-file.js');
  return loadOrCreateSigner(dataDir, options);
}

/** `akkoord-receiver keys rotate` (Node): a new signing key; the old one's public half stays in the JWKS. */
export async function rotateSigningKey(dataDir: string): Promise<{ previousKid: string; kid: string }> {
  const { rotateSigningKey } = await import('./key-file.js');
  return rotateSigningKey(dataDir);
}
