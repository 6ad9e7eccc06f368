/**
 * Refusals: how the receiver says no. A route throws a `Refusal` (made with
 * `refuse`); the app's error handler answers it as the contract's error body,
 * with the status that belongs to its code.
 */
import type { Context } from 'hono';
import type { ErrorBody, ErrorCode } from '@akkoord/core/sync';

export const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503> = {
  'invalid-json': 400,
  'invalid-receipt': 400,
  'invalid-request': 400,
  'idempotency-key-mismatch': 400,
  unauthorized: 401,
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

export class Refusal extends Error {
  constructor(
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export const refuse = (error: ErrorCode, message: string, extra: Partial<ErrorBody> = {}, headers?: Record<string, string>) =>
  new Refusal({ error, message, ...extra }, headers);

/** The error body as JSON, with its status; never cached. */
export function errorResponse(c: Context, body: ErrorBody, headers: Record<string, string> = {}) {
  return c.json(body, STATUS[body.error], { ...headers, 'Cache-Control': 'no-store' });
}

/** A zod error's issues as the contract lists them: a readable path and a message each. */
export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
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
