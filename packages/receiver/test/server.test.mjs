// The receiver over HTTP: the real `akkoord-receiver` process (the built
// bin), a temp data dir, an ephemeral port, fetch. Every response is checked
// against the OpenAPI document the package ships.
// Needs the build: core and receiver (tsc), then `node packages/receiver/dist/write-openapi.js`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import {
  NOTICE_FILES,
  OPENAPI_FILE,
  canonicalJson,
  hashJson,
  loadNotice,
  makeReceipt,
  openApiChecker,
  receiptHash,
  startReceiver,
  templateOf,
} from './harness.mjs';

const { verifyCompact, jwkThumbprint, signCompact } = await import('../../core/dist/sync/jws.js');

const ORIGIN = 'http://127.0.0.1:8080';
const contract = openApiChecker();
let dir;
let receiver;
let gmo;
let dcube;
/** A second notice that makes receipts (D-Cube's cannot: it publishes no postal address), kept in a temp file. */
let events;
let noticeArgs;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-receiver-'));
  [gmo, dcube] = await Promise.all([loadNotice('gmo-registry'), loadNotice('dcube-resource')]);
  const variant = { ...structuredClone(gmo.notice), id: 'gmo-events', version: '2026-01-01' };
  events = { notice: variant, hash: await hashJson(variant), file: join(dir, 'gmo-events.json') };
  await writeFile(events.file, JSON.stringify(variant, null, 2));
  noticeArgs = ['--notices', NOTICE_FILES['gmo-registry'], NOTICE_FILES['dcube-resource']];
  receiver = await startReceiver({ dataDir: dir, args: [...noticeArgs, events.file, '--demo-auth', '--allow-origin', ORIGIN] });
});
after(async () => {
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One request; the response is checked against the OpenAPI document. */
async function call(method, path, { body, raw, headers = {}, check = true } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] ??= 'application/json';
  } else if (raw !== undefined) {
    init.body = raw;
    if (raw instanceof ReadableStream) init.duplex = 'half';
  }
  const response = await fetch(`${receiver.url}${path}`, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const json = type.startsWith('application/json') ? JSON.parse(text) : undefined;
  if (check) contract.response(method, templateOf(path.split('?')[0]), response.status, json, type);
  return { status: response.status, headers: response.headers, body: json, text };
}

const post = (receipt, headers = {}, { fits = true } = {}) => {
  if (fits) {
    assert.ok(contract.requestFits('POST', '/receipts', receipt), 'the test sends a receipt the contract accepts');
  }
  return call('POST', '/receipts', {
    body: receipt,
    headers: { 'Idempotency-Key': receipt?.consentReceiptID ?? randomUUID(), ...headers },
  });
};
const asSubject = (subject) => ({ headers: { Authorization: `Bearer demo:${subject}` } });

/** Rows in the receiver's database, read beside it (WAL lets readers in). */
function storedRows(where = '1 = 1', ...params) {
  const db = new Database(join(dir, 'receipts.db'), { readonly: true });
  try {
    return db.prepare(`SELECT receipt_id, subject, body FROM receipts WHERE ${where} ORDER BY seq`).all(...params);
  } finally {
    db.close();
  }
}
const rowCount = () => storedRows().length;

describe('receiver: storing receipts', () => {
  it('stores a new receipt (201) and answers a replay with the same answer (200), never twice', async () => {
    const receipt = await makeReceipt(gmo);
    const first = await post(receipt);
    assert.equal(first.status, 201);
    assert.equal(first.body.receiptId, receipt.consentReceiptID);
    assert.equal(first.body.receiptHash, await receiptHash(receipt));
    const again = await post(receipt);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(storedRows('receipt_id = ?', receipt.consentReceiptID).length, 1);
  });

  it('keeps the receipt as canonical JSON, and key order on the wire does not matter', async () => {
    const receipt = await makeReceipt(gmo);
    const reversed = Object.fromEntries(Object.entries(receipt).reverse());
    const first = await post(reversed);
    assert.equal(first.status, 201);
    assert.equal((await post(receipt)).status, 200);
    const [row] = storedRows('receipt_id = ?', receipt.consentReceiptID);
    assert.equal(row.body, canonicalJson(receipt));
  });

  it('chains three receipts of one subject, then answers history and consent to that subject', async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const r1 = await makeReceipt(gmo, { subject, method: 'accept-all', decidedAt: Date.now() - 2000 });
    const r2 = await makeReceipt(gmo, { subject, method: 'reject-all', grant: false, previous: await receiptHash(r1), decidedAt: Date.now() - 1000 });
    const r3 = await makeReceipt(gmo, {
      subject,
      method: 'preferences',
      previous: await receiptHash(r2),
      decisions: { marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' },
    });
    for (const r of [r1, r2, r3]) assert.equal((await post(r)).status, 201);

    const history = await call('GET', `/subjects/${subject}/receipts`, asSubject(subject));
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.receipts.map((item) => item.receipt), [r1, r2, r3]);
    assert.equal(history.body.receipts[1].receipt.akkoord.previousReceiptHash, await receiptHash(r1));

    const consent = await call('GET', `/subjects/${subject}/consent`, asSubject(subject));
    assert.equal(consent.status, 200);
    assert.equal(consent.body.latestReceiptHash, await receiptHash(r3));
    assert.equal(consent.body.notices.length, 1);
    const [current] = consent.body.notices;
    assert.equal(current.noticeId, 'gmo-registry');
    assert.equal(current.receiptId, r3.consentReceiptID);
    assert.deepEqual(current.decisions, r3.akkoord.decisions);
    assert.equal(current.method, 'preferences');
  });

  it('gives the latest decisions per notice when a subject has receipts on two notices', async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const a = await makeReceipt(gmo, { subject });
    const b = await makeReceipt(events, { subject, previous: await receiptHash(a) });
    const c = await makeReceipt(gmo, { subject, previous: await receiptHash(b), grant: false, method: 'reject-all' });
    for (const r of [a, b, c]) assert.equal((await post(r)).status, 201);
    const consent = await call('GET', `/subjects/${subject}/consent`, asSubject(subject));
    assert.deepEqual(consent.body.notices.map((n) => [n.noticeId, n.receiptId]), [
      ['gmo-events', b.consentReceiptID],
      ['gmo-registry', c.consentReceiptID],
    ]);
    assert.equal(consent.body.notices[1].decisions.marketing, 'denied');
  });

  it('lets exactly one of concurrent receipts on the same chain head win; the others get 409 with the new head', async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const receipts = await Promise.all(Array.from({ length: 8 }, () => makeReceipt(gmo, { subject })));
    const answers = await Promise.all(receipts.map((r) => post(r)));
    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status === 409);
    assert.equal(won.length, 1);
    assert.equal(lost.length, 7);
    for (const a of lost) {
      assert.equal(a.body.error, 'chain-conflict');
      assert.equal(a.body.latestReceiptHash, won[0].body.receiptHash);
    }
    assert.equal(storedRows('subject = ?', subject).length, 1);
  });

  it('stores one receipt once when the same post arrives several times at once', async () => {
    const receipt = await makeReceipt(gmo);
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(receipt)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 201]);
    for (const a of answers) assert.deepEqual(a.body, answers[0].body);
    assert.equal(storedRows('receipt_id = ?', receipt.consentReceiptID).length, 1);
  });
});

