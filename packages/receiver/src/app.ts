/**
 * `createReceiver(options)`: the receiver as a Web-standard Hono app
 * (`app.fetch(request)`), so a host mounts it on Node, Deno, Bun, or an edge
 * runtime. Storage, signing key and authorization are the host's to give.
 *
 * This module holds the routes; what they lean on has a module each:
 * who may call and what may be stored (`admission.ts`), bodies and their
 * limits (`body.ts`), sealing and appending receipts (`append.ts`), batches
 * (`batch.ts`), the known notices (`notice-registry.ts`), and the error
 * answers (`refusal.ts`).
 */
import { Hono, type Context } from 'hono';
import { sha256Text, type NoticeDocument } from '@akkoord/core/notice';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import { verifyCompact, type PublicJwk, type SubjectConsent, type SubjectHistory } from '@akkoord/core/sync';
import { admitReceipt, admitSubject, corsFor, type AuthorizeReceipt, type AuthorizeSubject } from './admission.js';
import { isApiKeyStore, presentsApiKey, withApiKeys, type ApiKeyStore } from './api-keys.js';
import { appendOne, seal, type Sealing } from './append.js';
import { backOfficeRoutes } from './backoffice-routes.js';
import { unsubscribeRoutes, type UnsubscribeOptions } from './unsubscribe.js';
import { takeBatch } from './batch.js';
import { DEFAULT_MAX_BATCH_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, readJson } from './body.js';
import { NoticeRegistry } from './notice-registry.js';
import { TokenBuckets, type RateLimit } from './rate-limit.js';
import { buildOpenApi } from './openapi.js';
import { errorResponse, Refusal, refuse } from './refusal.js';
import { eventRoutes, type EventRoutesOptions } from './events-routes.js';
import { isRequestStore, requestRoutes, type RequestStore } from './requests.js';
import type { Signer } from './signer.js';
import { StoreBusyError, type ReceiptStore, type StoredReceipt } from './store.js';

export { DEFAULT_MAX_BATCH_BODY_BYTES, DEFAULT_MAX_BODY_BYTES };


export interface ReceiverOptions {
  store: ReceiptStore;
  signer: Signer;
  /**
   * Keys that signed before `signer` (after a key rotation): listed in the
   * JWKS and accepted by `POST /verify`, never used to sign.
   */
  previousKeys?: readonly PublicJwk[];
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
  authorize?: AuthorizeSubject;
  /**
   * Where requests to use a right (`POST /requests`) are kept. Default:
   * `store`, when it keeps them too (both stores of this package do);
   * without one, the requests endpoints answer 404.
   */
  requestStore?: RequestStore;
  /**
   * The back office's API keys (`akkoord-receiver keys create`). Default:
   * `store`, when it keeps them too (both stores of this package do);
   * without one, every back-office route answers 401.
   */
  apiKeys?: ApiKeyStore;
  /**
   * One-click unsubscribe URLs for the registrar's mailings (RFC 8058): the
   * public URL they start with and the secret that signs them. Default:
   * none (the unsubscribe routes answer 404).
   */
  unsubscribe?: UnsubscribeOptions;
  /** May this request store this receipt? Default: yes (visitors are anonymous). */
  authorizeReceipt?: AuthorizeReceipt;
  /** Origins allowed by CORS, with credentials (exact `scheme://host:port`). Default: none. */
  allowedOrigins?: readonly string[];
  /**
   * Token-bucket limits, per client address (every request) and per subject
   * (its receipts and reads); over a limit is 429 with `Retry-After`.
   * Default: none. Behind a proxy, give `clientAddress`, or every visitor
   * shares the proxy's bucket.
   */
  rateLimit?: { perAddress?: RateLimit; perSubject?: RateLimit };
  /** The caller's address for `rateLimit.perAddress`. Default: the socket's peer on @hono/node-server. */
  clientAddress?: (c: Context) => string | undefined;
  /** Largest request body; larger gets 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Largest body of `POST /receipts/batch` (up to 100 receipts); larger gets 413. Default 1 MiB. */
  maxBatchBodyBytes?: number;
  /**
   * SHA-256 of a string as `sha256:` and lowercase hex. Default: core's
   * `sha256Text` (WebCrypto). A host may pass a faster native one (the Node
   * CLI passes node:crypto's); it must give the same answer.
   */
  sha256?: (text: string) => string | Promise<string>;
  /**
   * The event feed and the webhook delivery log (`GET /events`,
   * `GET /webhooks/deliveries`, for back-office keys with `events:read`) and
   * one subject's export bundle (`GET /export`, scope `export`): their
   * database connection and webhook store. Without it, those routes answer
   * 404.
   */
  events?: EventRoutesOptions;
  /** For tests. */
  now?: () => Date;
  /** Unexpected errors (a 500) are reported here. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

export type ReceiverApp = Hono & {
  /** Settles when the notices are hashed and kept; rejects when they cannot be. Requests wait for it. */
  ready: Promise<void>;
};

