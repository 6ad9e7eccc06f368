/**
 * `createReceiver(options)`: the receiver as a Web-standard Hono app
 * (`app.fetch(request)`), so a host mounts it on Node, Deno, Bun, or an edge
 * runtime. Storage, signing key and authorization are the host's to give.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { canonicalJson, hashJson, type NoticeDocument } from '@akkoord/core/notice';
import { ConsentReceiptSchema, type ConsentReceipt } from '@akkoord/core/receipts';
import { MAX_BATCH_ITEMS, ReceiptBatchEnvelopeSchema, verifyCompact } from '@akkoord/core/sync';
import { buildOpenApi } from './openapi.js';
import type {
  BatchItemResult,
  ErrorBody,
  ErrorCode,
  ReceiptAnswer,
  ReceiptBatchAnswer,
  SubjectConsent,
  SubjectHistory,
} from '@akkoord/core/sync';
import type { Signer } from './signer.js';
import { StoreBusyError, type AppendResult, type BatchAppendResult, type ReceiptStore, type StoredReceipt } from './store.js';
import { isRequestStore, requestRoutes, type RequestStore } from './requests.js';

export interface ReceiverOptions {
  store: ReceiptStore;
  signer: Signer;
  /**
   * The notice documents whose hashes receipts may name. Each is kept in the
   * store for good, so every hash ever accepted stays resolvable at
   * `GET /notices/{hash}`, and receipts on it stay acceptable, even after
   * it is dropped from this list.
   */
  notices: readonly NoticeDocument[];
  /**
   * May this request read the history and consent of `subjectId`, or make
   * a request to use a right about it? Called for every
   * `GET /subjects/{id}/...` and `POST /requests`. Default: no one may.
   */
  authorize?: (request: Request, subjectId: string) => boolean | Promise<boolean>;
  /**
   * Where requests to use a right (`POST /requests`) are kept. Default:
   * `store`, when it keeps them too (both stores of this package do);
   * without one, the requests endpoints answer 404.
   */
  requestStore?: RequestStore;
  /** May this request store this receipt? Default: yes (visitors are anonymous). */
  authorizeReceipt?: (request: Request, receipt: ConsentReceipt) => boolean | Promise<boolean>;
  /** Origins allowed by CORS, with credentials (exact `scheme://host:port`). Default: none. */
  allowedOrigins?: readonly string[];
  /** Largest request body; larger gets 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Largest body of `POST /receipts/batch` (up to 100 receipts); larger gets 413. Default 1 MiB. */
  maxBatchBodyBytes?: number;
  /**
   * SHA-256 of a string as `sha256:` and lowercase hex. Default: WebCrypto.
   * A host may pass a faster native one (the Node CLI passes node:crypto's);
   * it must give the same answer as core's `hashJson` on canonical JSON.
   */
  sha256?: (text: string) => string | Promise<string>;
  /** For tests. */
  now?: () => Date;
  /** Unexpected errors (a 500) are reported here. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

export type ReceiverApp = Hono & {
  /** Settles when the notices are hashed and kept; rejects when they cannot be. Requests wait for it. */
  ready: Promise<void>;
};

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Room for a full batch of receipts of a notice with many services (the launch notices' are ~2.5 kB each). */
export const DEFAULT_MAX_BATCH_BODY_BYTES = 1024 * 1024;

const STATUS: Record<ErrorCode, 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503> = {
  'invalid-json': 400,
  'invalid-receipt': 400,
  'invalid-request': 400,
  'idempotency-key-mismatch': 400,
  forbidden: 403,
  'not-found': 404,
  'chain-conflict': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'idempotency-conflict': 422,
  'unknown-notice': 422,
  'invalid-countersignature': 422,
  'rate-limited': 429,
  busy: 503,
  'internal-error': 500,
};

interface KnownNotice {
  id: string;
  version: string;
  consentPurposes: ReadonlySet<string>;
  rights: ReadonlySet<string>;
}

class Refusal extends Error {
  constructor(
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

const encoder = new TextEncoder();

const refuse = (error: ErrorCode, message: string, extra: Partial<ErrorBody> = {}, headers?: Record<string, string>) =>
  new Refusal({ error, message, ...extra }, headers);

export function createReceiver(options: ReceiverOptions): ReceiverApp {
  const { store, signer } = options;
  const authorize = options.authorize ?? (() => false);
  const authorizeReceipt = options.authorizeReceipt ?? (() => true);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBatchBodyBytes = options.maxBatchBodyBytes ?? DEFAULT_MAX_BATCH_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const sha256 = options.sha256 ?? webSha256;
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const known = new Map<string, KnownNotice>();
  let openApi: Record<string, unknown> | undefined;

  const ready = (async () => {
    for (const notice of options.notices) {
      const hash = await hashJson(notice);
      await store.putNotice(hash, canonicalJson(notice));
      known.set(hash, describeNotice(notice));
    }
    for (const hash of await store.noticeHashes()) {
      if (known.has(hash)) continue;
      const document = await store.getNotice(hash);
      if (document) known.set(hash, describeNotice(JSON.parse(document) as NoticeDocument));
    }
  })();
  ready.catch(() => {}); // reported to whoever awaits it; no unhandled rejection meanwhile

  const app = new Hono();

  app.use(
    '*',
    cors({
      origin: (origin) => (options.allowedOrigins?.includes(origin) ? origin : null),
      credentials: true,
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );
  app.use('*', async (_c, next) => {
    await ready;
    await next();
  });

  app.post('/receipts', async (c) => {
    const entry = await admit(c.req.raw, await readJson(c.req.raw, maxBodyBytes), c.req.header('Idempotency-Key'));
    let result: AppendResult;
    try {
      result = await store.append(entry);
    } catch (error) {
      throw busyOr(error);
    }
    const outcome = answerTo(result);
    if (outcome instanceof Refusal) throw outcome;
    return c.json(outcome.answer, outcome.status);
  });

  // Each item is taken as a `POST /receipts` of it would be, in order: the same checks, the
  // same answers, in one store transaction (group commit) when the store can.
  app.post('/receipts/batch', async (c) => {
    const body = await readJson(c.req.raw, maxBatchBodyBytes);
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
      envelope.data.items.map(({ idempotencyKey, receipt }) => {
        // Each receipt is held to the limit of POST /receipts, so that a batch is no way around it.
        const bytes = encoder.encode(JSON.stringify(receipt)).byteLength;
        if (bytes > maxBodyBytes) {
          return refuse('payload-too-large', `A receipt is at most ${maxBodyBytes} bytes, as in POST /receipts; this one has ${bytes}.`);
        }
        return admit(c.req.raw, receipt, idempotencyKey).catch((error: unknown) => {
          if (error instanceof Refusal) return error;
          throw error;
        });
      }),
    );
    const entries = taken.filter((t): t is StoredReceipt => !(t instanceof Refusal));
    let appended: BatchAppendResult[];
    try {
      appended = await appendAll(entries);
    } catch (error) {
      throw busyOr(error);
    }
    let next = 0;
    const results = envelope.data.items.map(({ idempotencyKey }, i): BatchItemResult => {
      const item = taken[i]!;
      const outcome = item instanceof Refusal ? item : settled(appended[next++]!);
      return outcome instanceof Refusal
        ? { idempotencyKey, status: STATUS[outcome.body.error], error: outcome.body }
        : { idempotencyKey, ...outcome };
    });
    return c.json({ results } satisfies ReceiptBatchAnswer, 200);
  });

  app.get('/subjects/:subjectId/consent', async (c) => {
    const subject = await admitted(c);
    const history = await store.history(subject);
    const body: SubjectConsent = {
      subject,
      latestReceiptHash: history.at(-1)?.receiptHash ?? null,
      notices: inForce(history).map(({ entry, akkoord }) => {
        return {
          noticeId: akkoord.noticeId,
          noticeVersion: akkoord.noticeVersion,
          noticeHash: akkoord.noticeHash,
          locale: akkoord.locale,
          method: akkoord.method,
          decisions: akkoord.decisions,
          decidedAt: akkoord.decidedAt,
          expiresAt: akkoord.expiresAt,
          receiptId: entry.receiptId,
          receiptHash: entry.receiptHash,
          storedAt: entry.storedAt,
        };
      }),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/subjects/:subjectId/receipts', async (c) => {
    const subject = await admitted(c);
    const body: SubjectHistory = {
      subject,
      receipts: (await store.history(subject)).map((entry) => ({
        receipt: JSON.parse(entry.body) as ConsentReceipt,
        countersignature: entry.countersignature,
        storedAt: entry.storedAt,
      })),
    };
    return c.json(body, 200, { 'Cache-Control': 'no-store' });
  });

  requestRoutes(app, {
    store: options.requestStore ?? (isRequestStore(store) ? store : undefined),
    authorize,
    readJson: (request) => readJson(request, maxBodyBytes),
    refuse,
    noticeRights: (noticeId) => {
      const versions = [...known.values()].filter((notice) => notice.id === noticeId);
      return versions.length ? new Set(versions.flatMap((notice) => [...notice.rights])) : undefined;
    },
    now,
  });

  app.get('/notices/:hash', async (c) => {
    const document = await store.getNotice(c.req.param('hash'));
    if (document === undefined) throw refuse('not-found', 'No notice with this hash is kept here.');
    // The canonical JSON as kept: its SHA-256 is the hash in the URL.
    return c.body(document, 200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });

  app.post('/verify', async (c) => {
    const body = await readJson(c.req.raw, maxBodyBytes);
    const jws = (body as { countersignature?: unknown } | null)?.countersignature;
    if (typeof jws !== 'string' || Object.keys(body as object).length !== 1) {
      throw refuse('invalid-request', 'Send { "countersignature": "<compact JWS>" }.', {
        issues: [{ path: 'countersignature', message: 'expected a string' }],
      });
    }
    const verified = await verifyCompact(jws, signer.publicJwk);
    if (!verified.ok) {
      throw refuse('invalid-countersignature', `This is not a countersignature of this receiver: ${verified.reason}.`);
    }
    let receipt: ConsentReceipt;
    try {
      receipt = JSON.parse(verified.payload) as ConsentReceipt;
    } catch {
      throw refuse('invalid-countersignature', 'The countersigned payload is not a receipt.');
    }
    const stored = typeof receipt?.consentReceiptID === 'string' ? await store.get(receipt.consentReceiptID) : undefined;
    if (!stored || stored.body !== verified.payload) {
      throw refuse('not-found', 'The signature is valid, but this receiver holds no such receipt.');
    }
    return c.json({ valid: true, kid: verified.header.kid, receiptId: stored.receiptId, receiptHash: stored.receiptHash, storedAt: stored.storedAt }, 200);
  });

  app.get('/.well-known/jwks.json', (c) =>
    c.json({ keys: [signer.publicJwk] }, 200, { 'Cache-Control': 'public, max-age=3600' }),
  );
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApi())));
  app.get('/health', (c) => c.json({ status: 'ok' as const }));

  app.notFound((c) => errorResponse(c, { error: 'not-found', message: `No ${c.req.method} ${new URL(c.req.url).pathname} here.` }));
  app.onError((error, c) => {
    if (error instanceof Refusal) return errorResponse(c, error.body, error.headers);
    onError(error);
    return errorResponse(c, { error: 'internal-error', message: 'The receiver failed; try again (a repeat with the same Idempotency-Key is safe).' });
  });

  /**
   * A receipt as `POST /receipts` takes it, with the key it came under:
   * valid, keyed by its id, on a notice we know and consistent with it,
   * admitted by the host; then hashed and countersigned, ready to append.
   * A `Refusal` otherwise.
   */
  async function admit(request: Request, body: unknown, key: string | undefined): Promise<StoredReceipt> {
    const parsed = ConsentReceiptSchema.safeParse(body);
    if (!parsed.success) {
      throw refuse('invalid-receipt', 'The body is not a valid consent receipt.', { issues: issuesOf(parsed.error) });
    }
    const receipt = parsed.data;
    if (key !== receipt.consentReceiptID) {
      throw refuse(
        'idempotency-key-mismatch',
        key === undefined
          ? 'Send the receipt id (consentReceiptID) as the Idempotency-Key header.'
          : 'The Idempotency-Key header must equal the receipt id (consentReceiptID).',
      );
    }
    const notice = known.get(receipt.akkoord.noticeHash);
    if (!notice) {
      throw refuse('unknown-notice', `This receiver does not know the notice ${receipt.akkoord.noticeHash}.`);
    }
    const issues = noticeIssues(receipt, notice);
    if (issues.length) throw refuse('invalid-receipt', 'The receipt does not match the notice it names.', { issues });
    if (!(await authorizeReceipt(request, receipt))) {
      throw refuse('forbidden', 'This receiver does not accept receipts from this caller.');
    }

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

  /** Entries appended in order: in one transaction when the store can, else one after the other. */
  async function appendAll(entries: readonly StoredReceipt[]): Promise<BatchAppendResult[]> {
    if (store.appendAll) return store.appendAll(entries);
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
  }

  /** A batch entry's answer; an entry the store failed to write is a 500 for that item alone, and reported. */
  function settled(result: BatchAppendResult): ReturnType<typeof answerTo> {
    if (result.outcome !== 'failed') return answerTo(result);
    onError(result.error);
    return refuse('internal-error', 'The receiver failed to store this receipt; send it again (a repeat is safe).');
  }

  /** The subject in the path, if `authorize` admits the caller for it. */
  async function admitted(c: Context): Promise<string> {
    const subject = c.req.param('subjectId')!;
    if (!(await authorize(c.req.raw, subject))) {
      throw refuse('forbidden', 'You may read only your own consent records.');
    }
    return subject;
  }

  return Object.assign(app, { ready });
}

/**
 * The decision in force per notice: the one the person made last
 * (`decidedAt`, ties by receipt id), wherever it sits in the chain. Two
 * devices that decided while apart both end in the chain, in the order they
 * arrived; the later decision is in force, the other is history.
 */
function inForce(history: readonly StoredReceipt[]): { entry: StoredReceipt; akkoord: ConsentReceipt['akkoord'] }[] {
  const perNotice = new Map<string, { entry: StoredReceipt; akkoord: ConsentReceipt['akkoord'] }>();
  for (const entry of history) {
    const { akkoord } = JSON.parse(entry.body) as ConsentReceipt;
    const held = perNotice.get(akkoord.noticeId);
    const later =
      !held ||
      akkoord.decidedAt > held.akkoord.decidedAt ||
      (akkoord.decidedAt === held.akkoord.decidedAt && entry.receiptId > held.entry.receiptId);
    if (later) perNotice.set(akkoord.noticeId, { entry, akkoord });
  }
  return [...perNotice.values()].sort((a, b) => (a.akkoord.noticeId < b.akkoord.noticeId ? -1 : a.akkoord.noticeId > b.akkoord.noticeId ? 1 : 0));
}

async function webSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}

function errorResponse(c: Context, body: ErrorBody, headers: Record<string, string> = {}) {
  return c.json(body, STATUS[body.error], { ...headers, 'Cache-Control': 'no-store' });
}

function answer(stored: StoredReceipt): ReceiptAnswer {
  return {
    receiptId: stored.receiptId,
    receiptHash: stored.receiptHash,
    countersignature: stored.countersignature,
    storedAt: stored.storedAt,
  };
}

/** What `POST /receipts` answers for an append: the stored answer with 201 or 200, or the refusal (409, 422). */
function answerTo(result: AppendResult): { status: 200 | 201; answer: ReceiptAnswer } | Refusal {
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

/** A store that cannot take more now is a 503 with Retry-After; other errors stay what they are (a 500). */
function busyOr(error: unknown): unknown {
  if (!(error instanceof StoreBusyError)) return error;
  return refuse('busy', 'The receiver is busy; try again later.', {}, { 'Retry-After': String(error.retryAfterSeconds) });
}

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

function describeNotice(notice: NoticeDocument): KnownNotice {
  return {
    id: notice.id,
    version: notice.version,
    consentPurposes: new Set(notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id)),
    rights: new Set(notice.rights.map((r) => r.right)),
  };
}

/** What a receipt says about its notice that the notice contradicts. */
function noticeIssues(receipt: ConsentReceipt, notice: KnownNotice) {
  const issues: { path: string; message: string }[] = [];
  const { akkoord } = receipt;
  if (akkoord.noticeId !== notice.id) {
    issues.push({ path: 'akkoord.noticeId', message: `the notice with this hash is "${notice.id}"` });
  }
  if (akkoord.noticeVersion !== notice.version) {
    issues.push({ path: 'akkoord.noticeVersion', message: `the notice with this hash is version "${notice.version}"` });
  }
  for (const id of Object.keys(akkoord.decisions)) {
    if (!notice.consentPurposes.has(id)) {
      issues.push({ path: `akkoord.decisions.${id}`, message: 'not a consent purpose of this notice' });
    }
  }
  return issues;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** How much of a refused body is read and dropped before the connection is closed instead. */
const DISCARD_LIMIT_BYTES = 2 * 1024 * 1024;

/** Reads the rest of a body and drops it; false (and the read cancelled) past `limit` bytes. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<boolean> {
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
}

/** The body as JSON, within the size limit; a `Refusal` (415, 413, 400) otherwise. */
async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('Content-Type');
  if (!type || !JSON_TYPE.test(type.trim())) {
    throw refuse('unsupported-media-type', 'Send the body as application/json (UTF-8).');
  }
  const tooLarge = async (rest?: ReadableStreamDefaultReader<Uint8Array>) => {
    // A client may still be sending; the rest is read and dropped (up to a bound), so that it reads our answer
    // rather than a broken pipe, and the connection carries its next request. Past the bound, it closes.
    const drained = rest ? await discardRest(rest, DISCARD_LIMIT_BYTES) : false;
    return refuse('payload-too-large', `The body is larger than ${maxBytes} bytes.`, {}, drained ? {} : { Connection: 'close' });
  };
  const length = request.headers.get('Content-Length');
  let bytes: Uint8Array;
  if (length !== null) {
    if (!/^\d+$/.test(length)) throw await tooLarge();
    if (Number(length) > maxBytes) throw await tooLarge(Number(length) <= DISCARD_LIMIT_BYTES ? request.body?.getReader() : undefined);
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw await tooLarge();
  } else {
    // Chunked: count while reading, stop at the limit.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = request.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw await tooLarge(reader);
      chunks.push(value);
    }
    bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refuse('invalid-json', 'The body is not JSON.');
  }
}

/** `akkoord.decisions.marketing`, `services[0].purposes`; empty for the body itself. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
