/**
 * Node only: the countersigning key in the data directory (a private JWK in
 * `signing-key.jwk`, mode 0600, created on first start and reused after),
 * and node:crypto versions of the signer and of SHA-256 for the CLI. They
 * give the same bytes as the WebCrypto ones (ECDSA P-256 / SHA-256 with the
 * raw r||s signature, `ieee-p1363`), at a fraction of WebCrypto's cost per
 * call on Node.
 */
/// <reference types="node" />
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Label } from '@akkoord/core/notice';
import { jwkThumbprint, type PublicJwk } from '@akkoord/core/sync';
import { createSigner, generateSigningKey, type Signer } from './signer.js';

export const KEY_FILE = 'signing-key.jwk';
/** The HMAC secret of one-click unsubscribe URLs: 32 random bytes, hex, mode 0600. */
export const UNSUBSCRIBE_SECRET_FILE = 'unsubscribe-secret';
/** The public halves of the keys that signed before the current one (`keys rotate`), so their countersignatures still verify. */
export const PREVIOUS_KEYS_FILE = 'previous-keys.jwks';

export interface KeyFileResult {
  signer: Signer;
  /** The private JWK as read from the file. */
  privateJwk: JsonWebKey;
  path: string;
  created: boolean;
  /** Set when the file was readable by others: it has been narrowed to 0600. */
  repairedMode?: number;
  /** Keys retired by `keys rotate`, newest first: published in the JWKS, never used to sign. */
  previousKeys: PublicJwk[];
}

/** Reads the key, creating it first if there is none. `native`: sign with node:crypto (default: WebCrypto). */
export async function loadOrCreateSigner(dataDir: string, { native = false } = {}): Promise<KeyFileResult> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, KEY_FILE);
  let created = false;
  try {
    // `wx`: never overwrite a key; if two processes start at once, one writes and both read it.
    await writeFile(path, `${JSON.stringify(await generateSigningKey())}\n`, { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const privateJwk = JSON.parse(await readFile(path, 'utf8')) as JsonWebKey;
  const signer = native ? await createNodeSigner(privateJwk) : await createSigner(privateJwk);
  const result: KeyFileResult = { signer, privateJwk, path, created, previousKeys: await readPreviousKeys(dataDir) };
  const mode = (await stat(path)).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    result.repairedMode = mode;
  }
  return result;
}

/** The same signer as `createSigner`, on node:crypto. */
export async function createNodeSigner(privateJwk: JsonWebKey): Promise<Signer> {
  const { kty, crv, x, y, d } = privateJwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !d) {
    throw new TypeError('The signing key must be a private EC P-256 JWK (kty EC, crv P-256, x, y, d)');
  }
  const key = createPrivateKey({ key: { kty, crv, x, y, d }, format: 'jwk' });
  const kid = await jwkThumbprint({ kty, crv, x, y });
  const publicJwk = Object.freeze({ kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } as const);
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' })).toString('base64url');
  return {
    kid,
    publicJwk,
    async sign(payload: string) {
      const input = `${header}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}

/** Core's `sha256Text` on node:crypto: synchronous, and much cheaper per call than WebCrypto on Node. */
export function nodeSha256(text: string): string {
  return sha256Label(createHash('sha256').update(text, 'utf8').digest());
}

async function readPreviousKeys(dataDir: string): Promise<PublicJwk[]> {
  try {
    return (JSON.parse(await readFile(join(dataDir, PREVIOUS_KEYS_FILE), 'utf8')) as { keys: PublicJwk[] }).keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * `akkoord-receiver keys rotate`: a new signing key replaces the current one,
 * whose public half joins `previous-keys.jwks`. Countersignatures made
 * before keep verifying (the JWKS lists both); new ones carry the new kid.
 * Running receivers pick the new key up when they restart.
 */
export async function rotateSigningKey(dataDir: string): Promise<{ previousKid: string; kid: string }> {
  const current = await loadOrCreateSigner(dataDir);
  const retired = [current.signer.publicJwk, ...current.previousKeys.filter((k) => k.kid !== current.signer.kid)];
  const keysPath = join(dataDir, PREVIOUS_KEYS_FILE);
  // Write-then-rename: a crash halfway leaves the old file or the new one, never half of one.
  await writeFile(`${keysPath}.tmp`, `${JSON.stringify({ keys: retired }, null, 2)}\n`, { mode: 0o644 });
  await rename(`${keysPath}.tmp`, keysPath);
  // The previous key is listed before the new one signs, so no countersignature is ever made by an unlisted key.
  const next = await generateSigningKey();
  const keyPath = join(dataDir, KEY_FILE);
  await writeFile(`${keyPath}.tmp`, `${JSON.stringify(next)}\n`, { mode: 0o600 });
  await rename(`${keyPath}.tmp`, keyPath);
  return { previousKid: current.signer.kid, kid: (await createSigner(next)).kid };
}

/**
 * The secret that signs unsubscribe URLs, created on first use. Nodes that
 * share a database share this file, as they share the signing key; a new
 * secret voids every URL minted before.
 */
export async function loadOrCreateUnsubscribeSecret(dataDir: string): Promise<Uint8Array> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, UNSUBSCRIBE_SECRET_FILE);
  try {
    // `wx`: never overwrite it; if two processes start at once, one writes and both read it.
    await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64,}$/.test(text)) throw new Error(`${path} does not hold a secret of 64 or more hex digits`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}
