/**
 * Records are sealed with HMAC-SHA-256 under a key that cannot leave the
 * browser (non-extractable, kept in IndexedDB). An edit made behind our back,
 * in devtools or by another script writing the store, breaks the seal.
 */
import { canonicalJson } from '../notice/canonical.js';
import type { ConsentStorage } from './storage.js';

const KEY_NAME = 'integrity-key';

/**
 * Why nothing can be sealed in this page, or undefined when it can. Browsers
 * give Web Crypto (`crypto.subtle`, `CryptoKey`) to secure contexts only:
 * https pages, and http on localhost. On plain http from any other host
 * they are missing, and touching them throws a ReferenceError.
 */
export function sealingUnavailable(): string | undefined {
  if (typeof crypto !== 'undefined' && crypto.subtle && typeof CryptoKey === 'function') return undefined;
  return typeof isSecureContext === 'boolean' && !isSecureContext
    ? 'this page is not a secure context (https, or http on localhost), so the browser gives it no Web Crypto'
    : 'this browser has no Web Crypto (crypto.subtle)';
}

export async function integrityKey(storage: ConsentStorage): Promise<CryptoKey> {
  const unavailable = sealingUnavailable();
  if (unavailable) throw new Error(`Consent records cannot be sealed: ${unavailable}`);
  const existing = await storage.get<CryptoKey>(KEY_NAME);
  if (existing instanceof CryptoKey) return existing;
  const fresh = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  // Two tabs may race to make the key; the first one stored wins for both.
  return storage.put<CryptoKey>(KEY_NAME, fresh, (stored) => stored instanceof CryptoKey);
}

export async function seal<T extends { integrity?: string }>(key: CryptoKey, value: Omit<T, 'integrity'>): Promise<T> {
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(canonicalJson(value)));
  return { ...value, integrity: base64url(new Uint8Array(mac)) } as T;
}

export async function isSealed(key: CryptoKey, value: { integrity?: unknown }): Promise<boolean> {
  const { integrity, ...rest } = value;
  if (typeof integrity !== 'string') return false;
  const mac = fromBase64url(integrity);
  if (!mac) return false;
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(canonicalJson(rest)));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
