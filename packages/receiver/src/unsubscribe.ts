/**
 * One-click unsubscribe (RFC 8058), for the registrar's mailings:
 *
 * - `POST /unsubscribe/tokens` (a back-office key with `unsubscribe:mint`):
 *   the URL for one subject and purpose, with the values of the mail's
 *   `List-Unsubscribe` and `List-Unsubscribe-Post` headers.
 * - `POST /unsubscribe/{token}`: what a mail client sends when the reader
 *   clicks "unsubscribe" (no cookies, no credentials; the token is the
 *   authority). Withdraws that one purpose through a receipt in the
 *   subject's chain, built and countersigned here and stored through the
 *   same append as every other, so the current-state table and every
 *   reader of the store see it.
 * - `GET /unsubscribe/{token}`: a page with one button that sends that
 *   POST. It changes nothing itself: mail providers' link scanners open
 *   links, and must not unsubscribe anyone.
 */
import type { Context, Hono } from 'hono';
import { buildReceipt, type ConsentReceipt } from '@akkoord/core/receipts';
import type { NoticeDocument } from '@akkoord/core/notice';
import { admitReceipt } from './admission.js';
import { requireScope } from './api-keys.js';
import { appendOne, seal, type Sealing } from './append.js';
import { UnsubscribeTokenRequestSchema, type UnsubscribeAnswer, type UnsubscribeTokenAnswer } from './backoffice-contract.js';
import { resolveNotice } from './backoffice-routes.js';
import { isConsentStateStore } from './consent-state.js';
import type { NoticeRegistry } from './notice-registry.js';
import { issuesOf, Refusal, refuse } from './refusal.js';
import type { ReceiptStore } from './store.js';
import { mintToken, unsubscribeKey, verifyToken, type UnsubscribeClaims } from './unsubscribe-token.js';
import { pageHeaders, pageLocale, renderPage, type PageFacts, type PageKind, type PageLocale } from './unsubscribe-page.js';

export interface UnsubscribeOptions {
  /**
   * Where mail readers reach this receiver, without a trailing slash
   * (`https://consent.example.nl`): the URLs are `<publicUrl>/unsubscribe/<token>`.
   */
  publicUrl: string;
  /**
   * The HMAC secret of the tokens, at least 32 random bytes, the same on
   * every node (the CLI keeps it in the data directory, beside the signing
   * key). Replacing it voids every URL minted before.
   */
  secret: Uint8Array;
  /** How long a minted URL works. Default: 365 days (a mail is read, and its link used, long after it was sent). */
  validForDays?: number;
}

export interface UnsubscribeRoutesOptions {
  store: ReceiptStore;
  notices: NoticeRegistry;
  /** Undefined: the receiver mints no URLs and honours none (404). */
  unsubscribe: UnsubscribeOptions | undefined;
  readJson: (request: Request) => Promise<unknown>;
  sealing: Sealing;
  now: () => Date;
}

/** More than a form with one field ever needs. */
const MAX_FORM_BYTES = 8 * 1024;
/** Appends lost to a receipt of the same subject arriving at the same moment, before giving up with 503. */
const MAX_ATTEMPTS = 5;

