/**
 * Webhook endpoints, their queues and the delivery log, in the receiver's
 * database (both dialects through `sql.ts`).
 *
 * Each endpoint follows the event feed with a durable cursor: `enqueue`
 * copies the events after it into `webhook_deliveries` and moves the cursor
 * in the same transaction, so an event is queued once per endpoint, even
 * when several nodes do it at once (on PostgreSQL they take the endpoint's
 * row lock first; on SQLite the transaction holds the write lock).
 *
 * `lease` hands out due deliveries, at most one per subject and endpoint:
 * a delivery whose subject has an earlier undelivered one at the same
 * endpoint waits, so a subject's events arrive in order; a dead letter no
 * longer holds its successors back. A lease is a time limit written on the
 * row (`lease_until`): while it runs no other node takes the delivery, and
 * if the node that holds it dies, the lease runs out and another node sends
 * it again (at least once). On PostgreSQL the rows are chosen with
 * `FOR UPDATE SKIP LOCKED`, so two nodes leasing at the same moment take
 * different rows instead of waiting on each other.
 */
import { randomBytes } from 'node:crypto';
import { feedHead, readFeed } from './events.js';
import type { SqlDatabase } from './sql.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** `whsec_` and the base64 of the key: the Standard Webhooks serialization, shown to the consumer once. */
  secret: string;
  createdAt: string;
}

export interface Delivery {
  id: number;
  endpointId: string;
  eventId: string;
  subject: string;
  /** The event as JSON: the request body, byte for byte, on every attempt. */
  payload: string;
  attempts: number;
  queuedAt: number;
  firstAttemptAt: number | null;
}

export interface DeadLetter extends Delivery {
  lastError: string | null;
}

export interface DeliveryAttempt {
  endpointId: string;
  eventId: string;
  attemptedAt: string;
  /** `delivered` (a 2xx), `retry` (will be tried again), `dead` (given up: on the dead-letter list). */
  outcome: 'delivered' | 'retry' | 'dead';
  /** The consumer's HTTP status; null when there was no answer (refused, timed out). */
  status: number | null;
  error: string | null;
  latencyMs: number;
}

/** How many attempts the log keeps. */
export const DELIVERY_LOG_SIZE = 2000;

interface DeliveryRow {
  seq: number | string;
  endpoint_id: string;
  event_id: string;
  subject: string;
  payload: string;
  attempts: number;
  queued_at: number | string;
  first_attempt_at: number | string | null;
  last_error?: string | null;
}

const DELIVERY_COLUMNS = 'seq, endpoint_id, event_id, subject, payload, attempts, queued_at, first_attempt_at, last_error';

function deliveryOf(row: DeliveryRow): DeadLetter {
  return {
    id: Number(row.seq),
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    subject: row.subject,
    payload: row.payload,
    attempts: Number(row.attempts),
    queuedAt: Number(row.queued_at),
    firstAttemptAt: row.first_attempt_at === null ? null : Number(row.first_attempt_at),
    lastError: row.last_error ?? null,
  };
}

