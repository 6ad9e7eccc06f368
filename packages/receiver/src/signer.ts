/**
 * The receiver's countersigning key: an EC P-256 key used for ES256. Plain
 * WebCrypto, so it runs on edge runtimes too; where the private key is kept
 * is the host's business (the Node CLI keeps it in the data directory, see
 * `key-file.ts`).
 */
import { jwkThumbprint, signCompact, type PublicJwk } from '@akkoord/core/sync';

export interface Signer {
  /** RFC 7638 thumbprint of the public key; the `kid` of every countersignature. */
  readonly kid: string;
  /** The public key as published at `/.well-known/jwks.json`. */
  readonly publicJwk: PublicJwk & { kid: string; alg: 'ES256'; use: 'sig' };
  /** A compact JWS (ES256, `kid`, `typ: JWT`) over the payload. */
  sign(payload: string): Promise<string>;
}

/** A new private key as a JWK (`d` included): keep it secret. */
export async function generateSigningKey(): Promise<JsonWebKey> {
  const pair = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
}

/** A signer from a private EC P-256 JWK. */
export async function createSigner(privateJwk: JsonWebKey): Promise<Signer> {
  const { kty, crv, x, y, d } = privateJwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !d) {
    throw new TypeError('The signing key must be a private EC P-256 JWK (kty EC, crv P-256, x, y, d)');
  }
  const privateKey = await globalThis.crypto.subtle.importKey(
    'jwk',
    { kty, crv, x, y, d, ext: false },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const kid = await jwkThumbprint({ kty, crv, x, y });
  const publicJwk = Object.freeze({ kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } as const);
  return {
    kid,
    publicJwk,
    sign: (payload) => signCompact(payload, privateKey, kid),
  };
}