export function unsubscribeRoutes(app: Hono, options: UnsubscribeRoutesOptions): void {
  const { store, notices, now } = options;
  const configured = options.unsubscribe;
  const key = configured && unsubscribeKey(configured.secret);
  key?.catch(() => {}); // reported by the first request that needs it
  const validForMs = (configured?.validForDays ?? 365) * 24 * 3600 * 1000;
  const publicUrl = configured?.publicUrl.replace(/\/+$/, '');
  const notConfigured = () => refuse('not-found', 'This receiver makes no unsubscribe URLs: start it with a public URL (--public-url).');

  app.post('/unsubscribe/tokens', requireScope('unsubscribe:mint'), async (c) => {
    if (!key || !publicUrl) throw notConfigured();
    const parsed = UnsubscribeTokenRequestSchema.safeParse(await options.readJson(c.req.raw));
    if (!parsed.success) {
      throw refuse('invalid-request', 'Send { "subject": "<subject id>", "purpose": "<purpose id>" } and, if needed, "notice".', {
        issues: issuesOf(parsed.error),
      });
    }
    const { subject, purpose } = parsed.data;
    const notice = resolveNotice(notices, purpose, parsed.data.notice);
    const expiresAt = now().getTime() + validForMs;
    const url = `${publicUrl}/unsubscribe/${await mintToken(await key, { subject, notice, purpose, expiresAt })}`;
    const answer: UnsubscribeTokenAnswer = {
      url,
      listUnsubscribe: `<${url}>`,
      listUnsubscribePost: 'List-Unsubscribe=One-Click',
      notice,
      purpose,
      subject,
      expiresAt: new Date(expiresAt).toISOString(),
    };
    return c.json(answer, 201, { 'Cache-Control': 'no-store' });
  });

  /** The token's claims, or the page (or JSON) that says why it is refused. */
  const claimsOf = async (c: Context): Promise<UnsubscribeClaims | Response> => {
    if (!key) throw notConfigured();
    const verified = await verifyToken(await key, c.req.param('token')!, now().getTime());
    if (verified.ok) return verified.claims;
    return answer(c, 400, verified.problem, {}, () =>
      refuse('invalid-request', verified.problem === 'expired' ? 'This unsubscribe link has expired; nothing changed.' : 'This unsubscribe link is damaged or was not made here; nothing changed.'),
    );
  };

  app.get('/unsubscribe/:token', async (c) => {
    const claims = await claimsOf(c);
    if (claims instanceof Response) return claims;
    return page(c, 200, 'confirm', factsOf(notices, claims, c));
  });

  app.post('/unsubscribe/:token', async (c) => {
    const claims = await claimsOf(c);
    if (claims instanceof Response) return claims;
    const facts = factsOf(notices, claims, c);
    if (!(await isOneClick(c.req.raw))) {
      return answer(c, 400, 'bad-request', facts, () =>
        refuse('invalid-request', 'Send the body List-Unsubscribe=One-Click (application/x-www-form-urlencoded or multipart/form-data); nothing changed.'),
      );
    }
    const outcome = await withdraw(c.req.raw, claims, options);
    const json: UnsubscribeAnswer = { outcome: outcome.outcome, notice: claims.notice, purpose: claims.purpose, ...(outcome.receiptId && { receiptId: outcome.receiptId }) };
    if (wantsJson(c)) return c.json(json, 200, { 'Cache-Control': 'no-store' });
    return page(c, 200, outcome.outcome, facts);
  });
}

/**
 * Appends the withdrawal of `claims.purpose` to the subject's chain, unless
 * it is not granted now (then nothing is stored: a repeat of the same link,
 * or a purpose never granted). Retries when another receipt of the subject
 * took the head meanwhile.
 */
async function withdraw(
  request: Request,
  claims: UnsubscribeClaims,
  { store, notices, sealing, now }: UnsubscribeRoutesOptions,
): Promise<{ outcome: 'unsubscribed' | 'already-unsubscribed'; receiptId?: string }> {
  if (!isConsentStateStore(store)) throw refuse('not-found', 'This receiver keeps no current-state table.');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [row] = await store.consentStates(claims.notice, claims.purpose, [claims.subject]);
    if (!row || row.state !== 'granted') return { outcome: 'already-unsubscribed' };
    const [inForce, head] = await Promise.all([store.get(row.receiptId), store.latest(claims.subject)]);
    if (!inForce || !head) throw new Error(`The current state names receipt ${row.receiptId}, which the store does not hold`);
    const previous = JSON.parse(inForce.body) as ConsentReceipt;
    const document = notices.document(previous.akkoord.noticeHash);
    if (!document) throw new Error(`Receipt ${row.receiptId} names notice ${previous.akkoord.noticeHash}, which the receiver does not know`);
    const receipt = await withdrawalReceipt(previous, document, claims.purpose, head.receiptHash, now().getTime());
    // The same checks as a browser's receipt: the receiver countersigns nothing it would refuse from anyone else.
    const admitted = await admitReceipt(request, receipt, receipt.consentReceiptID, { notices, authorizeReceipt: () => true });
    try {
      await appendOne(store, await seal(admitted, sealing));
      return { outcome: 'unsubscribed', receiptId: receipt.consentReceiptID };
    } catch (error) {
      if (error instanceof Refusal && error.body.error === 'chain-conflict') continue;
      throw error;
    }
  }
  throw refuse('busy', 'The receiver is busy; try again later.', {}, { 'Retry-After': '1' });
}

