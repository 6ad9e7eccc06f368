/**
 * Which of two decisions is in force: the one the person made last. Tabs,
 * devices and the receiver all order decisions this way, so they agree
 * without asking each other.
 */
import type { ConsentRecord } from './types.js';

/** Whether `a` was decided after `b` (ties broken by receipt id, so every tab and device agrees). */
export function isLater(a: unknown, b: Pick<ConsentRecord, 'decidedAt' | 'receiptId'>): boolean {
  if (!a || typeof a !== 'object') return false;
  const { decidedAt, receiptId } = a as Partial<ConsentRecord>;
  if (typeof decidedAt !== 'number' || typeof receiptId !== 'string') return false;
  return decidedAt > b.decidedAt || (decidedAt === b.decidedAt && receiptId > b.receiptId);
}
