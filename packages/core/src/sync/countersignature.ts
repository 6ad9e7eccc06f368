/**
 * Whether a receiver's countersignature proves that it stored our receipt:
 * an ES256 JWS that verifies under a key the receiver publishes in its JWKS,
 * whose payload is the receipt itself (compared as canonical JSON), and an
 * answer that names the receipt's own hash. Anything less is no proof, and
 * the receipt is not taken as stored.
 */
import { canonicalJson } from '../notice/canonical.js';
import type { ConsentReceipt } from '../receipts/schema.js';
import { verifyCompact, type PublicJwk } from './jws.js';

export type CountersignatureCheck = { ok: true; kid: string } | { ok: false; reason: string };

/** Whether `jws` verifies under one of `keys` and signs exactly `receipt`; never throws. */
export async function checkCountersignature(receipt: ConsentReceipt, jws: string, keys: readonly PublicJwk[]): Promise<CountersignatureCheck> {
  const verified = await verifyCompact(jws, { keys });
  if (!verified.ok) return verified;
  let signed: unknown;
  try {
    signed = JSON.parse(verified.payload);
  } catch {
    return { ok: false, reason: 'its payload is not JSON' };
  }
  // A valid countersignature of another receipt proves nothing about this one (and is reported like a forged one).
  if (canonicalJson(signed) !== canonicalJson(receipt)) return { ok: false, reason: 'it signs another receipt' };
  return { ok: true, kid: verified.header.kid };
}

export class CountersignatureError extends Error {
  override name = 'CountersignatureError';
}

export class CountersignatureVerifier {
  #fetchKeys: () => Promise<PublicJwk[]>;
  #keys?: Promise<PublicJwk[]>;

  /** `fetchKeys` asks the receiver for its JWKS; asked once, and again when a signature names a key not seen yet. */
  constructor(fetchKeys: () => Promise<PublicJwk[]>) {
    this.#fetchKeys = fetchKeys;
  }

  /**
   * Throws a `CountersignatureError` that says why `jws` does not prove that
   * the receiver stored `receipt`, whose hash is `hash`; `answeredHash` is the
   * hash the receiver said it stored.
   */
  async verify(receipt: ConsentReceipt, hash: string, jws: string, answeredHash: string): Promise<void> {
    if (answeredHash !== hash) throw new CountersignatureError('the receiver confirmed another receipt than the one sent');
    let verified = await checkCountersignature(receipt, jws, await this.#currentKeys());
    // The receiver may have rotated its key since we last asked.
    if (!verified.ok) verified = await checkCountersignature(receipt, jws, await this.#currentKeys(true));
    if (!verified.ok) throw new CountersignatureError(verified.reason);
  }

  #currentKeys(again = false): Promise<PublicJwk[]> {
    if (again || !this.#keys) {
      const keys = this.#fetchKeys();
      this.#keys = keys;
      // A failed look-up is not kept: the next receipt asks again.
      keys.catch(() => {
        if (this.#keys === keys) this.#keys = undefined;
      });
    }
    return this.#keys;
  }
}
