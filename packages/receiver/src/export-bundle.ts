/**
 * The export for an auditor: one directory that proves, without the
 * receiver's database, what the receiver stored. Node only.
 *
 *   manifest.json     what the bundle holds: the selection, the counts, the
 *                     SHA-256 of every other file, and where each subject's
 *                     chain starts when it does not start at its first
 *                     receipt (retention removed the oldest, or `--since`
 *                     left them out)
 *   manifest.jws      the receiver's countersignature (ES256) over
 *                     manifest.json, byte for byte
 *   receipts.ndjson   one stored receipt a line, in store order:
 *                     { receipt, receiptHash, countersignature, storedAt }
 *   notices/<hex>.json  every notice version the receipts name, as the
 *                     canonical JSON whose SHA-256 is <hex>
 *   jwks.json         the receiver's public keys, current and previous
 *   iso27560.ndjson   (with format iso27560) each receipt as an ISO/IEC TS
 *                     27560 record in DPV terms, beside the signed original
 *
 * The same bundle also comes as one file (`--out bundle.json`, and
 * `GET /export`): `{ "format": "akkoord-export-file", "files": { "<name>":
 * "<content>", … } }`, the directory's files by name; it is held in memory
 * while written, so take the directory for large exports.
 *
 * `verify-bundle.ts` checks all of it, in either form.
 */
/// <reference types="node" />
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NoticeDocument } from '@akkoord/core/notice';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import type { PublicJwk } from '@akkoord/core/sync';
import { toIso27560 } from './iso27560.js';
import { chainStarts } from './retention.js';
import type { ReceiptRow } from './store-rows.js';
import type { Signer } from './signer.js';
import type { SqlDatabase } from './sql.js';

export const BUNDLE_FORMAT = 'akkoord-export';

export type ExportSelection = { subject: string } | { since: string };

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  createdAt: string;
  selection: ExportSelection;
  formats: ('kantara' | 'iso27560')[];
  receipts: number;
  subjects: number;
  notices: number;
  /** The kids in jwks.json; the first signed manifest.jws. */
  keys: string[];
  /** Subject → the previous-receipt hash its first receipt in this bundle names (absent: its first receipt is its chain's first). */
  chainStarts: Record<string, { previousReceiptHash: string; reason: 'retention' | 'since' }>;
  /** File (relative, `/`) → `sha256:` of its bytes. */
  files: Record<string, string>;
}

/** The one-file form's `format`. */
export const BUNDLE_FILE_FORMAT = 'akkoord-export-file';

/** Where a bundle's files go. */
export interface BundleSink {
  /** A file written in pieces (the NDJSON files). */
  stream(name: string): { write(text: string): Promise<void>; end(): Promise<void> };
  put(name: string, text: string): Promise<void>;
}

/** The files in a directory, which must be new or empty. */
export async function directorySink(dir: string): Promise<BundleSink> {
  await mkdir(join(dir, 'notices'), { recursive: true });
  const present = (await readdir(dir)).filter((f) => f !== 'notices');
  if (present.length || (await readdir(join(dir, 'notices'))).length) throw new ExportError(`${dir} is not empty`);
  return {
    stream(name) {
      const stream = createWriteStream(join(dir, name));
      let failed: Error | undefined;
      stream.on('error', (error) => (failed = error));
      // Lines are gathered into large writes: one write per line makes the disk, not the database, the bottleneck.
      let buffered: string[] = [];
      let size = 0;
      const flush = async () => {
        if (failed) throw failed;
        if (!buffered.length) return;
        const chunk = buffered.join('');
        buffered = [];
        size = 0;
        if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      };
      return {
        async write(text) {
          buffered.push(text);
          size += text.length;
          if (size >= 1 << 20) await flush();
        },
        async end() {
          await flush();
          await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
          if (failed) throw failed;
        },
      };
    },
    put: (name, text) => writeFile(join(dir, name), text),
  };
}

/** The files in memory, for the one-file form: `toJSON()` gives it. */
export function memorySink(): BundleSink & { toJSON(): { format: typeof BUNDLE_FILE_FORMAT; files: Record<string, string> } } {
  const files = new Map<string, string[]>();
  return {
    stream(name) {
      const parts: string[] = [];
      files.set(name, parts);
      return { write: async (text) => void parts.push(text), end: async () => {} };
    },
    put: async (name, text) => void files.set(name, [text]),
    toJSON: () => ({ format: BUNDLE_FILE_FORMAT, files: Object.fromEntries([...files].map(([name, parts]) => [name, parts.join('')])) }),
  };
}

export interface ExportOptions {
  db: SqlDatabase;
  signer: Signer;
  previousKeys?: readonly PublicJwk[];
  selection: ExportSelection;
  /** Add iso27560.ndjson. */
  iso27560?: boolean;
  out: BundleSink;
  now?: Date;
}

/** A stored receipt's row as the export reads it: in store order (`seq`), its id inside `body`. */
type ExportRow = Omit<ReceiptRow, 'receipt_id'> & { seq: number | string };

