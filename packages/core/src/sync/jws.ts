/**
 * Compact JWS with ES256 (RFC 7515, RFC 7518 §3.4) in plain WebCrypto: no
 * Node imports, so the same module verifies countersignatures in a browser.
 *
 * WebCrypto's ECDSA P-256 / SHA-256 signature is the raw 64-byte `r || s`,
 * which is exactly the JWS ES256 signature format (no DER to convert).
 */

export interface JwsHeader {
  alg: 'ES256';
  kid: string;
  typ?: string;
}

/** A public EC P-256 key as published in the JWKS. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  alg?: string;
  use?: string;
}

export type VerifyResult =
  | { ok: true; header: JwsHeader; payload: string }
  | { ok: false; reason: string };

const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

/** Signs `payload` (a string is taken as UTF-8) and returns `header.payload.signature`. */
export async function signCompact(
  payload: string | Uint8Array,
  privateKey: CryptoKey,
  kid: string,
  typ = 'JWT',
): Promise<string> {
  const header: JwsHeader = { alg: 'ES256', kid, typ };
  const signingInput = `${base64urlEncode(encoder.encode(JSON.stringify(header)))}.${base64urlEncode(
    typeof payload === 'string' ? encoder.encode(payload) : payload,
  )}`;
  const signature = await globalThis.crypto.subtle.sign(ECDSA, privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64urlEncode(new Uint8Array(signature))}`;
}

/**
 * Verifies a compact ES256 JWS against a public key, or against a JWKS
 * (`{ keys: [...] }`, the key is chosen by the header's `kid`). Never throws
 * for bad input: a forged, truncated or edited token gives `{ ok: false }`.
 * The payload comes back as text (for a receipt: its JSON).
 */
export async function verifyCompact(jws: string, key: PublicJwk | { keys: readonly PublicJwk[] }): Promise<VerifyResult> {
  if (typeof jws !== 'string') return { ok: false, reason: 'not a string' };
  const parts = jws.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'a compact JWS has three parts' };
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = base64urlDecode(h);
  const payloadBytes = base64urlDecode(p);
  const signature = base64urlDecode(s);
  if (!headerBytes || !payloadBytes || !signature) return { ok: false, reason: 'not base64url' };
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    return { ok: false, reason: 'the header is not JSON' };
  }
  if (!isHeader(header)) return { ok: false, reason: 'the header must name alg ES256 and a kid' };
  if (Array.isArray((header as { crit?: unknown }).crit)) return { ok: false, reason: 'unsupported crit header' };
  const jwk = 'keys' in key ? key.keys.find((k) => k.kid === header.kid) : key;
  if (!jwk) return { ok: false, reason: `no key with kid ${header.kid}` };
  if (jwk.kid !== undefined && jwk.kid !== header.kid) return { ok: false, reason: 'the kid does not match the key' };
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return { ok: false, reason: 'the key is not an EC P-256 key' };
  if (signature.length !== 64) return { ok: false, reason: 'an ES256 signature has 64 bytes' };
  let valid = false;
  try {
    const publicKey = await importVerifyKey(jwk);
    valid = await globalThis.crypto.subtle.verify(ECDSA, publicKey, signature, encoder.encode(`${h}.${p}`));
  } catch {
    return { ok: false, reason: 'the key cannot be used' };
  }
  if (!valid) return { ok: false, reason: 'the signature does not match' };
  let payload: string;
  try {
    payload = new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes);
  } catch {
    return { ok: false, reason: 'the payload is not UTF-8' };
  }
  return { ok: true, header, payload };
}

/** Imported keys by their coordinates: an outbox verifies hundreds of countersignatures with one key. */
const importedKeys = new Map<string, Promise<CryptoKey>>();

function importVerifyKey(jwk: PublicJwk): Promise<CryptoKey> {
  const id = `${jwk.x}.${jwk.y}`;
  let key = importedKeys.get(id);
  if (!key) {
    key = globalThis.crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    if (importedKeys.size >= 16) importedKeys.clear();
    importedKeys.set(id, key);
    key.catch(() => importedKeys.delete(id));
  }
  return key;
}

/** RFC 7638 thumbprint of an EC public key: base64url SHA-256 of its required members in lexical order. */
export async function jwkThumbprint(jwk: Pick<PublicJwk, 'crv' | 'kty' | 'x' | 'y'>): Promise<string> {
  const json = `{"crv":${JSON.stringify(jwk.crv)},"kty":${JSON.stringify(jwk.kty)},"x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(json));
  return base64urlEncode(new Uint8Array(digest));
}

function isHeader(value: unknown): value is JwsHeader {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.alg === 'ES256' && typeof v.kid === 'string' && v.kid.length > 0;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Strict base64url (RFC 4648 §5, no padding, RFC 7515 §2): any other
 * character, an impossible length, or unused low bits that are not zero give
 * `null`. The last rule matters: otherwise two strings decode to the same
 * bytes, and a flipped character in a signature could still verify.
 */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? LOOKUP[code]! : -1;
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
    value &= (1 << bits) - 1;
  }
  if (value !== 0) return null;
  return out;
}
