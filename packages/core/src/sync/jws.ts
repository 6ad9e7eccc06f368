/**
 * Compact JWS with ES256, in plain WebCrypto: ECDSA P-256 over SHA-256 gives
 * the raw r||s signature that JWS uses, so no library is needed, and the same
 * code verifies in browsers and Node.
 */
import type { PublicJwk } from './contract.js';

export class JwsError extends Error {
  override name = 'JwsError';
}

export interface VerifiedJws<T> {
  header: { alg: string; kid?: string; typ?: string };
  payload: T;
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export function base64urlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new JwsError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function signCompact(payload: unknown, privateKey: CryptoKey, kid: string): Promise<string> {
  const encoder = new TextEncoder();
  const header = base64urlEncode(encoder.encode(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' })));
  const body = base64urlEncode(encoder.encode(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, encoder.encode(`${header}.${body}`));
  return `${header}.${body}.${base64urlEncode(new Uint8Array(signature))}`;
}

/** Verifies against the key of the JWKS that the header's `kid` names; throws `JwsError` otherwise. */
export async function verifyCompact<T = unknown>(jws: string, keys: readonly PublicJwk[]): Promise<VerifiedJws<T>> {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new JwsError('a compact JWS has three parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const decoder = new TextDecoder();
  let header: VerifiedJws<T>['header'];
  let payload: T;
  try {
    header = JSON.parse(decoder.decode(base64urlDecode(headerPart)));
    payload = JSON.parse(decoder.decode(base64urlDecode(payloadPart)));
  } catch {
    throw new JwsError('the JWS header or payload is not base64url JSON');
  }
  if (header.alg !== 'ES256') throw new JwsError(`unexpected algorithm ${String(header.alg)}`);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new JwsError(`no published key has kid ${String(header.kid)}`);
  const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, ES256, false, ['verify']);
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    base64urlDecode(signaturePart),
    new TextEncoder().encode(`${headerPart}.${payloadPart}`),
  );
  if (!ok) throw new JwsError('the countersignature does not verify');
  return { header, payload };
}
