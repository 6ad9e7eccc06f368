/**
 * Canonical JSON: object keys sorted by code unit, no insignificant white
 * space, `undefined` members dropped, as JSON.stringify writes scalars. Two
 * documents that mean the same give the same bytes, so the same hash.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
}

/** How Akkoord writes a SHA-256 digest everywhere: `sha256:` and 64 lowercase hex digits. */
export const SHA256_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** A SHA-256 digest (32 bytes) as `sha256:` and lowercase hex. */
export function sha256Label(digest: ArrayBuffer | Uint8Array): string {
  let hex = '';
  for (const byte of digest instanceof Uint8Array ? digest : new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return `sha256:${hex}`;
}

/** SHA-256 of a string's UTF-8 bytes, as `sha256:` and lowercase hex; WebCrypto, so the same in browsers and Node. */
export async function sha256Text(text: string): Promise<string> {
  return sha256Label(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** SHA-256 of the canonical JSON, as `sha256:` and lowercase hex. */
export function hashJson(value: unknown): Promise<string> {
  return sha256Text(canonicalJson(value));
}
