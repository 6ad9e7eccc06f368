/**
 * One decision across a registrar's hosts (www, account, whois): with the
 * controller's `cookieDomain`, the decision in force is mirrored in a small
 * cookie on that domain, which every host under it can read. IndexedDB,
 * which each host (origin) has to itself, stays the full record; the cookie
 * only carries the decision over.
 *
 * What the cookie holds: the notice (id, version, hash, consent
 * fingerprint), the decisions, how and when they were made, when they
 * expire, the receipt id and the host they were made on. Not the subject:
 * a customer id would travel to every server of the domain with each
 * request; the receipt id finds the receipt, and with it the subject.
 *
 * The seal is a SHA-256 digest over the rest: a cookie that was cut short,
 * damaged or edited by hand is ignored (and reported). It cannot stop a
 * script on the registrar's own domain from writing a cookie of its own
 * making; such a script could as well call the controller's API.
 *
 * Newest wins, as between tabs and devices (order.ts): a host adopts the
 * mirror when it was decided after its own record, and writes it when its
 * own record is the later one.
 */
import { mirrorCookieName } from './database.js';
import { isLater } from './order.js';
import type { ConsentMethod, ConsentNotice, ConsentRecord, Decision } from './types.js';

/** The decision as the cookie carries it, between the hosts of one registrable domain. */
export interface SharedDecision {
  noticeId: string;
  noticeVersion: string;
  noticeHash: string;
  consentFingerprint: string;
  decisions: Record<string, Decision>;
  method: ConsentMethod;
  decidedAt: number;
  expiresAt: number;
  receiptId: string;
  /** The host the decision was made on. */
  host: string;
}

const METHODS: readonly ConsentMethod[] = ['accept-all', 'reject-all', 'preferences', 'api', 'gpc', 'email-unsubscribe'];

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...bytes.slice(0, 16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The cookie's value: base64url of the JSON, a dot, the seal. */
async function encode(shared: SharedDecision): Promise<string> {
  const json = JSON.stringify(shared);
  const body = btoa(String.fromCharCode(...new TextEncoder().encode(json)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `${body}.${await digest(json)}`;
}

export type ReadShared = { kind: 'none' } | { kind: 'found'; shared: SharedDecision } | { kind: 'invalid'; problem: string };

/** The mirrored decision for `notice`, if this page's cookies hold a sound one. */
export async function readSharedDecision(notice: Pick<ConsentNotice, 'id'>): Promise<ReadShared> {
  const name = `${mirrorCookieName(notice.id)}=`;
  let cookie: string | undefined;
  try {
    cookie = document.cookie.split(/;\s*/).find((c) => c.startsWith(name));
  } catch {
    return { kind: 'none' }; // a sandboxed frame may not read cookies: nothing can have been shared with it
  }
  if (!cookie) return { kind: 'none' };
  const [body = '', seal = ''] = cookie.slice(name.length).split('.');
  let json: string;
  let shared: SharedDecision;
  try {
    json = new TextDecoder().decode(Uint8Array.from(atob(body.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
    shared = JSON.parse(json) as SharedDecision;
  } catch {
    return { kind: 'invalid', problem: 'it is not readable' };
  }
  if ((await digest(json)) !== seal) return { kind: 'invalid', problem: 'its seal does not match' };
  const problem = shapeProblem(shared, notice.id);
  return problem ? { kind: 'invalid', problem } : { kind: 'found', shared };
}

function shapeProblem(shared: SharedDecision, noticeId: string): string | undefined {
  if (!shared || typeof shared !== 'object') return 'it is not an object';
  if (shared.noticeId !== noticeId) return `it is for notice ${String(shared.noticeId)}`;
  for (const field of ['noticeVersion', 'noticeHash', 'consentFingerprint', 'receiptId', 'host'] as const) {
    if (typeof shared[field] !== 'string') return `${field} is missing`;
  }
  if (!Number.isFinite(shared.decidedAt) || !Number.isFinite(shared.expiresAt)) return 'its dates are missing';
  if (!METHODS.includes(shared.method)) return 'its method is unknown';
  const decisions = shared.decisions;
  if (!decisions || typeof decisions !== 'object' || !Object.values(decisions).every((d) => d === 'granted' || d === 'denied')) {
    return 'its decisions are not granted or denied';
  }
  return undefined;
}

/**
 * Writes `record` as the domain's shared decision, unless the cookie holds
 * a later one. The cookie lives as long as the decision holds. Returns
 * false when the browser did not keep it (a `domain` that does not cover
 * this host, cookies switched off).
 */
export async function writeSharedDecision(record: ConsentRecord, domain: string, now: number): Promise<boolean> {
  const name = mirrorCookieName(record.noticeId);
  const existing = await readSharedDecision({ id: record.noticeId });
  if (existing.kind === 'found' && (existing.shared.receiptId === record.receiptId || isLater(existing.shared, record))) return true;
  const shared: SharedDecision = {
    noticeId: record.noticeId,
    noticeVersion: record.noticeVersion,
    noticeHash: record.noticeHash,
    consentFingerprint: record.consentFingerprint,
    decisions: record.decisions,
    method: record.method,
    decidedAt: record.decidedAt,
    expiresAt: record.expiresAt,
    receiptId: record.receiptId,
    host: record.sharedFrom?.host ?? location.hostname,
  };
  const maxAge = Math.max(0, Math.floor((record.expiresAt - now) / 1000));
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${name}=${await encode(shared)}; Domain=${domain}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure}`;
  const written = await readSharedDecision({ id: record.noticeId });
  return written.kind === 'found' && written.shared.receiptId === record.receiptId;
}

/** Whether `domain` is this page's host or a domain above it: the only ones a cookie can be set on. */
export function coversHost(domain: string, host = location.hostname): boolean {
  const bare = domain.replace(/^\./, '').toLowerCase();
  return host === bare || host.endsWith(`.${bare}`);
}
