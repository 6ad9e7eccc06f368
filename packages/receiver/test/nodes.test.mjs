// Several receiver nodes on one PostgreSQL, behind a round-robin proxy:
// one chain per subject whatever node a receipt reaches, no fork, no loss;
// a replay through the other node gets the same answer; every node signs
// with the keys they share. And key rotation: `akkoord-receiver keys rotate`,
// after which old countersignatures still verify, in the client and at
// POST /verify. Real processes, real HTTP, a real PostgreSQL. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { BIN, loadNotice, makeReceipt, receiptHash, startReceiver, postReceipt as post } from './harness.mjs';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';
import { startProxy } from './proxy.mjs';

const { ReceiptClient, verifyCompact } = await import('../../core/dist/sync/index.js');

const noPostgres = postgresMissing();
let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-nodes-'));
  gmo = await loadNotice('gmo-registry');
});
after(() => rm(dir, { recursive: true, force: true }));

/** Every subject's chain as stored: linked, each hash the SHA-256 of its body, no receipt twice. */
async function checkChains(db) {
  const { rows } = await db.query('SELECT subject, receipt_id, receipt_hash, previous_hash, body FROM receipts ORDER BY subject, seq');
  const ids = new Set();
  const heads = new Map();
  for (const row of rows) {
    assert.ok(!ids.has(row.receipt_id), `${row.receipt_id} stored once`);
    ids.add(row.receipt_id);
    assert.equal(row.receipt_hash, `sha256:${createHash('sha256').update(row.body).digest('hex')}`);
    assert.equal(row.previous_hash, heads.get(row.subject) ?? null, `the chain of ${row.subject} is linked`);
    heads.set(row.subject, row.receipt_hash);
  }
  return { receipts: rows.length, subjects: heads.size };
}

