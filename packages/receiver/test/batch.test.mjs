// `POST /receipts/batch` over HTTP, against the real `akkoord-receiver`
// process (the built bin, durable SQLite): each item is taken exactly as a
// `POST /receipts` of it would be, in order. Every response is checked
// against the OpenAPI document the package ships.
// Needs the build: core and receiver (tsc), then `node packages/receiver/dist/write-openapi.js`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import {
  NOTICE_FILES,
  canonicalJson,
  loadNotice,
  makeReceipt,
  openApiChecker,
  receiptHash,
  startReceiver,
} from './harness.mjs';

const { verifyCompact, MAX_BATCH_ITEMS } = await import('../../core/dist/sync/index.js');

const contract = openApiChecker();
let dir;
let receiver;
let gmo;
let jwks;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-receiver-batch-'));
  gmo = await loadNotice('gmo-registry');
  receiver = await startReceiver({ dataDir: dir, args: ['--notices', NOTICE_FILES['gmo-registry']] });
  jwks = await (await fetch(`${receiver.url}/.well-known/jwks.json`)).json();
});
after(async () => {
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One request; the response is checked against the OpenAPI document. */
async function call(path, { body, raw, headers = {} } = {}) {
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } };
  init.body = raw ?? JSON.stringify(body);
  if (raw instanceof ReadableStream) init.duplex = 'half';
  const response = await fetch(`${receiver.url}${path}`, init);
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : undefined;
  contract.response('POST', path, response.status, json);
  return { status: response.status, headers: response.headers, body: json };
}

const item = (receipt, idempotencyKey = receipt.consentReceiptID) => ({ idempotencyKey, receipt });
/** A batch the contract accepts (tests that send a bad one on purpose use `call`). */
const batch = (items) => {
  assert.ok(contract.requestFits('POST', '/receipts/batch', { items }), 'the test sends a batch the contract accepts');
  return call('/receipts/batch', { body: { items } });
};
const single = (receipt) =>
  call('/receipts', { body: receipt, headers: { 'Idempotency-Key': receipt.consentReceiptID } });

function storedIds(subject) {
  const db = new Database(join(dir, 'receipts.db'), { readonly: true });
  try {
    const where = subject ? 'WHERE subject = ?' : '';
    return db.prepare(`SELECT receipt_id FROM receipts ${where} ORDER BY seq`).all(...(subject ? [subject] : [])).map((r) => r.receipt_id);
  } finally {
    db.close();
  }
}

/** A chain of `n` receipts of one subject, each naming the one before. */
async function chain(subject, n, previous = null) {
  const receipts = [];
  for (let i = 0; i < n; i++) {
    const receipt = await makeReceipt(gmo, { subject, previous, grant: i % 2 === 0, decidedAt: Date.now() - (n - i) });
    receipts.push(receipt);
    previous = await receiptHash(receipt);
  }
  return receipts;
}

const psn = () => `psn_${randomUUID().slice(0, 8)}`;
const summary = (results) => results.map((r) => [r.status, r.error?.error ?? 'stored']);

