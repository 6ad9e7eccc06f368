/**
 * A subject's consent history: the countersigned receipts this browser
 * keeps (`controller.syncedReceipts()`) merged with the receiver's copy
 * (`GET {endpoint}/subjects/{id}/receipts`), each receipt once, newest first,
 * with whether its countersignature verifies against the receiver's
 * published keys. And the whole history as one JSON document the person can
 * take elsewhere (art. 20: structured, machine-readable), with the keys that
 * verify it.
 */
import { canonicalJson, hashJson } from '../notice/canonical.js';
import type { ConsentReceipt } from '../receipts/schema.js';
import { ReceiptClient } from '../sync/client.js';
import type { HistoryItemSchema } from '../sync/contract.js';
import { checkCountersignature } from '../sync/countersignature.js';
import type { PublicJwk } from '../sync/jws.js';
import type { SyncedReceipt } from '../sync/outbox.js';
import type * as z from 'zod/mini';

export type HistoryItem = z.infer<typeof HistoryItemSchema>;

/** Where a receipt was found. */
export type HistorySource = 'browser' | 'receiver';

export type Verification =
  /** The countersignature is the receiver's (a published key) and signs exactly this receipt. */
  | { status: 'verified'; kid: string }
  /** Forged, edited, or signed over another receipt. */
  | { status: 'failed'; reason: string }
  /** No keys to check against (no endpoint, or the receiver could not be reached). */
  | { status: 'unchecked'; reason: string };

export interface HistoryEntry {
  receipt: ConsentReceipt;
  /** Compact JWS (ES256) over the receipt's canonical JSON. */
  countersignature: string;
  /** When the receiver stored it (ISO 8601). */
  storedAt: string;
  sources: HistorySource[];
  verification: Verification;
}

export interface HistoryExport {
  format: 'akkoord-consent-history';
  version: 1;
  subject: string;
  exportedAt: string;
  /** The receiver's public keys (JWKS) that verify every countersignature below. */
  keys: { keys: PublicJwk[] };
  /** Newest first. */
  receipts: {
    receipt: ConsentReceipt;
    receiptHash: string;
    countersignature: string;
    storedAt: string;
  }[];
}

const UNCHECKED: Verification = { status: 'unchecked', reason: 'no keys to check against' };

/** Newest decision first; a later countersignature first when two decisions share a time. */
function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  return b.receipt.akkoord.decidedAt - a.receipt.akkoord.decidedAt || (b.storedAt < a.storedAt ? -1 : b.storedAt > a.storedAt ? 1 : 0);
}

/**
 * Both copies, each receipt once (by `consentReceiptID`), newest first, not
 * yet verified. A receipt in both places keeps the receiver's copy, and a
 * browser copy whose countersignature differs is kept in `alternatives`
 * for `verifyHistory` to try as well.
 */
export function mergeHistory(local: readonly SyncedReceipt[], remote: readonly HistoryItem[]): HistoryEntry[] {
  const byId = new Map<string, HistoryEntry & { alternatives?: string[] }>();
  for (const item of remote) {
    byId.set(item.receipt.consentReceiptID, {
      receipt: item.receipt,
      countersignature: item.countersignature,
      storedAt: item.storedAt,
      sources: ['receiver'],
      verification: UNCHECKED,
    });
  }
  for (const item of local) {
    const id = item.receipt.consentReceiptID;
    const known = byId.get(id);
    if (!known) {
      byId.set(id, {
        receipt: item.receipt,
        countersignature: item.countersignature,
        storedAt: item.storedAt,
        sources: ['browser'],
        verification: UNCHECKED,
      });
      continue;
    }
    known.sources = ['browser', 'receiver'];
    if (item.countersignature !== known.countersignature) (known.alternatives ??= []).push(item.countersignature);
  }
  return [...byId.values()].sort(newestFirst);
}

/** Whether `jws` is a countersignature, by one of `keys`, of exactly this receipt (the outbox's check, as a verdict to show). */
export async function verifyCountersignature(
  receipt: ConsentReceipt,
  jws: string,
  keys: readonly PublicJwk[],
): Promise<Verification> {
  if (!keys.length) return UNCHECKED;
  const check = await checkCountersignature(receipt, jws, keys);
  return check.ok ? { status: 'verified', kid: check.kid } : { status: 'failed', reason: check.reason };
}

/** Checks every entry against the receiver's keys (`undefined`: none could be read). */
export async function verifyHistory(entries: readonly HistoryEntry[], keys: readonly PublicJwk[] | undefined): Promise<HistoryEntry[]> {
  return Promise.all(
    entries.map(async (entry) => {
      if (!keys?.length) return { ...entry, verification: UNCHECKED };
      const { alternatives = [], ...rest } = entry as HistoryEntry & { alternatives?: string[] };
      let verification = await verifyCountersignature(entry.receipt, entry.countersignature, keys);
      for (const other of alternatives) {
        if (verification.status === 'verified') break;
        const tried = await verifyCountersignature(entry.receipt, other, keys);
        if (tried.status === 'verified') {
          verification = tried;
          rest.countersignature = other;
        }
      }
      return { ...rest, verification };
    }),
  );
}

