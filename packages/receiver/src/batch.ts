/**
 * `POST /receipts/batch`: each item is taken as a `POST /receipts` of it
 * would be, in order: the same checks, the same answers, in one store
 * transaction (group commit) when the store can. One item's refusal does
 * not touch the others; each gets its own status in the answer.
 */
import { MAX_BATCH_ITEMS, ReceiptBatchEnvelopeSchema, type BatchItemResult, type ReceiptBatchAnswer } from '@akkoord/core/sync';
import { answerTo, appendAll } from './append.js';
import { issuesOf, Refusal, refuse, STATUS } from './refusal.js';
import type { BatchAppendResult, ReceiptStore, StoredReceipt } from './store.js';

export interface BatchOptions {
  store: ReceiptStore;
  /** Largest receipt, as in `POST /receipts`: a batch is no way around it. */
  maxReceiptBytes: number;
  /** A receipt as `POST /receipts` admits it under `key`, sealed; or a `Refusal`. */
  admit: (receipt: unknown, key: string) => Promise<StoredReceipt>;
  /** Reports an item the store failed to write (its answer is a 500). */
  onError: (error: unknown) => void;
}

const encoder = new TextEncoder();

export async function takeBatch(body: unknown, { store, maxReceiptBytes, admit, onError }: BatchOptions): Promise<ReceiptBatchAnswer> {
  const items = (body as { items?: unknown } | null)?.items;
  if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS) {
    throw refuse('payload-too-large', `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}.`);
  }
  const envelope = ReceiptBatchEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw refuse('invalid-request', `Send { "items": [{ "idempotencyKey", "receipt" }, …] } with 1 to ${MAX_BATCH_ITEMS} items.`, {
      issues: issuesOf(envelope.error),
    });
  }
  const taken = await Promise.all(
    envelope.data.items.map(({ idempotencyKey, receipt }): Promise<StoredReceipt | Refusal> | Refusal => {
      const bytes = encoder.encode(JSON.stringify(receipt)).byteLength;
      if (bytes > maxReceiptBytes) {
        return refuse('payload-too-large', `A receipt is at most ${maxReceiptBytes} bytes, as in POST /receipts; this one has ${bytes}.`);
      }
      return admit(receipt, idempotencyKey).catch((error: unknown) => {
        if (error instanceof Refusal) return error;
        throw error;
      });
    }),
  );
  const appended = await appendAll(
    store,
    taken.filter((t): t is StoredReceipt => !(t instanceof Refusal)),
  );
  let next = 0;
  const results = envelope.data.items.map(({ idempotencyKey }, i): BatchItemResult => {
    const item = taken[i]!;
    const outcome = item instanceof Refusal ? item : settled(appended[next++]!, onError);
    return outcome instanceof Refusal
      ? { idempotencyKey, status: STATUS[outcome.body.error], error: outcome.body }
      : { idempotencyKey, ...outcome };
  });
  return { results };
}

/** A batch entry's answer; an entry the store failed to write is a 500 for that item alone, and reported. */
function settled(result: BatchAppendResult, onError: (error: unknown) => void): ReturnType<typeof answerTo> {
  if (result.outcome !== 'failed') return answerTo(result);
  onError(result.error);
  return refuse('internal-error', 'The receiver failed to store this receipt; send it again (a repeat is safe).');
}
