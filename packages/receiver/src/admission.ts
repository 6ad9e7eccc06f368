/**
 * Who may call, and what may be stored: the origins CORS lets in, the
 * host's `authorize` hooks, and the checks a receipt passes before it is
 * countersigned (valid, keyed by its own id, on a notice the receiver knows
 * and consistent with it).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ConsentReceiptSchema, type ConsentReceipt } from '@akkoord/core/receipts';
import type { NoticeRegistry } from './notice-registry.js';
import { issuesOf, refuse } from './refusal.js';

export type AuthorizeSubject = (request: Request, subjectId: string) => boolean | Promise<boolean>;
export type AuthorizeReceipt = (request: Request, receipt: ConsentReceipt) => boolean | Promise<boolean>;

/**
 * CORS with credentials for exactly the `allowedOrigins` (`scheme://host:port`).
 * Any other origin gets no CORS header at all, not even on a preflight: a
 * partial answer (methods, headers, credentials without the origin) tells
 * a foreign page more than it needs and reads as a misconfiguration.
 */
export function corsFor(allowedOrigins: readonly string[] = []): MiddlewareHandler {
  const allowed = cors({
    origin: (origin) => origin,
    credentials: true,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (origin !== undefined && allowedOrigins.includes(origin)) return allowed(c, next);
    await next();
    // The answer differs by origin, so a shared cache must keep them apart (an immutable notice, say).
    if (allowedOrigins.length) c.header('Vary', 'Origin', { append: true });
  };
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why the API could never address this subject id in a URL path, or
 * undefined when it can. `.` and `..` are removed by every URL parser as dot
 * segments; control characters and lone surrogates have no stable
 * percent-encoding. A receipt or request for such an id would be stored but
 * could never be read back, so it is refused at write.
 */
export function unaddressableSubject(subject: string): string | undefined {
  if (subject === '.' || subject === '..') return 'a subject id cannot be "." or "..": URLs drop them as dot segments';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(subject)) return 'a subject id cannot hold control characters';
  if (LONE_SURROGATE.test(subject)) return 'a subject id cannot hold a lone surrogate (it is not valid Unicode)';
  return undefined;
}

/** The subject in the path, if `authorize` admits the caller for it; a 403 otherwise. */
export async function admitSubject(c: Context, authorize: AuthorizeSubject): Promise<string> {
  const subject = c.req.param('subjectId')!;
  if (!(await authorize(c.req.raw, subject))) {
    throw refuse('forbidden', 'You may read only your own consent records.');
  }
  return subject;
}

/**
 * A receipt as `POST /receipts` takes it, with the key it came under: the
 * receipt if it may be stored, a `Refusal` (400, 403, 422) otherwise.
 */
export async function admitReceipt(
  request: Request,
  body: unknown,
  key: string | undefined,
  { notices, authorizeReceipt }: { notices: NoticeRegistry; authorizeReceipt: AuthorizeReceipt },
): Promise<ConsentReceipt> {
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
  const unaddressable = unaddressableSubject(receipt.piiPrincipalId);
  if (unaddressable) {
    throw refuse('invalid-receipt', 'The subject id could not be read back through this API.', {
      issues: [{ path: 'piiPrincipalId', message: unaddressable }],
    });
  }
  const issues = notices.issuesOf(receipt);
  if (!issues) {
    throw refuse('unknown-notice', `This receiver does not know the notice ${receipt.akkoord.noticeHash}.`);
  }
  if (issues.length) throw refuse('invalid-receipt', 'The receipt contradicts itself or the notice it names.', { issues });
  if (!(await authorizeReceipt(request, receipt))) {
    throw refuse('forbidden', 'This receiver does not accept receipts from this caller.');
  }
  return receipt;
}