export interface LoadHistoryOptions {
  subject: string;
  /** The browser's copy: `() => controller.syncedReceipts()`. */
  local?: () => Promise<SyncedReceipt[]>;
  /** The receiver: its history of the subject (the host's credentials are the client's `headers`) and its keys. */
  client?: Pick<ReceiptClient, 'history' | 'keys'>;
}

export interface LoadedHistory {
  entries: HistoryEntry[];
  keys: PublicJwk[];
  /** Why the receiver's copy is missing, if it is. The browser's copy is shown all the same. */
  receiverError?: unknown;
  /** Why the browser's copy is missing, if it is. */
  localError?: unknown;
}

/** Reads both copies (whichever can be read), merges and verifies them. Never rejects. */
export async function loadHistory({ subject, local, client }: LoadHistoryOptions): Promise<LoadedHistory> {
  const [localResult, remoteResult, keysResult] = await Promise.allSettled([
    local ? local() : Promise.resolve([]),
    client ? client.history(subject) : Promise.resolve([]),
    client ? client.keys() : Promise.resolve([]),
  ]);
  const mine = localResult.status === 'fulfilled' ? localResult.value.filter((s) => s.receipt.piiPrincipalId === subject) : [];
  const theirs = remoteResult.status === 'fulfilled' ? remoteResult.value : [];
  const keys = keysResult.status === 'fulfilled' ? keysResult.value : [];
  const entries = await verifyHistory(mergeHistory(mine, theirs), keys);
  return {
    entries,
    keys,
    ...(remoteResult.status === 'rejected' && { receiverError: remoteResult.reason }),
    ...(remoteResult.status === 'fulfilled' && keysResult.status === 'rejected' && { receiverError: keysResult.reason }),
    ...(localResult.status === 'rejected' && { localError: localResult.reason }),
  };
}

export interface ReadHistoryOptions {
  subject: string;
  /** The browser's copy: `() => controller.syncedReceipts()`. */
  local?: () => Promise<SyncedReceipt[]>;
  /** The receiver's URL; without it only the browser's copy is read. */
  endpoint?: string;
  /** The host's credentials for `GET {endpoint}/subjects/{subject}/receipts`. */
  credentials?: () => HeadersInit | Promise<HeadersInit>;
}

/**
 * What an element shows: `loadHistory` with a receipt client for
 * `endpoint`. An endpoint the client refuses (not https, not a URL) is a
 * `receiverError`, and the browser's copy is shown all the same. Never
 * rejects.
 */
export async function readHistory({ subject, local, endpoint, credentials }: ReadHistoryOptions): Promise<LoadedHistory> {
  let client: ReceiptClient | undefined;
  let clientError: unknown;
  if (endpoint) {
    try {
      client = new ReceiptClient({ endpoint, headers: credentials });
    } catch (error) {
      clientError = error;
    }
  }
  const loaded = await loadHistory({ subject, local, client });
  return clientError === undefined ? loaded : { ...loaded, receiverError: clientError };
}

/** The whole history as one portable document, newest first, with the keys that verify it. */
export async function exportHistory(
  subject: string,
  entries: readonly HistoryEntry[],
  keys: readonly PublicJwk[],
  now: Date = new Date(),
): Promise<HistoryExport> {
  return {
    format: 'akkoord-consent-history',
    version: 1,
    subject,
    exportedAt: now.toISOString(),
    keys: { keys: [...keys] },
    receipts: await Promise.all(
      entries.map(async (entry) => ({
        receipt: entry.receipt,
        receiptHash: await hashJson(entry.receipt),
        countersignature: entry.countersignature,
        storedAt: entry.storedAt,
      })),
    ),
  };
}

/**
 * Checks an exported history: every receipt hashes to its `receiptHash`,
 * and its countersignature verifies against the keys the document carries.
 * (Whether those keys are the registrar's is for the reader to check
 * against the receiver's `/.well-known/jwks.json`.)
 */
export async function verifyExport(document: HistoryExport): Promise<{ ok: boolean; failures: { receiptId: string; reason: string }[] }> {
  const failures: { receiptId: string; reason: string }[] = [];
  for (const item of document.receipts) {
    const receiptId = item.receipt?.consentReceiptID ?? '(unknown)';
    if ((await hashJson(item.receipt)) !== item.receiptHash) {
      failures.push({ receiptId, reason: 'the receipt does not hash to its receiptHash' });
      continue;
    }
    const verification = await verifyCountersignature(item.receipt, item.countersignature, document.keys?.keys ?? []);
    if (verification.status !== 'verified') failures.push({ receiptId, reason: verification.reason });
  }
  return { ok: failures.length === 0 && document.format === 'akkoord-consent-history', failures };
}
