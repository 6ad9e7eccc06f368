/**
 * Records are sealed with HMAC-SHA-256 under a key that cannot leave the
 * browser (non-extractable, kept in IndexedDB). An edit made behind our back,
 * in devtools or by another script writing the store, breaks the seal.
 */
import { canonicalJson } from '../notice/canonical.js';
import type { ConsentStorage } from './storage.js';

const KEY_NAME = 'integrity-key';

export async function integrityKey(storage: ConsentStorage): Promise<CryptoKey> {
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