/**
 * The receipt that withdraws `purpose`: the in-force receipt's notice,
 * language and other decisions, method `email-unsubscribe`, decided now
 * (and never before the decision it replaces, whatever the clocks say),
 * chained to the subject's head.
 */
async function withdrawalReceipt(previous: ConsentReceipt, notice: NoticeDocument, purpose: string, head: string, now: number): Promise<ConsentReceipt> {
  const { akkoord } = previous;
  const decidedAt = Math.max(now, akkoord.decidedAt + 1);
  // The other decisions keep their term; one that has run out gets a fresh one of the same length.
  const expiresAt = akkoord.expiresAt > decidedAt ? akkoord.expiresAt : decidedAt + Math.max(0, akkoord.expiresAt - akkoord.decidedAt);
  return buildReceipt(
    {
      schemaVersion: 2,
      subject: previous.piiPrincipalId,
      noticeId: akkoord.noticeId,
      noticeVersion: akkoord.noticeVersion,
      noticeHash: akkoord.noticeHash,
      // A browser record's seal and fingerprint: buildReceipt reads neither.
      consentFingerprint: '',
      integrity: '',
      locale: akkoord.locale,
      decisions: { ...akkoord.decisions, [purpose]: 'denied' },
      method: 'email-unsubscribe',
      decidedAt,
      expiresAt,
      receiptId: globalThis.crypto.randomUUID(),
    },
    notice,
    head,
  );
}

/** The purpose's title and the controller's name, in the page's language, from the newest known version of the notice. */
function factsOf(notices: NoticeRegistry, claims: UnsubscribeClaims, c: Context): PageFacts & { locale: PageLocale } {
  const document = notices.current(claims.notice);
  const locale = localeOf(c, document);
  if (!document) return { locale };
  const title = document.purposes.find((p) => p.id === claims.purpose)?.title;
  return { locale, purpose: title?.[locale] ?? title?.[document.defaultLocale], controller: document.controller.name };
}

/** The reader's language of the two; when they name neither, the notice's own language. */
function localeOf(c: Context, document?: NoticeDocument): PageLocale {
  const fallback = document?.defaultLocale === 'nl' ? 'nl' : 'en';
  return pageLocale(c.req.header('Accept-Language'), fallback);
}

async function page(c: Context, status: 200 | 400, kind: PageKind, facts: PageFacts & { locale?: PageLocale }): Promise<Response> {
  return c.body(renderPage(kind, facts.locale ?? localeOf(c), facts), status, await pageHeaders());
}

/** A refusal as the page a person sees, or as the error body for a caller that asked for JSON. */
async function answer(c: Context, status: 400, kind: PageKind, facts: PageFacts, refusal: () => Refusal): Promise<Response> {
  if (wantsJson(c)) return c.json(refusal().body, status, { 'Cache-Control': 'no-store' });
  return page(c, status, kind, facts);
}

function wantsJson(c: Context): boolean {
  const accept = c.req.header('Accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Is the body `List-Unsubscribe=One-Click`, form-encoded as RFC 8058 says (either form encoding)? */
async function isOneClick(request: Request): Promise<boolean> {
  const type = (request.headers.get('Content-Type') ?? '').toLowerCase();
  const length = Number(request.headers.get('Content-Length') ?? '0');
  if (length > MAX_FORM_BYTES) return false;
  const bytes = await readAtMost(request, MAX_FORM_BYTES);
  if (!bytes) return false;
  try {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return new URLSearchParams(new TextDecoder().decode(bytes)).get('List-Unsubscribe') === 'One-Click';
    }
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': request.headers.get('Content-Type')! } }).formData();
      return form.get('List-Unsubscribe') === 'One-Click';
    }
  } catch {
    return false;
  }
  return false;
}

/** The body, or undefined when it is longer than `max` bytes (the rest is not read). */
async function readAtMost(request: Request, max: number): Promise<Uint8Array | undefined> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
