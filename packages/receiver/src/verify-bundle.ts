/**
 * `verifyBundle(dir)`: checks an export bundle (`export-bundle.ts`) with
 * nothing but the bundle: no database, no network. Node only (it reads
 * files); the checks themselves are core's (the receipt schema, canonical
 * JSON, the countersignature check), the same the browser uses.
 *
 * In order, stopping at the first thing that does not verify and naming it
 * (file, line, receipt id, what failed):
 * 1. manifest.jws is a countersignature of manifest.json by a key in
 *    jwks.json (or in `trustedKeys`, when the auditor pins the receiver's
 *    published keys: then the bundle's own keys are not trusted);
 * 2. every line of receipts.ndjson: a valid receipt; its hash is the SHA-256
 *    of its canonical JSON; its countersignature verifies and signs exactly
 *    it; it names its subject's previous receipt in the bundle (the first
 *    one: nothing, or the start the manifest gives); its notice is in the
 *    bundle and hashes to the hash it names;
 * 3. every file hashes to what the manifest says, and the counts agree.
 */
/// <reference types="node" />
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { canonicalJson } from '@akkoord/core/notice';
import { ConsentReceiptSchema } from '@akkoord/core/receipts';
import { checkCountersignature, verifyCompact, type CountersignatureCheck, type PublicJwk } from '@akkoord/core/sync';
import { BUNDLE_FILE_FORMAT, BUNDLE_FORMAT, type BundleManifest } from './export-bundle.js';

export interface BundleFailure {
  file: string;
  line?: number;
  receiptId?: string;
  problem: string;
}

export type BundleVerification =
  | { ok: true; receipts: number; subjects: number; notices: number; kids: string[] }
  | { ok: false; failure: BundleFailure; receiptsChecked: number };

export interface VerifyBundleOptions {
  /** The receiver's published keys (its `/.well-known/jwks.json`): trust these instead of the bundle's jwks.json. */
  trustedKeys?: readonly PublicJwk[];
}

const sha256 = (bytes: string | Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

class Failed extends Error {
  constructor(readonly failure: BundleFailure) {
    super(failure.problem);
  }
}

function fail(failure: BundleFailure): never {
  throw new Failed(failure);
}

/** A bundle's files, from its directory or from its one-file form. `read` rejects for a file that is not there. */
interface BundleSource {
  read(name: string): Promise<Buffer>;
  lines(name: string): AsyncIterable<string> & { close?(): void };
}

function directorySource(dir: string): BundleSource {
  return {
    read: (name) => readFile(join(dir, name)),
    lines: (name) => createInterface({ input: createReadStream(join(dir, name), 'utf8'), crlfDelay: Infinity }),
  };
}

function oneFileSource(files: Record<string, unknown>): BundleSource {
  const read = async (name: string) => {
    const text = Object.hasOwn(files, name) ? files[name] : undefined;
    if (typeof text !== 'string') throw new Error(`${name} is not in the bundle`);
    return Buffer.from(text, 'utf8');
  };
  return {
    read,
    lines: (name) => ({
      async *[Symbol.asyncIterator]() {
        const lines = (await read(name)).toString('utf8').split(/\r?\n/);
        if (lines.at(-1) === '') lines.pop();
        yield* lines;
      },
    }),
  };
}

async function readText(source: BundleSource, file: string): Promise<string> {
  try {
    return (await source.read(file)).toString('utf8');
  } catch (error) {
    return fail({ file, problem: `cannot be read: ${(error as Error).message}` });
  }
}

function parseJson(text: string, file: string, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail({ file, line, problem: `is not JSON: ${(error as Error).message}` });
  }
}

/**
 * A description of the first thing in the bundle at `path` (its directory,
 * or its one-file form) that does not verify, or the counts of what does.
 * Never throws for a bad bundle.
 */