describe('receiver: POST /receipts/batch takes each item as POST /receipts would, in order', () => {
  it('stores new receipts (201), answers replays (200), and refuses the rest item by item', async () => {
    const a = psn();
    const [a1, a2] = await chain(a, 2);
    const before = await makeReceipt(gmo);
    const { body: beforeAnswer } = await single(before);
    const changed = structuredClone(before);
    changed.akkoord.decisions.marketing = 'denied';
    const wrongShape = { ...(await makeReceipt(gmo)), consentTimestamp: 'yesterday' };
    const unknown = await makeReceipt(gmo);
    unknown.akkoord.noticeHash = `sha256:${'1'.repeat(64)}`;
    const fork = await makeReceipt(gmo, { subject: a, previous: await receiptHash(a1) });
    const other = await makeReceipt(gmo);

    const items = [
      item(a1),
      item(a2),
      item(before), // stored before, by a single POST
      item(a1), // the same item twice in one batch
      item(changed), // another body under a stored id
      item(other, randomUUID()), // a key that is not the receipt id
      item(wrongShape),
      item(unknown),
      item(fork), // names a1, but a2 is the head now
    ];
    const answer = await call('/receipts/batch', { body: { items } });
    assert.equal(answer.status, 200);
    const { results } = answer.body;
    assert.deepEqual(summary(results), [
      [201, 'stored'],
      [201, 'stored'],
      [200, 'stored'],
      [200, 'stored'],
      [422, 'idempotency-conflict'],
      [400, 'idempotency-key-mismatch'],
      [400, 'invalid-receipt'],
      [422, 'unknown-notice'],
      [409, 'chain-conflict'],
    ]);
    assert.deepEqual(results.map((r) => r.idempotencyKey), items.map((i) => i.idempotencyKey), 'one result per item, in order, under its key');
    assert.deepEqual(results[2].answer, beforeAnswer, 'a replay gets the stored answer, countersignature included');
    assert.deepEqual(results[3].answer, results[0].answer);
    assert.ok(results[6].error.issues.some((i) => i.path === 'consentTimestamp'));
    assert.equal(results[8].error.latestReceiptHash, await receiptHash(a2), 'the head to rebuild on');

    // What a single POST of each answers now is what the batch answered.
    assert.deepEqual((await single(a1)).body, results[0].answer);
    assert.equal((await single(changed)).body.error, 'idempotency-conflict');
    assert.equal((await single(fork)).body.latestReceiptHash, await receiptHash(a2));

    assert.deepEqual(storedIds(a), [a1.consentReceiptID, a2.consentReceiptID]);
    for (const id of [before, other, wrongShape, unknown].map((r) => r.consentReceiptID)) {
      assert.equal(storedIds().filter((x) => x === id).length, id === before.consentReceiptID ? 1 : 0);
    }
  });

  it('countersigns every stored item: each verifies with the published key and carries its receipt', async () => {
    const receipts = await chain(psn(), 5);
    const { body } = await batch(receipts.map((r) => item(r)));
    for (const [i, result] of body.results.entries()) {
      assert.equal(result.status, 201);
      assert.equal(result.answer.receiptId, receipts[i].consentReceiptID);
      assert.equal(result.answer.receiptHash, await receiptHash(receipts[i]));
      const verified = await verifyCompact(result.answer.countersignature, jwks);
      assert.equal(verified.ok, true, verified.reason);
      assert.equal(verified.payload, canonicalJson(receipts[i]));
    }
  });

  it('a chain item refused: the items built on it are refused too (chain-conflict), the ones before stay stored', async () => {
    const b = psn();
    const [b1, b2] = await chain(b, 2);
    const b2Changed = structuredClone(b2);
    b2Changed.akkoord.decisions.marketing = b2.akkoord.decisions.marketing === 'granted' ? 'denied' : 'granted';
    // b2 is stored first, so a b2 with another body is an idempotency conflict; b3 and b4 name that other body.
    await single(b1);
    await single(b2);
    const [b3, b4] = await chain(b, 2, await receiptHash(b2Changed));
    const { body } = await batch([item(b2Changed), item(b3), item(b4)]);
    assert.deepEqual(summary(body.results), [
      [422, 'idempotency-conflict'],
      [409, 'chain-conflict'],
      [409, 'chain-conflict'],
    ]);
    for (const r of body.results.slice(1)) assert.equal(r.error.latestReceiptHash, await receiptHash(b2));
    assert.deepEqual(storedIds(b), [b1.consentReceiptID, b2.consentReceiptID], 'nothing stored on a broken chain');

    // The same chain, rebuilt on the head, after one stored item: stored in order.
    const [c1, c2, c3] = await chain(b, 3, await receiptHash(b2));
    const again = await batch([item(b2), item(c1), item(c2), item(c3)]);
    assert.deepEqual(summary(again.body.results), [[200, 'stored'], [201, 'stored'], [201, 'stored'], [201, 'stored']]);
    assert.deepEqual(storedIds(b), [b1, b2, c1, c2, c3].map((r) => r.consentReceiptID));
  });

  it(`a full batch (${MAX_BATCH_ITEMS} receipts of one chain) is stored in order; sent again, every item is a 200 with the same answer`, async () => {
    const subject = psn();
    const receipts = await chain(subject, MAX_BATCH_ITEMS);
    const first = await batch(receipts.map((r) => item(r)));
    assert.ok(first.body.results.every((r) => r.status === 201));
    assert.deepEqual(storedIds(subject), receipts.map((r) => r.consentReceiptID));
    const again = await batch(receipts.map((r) => item(r)));
    assert.ok(again.body.results.every((r) => r.status === 200));
    assert.deepEqual(again.body.results.map((r) => r.answer), first.body.results.map((r) => r.answer));
    assert.equal(storedIds(subject).length, MAX_BATCH_ITEMS, 'never twice');
    // The chain continues from its last item, by a single POST as well.
    const [next] = await chain(subject, 1, await receiptHash(receipts.at(-1)));
    assert.equal((await single(next)).status, 201);
  });
});

