/**
 * The current-state table: per subject, notice and purpose, the decision in
 * force and the receipt that proves it. Every store writes it in the same
 * transaction as the receipt, so the back office's bulk check and its
 * list of consenting subjects never replay chains and are never behind.
 *
 * Which receipt is in force is the rule of `GET /subjects/{id}/consent`:
 * per notice, the decision the person made last (`decidedAt`, ties by the
 * larger receipt id), wherever it sits in the chain. Two devices that
 * decided apart both end in the chain; the later decision is the state. A
 * receipt in force replaces all rows of its subject and notice, so a
 * purpose a newer notice version no longer asks about leaves the table.
 */
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { StoredReceipt } from './store.js';

export type ConsentStateValue = 'granted' | 'denied';

/** One row of the table. */
export interface ConsentStateRow {
  subject: string;
  noticeId: string;
  purpose: string;
  state: ConsentStateValue;
  receiptId: string;
  /** Epoch milliseconds, as in the receipt. */
  decidedAt: number;
  expiresAt: number;
  /** The store's sequence number of the receipt: when the row last changed. */
  seq: number;
}

/** What the stores answer the back office from. */
export interface ConsentStateStore {
  /** The rows of `subjects` for one notice and purpose, in any order; a subject without a row has none here. */
  consentStates(noticeId: string, purpose: string, subjects: readonly string[]): Promise<ConsentStateRow[]>;
  /**
   * At most `limit` rows with `state`, ordered by subject, after the subject
   * `after` (exclusive; undefined: from the start), whose decision has not
   * expired at `now` (epoch ms).
   */
  subjectsWithState(query: { noticeId: string; purpose: string; state: ConsentStateValue; after?: string; limit: number; now: number }): Promise<ConsentStateRow[]>;
}

export function isConsentStateStore(value: unknown): value is ConsentStateStore {
  const candidate = value as Partial<ConsentStateStore> | null | undefined;
  return typeof candidate?.consentStates === 'function' && typeof candidate.subjectsWithState === 'function';
}

/** The facts of a stored receipt the table needs. */
export interface DecisionFacts {
  subject: string;
  noticeId: string;
  receiptId: string;
  decidedAt: number;
  expiresAt: number;
  decisions: Record<string, ConsentStateValue>;
}

/**
 * The facts of `entry`, or undefined for a body that holds no decisions:
 * the receiver stores only admitted receipts, but a store takes what it is
 * given and keeps no state for what is not one.
 */
export function decisionFacts(entry: StoredReceipt): DecisionFacts | undefined {
  let akkoord: Partial<ConsentReceipt['akkoord']> | undefined;
  try {
    akkoord = (JSON.parse(entry.body) as Partial<ConsentReceipt>).akkoord;
  } catch {
    return undefined;
  }
  if (typeof akkoord?.decidedAt !== 'number' || typeof akkoord.expiresAt !== 'number' || typeof akkoord.decisions !== 'object' || !akkoord.decisions) {
    return undefined;
  }
  return {
    subject: entry.subject,
    noticeId: entry.noticeId,
    receiptId: entry.receiptId,
    decidedAt: akkoord.decidedAt,
    expiresAt: akkoord.expiresAt,
    decisions: akkoord.decisions,
  };
}

/** Does a receipt decided at `decidedAt` with `receiptId` replace the one in force (`held`)? */
export function supersedes(candidate: { decidedAt: number; receiptId: string }, held: { decidedAt: number; receiptId: string } | undefined): boolean {
  if (!held) return true;
  return candidate.decidedAt > held.decidedAt || (candidate.decidedAt === held.decidedAt && candidate.receiptId > held.receiptId);
}

/** The table's rows for a receipt in force. */
export function rowsOf(facts: DecisionFacts, seq: number): ConsentStateRow[] {
  return Object.entries(facts.decisions).map(([purpose, state]) => ({
    subject: facts.subject,
    noticeId: facts.noticeId,
    purpose,
    state,
    receiptId: facts.receiptId,
    decidedAt: facts.decidedAt,
    expiresAt: facts.expiresAt,
    seq,
  }));
}
