/**
 * Retention: a receipt proves consent for as long as a claim about that
 * consent can be made, then it goes (GDPR art. 5(1)(e) against art. 7(1)).
 *
 * What "ended" means here. A receipt records a subject's decisions on one
 * notice. Its decisions stop being the subject's current ones when a later
 * decision on the same notice is recorded: a receipt of the same subject and
 * notice decided later (by `decidedAt`, ties by receipt id; the same rule
 * that picks the decision in force). The consent the first receipt proves
 * ended when that later receipt was stored. A receipt may be removed once
 * the retention period (default 5 years) has passed since then.
 *
 * So the latest decision per notice is never removed: it is the subject's
 * current state, whatever it says (granted, refused or withdrawn), and it
 * is what answers "may I mail this person?". Removing a subject altogether
 * is an erasure request, not retention.
 *
 * Only a prefix of a chain is removed: the oldest receipts, up to the first
 * one that must stay. The chain that remains still verifies link by link;
 * its first receipt names the hash of the last removed one, which is kept
 * per subject in `chain_starts`, so a verifier knows where the chain now
 * begins (the export carries it in its manifest).
 */
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { SqlDatabase, SqlRunner } from './sql.js';

export const DEFAULT_RETENTION = '5y';

/** Receipts (by seq) looked at per query when looking for chains to cut. */
const CANDIDATE_SLICE = 20_000;

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365.25 * 86_400_000,
};

/**
 * The shortest retention the command line takes. Proof of consent is kept
 * as long as a claim about it can be made; a shorter period is a slip, not
 * a policy. (The library takes any period, for tests with a moved clock.)
 */
export const MIN_RETENTION_MS = 86_400_000;

/** `500ms`, `30s`, `15m`, `12h`, `30d`, `8w`, `5y` (365.25 days) to milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim());
  if (!match) throw new TypeError(`"${text}" is not a duration (like 500ms, 30s, 15m, 12h, 30d, 8w or 5y)`);
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

export interface PruneReport {
  /** Subjects whose chain got shorter. */
  subjects: number;
  /** Receipts removed. */
  receipts: number;
  /** Dead letters removed (their events are as old). */
  deadLetters: number;
}

interface ChainRow {
  seq: number | string;
  receipt_id: string;
  notice_id: string;
  receipt_hash: string;
  body: string;
  stored_at: string;
}

/** How many receipts at the start of this chain (oldest first) have been over for at least the period, as of `cutoff`. */
export function prunablePrefix(chain: readonly ChainRow[], cutoff: string): number {
  const decided = chain.map((row) => ({
    row,
    decidedAt: (JSON.parse(row.body) as ConsentReceipt).akkoord.decidedAt,
  }));
  let prefix = 0;
  for (const own of decided) {
    let endedAt: string | undefined;
    for (const other of decided) {
      if (other === own || other.row.notice_id !== own.row.notice_id) continue;
      const later = other.decidedAt > own.decidedAt || (other.decidedAt === own.decidedAt && other.row.receipt_id > own.row.receipt_id);
      if (later && (endedAt === undefined || other.row.stored_at < endedAt)) endedAt = other.row.stored_at;
    }
    if (endedAt === undefined || endedAt > cutoff) break;
    prefix++;
  }
  // The newest receipt stays, whatever: it is the chain's head, which the next receipt must name.
  return Math.min(prefix, chain.length - 1);
}

/** Removes what retention allows as of `now`; safe to run on several nodes at once and while receipts arrive. */
export async function pruneReceipts(db: SqlDatabase, options: { retentionMs: number; now?: Date }): Promise<PruneReport> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionMs).toISOString();
  const report: PruneReport = { subjects: 0, receipts: 0, deadLetters: 0 };
  // Subjects with a receipt stored before the cutoff that follows an earlier one on the same notice: only their
  // chains can start with a receipt that is over (its successor on that notice was stored at the cutoff or before).
  // Looked for a slice of the table at a time: on SQLite every query blocks the receiver's event loop while it runs.
  const candidates = new Set<string>();
  const [{ top } = { top: 0 }] = await db.all<{ top: number | string | null }>('SELECT max(seq) AS top FROM receipts');
  for (let from = 0; from < Number(top ?? 0); from += CANDIDATE_SLICE) {
    const rows = await db.all<{ subject: string }>(
      `SELECT DISTINCT s.subject FROM receipts s WHERE s.seq > $2 AND s.seq <= $3 AND s.stored_at <= $1
         AND EXISTS (SELECT 1 FROM receipts p WHERE p.subject = s.subject AND p.notice_id = s.notice_id AND p.seq < s.seq)`,
      [cutoff, from, from + CANDIDATE_SLICE],
    );
    for (const { subject } of rows) candidates.add(subject);
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const subject of candidates) {
    const removed = await db.transaction((tx) => pruneChain(tx, db.dialect, subject, cutoff, now));
    if (removed) {
      report.subjects++;
      report.receipts += removed;
    }
  }
  report.deadLetters = await db.run(`DELETE FROM webhook_deliveries WHERE state = 'dead' AND queued_at <= $1`, [
    now.getTime() - options.retentionMs,
  ]);
  return report;
}

async function pruneChain(tx: SqlRunner, dialect: SqlDatabase['dialect'], subject: string, cutoff: string, now: Date): Promise<number> {
  // The lock the PostgreSQL store takes to append to this subject's chain: no receipt arrives while we cut.
  if (dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [subject]);
  const chain = await tx.all<ChainRow>(
    'SELECT seq, receipt_id, notice_id, receipt_hash, body, stored_at FROM receipts WHERE subject = $1 ORDER BY seq',
    [subject],
  );
  const prefix = prunablePrefix(chain, cutoff);
  if (prefix <= 0) return 0;
  const last = chain[prefix - 1]!;
  await tx.run('DELETE FROM receipts WHERE subject = $1 AND seq <= $2', [subject, Number(last.seq)]);
  await tx.run(
    `INSERT INTO chain_starts (subject, previous_hash, pruned, pruned_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subject) DO UPDATE SET previous_hash = excluded.previous_hash, pruned = chain_starts.pruned + excluded.pruned,
       pruned_at = excluded.pruned_at`,
    [subject, last.receipt_hash, prefix, now.toISOString()],
  );
  return prefix;
}

/** Where each subject's chain starts, for those whose oldest receipts were removed: subject → the hash its first receipt names. */
export async function chainStarts(db: SqlRunner, subjects?: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.all<{ subject: string; previous_hash: string }>('SELECT subject, previous_hash FROM chain_starts');
  const wanted = subjects && new Set(subjects);
  return new Map(rows.filter((r) => !wanted || wanted.has(r.subject)).map((r) => [r.subject, r.previous_hash]));
}

/** Runs `pruneReceipts` now and then every `everyMs`; returns a function that stops it. */
export function scheduleRetention(
  db: SqlDatabase,
  options: { retentionMs: number; everyMs: number; now?: () => Date; onPruned?: (report: PruneReport) => void; onError?: (error: unknown) => void },
): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> | undefined;
  const run = () => {
    if (stopped || running) return;
    running = pruneReceipts(db, { retentionMs: options.retentionMs, now: options.now?.() })
      .then((report) => {
        if (report.receipts || report.deadLetters) options.onPruned?.(report);
      })
      .catch((error) => options.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, options.everyMs);
  timer.unref?.();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
