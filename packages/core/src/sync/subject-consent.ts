/**
 * A signed-in customer's consent as the receiver holds it: the decision in
 * force under a notice, and the head of the customer's chain. The
 * controller reads it before it decides whether to ask (a new device, a
 * sign-in) and when the page becomes visible again (a change made on
 * another device or by the registrar's back office).
 *
 * A decision is taken over only with its countersigned receipt, verified
 * against the receiver's published key: an answer that cannot be proven is
 * not trusted more than the browser's own record.
 */
import { hashJson } from '../notice/canonical.js';
import type { ReceiptClient } from './client.js';
import { checkCountersignature } from './countersignature.js';
import type { SyncedReceipt } from './outbox.js';

export interface ReceiverState {
  /** The head of the subject's chain: what the next receipt names. */
  head: string | null;
  /** The decision in force under the notice, if the receiver holds one. */
  current?: { receiptId: string; receiptHash: string; decidedAt: number };
}

/** `GET /subjects/{id}/consent`, for one notice id. Throws `ReceiverError` when refused, and on no answer. */
export async function readReceiverState(client: ReceiptClient, subject: string, noticeId: string): Promise<ReceiverState> {
  const consent = await client.currentConsent(subject);
  const entry = consent.notices.find((notice) => notice.noticeId === noticeId);
  return {
    head: consent.latestReceiptHash,
    ...(entry && { current: { receiptId: entry.receiptId, receiptHash: entry.receiptHash, decidedAt: entry.decidedAt } }),
  };
}

/**
 * The receipt `receiptId` of `subject` from the receiver's history, with its
 * countersignature, once it is proven: its hash is the one the receiver
 * named, it is the subject's, and the countersignature verifies under the
 * receiver's published key and signs exactly this receipt. Throws with the
 * reason otherwise.
 */
export async function fetchCountersigned(
  client: ReceiptClient,
  subject: string,
  { receiptId, receiptHash }: { receiptId: string; receiptHash: string },
): Promise<SyncedReceipt> {
  const [history, keys] = await Promise.all([client.history(subject), client.keys()]);
  const item = history.find((entry) => entry.receipt.consentReceiptID === receiptId);
  if (!item) throw new Error(`the receiver's history of this subject has no receipt ${receiptId}`);
  if (item.receipt.piiPrincipalId !== subject) throw new Error(`receipt ${receiptId} is another subject's`);
  if ((await hashJson(item.receipt)) !== receiptHash) throw new Error(`receipt ${receiptId} does not have the hash the receiver named`);
  const checked = await checkCountersignature(item.receipt, item.countersignature, keys);
  if (!checked.ok) throw new Error(`the countersignature of receipt ${receiptId} does not verify: ${checked.reason}`);
  return { receipt: item.receipt, receiptHash, countersignature: item.countersignature, storedAt: item.storedAt };
}