const PAGE = 2000;
const sha256 = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export class ExportError extends Error {
  override name = 'ExportError';
}

/** Writes the bundle into `out` (`directorySink` or `memorySink`). Resolves with its manifest. */
export async function exportBundle(options: ExportOptions): Promise<BundleManifest> {
  const { db, out, selection } = options;
  const files: Record<string, string> = {};
  const receiptsHash = createHash('sha256');
  const isoHash = createHash('sha256');
  const receipts = out.stream('receipts.ndjson');
  const iso = options.iso27560 ? out.stream('iso27560.ndjson') : undefined;
  const write = (file: ReturnType<BundleSink['stream']>, hash: ReturnType<typeof createHash>, line: string) => {
    hash.update(line);
    return file.write(line);
  };

  const where = 'subject' in selection ? 'subject = $1' : 'stored_at >= $1';
  const value = 'subject' in selection ? selection.subject : new Date(selection.since).toISOString();
  const noticeHashes = new Set<string>();
  const noticeDocuments = new Map<string, NoticeDocument>();
  /** Per subject: the last receipt hash written, and its decisions per notice (for the 27560 statuses). */
  const seen = new Map<string, { decisions: Map<string, Record<string, 'granted' | 'denied'>> }>();
  const firstPrevious = new Map<string, string>();
  let count = 0;
  let after = -1;
  for (;;) {
    const rows = await db.all<ExportRow>(
      `SELECT seq, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at FROM receipts
       WHERE ${where} AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [value, after],
    );
    for (const row of rows) {
      let subject = seen.get(row.subject);
      if (!subject) {
        subject = { decisions: new Map() };
        seen.set(row.subject, subject);
        if (row.previous_hash !== null) firstPrevious.set(row.subject, row.previous_hash);
      }
      noticeHashes.add(row.notice_hash);
      await write(
        receipts,
        receiptsHash,
        `{"receipt":${row.body},"receiptHash":${JSON.stringify(row.receipt_hash)},"countersignature":${JSON.stringify(row.countersignature)},"storedAt":${JSON.stringify(row.stored_at)}}\n`,
      );
      if (iso) {
        const receipt = JSON.parse(row.body) as ConsentReceipt;
        if (!noticeDocuments.has(row.notice_hash)) {
          const [doc] = await db.all<{ document: string }>('SELECT document FROM notices WHERE hash = $1', [row.notice_hash]);
          if (doc) noticeDocuments.set(row.notice_hash, JSON.parse(doc.document) as NoticeDocument);
        }
        const record = toIso27560(receipt, {
          previousDecisions: subject.decisions.get(row.notice_id),
          notice: noticeDocuments.get(row.notice_hash),
          storedAt: row.stored_at,
        });
        subject.decisions.set(row.notice_id, receipt.akkoord.decisions);
        await write(iso, isoHash, `${JSON.stringify(record)}\n`);
      }
      count++;
    }
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)!.seq);
  }
  await receipts.end();
  files['receipts.ndjson'] = `sha256:${receiptsHash.digest('hex')}`;
  if (iso) {
    await iso.end();
    files['iso27560.ndjson'] = `sha256:${isoHash.digest('hex')}`;
  }

  for (const hash of [...noticeHashes].sort()) {
    const [doc] = await db.all<{ document: string }>('SELECT document FROM notices WHERE hash = $1', [hash]);
    if (!doc) throw new ExportError(`the notice ${hash} that stored receipts name is not kept in the database`);
    const name = `notices/${hash.replace(/^sha256:/, '')}.json`;
    await out.put(name, doc.document);
    files[name] = sha256(doc.document);
  }

  const keys = [options.signer.publicJwk, ...(options.previousKeys ?? []).filter((k) => k.kid !== options.signer.kid)];
  const jwks = `${JSON.stringify({ keys }, null, 2)}\n`;
  await out.put('jwks.json', jwks);
  files['jwks.json'] = sha256(jwks);

  const pruned = await chainStarts(db, [...firstPrevious.keys()]);
  const starts: BundleManifest['chainStarts'] = {};
  for (const [subject, previousReceiptHash] of [...firstPrevious].sort(([a], [b]) => (a < b ? -1 : 1))) {
    starts[subject] = { previousReceiptHash, reason: pruned.get(subject) === previousReceiptHash ? 'retention' : 'since' };
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: 1,
    createdAt: (options.now ?? new Date()).toISOString(),
    selection: 'subject' in selection ? { subject: selection.subject } : { since: value },
    formats: options.iso27560 ? ['kantara', 'iso27560'] : ['kantara'],
    receipts: count,
    subjects: seen.size,
    notices: noticeHashes.size,
    keys: keys.map((k) => k.kid!),
    chainStarts: starts,
    files,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await out.put('manifest.json', manifestText);
  await out.put('manifest.jws', `${await options.signer.sign(manifestText)}\n`);
  return manifest;
}
