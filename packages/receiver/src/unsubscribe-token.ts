/**
 * The token of a one-click unsubscribe URL: self-contained and
 * authenticated, so the receiver keeps no table of minted links and any
 * node that shares the secret honours it.
 *
 *   <payload>.<mac>   payload: base64url of {"v":1,"s":subject,"n":notice,"p":purpose,"x":expiry (epoch s)}
 *                     mac:     base64url of HMAC-SHA256(secret, "akkoord-unsubscribe.v1." + payload)
 *
 * The MAC covers subject, notice and purpose together: a changed character
 * anywhere, or a purpose swapped for another, fails verification
 * (WebCrypto's verify compares in constant time).
 */

export interface UnsubscribeClaims {
  subject: string;
  notice: string;
  purpose: string;
  /** Epoch milliseconds: after this the token changes nothing. */
  expiresAt: number;
}

/** Why a token is refused: damaged or not made with this secret, or too old. */
export type TokenProblem = 'invalid' | 'expired';

const CONTEXT = 'akkoord-unsubscribe.v1.';
const encoder = new TextEncoder();

/** The HMAC key from the receiver's secret (at least 32 bytes). */
export async function unsubscribeKey(secret: Uint8Array): Promise<CryptoKey> {
  if (secret.byteLength < 32) throw new TypeError('The unsubscribe secret must be at least 32 bytes');
  return globalThis.crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export async function mintToken(key: CryptoKey, claims: UnsubscribeClaims): Promise<string> {
  const payload = base64url(
    encoder.encode(JSON.stringify({ v: 1, s: claims.subject, n: claims.notice, p: claims.purpose, x: Math.floor(claims.expiresAt / 1000) })),
  );
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(CONTEXT + payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/** The claims of a token made with `key`, or why it is refused. */
export async function verifyToken(
  key: CryptoKey,
  token: string,
  now: number,
): Promise<{ ok: true; claims: UnsubscribeClaims } | { ok: false; problem: TokenProblem }> {
  const match = /^([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, problem: 'invalid' };
  const [, payload, mac] = match;
  const macBytes = fromBase64url(mac!);
  if (!macBytes || !(await globalThis.crypto.subtle.verify('HMAC', key, macBytes as Uint8Array<ArrayBuffer>, encoder.encode(CONTEXT + payload)))) {
    return { ok: false, problem: 'invalid' };
  }
  let parsed: { v?: unknown; s?: unknown; n?: unknown; p?: unknown; x?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(payload!)));
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  const { v, s, n, p, x } = parsed;
  if (v !== 1 || typeof s !== 'string' || typeof n !== 'string' || typeof p !== 'string' || typeof x !== 'number') {
    return { ok: false, problem: 'invalid' };
  }
  if (x * 1000 <= now) return { ok: false, problem: 'expired' };
  return { ok: true, claims: { subject: s, notice: n, purpose: p, expiresAt: x * 1000 } };
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}