export async function verifyBundle(path: string, options: VerifyBundleOptions = {}): Promise<BundleVerification> {
  let checked = 0;
  try {
    const source = await sourceOf(path);
    const manifestText = await readText(source, 'manifest.json');
    const manifest = parseJson(manifestText, 'manifest.json') as BundleManifest;
    if (manifest?.format !== BUNDLE_FORMAT || manifest.version !== 1) {
      fail({ file: 'manifest.json', problem: `is not an ${BUNDLE_FORMAT} version 1 manifest` });
    }
    const jwks = parseJson(await readText(source, 'jwks.json'), 'jwks.json') as { keys?: PublicJwk[] };
    if (!Array.isArray(jwks?.keys) || !jwks.keys.length) fail({ file: 'jwks.json', problem: 'holds no keys' });
    const keys = options.trustedKeys ?? jwks.keys!;

    // 1. The manifest is the receiver's, so its chain starts and file hashes can be trusted.
    const manifestJws = (await readText(source, 'manifest.jws')).trim();
    const signed = await verifyCompact(manifestJws, { keys: [...keys] });
    if (!signed.ok) fail({ file: 'manifest.jws', problem: `does not verify: ${signed.reason}` });
    if (signed.ok && signed.payload !== manifestText) fail({ file: 'manifest.jws', problem: 'signs another manifest than manifest.json' });

    // 2. Receipt by receipt.
    const heads = new Map<string, string>();
    const ids = new Set<string>();
    const notices = new Map<string, boolean>();
    const file = 'receipts.ndjson';
    const lines = source.lines(file);
    // Countersignatures are checked many at a time (WebCrypto works beside this thread); the rest in line order.
    // A failure is reported only after every earlier line's countersignature has been settled, so the first
    // failing line is the one named, whatever kind of failure comes first.
    const pending: { at: Omit<BundleFailure, 'problem'>; check: Promise<CountersignatureCheck> }[] = [];
    const settle = async () => {
      for (const { at, check } of pending.splice(0)) {
        const countersigned = await check;
        if (!countersigned.ok) fail({ ...at, problem: `the countersignature does not verify: ${countersigned.reason}` });
        checked++;
      }
    };
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        try {
          await checkLine(text, line);
        } catch (error) {
          if (error instanceof Failed) await settle();
          throw error;
        }
        if (pending.length >= 256) await settle();
      }
      await settle();
    } catch (error) {
      if (error instanceof Failed) throw error;
      fail({ file, problem: `cannot be read: ${(error as Error).message}` });
    } finally {
      lines.close?.();
    }

    async function checkLine(text: string, line: number): Promise<void> {
      if (!text) fail({ file, line, problem: 'is empty' });
      const item = parseJson(text, file, line) as { receipt?: unknown; receiptHash?: unknown; countersignature?: unknown };
      const parsed = ConsentReceiptSchema.safeParse(item?.receipt);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        fail({ file, line, problem: `is not a valid receipt: ${issue.path.join('.') || 'receipt'}: ${issue.message}` });
      }
      const receipt = parsed.data;
      const at = { file, line, receiptId: receipt.consentReceiptID };
      if (ids.has(receipt.consentReceiptID)) fail({ ...at, problem: 'this receipt id is in the bundle twice' });
      ids.add(receipt.consentReceiptID);
      const hash = sha256(canonicalJson(receipt));
      if (item.receiptHash !== hash) fail({ ...at, problem: `receiptHash is not the SHA-256 of the receipt (${hash})` });
      if (typeof item.countersignature !== 'string') fail({ ...at, problem: 'has no countersignature' });
      const check = checkCountersignature(receipt, item.countersignature, keys);
      check.catch(() => {}); // awaited in settle()
      pending.push({ at, check });

      const subject = receipt.piiPrincipalId;
      const previous = receipt.akkoord.previousReceiptHash;
      const head = heads.get(subject);
      if (head !== undefined) {
        if (previous !== head) fail({ ...at, problem: `the chain is broken: it names ${previous}, but the subject's previous receipt is ${head}` });
      } else {
        const start = manifest.chainStarts?.[subject]?.previousReceiptHash ?? null;
        if (previous !== start) {
          fail({ ...at, problem: `the chain does not start where the manifest says: it names ${previous}, the manifest ${start ?? 'nothing (a first receipt)'}` });
        }
      }
      heads.set(subject, hash);

      const noticeHash = receipt.akkoord.noticeHash;
      if (!notices.has(noticeHash)) {
        const name = `notices/${noticeHash.replace(/^sha256:/, '')}.json`;
        let document: string;
        try {
          document = (await source.read(name)).toString('utf8');
        } catch {
          fail({ ...at, problem: `its notice ${noticeHash} is not in the bundle (${name})` });
        }
        if (sha256(document) !== noticeHash) fail({ file: name, receiptId: receipt.consentReceiptID, problem: `does not hash to ${noticeHash}` });
        if (canonicalJson(parseJson(document, name)) !== document) fail({ file: name, problem: 'is not canonical JSON' });
        notices.set(noticeHash, true);
      }
    }

    // 3. The files as the manifest lists them, and nothing missing from the counts.
    for (const [name, expected] of Object.entries(manifest.files ?? {})) {
      if (name.includes('..') || name.startsWith('/')) fail({ file: 'manifest.json', problem: `lists a file outside the bundle: ${name}` });
      let bytes: Buffer;
      try {
        bytes = await source.read(name);
      } catch {
        return fail({ file: name, problem: 'is listed in the manifest but missing' });
      }
      if (sha256(bytes) !== expected) fail({ file: name, problem: `does not hash to what the manifest says (${expected})` });
    }
    if (!manifest.files?.['receipts.ndjson']) fail({ file: 'manifest.json', problem: 'does not list receipts.ndjson' });
    if (manifest.receipts !== checked) fail({ file: 'manifest.json', problem: `says ${manifest.receipts} receipts; the bundle holds ${checked}` });
    return { ok: true, receipts: checked, subjects: heads.size, notices: notices.size, kids: keys.map((k) => k.kid ?? '?') };
  } catch (error) {
    if (error instanceof Failed) return { ok: false, failure: error.failure, receiptsChecked: checked };
    throw error;
  }
}

/** The bundle's files: a directory, or a `.json` file in the one-file form. */
async function sourceOf(path: string): Promise<BundleSource> {
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile()) return directorySource(path);
  const name = basename(path);
  const bundle = parseJson(await readFile(path, 'utf8'), name) as { format?: unknown; files?: unknown };
  if (bundle?.format !== BUNDLE_FILE_FORMAT || !bundle.files || typeof bundle.files !== 'object') {
    fail({ file: name, problem: `is not an ${BUNDLE_FILE_FORMAT} bundle` });
  }
  return oneFileSource(bundle.files as Record<string, unknown>);
}

/** One line for a person: where and what. */
export function describeFailure(failure: BundleFailure): string {
  const where = [failure.file, failure.line !== undefined && `line ${failure.line}`, failure.receiptId && `receipt ${failure.receiptId}`]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${failure.problem}`;
}
