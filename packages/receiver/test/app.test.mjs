// createReceiver as a Web-standard app, in process: `app.fetch(Request)`
// with the memory store and the WebCrypto signer (what an edge runtime
// gets), mounted under a prefix, and the answers the CLI cannot provoke:
// 503 busy, 500, the default deny. Needs the build.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { loadNotice, makeReceipt, openApiChecker, receiptHash } from './harness.mjs';

const receiver = await import('../dist/index.js');
const { createReceiver, MemoryReceiptStore, StoreBusyError, createSigner, generateSigningKey, verifyCompact } = receiver;
const { createNodeSigner, nodeSha256 } = await import('../dist/key-file.js');

const contract = openApiChecker();
let gmo;
let signer;
before(async () => {
  gmo = await loadNotice('gmo-registry');
  signer = await createSigner(await generateSigningKey());
});

const postReceipt = (app, receipt, path = '/receipts') =>
  app.fetch(
    new Request(`http://receiver.test${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': receipt.consentReceiptID },
      body: JSON.stringify(receipt),
    }),
  );

async function checked(method, template, response) {
  const body = await response.json();
  contract.response(method, template, response.status, body);
  return body;
}

describe('createReceiver in process (Web-standard fetch)', () => {
  it('stores and countersigns with WebCrypto only; the hash is core\'s receiptHash', async () => {
    const app = createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice] });
    const receipt = await makeReceipt(gmo);
    const response = await postReceipt(app, receipt);
    assert.equal(response.status, 201);
    const body = await checked('POST', '/receipts', response);
    assert.equal(body.receiptHash, await receiptHash(receipt));
    const verified = await verifyCompact(body.countersignature, signer.publicJwk);
    assert.equal(verified.ok, true);
    assert.deepEqual(JSON.parse(verified.payload), receipt);
  });

  it('the node:crypto signer and hash the CLI uses give the same kid, verifiable JWS and hash', async () => {
    const key = await generateSigningKey();
    const [web, node] = await Promise.all([createSigner(key), createNodeSigner(key)]);
    assert.equal(node.kid, web.kid);
    assert.deepEqual(node.publicJwk, web.publicJwk);
    const token = await node.sign('{"a":1}');
    assert.equal((await verifyCompact(token, web.publicJwk)).ok, true);
    assert.equal(token.split('.')[0], (await web.sign('{"a":1}')).split('.')[0], 'the same header');
    const receipt = await makeReceipt(gmo);
    const { canonicalJson } = await import('../../core/dist/notice/index.js');
    assert.equal(nodeSha256(canonicalJson(receipt)), await receiptHash(receipt));
  });

  it('mounts under a prefix in another Hono app', async () => {
    const outer = new Hono();
    outer.route('/consent', createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice] }));
    assert.equal((await postReceipt(outer, await makeReceipt(gmo), '/consent/receipts')).status, 201);
    const health = await outer.fetch(new Request('http://receiver.test/consent/health'));
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('denies every history read by default', async () => {
    const app = createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice] });
    const response = await app.fetch(new Request('http://receiver.test/subjects/psn_1/receipts', { headers: { Authorization: 'Bearer demo:psn_1' } }));
    assert.equal(response.status, 403);
    assert.equal((await checked('GET', '/subjects/{subjectId}/receipts', response)).error, 'forbidden');
  });

  it('asks authorize with the request and the subject', async () => {
    const seen = [];
    const app = createReceiver({
      store: new MemoryReceiptStore(),
      signer,
      notices: [gmo.notice],
      authorize: async (request, subject) => {
        seen.push([request.headers.get('Cookie'), subject]);
        return request.headers.get('Cookie') === `session=${subject}`;
      },
    });
    const get = (cookie) => app.fetch(new Request('http://receiver.test/subjects/psn%2F1/consent', { headers: { Cookie: cookie } }));
    assert.equal((await get('session=psn/1')).status, 200);
    assert.equal((await get('session=psn_2')).status, 403);
    assert.deepEqual(seen, [['session=psn/1', 'psn/1'], ['session=psn_2', 'psn/1']]);
  });

  it('refuses receipts when authorizeReceipt says no: 403, nothing stored', async () => {
    const store = new MemoryReceiptStore();
    const app = createReceiver({ store, signer, notices: [gmo.notice], authorizeReceipt: () => false });
    const receipt = await makeReceipt(gmo);
    const response = await postReceipt(app, receipt);
    assert.equal(response.status, 403);
    assert.equal(await store.get(receipt.consentReceiptID), undefined);
  });

  it('answers 503 busy with Retry-After when the store is full', async () => {
    const store = new MemoryReceiptStore();
    store.append = async () => {
      throw new StoreBusyError('full', 3);
    };
    const app = createReceiver({ store, signer, notices: [gmo.notice] });
    const response = await postReceipt(app, await makeReceipt(gmo));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('Retry-After'), '3');
    assert.equal((await checked('POST', '/receipts', response)).error, 'busy');
  });

  it('answers 500 internal-error as JSON when the store fails, and reports the error', async () => {
    const store = new MemoryReceiptStore();
    store.append = async () => {
      throw new Error('disk on fire');
    };
    const reported = [];
    const app = createReceiver({ store, signer, notices: [gmo.notice], onError: (e) => reported.push(e.message) });
    const response = await postReceipt(app, await makeReceipt(gmo));
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, 'internal-error');
    assert.deepEqual(reported, ['disk on fire']);
  });

  it('a smaller maxBodyBytes is enforced', async () => {
    const app = createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice], maxBodyBytes: 100 });
    const response = await postReceipt(app, await makeReceipt(gmo));
    assert.equal(response.status, 413);
  });
});

describe('createReceiver: POST /receipts/batch in process', () => {
  const postBatch = (app, receipts) =>
    app.fetch(
      new Request('http://receiver.test/receipts/batch', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ items: receipts.map((receipt) => ({ idempotencyKey: receipt.consentReceiptID, receipt })) }),
      }),
    );
  async function chain(n, subject = `psn_${Math.random().toString(36).slice(2)}`) {
    const receipts = [];
    let previous = null;
    for (let i = 0; i < n; i++) {
      const receipt = await makeReceipt(gmo, { subject, previous });
      receipts.push(receipt);
      previous = await receiptHash(receipt);
    }
    return receipts;
  }

  it('writes a whole batch in ONE SQLite transaction (group commit), even beside single POSTs', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { SqliteReceiptStore } = await import('../dist/sqlite-store.js');
    const dir = await mkdtemp(join(tmpdir(), 'akkoord-batch-tx-'));
    // maxBatch below the batch size: a batch is still never split over two transactions.
    const store = new SqliteReceiptStore(join(dir, 'receipts.db'), { maxBatch: 16 });
    try {
      const app = createReceiver({ store, signer, notices: [gmo.notice] });
      const receipts = await chain(100);
      const singles = await Promise.all(Array.from({ length: 3 }, () => makeReceipt(gmo)));
      const [batch, ...others] = await Promise.all([postBatch(app, receipts), ...singles.map((r) => postReceipt(app, r))]);
      const body = await checked('POST', '/receipts/batch', batch);
      assert.ok(body.results.every((r) => r.status === 201));
      assert.deepEqual(others.map((r) => r.status), [201, 201, 201]);
      assert.equal(store.stats.largestBatch, 100, 'the 100 receipts went in one transaction');
      assert.equal(store.stats.entries, 103);
      assert.equal(store.count(), 103);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a store without appendAll takes the batch one entry at a time, with the same answers', async () => {
    const store = new MemoryReceiptStore();
    assert.equal(store.appendAll, undefined);
    const app = createReceiver({ store, signer, notices: [gmo.notice] });
    const [a, b] = await chain(2);
    const fork = await makeReceipt(gmo, { subject: a.piiPrincipalId });
    const body = await checked('POST', '/receipts/batch', await postBatch(app, [a, b, a, fork]));
    assert.deepEqual(body.results.map((r) => r.status), [201, 201, 200, 409]);
    assert.deepEqual((await store.history(a.piiPrincipalId)).map((e) => e.receiptId), [a.consentReceiptID, b.consentReceiptID]);
  });

  it('answers 503 busy with Retry-After for the whole batch when the store is full', async () => {
    const store = new MemoryReceiptStore();
    store.appendAll = async () => {
      throw new StoreBusyError('full', 2);
    };
    const app = createReceiver({ store, signer, notices: [gmo.notice] });
    const response = await postBatch(app, await chain(3));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('Retry-After'), '2');
    assert.equal((await checked('POST', '/receipts/batch', response)).error, 'busy');
  });

  it('an entry the store fails to write is a 500 for that item alone, and is reported', async () => {
    const store = new MemoryReceiptStore();
    const real = store.append.bind(store);
    const [a, b, c] = await chain(3);
    store.append = async (entry) => {
      if (entry.receiptId === b.consentReceiptID) throw new Error('disk hiccup');
      return real(entry);
    };
    const reported = [];
    const app = createReceiver({ store, signer, notices: [gmo.notice], onError: (e) => reported.push(e.message) });
    const body = await checked('POST', '/receipts/batch', await postBatch(app, [a, b, c]));
    assert.deepEqual(body.results.map((r) => [r.status, r.error?.error]), [[201, undefined], [500, 'internal-error'], [409, 'chain-conflict']]);
    assert.deepEqual(reported, ['disk hiccup']);
  });

  it('a smaller maxBatchBodyBytes is enforced, and does not change the single POST limit', async () => {
    const app = createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice], maxBatchBodyBytes: 1000 });
    const [receipt] = await chain(1);
    const response = await postBatch(app, [receipt]);
    assert.equal(response.status, 413);
    assert.equal((await checked('POST', '/receipts/batch', response)).error, 'payload-too-large');
    assert.equal((await postReceipt(app, receipt)).status, 201);
  });
});
