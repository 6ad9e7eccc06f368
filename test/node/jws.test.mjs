// The receiver's compact JWS (ES256) in plain WebCrypto, checked against
// Node's own crypto: signatures verify both ways, the kid is the RFC 7638
// thumbprint, and nothing edited, forged or re-encoded verifies. Needs the receiver built.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, createPrivateKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';

const jws = await import('../../packages/core/dist/sync/jws.js');
const { createSigner, generateSigningKey } = await import('../../packages/receiver/dist/signer.js');
const { signCompact, verifyCompact, jwkThumbprint, base64urlEncode, base64urlDecode } = jws;

let privateJwk;
let signer;
const payload = JSON.stringify({ version: 'KI-CR-v1.1.0', piiPrincipalId: 'psn_1', note: 'één' });

before(async () => {
  privateJwk = await generateSigningKey();
  signer = await createSigner(privateJwk);
});

describe('jws.ts', () => {
  it('has no Node imports, so a browser can use verifyCompact', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('../../packages/core/dist/sync/jws.js', import.meta.url), 'utf8');
    assert.doesNotMatch(source, /from ['"](node:|fs|crypto|buffer)/);
    assert.doesNotMatch(source, /\bBuffer\b|\brequire\(/);
  });

  it('signs a compact JWS with header {alg: ES256, kid, typ: JWT} that Node verifies (raw r||s = ieee-p1363)', async () => {
    const token = await signer.sign(payload);
    const [h, p, s] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { alg: 'ES256', kid: signer.kid, typ: 'JWT' });
    assert.equal(Buffer.from(p, 'base64url').toString('utf8'), payload);
    const key = createPublicKey({ key: signer.publicJwk, format: 'jwk' });
    assert.ok(nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
  });

  it('verifies a JWS that Node signed, and returns the payload', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: signer.kid })).toString('base64url');
    const body = Buffer.from(payload).toString('base64url');
    const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
    const signature = nodeSign('sha256', Buffer.from(`${header}.${body}`), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const result = await verifyCompact(`${header}.${body}.${signature}`, signer.publicJwk);
    assert.equal(result.ok, true, result.reason);
    assert.equal(result.payload, payload);
  });

  it('uses the RFC 7638 thumbprint as kid', async () => {
    const { crv, kty, x, y } = signer.publicJwk;
    const expected = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
    assert.equal(signer.kid, expected);
    assert.equal(await jwkThumbprint(signer.publicJwk), expected);
  });

  it('fails on every flipped character', async () => {
    const token = await signer.sign(payload);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      assert.equal((await verifyCompact(flipped, signer.publicJwk)).ok, false, `position ${i}`);
    }
  });

  it('refuses a re-encoded signature with the same bytes (non-zero padding bits)', async () => {
    const token = await signer.sign(payload);
    const last = token.at(-1);
    // 64 bytes take 86 characters; the last one carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) | 1];
    assert.notEqual(twin, last);
    assert.equal((await verifyCompact(token.slice(0, -1) + twin, signer.publicJwk)).ok, false);
  });

  it('refuses alg none, another alg, a wrong key, a missing kid, and junk', async () => {
    const token = await signer.sign(payload);
    const [, p, s] = token.split('.');
    const header = (h) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const other = await createSigner(await generateSigningKey());
    const cases = [
      `${header({ alg: 'none', kid: signer.kid })}.${p}.`,
      `${header({ alg: 'HS256', kid: signer.kid })}.${p}.${s}`,
      `${header({ alg: 'ES256' })}.${p}.${s}`,
      'a.b',
      '',
      `${token}.x`,
    ];
    for (const bad of cases) assert.equal((await verifyCompact(bad, signer.publicJwk)).ok, false, bad.slice(0, 30));
    assert.equal((await verifyCompact(token, other.publicJwk)).ok, false, 'another key');
    assert.equal((await verifyCompact(token, { keys: [other.publicJwk] })).ok, false, 'a JWKS without our kid');
    assert.equal((await verifyCompact(token, { keys: [other.publicJwk, signer.publicJwk] })).ok, true, 'picked by kid');
  });

  it('base64url round-trips every length and rejects other alphabets', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const text = base64urlEncode(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(base64urlDecode(text), bytes);
    }
    assert.equal(base64urlDecode('ab+/'), null);
    assert.equal(base64urlDecode('abc='), null);
    assert.equal(base64urlDecode('a'), null);
  });

  it('signCompact takes bytes too', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const token = await signCompact(new TextEncoder().encode('bytes'), pair.privateKey, 'k1');
    const result = await verifyCompact(token, { ...jwk, kid: 'k1' });
    assert.equal(result.ok, true);
    assert.equal(result.payload, 'bytes');
  });
});
