/**
 * "Whom may I mail?": the back office's reads of the current-state table
 * (`consent-state.ts`), for a key with the scope `consent:read`.
 *
 * - `POST /consent/check`: up to 10,000 subjects of one purpose, answered
 *   from one query.
 * - `GET /purposes/{purpose}/subjects`: every subject in one state, as
 *   NDJSON, read page by page, so a list of any size streams without being
 *   held in memory; resumable by cursor.
 */
import type { Hono } from 'hono';
import { requireScope } from './api-keys.js';
import {
  ConsentCheckRequestSchema,
  MAX_CHECK_SUBJECTS,
  type ConsentCheckAnswer,
} from './backoffice-contract.js';
import { isConsentStateStore, type ConsentStateStore, type ConsentStateValue } from './consent-state.js';
import type { NoticeRegistry } from './notice-registry.js';
import { issuesOf, refuse } from './refusal.js';
import type { ReceiptStore } from './store.js';

/** Room for 10,000 subject ids of a few hundred characters each. */
export const MAX_CHECK_BODY_BYTES = 4 * 1024 * 1024;
/** Rows read per query while streaming: large enough to keep the database busy, small enough to hold. */
const STREAM_PAGE = 2000;

export interface BackOfficeRoutesOptions {
  store: ReceiptStore;
  notices: NoticeRegistry;
  /** The body as JSON within `maxBytes`, or the app's refusal (415, 413, 400). */
  readJson: (request: Request, maxBytes: number) => Promise<unknown>;
  now: () => Date;
}

/**
 * The notice id a back-office call about `purpose` means: `notice` when
 * given (it must ask consent for the purpose), else the one notice that
 * asks for it. Several notices may use one purpose id (two registrars on
 * one receiver, say "marketing"); then the caller must say which, rather
 * than get an answer that mixes them.
 */
export function resolveNotice(notices: NoticeRegistry, purpose: string, notice: string | undefined): string {
  const asking = notices.noticesAsking(purpose);
  if (notice !== undefined) {
    if (!asking.includes(notice)) {
      throw refuse('invalid-request', `The notice "${notice}" does not ask consent for "${purpose}".`, {
        issues: [{ path: 'notice', message: asking.length ? `"${purpose}" is a purpose of ${asking.join(', ')}` : `no notice known here asks consent for "${purpose}"` }],
      });
    }
    return notice;
  }
  if (asking.length === 1) return asking[0]!;
  if (!asking.length) {
    throw refuse('invalid-request', `No notice known to this receiver asks consent for "${purpose}".`, {
      issues: [{ path: 'purpose', message: 'not a consent purpose of any known notice' }],
    });
  }
  throw refuse('invalid-request', `Several notices ask consent for "${purpose}" (${asking.join(', ')}): name one as notice.`, {
    issues: [{ path: 'notice', message: `required: one of ${asking.join(', ')}` }],
  });
}