/** A new Standard Webhooks secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export class WebhookStore {
  constructor(readonly db: SqlDatabase) {}

  /**
   * Registers an endpoint. It receives the events stored from now on, or
   * every stored event with `fromStart`.
   */
  async addEndpoint(url: string, options: { secret?: string; fromStart?: boolean; now?: Date } = {}): Promise<WebhookEndpoint> {
    const endpoint: WebhookEndpoint = {
      id: `wh_${randomBytes(9).toString('base64url')}`,
      url: checkEndpointUrl(url),
      secret: options.secret === undefined ? newWebhookSecret() : checkSecret(options.secret),
      createdAt: (options.now ?? new Date()).toISOString(),
    };
    const cursor = options.fromStart ? null : await feedHead(this.db);
    await this.db.run('INSERT INTO webhook_endpoints (id, url, secret, created_at, cursor) VALUES ($1, $2, $3, $4, $5)', [
      endpoint.id,
      endpoint.url,
      endpoint.secret,
      endpoint.createdAt,
      cursor,
    ]);
    return endpoint;
  }

  async endpoints(): Promise<WebhookEndpoint[]> {
    const rows = await this.db.all<{ id: string; url: string; secret: string; created_at: string }>(
      'SELECT id, url, secret, created_at FROM webhook_endpoints ORDER BY created_at, id',
    );
    return rows.map((r) => ({ id: r.id, url: r.url, secret: r.secret, createdAt: r.created_at }));
  }

  /** Removes an endpoint with its queue; false when there is none with this id. */
  async removeEndpoint(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM webhook_deliveries WHERE endpoint_id = $1', [id]);
      return (await tx.run('DELETE FROM webhook_endpoints WHERE id = $1', [id])) > 0;
    });
  }

  /** Queues the feed's new events for every endpoint (up to `limit` each); how many were queued. */
  async enqueue(now: number, limit = 500): Promise<number> {
    let queued = 0;
    for (const { id, cursor } of await this.db.all<{ id: string; cursor: string | null }>('SELECT id, cursor FROM webhook_endpoints')) {
      // A look first, outside a transaction: most rounds find nothing new, and need no write lock for that.
      if (!(await readFeed(this.db, cursor ?? undefined, 1)).events.length) continue;
      queued += await this.db.transaction(async (tx) => {
        const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
        const [endpoint] = await tx.all<{ cursor: string | null }>(`SELECT cursor FROM webhook_endpoints WHERE id = $1${lock}`, [id]);
        if (!endpoint) return 0; // removed meanwhile
        const page = await readFeed({ ...tx, dialect: this.db.dialect }, endpoint.cursor ?? undefined, limit);
        if (this.db.dialect === 'postgres' && page.events.length) {
          // One statement for the page: a round trip per event would keep the endpoint's lock for longer.
          await tx.run(
            `INSERT INTO webhook_deliveries (endpoint_id, event_id, subject, payload, state, queued_at, next_attempt_at)
             SELECT $1, e, s, p, 'pending', $5, $5 FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS q(e, s, p, n)
             ORDER BY n ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
            [id, page.events.map((e) => e.id), page.events.map((e) => e.data.subject), page.events.map((e) => JSON.stringify(e)), now],
          );
        } else {
          for (const event of page.events) {
            await tx.run(
              `INSERT INTO webhook_deliveries (endpoint_id, event_id, subject, payload, state, queued_at, next_attempt_at)
               VALUES ($1, $2, $3, $4, 'pending', $5, $5) ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
              [id, event.id, event.data.subject, JSON.stringify(event), now],
            );
          }
        }
        if (page.events.length) await tx.run('UPDATE webhook_endpoints SET cursor = $1 WHERE id = $2', [page.next, id]);
        return page.events.length;
      });
    }
    return queued;
  }

  /** Up to `limit` due deliveries, at most one per subject and endpoint, leased until `now + leaseMs`. */
  async lease(now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    const [due] = await this.db.all(
      `SELECT 1 AS due FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1) LIMIT 1`,
      [now],
    );
    if (!due) return [];
    const skipLocked = this.db.dialect === 'postgres' ? 'FOR UPDATE OF d SKIP LOCKED' : '';
    const rows = await this.db.transaction((tx) =>
      tx.all<DeliveryRow>(
        `UPDATE webhook_deliveries SET lease_until = $2, attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $1)
         WHERE seq IN (
           SELECT d.seq FROM webhook_deliveries d
           WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
             AND NOT EXISTS (
               SELECT 1 FROM webhook_deliveries e
               WHERE e.endpoint_id = d.endpoint_id AND e.subject = d.subject AND e.state = 'pending' AND e.seq < d.seq)
           ORDER BY d.seq LIMIT $3 ${skipLocked})
         RETURNING ${DELIVERY_COLUMNS}`,
        [now, now + leaseMs, limit],
      ),
    );
    return rows.map(deliveryOf).sort((a, b) => a.id - b.id);
  }

  /** The consumer took it: off the queue. */
  async delivered(delivery: Delivery, attempt: DeliveryAttempt): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM webhook_deliveries WHERE seq = $1', [delivery.id]);
      await logAttempt(tx, attempt);
    });
  }

  /** It failed: try again at `nextAttemptAt`, or, with `dead`, put it on the dead-letter list. */
  async failed(delivery: Delivery, attempt: DeliveryAttempt, next: { dead: true } | { dead: false; nextAttemptAt: number }): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `UPDATE webhook_deliveries SET state = $2, next_attempt_at = $3, lease_until = NULL, last_error = $4 WHERE seq = $1`,
        [delivery.id, next.dead ? 'dead' : 'pending', next.dead ? 0 : next.nextAttemptAt, attempt.error ?? `HTTP ${attempt.status}`],
      );
      await logAttempt(tx, attempt);
    });
  }

  /** The dead-letter list, oldest first; of one endpoint, or of all. */
  async deadLetters(endpointId?: string): Promise<DeadLetter[]> {
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE state = 'dead' ${endpointId ? 'AND endpoint_id = $1' : ''} ORDER BY seq`,
      endpointId ? [endpointId] : [],
    );
    return rows.map(deliveryOf);
  }

  async deadLetterCount(): Promise<number> {
    const [row] = await this.db.all<{ n: number | string }>("SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'dead'");
    return Number(row?.n ?? 0);
  }

  /**
   * Sends dead letters again: `id` is one dead letter's number, or an
   * endpoint id for all of that endpoint's. They are due at once and get a
   * whole retry period again. How many were put back.
   */
  async replay(id: string, now: number): Promise<number> {
    const byEndpoint = !/^\d+$/.test(id);
    return this.db.run(
      `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = $2, lease_until = NULL
       WHERE state = 'dead' AND ${byEndpoint ? 'endpoint_id = $1' : 'seq = $1'}`,
      [byEndpoint ? id : Number(id), now],
    );
  }

  /** The last `limit` attempts, newest first. */
  async attempts(limit = 100): Promise<DeliveryAttempt[]> {
    const rows = await this.db.all<{
      endpoint_id: string;
      event_id: string;
      attempted_at: string;
      outcome: DeliveryAttempt['outcome'];
      status: number | null;
      error: string | null;
      latency_ms: number;
    }>(
      'SELECT endpoint_id, event_id, attempted_at, outcome, status, error, latency_ms FROM webhook_attempts ORDER BY seq DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      attemptedAt: r.attempted_at,
      outcome: r.outcome,
      status: r.status === null ? null : Number(r.status),
      error: r.error,
      latencyMs: Number(r.latency_ms),
    }));
  }

  /** Keeps the last `DELIVERY_LOG_SIZE` attempts. */
  async trimLog(): Promise<void> {
    await this.db.run(
      `DELETE FROM webhook_attempts WHERE seq <= (SELECT max(seq) FROM webhook_attempts) - ${DELIVERY_LOG_SIZE}`,
    );
  }
}

async function logAttempt(tx: Pick<SqlDatabase, 'run'>, a: DeliveryAttempt): Promise<void> {
  await tx.run(
    'INSERT INTO webhook_attempts (endpoint_id, event_id, attempted_at, outcome, status, error, latency_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [a.endpointId, a.eventId, a.attemptedAt, a.outcome, a.status, a.error, Math.round(a.latencyMs)],
  );
}

export class WebhookConfigError extends Error {
  override name = 'WebhookConfigError';
}

/** An http(s) URL without credentials in it. */
function checkEndpointUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookConfigError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new WebhookConfigError(`"${url}" is not an http(s) URL`);
  if (parsed.username || parsed.password) throw new WebhookConfigError('put no credentials in the URL: the signature proves who sends');
  return parsed.toString();
}

/** `whsec_` and the base64 of 24 to 64 bytes, as the Standard Webhooks specification serializes a secret. */
function checkSecret(secret: string): string {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  const bytes = match ? Buffer.from(match[1]!, 'base64').length : 0;
  if (!match || bytes < 24 || bytes > 64) {
    throw new WebhookConfigError('a secret is "whsec_" followed by the base64 of 24 to 64 random bytes');
  }
  return secret;
}