describe('two nodes on one PostgreSQL, behind a round-robin proxy', { skip: noPostgres }, () => {
  let cluster;
  let db;
  let a;
  let b;
  let proxy;
  before(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase('nodes');
    // One data directory for the keys: the nodes share them, as a deployment shares a secret.
    const keys = join(dir, 'shared-keys');
    const args = ['--database', url, '--demo-auth'];
    a = await startReceiver({ dataDir: keys, args });
    b = await startReceiver({ dataDir: keys, args });
    proxy = await startProxy([a.url, b.url]);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });
  after(async () => {
    await proxy?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.end();
    await cluster?.stop();
  });

  it('both nodes publish the same key', async () => {
    const [ja, jb] = await Promise.all([a, b].map(async (node) => (await fetch(`${node.url}/.well-known/jwks.json`)).json()));
    assert.deepEqual(ja, jb);
    assert.equal(ja.keys.length, 1);
  });

  it('the same receipt through both nodes at once: stored once, the same answer twice', async () => {
    for (let i = 0; i < 10; i++) {
      const receipt = await makeReceipt(gmo);
      const answers = await Promise.all([post(a.url, receipt), post(b.url, receipt)]);
      assert.deepEqual(answers.map((x) => x.status).sort(), [200, 201]);
      assert.deepEqual(answers[0].body, answers[1].body, 'the stored answer, countersignature and all');
    }
  });

  it('rival receipts on one predecessor, one through each node at once: one is stored, the other gets 409 and the head', async () => {
    const subjects = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const subject = `psn_rivals_${i}`;
        const first = await makeReceipt(gmo, { subject });
        assert.equal((await post(proxy.url, first)).status, 201);
        const previous = await receiptHash(first);
        const [left, right] = await Promise.all([makeReceipt(gmo, { subject, previous }), makeReceipt(gmo, { subject, previous, grant: false })]);
        const answers = await Promise.all([post(a.url, left), post(b.url, right)]);
        assert.deepEqual(answers.map((x) => x.status).sort(), [201, 409], subject);
        const winner = answers.find((x) => x.status === 201).body;
        assert.equal(answers.find((x) => x.status === 409).body.latestReceiptHash, winner.receiptHash);
        return subject;
      }),
    );
    const { rows } = await db.query('SELECT subject, count(*)::int AS n FROM receipts WHERE subject = ANY($1) GROUP BY subject', [subjects]);
    assert.equal(rows.length, 20);
    for (const row of rows) assert.equal(row.n, 2, `${row.subject}: its first receipt and one successor`);
  });

  it('chains built through the proxy, many subjects at once: every receipt 201, both nodes used, no fork', async () => {
    const before = new Map(proxy.counts);
    const perSubject = 8;
    await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        let previous = null;
        for (let n = 0; n < perSubject; n++) {
          const receipt = await makeReceipt(gmo, { subject: `psn_chain_${i}`, previous, grant: n % 2 === 0 });
          const answer = await post(proxy.url, receipt);
          assert.equal(answer.status, 201, JSON.stringify(answer.body));
          previous = answer.body.receiptHash;
        }
      }),
    );
    for (const node of [a, b]) {
      const origin = new URL(node.url).origin;
      assert.ok((proxy.counts.get(origin) ?? 0) - (before.get(origin) ?? 0) >= 50, `${origin} took its share`);
    }
    const history = await (await fetch(`${a.url}/subjects/psn_chain_3/receipts`, { headers: { Authorization: 'Bearer demo:psn_chain_3' } })).json();
    assert.equal(history.receipts.length, perSubject);
    const counted = await checkChains(db);
    assert.ok(counted.receipts >= 25 * perSubject);
  });

  it('a countersignature from one node verifies at the other (POST /verify)', async () => {
    const receipt = await makeReceipt(gmo);
    const stored = await post(a.url, receipt);
    const verified = await fetch(`${b.url}/verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ countersignature: stored.body.countersignature }),
    });
    assert.equal(verified.status, 200);
    assert.equal((await verified.json()).receiptId, receipt.consentReceiptID);
  });
});

describe('keys rotate: new countersignatures use the new key; every old one still verifies', () => {
  it('in the client and with POST /verify, over two rotations', async () => {
    const data = join(dir, 'rotation');
    const signed = [];
    let previous = null;
    const subject = 'psn_rotation';
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'keys', 'rotate', '--data', data]);
        assert.match(stdout, /new signing key \S+/);
        assert.match(stdout, new RegExp(`previous key ${signed.at(-1).kid} stays in the JWKS`));
      }
      const receiver = await startReceiver({ dataDir: data });
      try {
        const receipt = await makeReceipt(gmo, { subject, previous });
        const answer = await post(receiver.url, receipt);
        assert.equal(answer.status, 201);
        previous = answer.body.receiptHash;
        const kid = JSON.parse(Buffer.from(answer.body.countersignature.split('.')[0], 'base64url')).kid;
        signed.push({ kid, countersignature: answer.body.countersignature, receiptId: receipt.consentReceiptID });

        const client = new ReceiptClient({ endpoint: receiver.url });
        const keys = await client.keys();
        assert.equal(keys.length, round + 1, 'the JWKS lists the current key and every previous one');
        assert.equal(keys[0].kid, kid, 'the current key signs');
        for (const old of signed) {
          const inClient = await verifyCompact(old.countersignature, { keys });
          assert.equal(inClient.ok, true, `the client verifies the countersignature made with ${old.kid}`);
          assert.equal(inClient.header.kid, old.kid);
          const atReceiver = await fetch(`${receiver.url}/verify`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ countersignature: old.countersignature }),
          });
          assert.equal(atReceiver.status, 200);
          assert.deepEqual(
            { kid: (await atReceiver.json()).kid },
            { kid: old.kid },
          );
        }
      } finally {
        await receiver.stop();
      }
    }
    assert.equal(new Set(signed.map((s) => s.kid)).size, 3, 'three keys, one per round');
  });

  it('refuses an unknown keys action', async () => {
    await assert.rejects(promisify(execFile)(process.execPath, [BIN, 'keys', 'forget']), (error) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /usage: akkoord-receiver keys rotate/);
      return true;
    });
  });
});
