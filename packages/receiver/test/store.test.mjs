// The storage rules, for both stores (memory, and SQLite on disk), and the
// SQLite store's group commit: one transaction per turn of the event loop,
// each entry still checked in order. Needs the receiver built.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { MemoryReceiptStore, StoreBusyError } = await import('../dist/store.js');
const { SqliteReceiptStore } = await import('../dist/sqlite-store.js');

let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-store-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const sha = (text) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
/** A stored-receipt entry; the store trusts the receiver for hashes and signatures. */
function entry(subject, previous = null, { noticeId = 'gmo-registry', id = randomUUID(), body } = {}) {
  const text = body ?? JSON.stringify({ id, subject, previous, noticeId });
  return {
    receiptId: id,
    subject,
    noticeId,
    noticeHash: sha(noticeId),
    receiptHash: sha(text),
    previousReceiptHash: previous,
    body: text,
    countersignature: 'h.p.s',
    storedAt: new Date().toISOString(),
  };
}

const stores = {
  memory: () => new MemoryReceiptStore(),
  sqlite: () => new SqliteReceiptStore(join(dir, `${randomUUID()}.db`)),
};

for (const [name, open] of Object.entries(stores)) {
  describe(`${name} store: the rules`, () => {
    it('stores, replays the same body, refuses the same id with another body', async () => {
      const store = open();
      const a = entry('s1');
      assert.equal((await store.append(a)).outcome, 'created');
      const replay = await store.append({ ...a, countersignature: 'other', storedAt: 'later' });
      assert.equal(replay.outcome, 'replayed');
      assert.equal(replay.stored.countersignature, 'h.p.s', 'the stored answer, not the new one');
      const other = await store.append(entry('s1', null, { id: a.receiptId, body: 'different' }));
      assert.equal(other.outcome, 'idempotency-conflict');
      assert.equal((await store.history('s1')).length, 1);
      await store.close();
    });

    it('keeps one chain per subject and answers conflicts with the head', async () => {
      const store = open();
      const a = entry('s1');
      const b = entry('s1', a.receiptHash);
      const x = entry('s2');
      for (const e of [a, b, x]) assert.equal((await store.append(e)).outcome, 'created');
      assert.deepEqual(await store.append(entry('s1', a.receiptHash)), { outcome: 'chain-conflict', latestReceiptHash: b.receiptHash });
      assert.deepEqual(await store.append(entry('s1')), { outcome: 'chain-conflict', latestReceiptHash: b.receiptHash });
      assert.deepEqual(await store.append(entry('s3', a.receiptHash)), { outcome: 'chain-conflict', latestReceiptHash: null });
      assert.deepEqual((await store.history('s1')).map((e) => e.receiptId), [a.receiptId, b.receiptId]);
      assert.equal((await store.latest('s1')).receiptId, b.receiptId);
      assert.equal(await store.latest('nobody'), undefined);
      assert.equal(await store.get(randomUUID()), undefined);
      assert.deepEqual(await store.get(a.receiptId), a);
      await store.close();
    });

    it('answers the latest receipt per notice', async () => {
      const store = open();
      const a = entry('s1', null, { noticeId: 'n2' });
      const b = entry('s1', a.receiptHash, { noticeId: 'n1' });
      const c = entry('s1', b.receiptHash, { noticeId: 'n2' });
      for (const e of [a, b, c]) await store.append(e);
      assert.deepEqual((await store.currentConsent('s1')).map((e) => e.receiptId), [b.receiptId, c.receiptId]);
      assert.deepEqual(await store.currentConsent('nobody'), []);
      await store.close();
    });

    it('keeps notices by hash, once', async () => {
      const store = open();
      await store.putNotice('sha256:1', '{"a":1}');
      await store.putNotice('sha256:1', '{"a":2}');
      assert.equal(await store.getNotice('sha256:1'), '{"a":1}');
      assert.equal(await store.getNotice('sha256:2'), undefined);
      assert.deepEqual(await store.noticeHashes(), ['sha256:1']);
      await store.close();
    });

    it('decides concurrent appends in order: one first receipt per subject, later ones see earlier ones', async () => {
      const store = open();
      const first = entry('race');
      const rival = entry('race');
      const second = entry('race', first.receiptHash);
      const results = await Promise.all([first, rival, second, first].map((e) => store.append(e)));
      assert.deepEqual(results.map((r) => r.outcome), ['created', 'chain-conflict', 'created', 'replayed']);
      await store.close();
    });
  });
}