describe('receiver: bad input gets a 4xx with a machine-readable error and stores nothing', () => {
  let rowsBefore;
  before(() => {
    rowsBefore = rowCount();
  });
  after(() => {
    assert.equal(rowCount(), rowsBefore, 'no bad request stored anything');
  });

  it('malformed JSON: 400 invalid-json', async () => {
    const answer = await call('POST', '/receipts', {
      raw: '{"version": "KI-CR-v1.1.0",',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid-json');
    assert.equal(typeof answer.body.message, 'string');
  });

  it('bytes that are not UTF-8: 400 invalid-json', async () => {
    const answer = await call('POST', '/receipts', {
      raw: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid-json');
  });

  it('wrong shape: 400 invalid-receipt with the paths of the issues', async () => {
    const receipt = await makeReceipt(gmo);
    receipt.consentTimestamp = 'yesterday';
    delete receipt.piiPrincipalId;
    receipt.akkoord.decisions.marketing = 'maybe';
    receipt.extra = true;
    assert.equal(contract.requestFits('POST', '/receipts', receipt), false);
    const answer = await post(receipt, {}, { fits: false });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid-receipt');
    const paths = answer.body.issues.map((i) => i.path);
    for (const path of ['consentTimestamp', 'piiPrincipalId', 'akkoord.decisions.marketing', '']) {
      assert.ok(paths.includes(path), `an issue at "${path}" in ${JSON.stringify(answer.body.issues)}`);
    }
  });

  it('a JSON value that is no object: 400 invalid-receipt', async () => {
    for (const raw of ['null', '[]', '"receipt"', '42']) {
      const answer = await call('POST', '/receipts', {
        raw,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      });
      assert.equal(answer.status, 400, raw);
      assert.equal(answer.body.error, 'invalid-receipt', raw);
    }
  });

  it('a receipt breaking the Kantara rules (sensitive without spiCat): 400 invalid-receipt', async () => {
    const receipt = await makeReceipt(gmo);
    receipt.sensitive = true;
    receipt.spiCat = [];
    const answer = await post(receipt);
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body.issues.map((i) => i.path), ['spiCat']);
  });

  it('oversize, with Content-Length: 413 payload-too-large', async () => {
    const receipt = await makeReceipt(gmo);
    receipt.jurisdiction = 'x'.repeat(70 * 1024);
    const answer = await post(receipt);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error, 'payload-too-large');
  });

  it('oversize, chunked without Content-Length: 413 payload-too-large', async () => {
    const chunk = new TextEncoder().encode(`{"pad":"${'x'.repeat(16 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const answer = await call('POST', '/receipts', {
      raw: stream,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error, 'payload-too-large');
  });

  it('wrong content type: 415 unsupported-media-type', async () => {
    const receipt = await makeReceipt(gmo);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const answer = await call('POST', '/receipts', {
        raw: JSON.stringify(receipt),
        headers: { 'Content-Type': type, 'Idempotency-Key': receipt.consentReceiptID },
      });
      assert.equal(answer.status, 415, type);
      assert.equal(answer.body.error, 'unsupported-media-type');
    }
    const utf8 = await call('POST', '/receipts', {
      raw: JSON.stringify(receipt),
      headers: { 'Content-Type': 'application/json; charset=UTF-8', 'Idempotency-Key': receipt.consentReceiptID },
    });
    assert.equal(utf8.status, 201, 'application/json with charset=UTF-8 is fine');
    rowsBefore++;
  });

  it('an Idempotency-Key other than the receipt id, or none: 400 idempotency-key-mismatch', async () => {
    const receipt = await makeReceipt(gmo);
    const other = await post(receipt, { 'Idempotency-Key': randomUUID() });
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'idempotency-key-mismatch');
    const none = await call('POST', '/receipts', { body: receipt });
    assert.equal(none.status, 400);
    assert.equal(none.body.error, 'idempotency-key-mismatch');
  });

  it('a replayed key with another body: 422 idempotency-conflict, and the stored receipt stays as it was', async () => {
    const receipt = await makeReceipt(gmo);
    const first = await post(receipt);
    assert.equal(first.status, 201);
    rowsBefore++;
    const changed = structuredClone(receipt);
    changed.akkoord.decisions.marketing = 'denied';
    changed.services[0].purposes = changed.services[0].purposes.slice(1);
    const answer = await post(changed);
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error, 'idempotency-conflict');
    const [row] = storedRows('receipt_id = ?', receipt.consentReceiptID);
    assert.equal(row.body, canonicalJson(receipt));
    assert.deepEqual((await post(receipt)).body, first.body);
  });

  it('a broken chain: 409 chain-conflict with the head to rebuild on', async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const first = await makeReceipt(gmo, { subject });
    assert.equal((await post(first)).status, 201);
    rowsBefore++;
    const head = await receiptHash(first);
    const cases = [
      await makeReceipt(gmo, { subject }), // claims to be the first again
      await makeReceipt(gmo, { subject, previous: `sha256:${'0'.repeat(64)}` }),
    ];
    for (const receipt of cases) {
      const answer = await post(receipt);
      assert.equal(answer.status, 409);
      assert.equal(answer.body.error, 'chain-conflict');
      assert.equal(answer.body.latestReceiptHash, head);
    }
    const stranger = await post(await makeReceipt(gmo, { previous: head }));
    assert.equal(stranger.status, 409, "another subject cannot continue this subject's chain");
    assert.equal(stranger.body.latestReceiptHash, null);
  });

  it('a receipt on a notice this receiver does not know: 422 unknown-notice', async () => {
    const edited = structuredClone(gmo.notice);
    edited.version = '2099-01-01';
    const receipt = await makeReceipt({ notice: edited, hash: await hashJson(edited) });
    const answer = await post(receipt);
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error, 'unknown-notice');
  });

  it('a receipt that contradicts its notice (a decision on a purpose that is not a consent purpose): 400', async () => {
    const receipt = await makeReceipt(gmo, { decisions: { marketing: 'granted', billing: 'denied' } });
    const answer = await post(receipt);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid-receipt');
    assert.deepEqual(answer.body.issues.map((i) => i.path), ['akkoord.decisions.billing']);
  });

  it('a forged countersignature: 422 invalid-countersignature from /verify; a genuine one: 200', async () => {
    const receipt = await makeReceipt(gmo);
    const { body: stored } = await post(receipt);
    rowsBefore++;
    const genuine = await call('POST', '/verify', { body: { countersignature: stored.countersignature } });
    assert.equal(genuine.status, 200);
    assert.equal(genuine.body.receiptHash, stored.receiptHash);

    // The same receipt, signed by someone else's key that claims our kid.
    const { kid } = (await call('GET', '/.well-known/jwks.json')).body.keys[0];
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const forged = await signCompact(canonicalJson(receipt), pair.privateKey, kid);
    // Our signature over an edited payload.
    const [h, , s] = stored.countersignature.split('.');
    const edited = canonicalJson({ ...receipt, piiPrincipalId: 'psn_someone_else' });
    const spliced = `${h}.${Buffer.from(edited).toString('base64url')}.${s}`;
    for (const countersignature of [forged, spliced, 'not.a.jws', `${h}.${stored.countersignature.split('.')[1]}.`]) {
      const answer = await call('POST', '/verify', { body: { countersignature } });
      assert.equal(answer.status, 422, countersignature.slice(0, 40));
      assert.equal(answer.body.error, 'invalid-countersignature');
    }
    const wrongShape = await call('POST', '/verify', { body: { jws: stored.countersignature } });
    assert.equal(wrongShape.status, 400);
    assert.equal(wrongShape.body.error, 'invalid-request');
  });

  it("a subject asking for another subject's history or consent: 403 forbidden; no credentials: 403", async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    assert.equal((await post(await makeReceipt(gmo, { subject }))).status, 201);
    rowsBefore++;
    for (const path of [`/subjects/${subject}/receipts`, `/subjects/${subject}/consent`]) {
      const other = await call('GET', path, asSubject('psn_intruder'));
      assert.equal(other.status, 403);
      assert.equal(other.body.error, 'forbidden');
      assert.doesNotMatch(other.text, new RegExp(subject.slice(4)), 'nothing of the subject leaks');
      const anonymous = await call('GET', path);
      assert.equal(anonymous.status, 403);
      const prefixed = await call('GET', path, { headers: { Authorization: `Bearer demo:${subject}x` } });
      assert.equal(prefixed.status, 403);
      assert.equal((await call('GET', path, asSubject(subject))).status, 200);
    }
  });

  it('unknown paths and methods: 404 not-found, as JSON', async () => {
    const answer = await fetch(`${receiver.url}/receipts`);
    assert.equal(answer.status, 404);
    assert.equal((await answer.json()).error, 'not-found');
  });
});

describe('receiver: countersignature, key and contract', () => {
  it('publishes its key; the countersignature verifies with it, names its kid and carries the stored receipt', async () => {
    const receipt = await makeReceipt(gmo);
    const { body: stored } = await post(receipt);
    const jwks = await call('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    const [key] = jwks.body.keys;
    assert.equal(key.kid, await jwkThumbprint(key));
    assert.equal(key.d, undefined, 'no private member is published');

    const verified = await verifyCompact(stored.countersignature, jwks.body);
    assert.equal(verified.ok, true, verified.reason);
    assert.deepEqual(verified.header, { alg: 'ES256', kid: key.kid, typ: 'JWT' });
    assert.deepEqual(JSON.parse(verified.payload), receipt);
    const sha = `sha256:${createHash('sha256').update(verified.payload, 'utf8').digest('hex')}`;
    assert.equal(sha, stored.receiptHash, 'the payload is the canonical JSON the receipt hash is taken over');
  });

  it('a flipped byte anywhere in the countersignature fails verification', async () => {
    const { body: stored } = await post(await makeReceipt(gmo));
    const jwks = (await call('GET', '/.well-known/jwks.json')).body;
    const jws = stored.countersignature;
    const positions = new Set([0, jws.indexOf('.') - 1, jws.indexOf('.') + 1, jws.lastIndexOf('.') - 1, jws.lastIndexOf('.') + 1, jws.length - 1]);
    for (let i = 0; i < jws.length; i += 97) positions.add(i);
    for (const i of positions) {
      if (jws[i] === '.') continue;
      const flipped = jws.slice(0, i) + (jws[i] === 'A' ? 'B' : 'A') + jws.slice(i + 1);
      const result = await verifyCompact(flipped, jwks);
      assert.equal(result.ok, false, `flipping position ${i} must fail`);
    }
  });

  it('resolves the hash of every notice it accepts, and 404 for others', async () => {
    for (const { notice, hash } of [gmo, dcube, events]) {
      const answer = await call('GET', `/notices/${hash}`);
      assert.equal(answer.status, 200);
      assert.equal(await hashJson(answer.body), hash);
      assert.deepEqual(answer.body, notice);
      assert.equal(`sha256:${createHash('sha256').update(answer.text).digest('hex')}`, hash, 'served as canonical JSON');
    }
    const missing = await call('GET', `/notices/sha256:${'0'.repeat(64)}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'not-found');
  });

  it('serves the OpenAPI document it ships (generated from the zod schemas, not stale)', async () => {
    const served = await call('GET', '/openapi.json');
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, JSON.parse(await readFile(OPENAPI_FILE, 'utf8')));
    assert.equal(served.body.openapi, '3.1.0');
    assert.deepEqual(Object.keys(served.body.paths).sort(), [
      '/.well-known/jwks.json',
      '/consent/check',
      '/events',
      '/export',
      '/health',
      '/notices/{hash}',
      '/openapi.json',
      '/purposes/{purpose}/subjects',
      '/receipts',
      '/receipts/batch',
      '/requests',
      '/subjects/{subjectId}/consent',
      '/subjects/{subjectId}/receipts',
      '/subjects/{subjectId}/requests',
      '/unsubscribe/tokens',
      '/unsubscribe/{token}',
      '/verify',
      '/webhooks/deliveries',
    ]);
  });

  it('answers CORS preflights for allowed origins only, with credentials', async () => {
    const preflight = (origin) =>
      fetch(`${receiver.url}/receipts`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
      });
    const allowed = await preflight(ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /idempotency-key/i);
    const other = await preflight('http://127.0.0.1:9999');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const health = await call('GET', '/health', { headers: { Origin: ORIGIN } });
    assert.deepEqual(health.body, { status: 'ok' });
    assert.equal(health.headers.get('access-control-allow-origin'), ORIGIN);
  });
});

