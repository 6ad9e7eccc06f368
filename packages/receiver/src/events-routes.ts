/**
 * The back office's routes for being told about changes: the event feed
 * (`GET /events`) and the webhook delivery log (`GET /webhooks/deliveries`).
 * Both need an API key with the scope `events:read`; the subject-facing
 * `authorize` hook plays no part here.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import * as z from 'zod/mini';
import { InvalidCursorError, readFeed, EVENT_TYPE } from './events.js';
import { refuse } from './refusal.js';
import type { SqlDatabase } from './sql.js';
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

export interface EventRoutesOptions {
  db: SqlDatabase;
  webhooks: WebhookStore;
}

/** `?limit=`: 1 to `max`, or the default. */
function pageSize(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw refuse('invalid-request', `limit must be a whole number from 1 to ${max}.`, { issues: [{ path: 'limit', message: `1 to ${max}` }] });
  }
  return Number(value);
}

/** Mounts the routes; `requireScope(scope)` is the API-key check. */
export function eventRoutes(app: Hono, options: EventRoutesOptions, requireScope: (scope: 'events:read') => MiddlewareHandler): void {
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
}