describe('sqlite store: group commit and durability', () => {
  it('writes everything appended in one turn in one transaction, chains included', async () => {
    const store = stores.sqlite();
    const subjects = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const heads = new Map();
    const pending = [];
    for (let round = 0; round < 10; round++) {
      for (const subject of subjects) {
        const e = entry(subject, heads.get(subject) ?? null);
        heads.set(subject, e.receiptHash);
        pending.push(store.append(e));
      }
    }
    const results = await Promise.all(pending);
    assert.ok(results.every((r) => r.outcome === 'created'));
    assert.equal(store.stats.transactions, 1);
    assert.equal(store.stats.largestBatch, 200);
    assert.equal(store.count(), 200);
    await store.close();
  });

  it('splits a large turn into batches of maxBatch', async () => {
    const store = new SqliteReceiptStore(join(dir, 'batches.db'), { maxBatch: 64 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(entry(`b${i}`))));
    assert.equal(store.stats.transactions, 4);
    await store.close();
  });

  it('appendAll: one transaction for all its entries, each checked against those before it, never split', async () => {
    const store = new SqliteReceiptStore(join(dir, 'append-all.db'), { maxBatch: 4 });
    const a = entry('all');
    const b = entry('all', a.receiptHash);
    const fork = entry('all', a.receiptHash);
    const c = entry('all', b.receiptHash);
    const others = Array.from({ length: 6 }, (_, i) => entry(`other${i}`));
    const [mine, ...singles] = await Promise.all([store.appendAll([a, b, a, fork, c, ...others]), store.append(entry('x')), store.append(entry('y'))]);
    assert.deepEqual(mine.map((r) => r.outcome), ['created', 'created', 'replayed', 'chain-conflict', 'created', ...others.map(() => 'created')]);
    assert.deepEqual(singles.map((r) => r.outcome), ['created', 'created']);
    assert.equal(store.stats.largestBatch, 11, 'eleven entries in one transaction, over maxBatch');
    assert.equal(store.stats.transactions, 2, 'the two single appends share the next one');
    assert.deepEqual((await store.history('all')).map((e) => e.receiptId), [a.receiptId, b.receiptId, c.receiptId]);
    await store.close();
  });

  it('says busy when too much is waiting', async () => {
    const store = new SqliteReceiptStore(join(dir, 'busy.db'), { maxQueue: 10 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.append(entry(`q${i}`))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 2);
    assert.ok(refused[0].reason instanceof StoreBusyError);
    await store.close();
  });

  it('takes a batch whole or not at all when the queue is nearly full', async () => {
    const store = new SqliteReceiptStore(join(dir, 'busy-batch.db'), { maxQueue: 10 });
    const first = store.appendAll(Array.from({ length: 8 }, (_, i) => entry(`w${i}`)));
    await assert.rejects(store.appendAll([entry('z1'), entry('z2'), entry('z3')]), StoreBusyError);
    assert.equal((await first).length, 8);
    assert.equal(store.count(), 8, 'nothing of the refused batch');
    await store.close();
  });

  it('writes what is queued when closed, and keeps it across a reopen (WAL, synchronous=FULL)', async () => {
    const path = join(dir, 'reopen.db');
    const store = new SqliteReceiptStore(path);
    assert.equal(store.synchronous, 'FULL');
    const a = entry('r');
    const b = entry('r', a.receiptHash);
    const pending = [store.append(a), store.append(b)];
    await store.close();
    assert.deepEqual((await Promise.all(pending)).map((r) => r.outcome), ['created', 'created']);
    await assert.rejects(store.append(entry('late')), /closed/);

    const again = new SqliteReceiptStore(path);
    assert.deepEqual((await again.history('r')).map((e) => e.receiptId), [a.receiptId, b.receiptId]);
    assert.equal((await again.append(entry('r', a.receiptHash))).outcome, 'chain-conflict');
    await again.close();
  });

  it('refuses a fork even if the chain check were bypassed (unique index)', async () => {
    const { default: Database } = await import('libsql');
    const path = join(dir, 'fork.db');
    const store = new SqliteReceiptStore(path);
    const a = entry('f');
    await store.append(a);
    await store.close();
    const db = new Database(path);
    const forked = entry('f');
    assert.throws(
      () =>
        db.prepare('INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(forked.receiptId, 'f', 'n', 'h', forked.receiptHash, null, '{}', 's', 't'),
      /UNIQUE/,
    );
    db.close();
  });
});
