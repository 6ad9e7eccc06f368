/**
 * The back office's routes for being told about changes and for proof: the
 * event feed (`GET /events`) and the webhook delivery log
 * (`GET /webhooks/deliveries`), both with the scope `events:read`, and one
 * subject's export bundle in its one-file form (`GET /export`, scope
 * `export`). The subject-facing `authorize` hook plays no part here.
 */
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { requireScope } from './api-keys.js';
import { InvalidCursorError, readFeed, EVENT_TYPE } from './events.js';
import { refuse } from './refusal.js';
import { BUNDLE_FILE_FORMAT, exportBundle, memorySink } from './export-bundle.js';
import type { Signer } from './signer.js';
import type { SqlDatabase } from './sql.js';
import type { PublicJwk } from '@akkoord/core/sync';
import type { WebhookStore } from './webhook-store.js';

export const DEFAULT_EVENT_PAGE = 100;
export const MAX_EVENT_PAGE = 1000;

const timestamp = () => z.iso.datetime({ offset: true });

export const ReceiptEventSchema = z.strictObject({
  id: z.string(),
  type: z.literal(EVENT_TYPE),
  timestamp: timestamp(),
  cursor: z.string(),
  data: z.strictObject({
    subject: z.string(),
    noticeId: z.string(),
    noticeVersion: z.string(),
    noticeHash: z.string(),
    granted: z.array(z.string()),
    denied: z.array(z.string()),
    method: z.string(),
    decidedAt: timestamp(),
    receiptId: z.string(),
    receiptHash: z.string(),
    previousReceiptHash: z.nullable(z.string()),
    storedAt: timestamp(),
  }),
});

export const EventPageSchema = z.strictObject({
  events: z.array(ReceiptEventSchema),
  /** Ask `?after=` this next; null only while the feed is empty. */
  next: z.nullable(z.string()),
});

export const DeliveryLogSchema = z.strictObject({
  attempts: z.array(
    z.strictObject({
      endpointId: z.string(),
      eventId: z.string(),
      attemptedAt: timestamp(),
      outcome: z.enum(['delivered', 'retry', 'dead']),
      status: z.nullable(z.number()),
      error: z.nullable(z.string()),
      latencyMs: z.number(),
    }),
  ),
  /** How many deliveries are on the dead-letter list now. */
  deadLetters: z.number(),
});

export const ExportFileSchema = z.strictObject({
  format: z.literal(BUNDLE_FILE_FORMAT),
  /** The bundle's files by name (`manifest.json`, `manifest.jws`, `receipts.ndjson`, `jwks.json`, `notices/<hex>.json`, …). */
  files: z.record(z.string(), z.string()),
});

export interface EventRoutesOptions {
  db: SqlDatabase;
  webhooks: WebhookStore;
}

/** What `GET /export` signs its manifest with: the receiver's own keys. */
export interface ExportKeys {
  signer: Signer;
  previousKeys?: readonly PublicJwk[];
}

/** `?limit=`: 1 to `max`, or the default. */
function pageSize(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw refuse('invalid-request', `limit must be a whole number from 1 to ${max}.`, { issues: [{ path: 'limit', message: `1 to ${max}` }] });
  }
  return Number(value);
}

/** Mounts the routes, each behind its API-key scope. */
export function eventRoutes(app: Hono, options: EventRoutesOptions, keys: ExportKeys): void {
  const { db, webhooks } = options;

  app.get('/events', requireScope('events:read'), async (c) => {
    const after = c.req.query('after');
    const limit = pageSize(c.req.query('limit'), DEFAULT_EVENT_PAGE, MAX_EVENT_PAGE);
    try {
      return c.json(await readFeed(db, after || undefined, limit), 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw refuse('invalid-request', `${error.message}; resume with the cursor of the last event you received.`, {
          issues: [{ path: 'after', message: 'not a cursor of this feed' }],
        });
      }
      throw error;
    }
  });

  app.get('/webhooks/deliveries', requireScope('events:read'), async (c) => {
    const limit = pageSize(c.req.query('limit'), 100, 1000);
    const [attempts, deadLetters] = await Promise.all([webhooks.attempts(limit), webhooks.deadLetterCount()]);
    return c.json({ attempts, deadLetters }, 200, { 'Cache-Control': 'no-store' });
  });

  // One subject's whole chain, for an auditor or a subject's access request; `akkoord-receiver verify-bundle` checks
  // the file as it comes. Larger exports (everything since a date) are for the command line, which streams to disk.
  app.get('/export', requireScope('export'), async (c) => {
    const subject = c.req.query('subject');
    const format = c.req.query('format') ?? 'kantara';
    if (!subject) throw refuse('invalid-request', 'Name the subject: /export?subject=<id>.', { issues: [{ path: 'subject', message: 'required' }] });
    if (format !== 'kantara' && format !== 'iso27560') {
      throw refuse('invalid-request', 'format is kantara or iso27560.', { issues: [{ path: 'format', message: 'kantara or iso27560' }] });
    }
    const sink = memorySink();
    await exportBundle({ db, signer: keys.signer, previousKeys: keys.previousKeys, selection: { subject }, iso27560: format === 'iso27560', out: sink });
    return c.json(sink.toJSON(), 200, {
      'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename="akkoord-export-${subject.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}.json"`,
    });
  });
}

