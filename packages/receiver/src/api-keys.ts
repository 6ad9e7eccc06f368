/**
 * The back office's credentials: API keys with scopes, for the registrar's
 * own systems (a mailer, an auditor's export), never for a subject. A key is
 * shown once, when it is made (`akkoord-receiver keys create`); the store
 * keeps only its SHA-256, so a copy of the database opens nothing.
 *
 * A key reads `akk_<id>_<secret>`: the id (16 hex digits) finds the row, the
 * secret proves the caller holds the key. The hash of the whole key is
 * compared in constant time, and an unknown id costs the same work as a
 * wrong secret, so the answer's timing tells nothing about which ids exist.
 *
 * Back-office keys and the subject-facing `authorize` hook never open each
 * other's routes: `requireScope` takes only a key, and the subject routes
 * refuse a request that presents one (`presentsApiKey`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { refuse } from './refusal.js';

/** What a key may do; a route names the one scope it needs. */
export const API_KEY_SCOPES = ['consent:read', 'events:read', 'unsubscribe:mint', 'export'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A key as the store keeps it: never the key itself. */
export interface ApiKeyRecord {
  /** 16 hex digits, the public part of the key; what `keys revoke` and `keys list` name. */
  id: string;
  /** The holder, for people reading `keys list` (say "seminar mailer"). */
  name: string;
  scopes: ApiKeyScope[];
  /** SHA-256 of the whole key, lowercase hex. */
  hash: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC; null while the key works. */
  revokedAt: string | null;
}

/** Where keys are kept: the receipts' database (both stores of this package), or the host's own. */
export interface ApiKeyStore {
  putApiKey(record: ApiKeyRecord): Promise<void>;
  apiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first, revoked ones included. */
  apiKeys(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked from `at` on; false when there is no such key. Revoking twice keeps the first time. */
  revokeApiKey(id: string, at: string): Promise<boolean>;
}

export function isApiKeyStore(value: unknown): value is ApiKeyStore {
  const candidate = value as Partial<ApiKeyStore> | null | undefined;
  return (
    typeof candidate?.putApiKey === 'function' &&
    typeof candidate.apiKey === 'function' &&
    typeof candidate.apiKeys === 'function' &&
    typeof candidate.revokeApiKey === 'function'
  );
}

/** Who called, once `requireScope` let them in: never the key. */
export interface ApiKeyCaller {
  id: string;
  name: string;
  scopes: readonly ApiKeyScope[];
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set for every request by `withApiKeys`; undefined when the receiver keeps no keys. */
    apiKeys: ApiKeyStore | undefined;
    /** Set by `requireScope` for the route behind it. */
    apiKeyCaller: ApiKeyCaller;
  }
}

const KEY_FORMAT = /^akk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const encoder = new TextEncoder();

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** A new key for `scopes`: the key to hand over once, and the record to store. */
export async function mintApiKey(
  { name, scopes }: { name: string; scopes: readonly ApiKeyScope[] },
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  if (!scopes.length) throw new TypeError('A key needs at least one scope');
  const id = hex(globalThis.crypto.getRandomValues(new Uint8Array(8)));
  const secret = base64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const key = `akk_${id}_${secret}`;
  const record: ApiKeyRecord = {
    id,
    name,
    scopes: API_KEY_SCOPES.filter((s) => scopes.includes(s)),
    hash: hex(await sha256(key)),
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  return { key, record };
}

/** The bearer token of the request, when it has the shape of a back-office key. */
function presentedKey(request: Request): { key: string; id: string } | undefined {
  const header = request.headers.get('Authorization');
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  const parts = match && KEY_FORMAT.exec(match[1]!);
  return parts ? { key: match![1]!, id: parts[1]! } : undefined;
}

/** Does this request carry a back-office key? The subject routes refuse it: a key is no subject's credential. */
export function presentsApiKey(request: Request): boolean {
  return presentedKey(request) !== undefined;
}

/** A hash no key has, to compare against when the id is unknown: the same work as a wrong secret. */
const NO_KEY_HASH = new Uint8Array(32);

/** The key's record when the request presents a key that is stored and not revoked; undefined otherwise. */
export async function authenticate(request: Request, keys: ApiKeyStore | undefined): Promise<ApiKeyRecord | undefined> {
  const presented = presentedKey(request);
  if (!presented || !keys) return undefined;
  const record = await keys.apiKey(presented.id);
  const expected = record ? fromHex(record.hash) : NO_KEY_HASH;
  const matches = constantTimeEqual(await sha256(presented.key), expected);
  return matches && record && record.revokedAt === null ? record : undefined;
}

/** Puts the key store where `requireScope` finds it; the app mounts it once, before every route. */
export function withApiKeys(keys: ApiKeyStore | undefined): MiddlewareHandler {
  return async (c, next) => {
    c.set('apiKeys', keys);
    await next();
  };
}

/**
 * Lets a request through only with a back-office key that holds `scope`:
 * 401 (with `WWW-Authenticate: Bearer`) without a key, or with one that is
 * unknown or revoked; 403 for a valid key without the scope. Both say only
 * that, never which part was wrong, and never echo the key.
 */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler {
  return async (c: Context, next) => {
    const record = await authenticate(c.req.raw, c.get('apiKeys'));
    if (!record) {
      throw refuse(
        'unauthorized',
        'This route needs a back-office API key: send it as "Authorization: Bearer <key>".',
        {},
        { 'WWW-Authenticate': 'Bearer realm="akkoord-back-office"' },
      );
    }
    if (!record.scopes.includes(scope)) throw refuse('forbidden', `This API key does not have the scope ${scope}.`);
    c.set('apiKeyCaller', { id: record.id, name: record.name, scopes: record.scopes });
    await next();
  };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Compares every byte whatever the first difference, so the time taken does not say where it is. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