describe('receiver: restart', () => {
  it('stops cleanly on SIGTERM, and keeps receipts, chain and key across a restart', async () => {
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const first = await makeReceipt(gmo, { subject });
    const { body: answer } = await post(first);
    const { kid } = (await call('GET', '/.well-known/jwks.json')).body.keys[0];
    const rows = rowCount();

    const stopped = await receiver.stop();
    assert.equal(stopped.code, 0, stopped.output);
    assert.match(stopped.output, /stopped/);
    // Restarted without the gmo-events notice: what was accepted once stays resolvable, so that every stored receipt's notice can still be shown.
    receiver = await startReceiver({ dataDir: dir, args: [...noticeArgs, '--demo-auth'] });

    assert.equal(rowCount(), rows);
    assert.equal((await call('GET', '/.well-known/jwks.json')).body.keys[0].kid, kid, 'the same key');
    const replay = await post(first);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, answer, 'the stored answer, countersignature included');
    const next = await makeReceipt(gmo, { subject, previous: answer.receiptHash, grant: false, method: 'reject-all' });
    assert.equal((await post(next)).status, 201, 'the chain continues where it was');
    const history = await call('GET', `/subjects/${subject}/receipts`, asSubject(subject));
    assert.deepEqual(history.body.receipts.map((r) => r.receipt.consentReceiptID), [first.consentReceiptID, next.consentReceiptID]);

    const kept = await call('GET', `/notices/${events.hash}`);
    assert.equal(kept.status, 200, 'a notice dropped from --notices still resolves by hash');
    assert.equal(await hashJson(kept.body), events.hash);
    const late = await makeReceipt(events, { subject, previous: (await receiptHash(next)) });
    assert.equal((await post(late)).status, 201, 'and receipts made on it are still accepted');
  });

  it('keeps the signing key private: mode 0600', async () => {
    const { stat } = await import('node:fs/promises');
    assert.equal((await stat(join(dir, 'signing-key.jwk'))).mode & 0o777, 0o600);
  });
});