/** The schemas above, for the OpenAPI document's components. */
export const EVENT_SCHEMAS = {
  ReceiptEvent: ReceiptEventSchema,
  EventPage: EventPageSchema,
  DeliveryLog: DeliveryLogSchema,
  ExportFile: ExportFileSchema,
} as const;

/** The routes above as OpenAPI path items; `json` and `error` are the document's own response builders. */
export function eventOpenApiPaths(
  json: (name: 'EventPage' | 'DeliveryLog' | 'ExportFile', description: string) => object,
  error: (description: string, headers?: Record<string, unknown>) => object,
): Record<string, object> {
  const security = [{ backOfficeKey: ['events:read'] }];
  const refusedFor = (scope: string) => ({
    '401': error('`unauthorized`: no back-office key, or one that is unknown or revoked.', {
      'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } },
    }),
    '403': error(`\`forbidden\`: the key lacks the scope \`${scope}\`.`),
  });
  const refused = refusedFor('events:read');
  const limit = (max: number, fallback: number) => ({
    name: 'limit',
    in: 'query',
    required: false,
    description: `How many, 1 to ${max} (default ${fallback}).`,
    schema: { type: 'integer', minimum: 1, maximum: max },
  });
  return {
    '/events': {
      get: {
        operationId: 'getEvents',
        summary: 'Every stored receipt as an event, in commit order, resumable (scope events:read)',
        description:
          'Each event is the body a webhook would carry (`consent.recorded`). Ask again with `after` set to `next` ' +
          'to go on; nothing is skipped, even while several nodes write.',
        security,
        parameters: [
          { name: 'after', in: 'query', required: false, description: 'A cursor from an earlier answer; from the start without one.', schema: { type: 'string' } },
          limit(MAX_EVENT_PAGE, DEFAULT_EVENT_PAGE),
        ],
        responses: {
          '200': json('EventPage', 'The next events (none when there is nothing new).'),
          '400': error('`invalid-request`: a cursor this feed did not give out, or a limit out of range.'),
          ...refused,
        },
      },
    },
    '/webhooks/deliveries': {
      get: {
        operationId: 'getWebhookDeliveries',
        summary: 'The last webhook delivery attempts, newest first (scope events:read)',
        security,
        parameters: [limit(1000, 100)],
        responses: {
          '200': json('DeliveryLog', 'The attempts and the size of the dead-letter list.'),
          '400': error('`invalid-request`: a limit out of range.'),
          ...refused,
        },
      },
    },
    '/export': {
      get: {
        operationId: 'getExport',
        summary: "One subject's export bundle, as one file (scope export)",
        description:
          'The receipts with their countersignatures, every notice version they name, the public keys and a signed manifest, ' +
          'as `{ format, files }`. `akkoord-receiver verify-bundle <file>` or `verifyBundle()` checks it without the database.',
        security: [{ backOfficeKey: ['export'] }],
        parameters: [
          { name: 'subject', in: 'query', required: true, description: 'The subject (`piiPrincipalId`).', schema: { type: 'string', minLength: 1 } },
          { name: 'format', in: 'query', required: false, description: '`iso27560` adds the ISO/IEC TS 27560 records (default `kantara`).', schema: { enum: ['kantara', 'iso27560'] } },
        ],
        responses: {
          '200': json('ExportFile', 'The bundle (empty of receipts when the subject has none).'),
          '400': error('`invalid-request`: no subject, or an unknown format.'),
          ...refusedFor('export'),
        },
      },
    },
  };
}