describe('receiver: a batch that is not one is refused whole, and stores nothing', () => {
  let rowsBefore;
  before(() => {
    rowsBefore = storedIds().length;
  });
  after(() => {
    assert.equal(storedIds().length, rowsBefore, 'no refused batch stored anything');
  });

  it('an empty batch, or no batch at all: 400 invalid-request with the issues', async () => {
    const receipt = await makeReceipt(gmo);
    for (const body of [
      { items: [] },
      {},
      [item(receipt)],
      null,
      { items: [item(receipt)], extra: true },
      { items: [{ receipt }] },
      { items: [{ idempotencyKey: receipt.consentReceiptID }] },
      { items: [{ ...item(receipt), note: 'x' }] },
    ]) {
      assert.equal(contract.requestFits('POST', '/receipts/batch', body), false);
      const answer = await call('/receipts/batch', { body });
      assert.equal(answer.status, 400, JSON.stringify(body)?.slice(0, 80));
      assert.equal(answer.body.error, 'invalid-request');
      assert.ok(answer.body.issues.length > 0);
    }
    const [empty] = (await call('/receipts/batch', { body: { items: [] } })).body.issues;
    assert.equal(empty.path, 'items');
  });

  it(`more than ${MAX_BATCH_ITEMS} items: 413 payload-too-large`, async () => {
    const receipt = await makeReceipt(gmo);
    const items = Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => item(receipt));
    assert.equal(contract.requestFits('POST', '/receipts/batch', { items }), false);
    const answer = await call('/receipts/batch', { body: { items } });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error, 'payload-too-large');
  });

  it('a body over the batch limit (1 MiB), with Content-Length or chunked: 413 payload-too-large', async () => {
    const receipt = await makeReceipt(gmo);
    const padded = { items: [item({ ...receipt, jurisdiction: 'x'.repeat(1024 * 1024) })] };
    const sized = await call('/receipts/batch', { body: padded });
    assert.equal(sized.status, 413);
    assert.equal(sized.body.error, 'payload-too-large');

    const chunk = new TextEncoder().encode(`{"items":[{"pad":"${'x'.repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await call('/receipts/batch', { raw: stream });
    assert.equal(chunked.status, 413);
    assert.equal(chunked.body.error, 'payload-too-large');
  });

  it('a batch of ordinary size is not held to the single POST limit (64 KiB)', async () => {
    const receipts = await chain(psn(), 40);
    const body = JSON.stringify({ items: receipts.map((r) => item(r)) });
    assert.ok(body.length > 64 * 1024, `${body.length} bytes`);
    const answer = await call('/receipts/batch', { raw: body });
    assert.ok(answer.body.results.every((r) => r.status === 201));
    rowsBefore += receipts.length;
  });

  it('each receipt in a batch is held to the single POST limit: a larger one is refused as an item (413), the others stored', async () => {
    const [first, second] = await chain(psn(), 2);
    // Valid in shape, and over 64 KiB: a purpose that names thousands of data categories.
    const oversized = await makeReceipt(gmo);
    oversized.services[0].purposes[0].piiCategory = Array.from({ length: 6000 }, (_, i) => `category-${i}`);
    assert.ok(JSON.stringify(oversized).length > 64 * 1024);
    assert.equal((await single(oversized)).status, 413, 'the single POST refuses it');
    const answer = await batch([item(first), item(oversized), item(second)]);
    assert.equal(answer.status, 200);
    assert.deepEqual(summary(answer.body.results), [
      [201, 'stored'],
      [413, 'payload-too-large'],
      [201, 'stored'],
    ]);
    assert.match(answer.body.results[1].error.message, /at most 65536 bytes/);
    assert.equal(storedIds().filter((id) => id === oversized.consentReceiptID).length, 0);
    rowsBefore += 2;
  });

  it('wrong content type: 415 unsupported-media-type', async () => {
    const raw = JSON.stringify({ items: [item(await makeReceipt(gmo))] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const answer = await call('/receipts/batch', { raw, headers: { 'Content-Type': type } });
      assert.equal(answer.status, 415, type);
      assert.equal(answer.body.error, 'unsupported-media-type');
    }
  });

  it('malformed JSON, or bytes that are not UTF-8: 400 invalid-json', async () => {
    for (const raw of ['{"items": [', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])]) {
      const answer = await call('/receipts/batch', { raw });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error, 'invalid-json');
    }
  });
});