export function createReceiver(options: ReceiverOptions): ReceiverApp {
  const { store, signer } = options;
  const authorize = options.authorize ?? (() => false);
  const authorizeReceipt = options.authorizeReceipt ?? (() => true);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBatchBodyBytes = options.maxBatchBodyBytes ?? DEFAULT_MAX_BATCH_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const sealing: Sealing = { signer, sha256: options.sha256 ?? sha256Text, now };
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const notices = new NoticeRegistry();
  const jwks = { keys: [signer.publicJwk, ...(options.previousKeys ?? []).filter((key) => key.kid !== signer.kid)] };
  let openApi: Record<string, unknown> | undefined;

  const ready = notices.load(store, options.notices);
  ready.catch(() => {}); // reported to whoever awaits it; no unhandled rejection meanwhile

  const perAddress = options.rateLimit?.perAddress && new TokenBuckets(options.rateLimit.perAddress);
  const perSubject = options.rateLimit?.perSubject && new TokenBuckets(options.rateLimit.perSubject);
  const clientAddress = options.clientAddress ?? socketAddress;

  /** A receipt admitted for `request` under `key`, within its subject's rate, sealed and ready to append; a `Refusal` otherwise. */
  const admitAndSeal = async (request: Request, body: unknown, key: string | undefined) => {
    const receipt = await admitReceipt(request, body, key, { notices, authorizeReceipt });
    perSubject?.takeOrRefuse(receipt.piiPrincipalId, 'this subject');
    return seal(receipt, sealing);
  };
  /** The subject in the path, for a caller `authorize` admits, within the subject's rate. */
  const readableSubject = async (c: Context) => {
    // A back-office key is the registrar's, never a subject's: whatever the host's hook would make of it.
    if (presentsApiKey(c.req.raw)) throw refuse('forbidden', 'A back-office API key does not open a subject\'s records.');
    const subject = await admitSubject(c, authorize);
    perSubject?.takeOrRefuse(subject, 'this subject');
    return subject;
  };

  const app = new Hono();

  app.use('*', corsFor(options.allowedOrigins));
  if (perAddress) {
    app.use('*', async (c, next) => {
      perAddress.takeOrRefuse(clientAddress(c) ?? 'unknown', 'this address');
      await next();
    });
  }
  app.use('*', async (_c, next) => {
    await ready;
    await next();
  });
  app.use('*', withApiKeys(options.apiKeys ?? (isApiKeyStore(store) ? store : undefined)));

  app.post('/receipts', async (c) => {
    const entry = await admitAndSeal(c.req.raw, await readJson(c.req.raw, maxBodyBytes), c.req.header('Idempotency-Key'));
    const { status, answer } = await appendOne(store, entry);
    return c.json(answer, status);
  });

  app.post('/receipts/batch', async (c) => {
    const answer = await takeBatch(await readJson(c.req.raw, maxBatchBodyBytes), {
      store,
      maxReceiptBytes: maxBodyBytes,
      admit: (receipt, key) => admitAndSeal(c.req.raw, receipt, key),
      onError,
    });
    return c.json(answer, 200);
  });

  app.get('/subjects/:subjectId/consent', async (c) => {
    const subject = await readableSubject(c);
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
    const subject = await readableSubject(c);
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
    authorize: (request, subject) => !presentsApiKey(request) && authorize(request, subject),
    readJson: (request) => readJson(request, maxBodyBytes),
    refuse,
    noticeRights: (noticeId) => notices.rightsOf(noticeId),
    now,
  });

  backOfficeRoutes(app, { store, notices, readJson, now });
  unsubscribeRoutes(app, { store, notices, unsubscribe: options.unsubscribe, readJson: (r) => readJson(r, maxBodyBytes), sealing, now });
  if (options.events) eventRoutes(app, options.events, { signer, previousKeys: options.previousKeys });

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
    const verified = await verifyCompact(jws, jwks);
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
    c.json(jwks, 200, { 'Cache-Control': 'public, max-age=3600' }),
  );
  app.get('/openapi.json', (c) => c.json((openApi ??= buildOpenApi())));
  app.get('/health', (c) => c.json({ status: 'ok' as const }));

  app.notFound((c) => errorResponse(c, { error: 'not-found', message: `No ${c.req.method} ${new URL(c.req.url).pathname} here.` }));
  app.onError((error, c) => {
    if (error instanceof Refusal) return errorResponse(c, error.body, error.headers);
    // A store that cannot be reached now (a database restarting) is a 503 on reads too, not a 500.
    if (error instanceof StoreBusyError) {
      return errorResponse(c, { error: 'busy', message: 'The receiver is busy; try again later.' }, { 'Retry-After': String(error.retryAfterSeconds) });
    }
    onError(error);
    return errorResponse(c, { error: 'internal-error', message: 'The receiver failed; try again (a repeat with the same Idempotency-Key is safe).' });
  });

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

/** The peer address of the socket, where the server is @hono/node-server (it passes the Node request as `env.incoming`). */
function socketAddress(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}
