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

/** CORS with credentials for exactly the `allowedOrigins` (`scheme://host:port`). */
export function corsFor(allowedOrigins: readonly string[] = []): MiddlewareHandler {
  return cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
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
  const issues = notices.issuesOf(receipt);
  if (!issues) {
    throw refuse('unknown-notice', `This receiver does not know the notice ${receipt.akkoord.noticeHash}.`);
  }
  if (issues.length) throw refuse('invalid-receipt', 'The receipt does not match the notice it names.', { issues });
  if (!(await authorizeReceipt(request, receipt))) {
    throw refuse('forbidden', 'This receiver does not accept receipts from this caller.');
  }
  return receipt;
}