export function backOfficeRoutes(app: Hono, options: BackOfficeRoutesOptions): void {
  const { notices, now } = options;
  const stateStore = (): ConsentStateStore => {
    if (!isConsentStateStore(options.store)) throw refuse('not-found', 'This receiver keeps no current-state table.');
    return options.store;
  };

  app.post('/consent/check', requireScope('consent:read'), async (c) => {
    const store = stateStore();
    const body = await options.readJson(c.req.raw, MAX_CHECK_BODY_BYTES);
    const subjects = (body as { subjects?: unknown } | null)?.subjects;
    if (Array.isArray(subjects) && subjects.length > MAX_CHECK_SUBJECTS) {
      throw refuse(
        'invalid-request',
        `A check takes at most ${MAX_CHECK_SUBJECTS.toLocaleString('en')} subjects; this one has ${subjects.length.toLocaleString('en')}. Split the list.`,
        { issues: [{ path: 'subjects', message: `expected at most ${MAX_CHECK_SUBJECTS} subjects` }] },
      );
    }
    const parsed = ConsentCheckRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw refuse('invalid-request', 'Send { "purpose": "<purpose id>", "subjects": ["<subject id>", …] } and, if needed, "notice".', {
        issues: issuesOf(parsed.error),
      });
    }
    const { purpose } = parsed.data;
    const notice = resolveNotice(notices, purpose, parsed.data.notice);
    // Each subject once, in order: the lookups then walk the index forward instead of jumping about it.
    const rows = await store.consentStates(notice, purpose, [...new Set(parsed.data.subjects)].sort());
    const bySubject = new Map(rows.map((row) => [row.subject, row]));
    const at = now().getTime();
    const answer: ConsentCheckAnswer = {
      notice,
      purpose,
      results: parsed.data.subjects.map((subject) => {
        const row = bySubject.get(subject);
        if (!row) return { subject, state: 'unknown' };
        const state = row.expiresAt > at ? row.state : 'unknown';
        return { subject, state, receiptId: row.receiptId, decidedAt: row.decidedAt, expiresAt: row.expiresAt };
      }),
    };
    return c.json(answer, 200, { 'Cache-Control': 'no-store' });
  });

  app.get('/purposes/:purpose/subjects', requireScope('consent:read'), async (c) => {
    const store = stateStore();
    const purpose = c.req.param('purpose');
    const query = c.req.query();
    const state = query.state ?? 'granted';
    if (state !== 'granted' && state !== 'denied') {
      throw refuse('invalid-request', 'state is granted or denied.', { issues: [{ path: 'state', message: 'expected granted or denied' }] });
    }
    let limit = Number.POSITIVE_INFINITY;
    if (query.limit !== undefined) {
      if (!/^[1-9]\d{0,8}$/.test(query.limit)) {
        throw refuse('invalid-request', 'limit is a whole number of subjects, at least 1.', { issues: [{ path: 'limit', message: 'expected a positive integer' }] });
      }
      limit = Number(query.limit);
    }
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    const notice = resolveNotice(notices, purpose, query.notice);
    const at = now().getTime();
    return new Response(subjectStream(store, { noticeId: notice, purpose, state, after, limit, now: at }), {
      status: 200,
      headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  });
}

const encoder = new TextEncoder();

/**
 * The NDJSON body: a line per subject (with the cursor that resumes after
 * it), then a last line `{ count, next }`. A page is read only when the
 * client has taken the one before (the stream's backpressure).
 */
function subjectStream(
  store: ConsentStateStore,
  query: { noticeId: string; purpose: string; state: ConsentStateValue; after: string | undefined; limit: number; now: number },
): ReadableStream<Uint8Array> {
  let after = query.after;
  let sent = 0;
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const want = Math.min(STREAM_PAGE, query.limit - sent);
        const rows = want > 0 ? await store.subjectsWithState({ ...query, after, limit: want }) : [];
        let text = '';
        for (const row of rows) {
          const cursor = encodeCursor(row.subject);
          text += `${JSON.stringify({ subject: row.subject, receiptId: row.receiptId, cursor })}\n`;
          after = row.subject;
        }
        sent += rows.length;
        if (rows.length < want || sent >= query.limit) {
          // A full last page may be the end too; the next page (empty) would say so, at the cost of a query.
          const more = sent >= query.limit && rows.length > 0;
          text += `${JSON.stringify({ count: sent, next: more && after !== undefined ? encodeCursor(after) : null })}\n`;
          ended = true;
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (ended) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

/** The cursor after `subject`: opaque to clients (base64url of the subject, version-prefixed so it may change). */
export function encodeCursor(subject: string): string {
  return `c1.${base64url(encoder.encode(subject))}`;
}

function decodeCursor(cursor: string): string {
  const match = /^c1\.([A-Za-z0-9_-]+)$/.exec(cursor);
  const bad = () =>
    refuse('invalid-request', 'after is not a cursor this receiver gave: take it from a line of an earlier answer.', {
      issues: [{ path: 'after', message: 'not a cursor' }],
    });
  if (!match) throw bad();
  try {
    const binary = atob(match[1]!.replaceAll('-', '+').replaceAll('_', '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    throw bad();
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
