/**
 * From an admitted receipt to the answer: hash and countersign it, append
 * it to the store (a batch in one transaction when the store can), and say
 * what the append means for the client (201, 200, 409, 422, 503).
 */
import { canonicalJson } from '@akkoord/core/notice';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { ReceiptAnswer } from '@akkoord/core/sync';
import { Refusal, refuse } from './refusal.js';
import type { Signer } from './signer.js';
import { StoreBusyError, type AppendResult, type BatchAppendResult, type ReceiptStore, type StoredReceipt } from './store.js';

export interface Sealing {
  signer: Signer;
  sha256: (text: string) => string | Promise<string>;
  now: () => Date;
}

/** The store entry for a receipt: its canonical JSON, that JSON's hash, and the countersignature over it. */
export async function seal(receipt: ConsentReceipt, { signer, sha256, now }: Sealing): Promise<StoredReceipt> {
  // receiptHash(receipt) is hashJson: SHA-256 over this canonical JSON.
  const canonical = canonicalJson(receipt);
  return {
    receiptId: receipt.consentReceiptID,
    subject: receipt.piiPrincipalId,
    noticeId: receipt.akkoord.noticeId,
    noticeHash: receipt.akkoord.noticeHash,
    receiptHash: await sha256(canonical),
    previousReceiptHash: receipt.akkoord.previousReceiptHash,
    body: canonical,
    countersignature: await signer.sign(canonical),
    storedAt: now().toISOString(),
  };
}

/** Appends one entry: the answer, or a refusal; a busy store is a 503 with Retry-After. */
export async function appendOne(store: ReceiptStore, entry: StoredReceipt): Promise<{ status: 200 | 201; answer: ReceiptAnswer }> {
  let result: AppendResult;
  try {
    result = await store.append(entry);
  } catch (error) {
    throw busyOr(error);
  }
  const outcome = answerTo(result);
  if (outcome instanceof Refusal) throw outcome;
  return outcome;
}

/** Entries appended in order: in one transaction when the store can, else one after the other. */
export async function appendAll(store: ReceiptStore, entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
  try {
    if (store.appendAll) return await store.appendAll(entries);
    const results: BatchAppendResult[] = [];
    for (const entry of entries) {
      try {
        results.push(await store.append(entry));
      } catch (error) {
        // Busy fails the whole batch (what was stored is answered again on the retry); anything else fails this entry.
        if (error instanceof StoreBusyError) throw error;
        results.push({ outcome: 'failed', error });
      }
    }
    return results;
  } catch (error) {
    throw busyOr(error);
  }
}

/** What `POST /receipts` answers for an append: the stored answer with 201 or 200, or the refusal (409, 422). */
export function answerTo(result: AppendResult): { status: 200 | 201; answer: ReceiptAnswer } | Refusal {
  switch (result.outcome) {
    case 'created':
    case 'replayed':
      return { status: result.outcome === 'created' ? 201 : 200, answer: answer(result.stored) };
    case 'idempotency-conflict':
      return refuse('idempotency-conflict', 'A different receipt was stored under this id before.');
    case 'chain-conflict':
      return refuse(
        'chain-conflict',
        "previousReceiptHash is not the hash of the subject's latest stored receipt; rebuild on latestReceiptHash.",
        { latestReceiptHash: result.latestReceiptHash },
      );
  }
}

function answer(stored: StoredReceipt): ReceiptAnswer {
  return {
    receiptId: stored.receiptId,
    receiptHash: stored.receiptHash,
    countersignature: stored.countersignature,
    storedAt: stored.storedAt,
  };
}

/** A store that cannot take more now is a 503 with Retry-After; other errors stay what they are (a 500). */
function busyOr(error: unknown): unknown {
  if (!(error instanceof StoreBusyError)) return error;
  return refuse('busy', 'The receiver is busy; try again later.', {}, { 'Retry-After': String(error.retryAfterSeconds) });
}
