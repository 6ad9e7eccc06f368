// The group-commit queue both receipt stores write through, on its own: a
// write function that records each batch it is given and answers when the
// test lets it, so every step is awaited, never timed. Needs the receiver
// built.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const { GroupCommitQueue, CommitStats } = await import('../dist/group-commit.js');
const { StoreBusyError } = await import('../dist/store.js');

/** An entry the queue only passes on: it looks at nothing but the count. */
const entry = (id) => ({ receiptId: id });
const ids = (entries) => entries.map((e) => e.receiptId);

/** A promise with its settlers outside. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A write function that records the ids of each batch. With `hold`, each
 * batch waits until the test calls `release()`; `started` resolves when the
 * next batch reaches the writer. `fail(ids)` says which batch throws.
 */
function recordingWriter({ hold = false, fail = () => false } = {}) {
  const batches = [];
  let gate = deferred();
  let started = deferred();
  const write = async (entries) => {
    const batch = ids(entries);
    batches.push(batch);
    started.resolve(batch);
    if (hold) await gate.promise;
    if (fail(batch)) throw new Error(`batch ${batch.join(',')} did not commit`);
    return entries.map((e) => ({ outcome: 'created', stored: e }));
  };
  return {
    write,
    batches,
    /** Resolves with the ids of the next batch the writer is given. */
    nextBatch() {
      return started.promise;
    },
    /** Lets the batch being written finish; the next one waits again. */
    release() {
      const open = gate;
      gate = deferred();
      started = deferred();
      open.resolve();
    },
  };
}

const created = (results) => results.map((r) => (assert.equal(r.outcome, 'created'), r.stored.receiptId));

describe('group commit queue', () => {
  it('writes everything queued in one turn as one batch, in arrival order, each caller answered with its own entries', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 100, maxQueue: 1000 });
    const answers = Promise.all([
      queue.append(entry('a')),
      queue.appendAll([entry('b'), entry('c')]),
      queue.append(entry('d')),
      queue.appendAll([entry('e')]),
    ]);
    const [a, bc, d, e] = await answers;
    assert.deepEqual(writer.batches, [['a', 'b', 'c', 'd', 'e']]);
    assert.equal(a.stored.receiptId, 'a');
    assert.deepEqual(created(bc), ['b', 'c']);
    assert.equal(d.stored.receiptId, 'd');
    assert.deepEqual(created(e), ['e']);
  });

  it('keeps the order across batches of maxBatch, and takes what arrives during a write into the next batch', async () => {
    const writer = recordingWriter({ hold: true });
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 3, maxQueue: 1000 });
    const first = Array.from({ length: 7 }, (_, i) => queue.append(entry(`x${i}`)));
    assert.deepEqual(await writer.nextBatch(), ['x0', 'x1', 'x2']);
    // Arrives while the first batch is being written: queued behind x6.
    const late = queue.append(entry('late'));
    writer.release();
    assert.deepEqual(await writer.nextBatch(), ['x3', 'x4', 'x5']);
    writer.release();
    assert.deepEqual(await writer.nextBatch(), ['x6', 'late']);
    writer.release();
    const answers = await Promise.all([...first, late]);
    assert.deepEqual(
      answers.map((r) => r.stored.receiptId),
      ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'late'],
    );
  });

  it('never splits one appendAll, even one larger than maxBatch', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 4, maxQueue: 1000 });
    const big = Array.from({ length: 10 }, (_, i) => entry(`big${i}`));
    const answers = await Promise.all([
      queue.appendAll([entry('p'), entry('q')]),
      queue.appendAll(big),
      queue.appendAll([entry('r'), entry('s'), entry('t')]),
      queue.append(entry('u')),
    ]);
    // p,q cannot share with the ten; the ten go alone, over maxBatch; r,s,t and u fit in four.
    assert.deepEqual(writer.batches, [['p', 'q'], ids(big), ['r', 's', 't', 'u']]);
    assert.deepEqual(created(answers[1]), ids(big));
  });

  it('refuses past maxQueue with StoreBusyError, whole, and loses nothing it admitted', async () => {
    const writer = recordingWriter({ hold: true });
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 2, maxQueue: 5 });
    // The first batch is taken out of the queue once the writer starts: then five more may wait.
    const head = queue.appendAll([entry('h0'), entry('h1')]);
    await writer.nextBatch();
    const admitted = [queue.appendAll([entry('a0'), entry('a1'), entry('a2')]), queue.append(entry('a3'))];
    // Four wait: a batch of two would fit only in part, so it is refused as a whole, not cut.
    await assert.rejects(queue.appendAll([entry('r0'), entry('r1')]), (error) => {
      assert.ok(error instanceof StoreBusyError);
      assert.match(error.message, /4 receipts are waiting/);
      return true;
    });
    admitted.push(queue.append(entry('a4')));
    await assert.rejects(queue.append(entry('over')), /5 receipts are waiting/);
    writer.release();
    await writer.nextBatch();
    writer.release();
    await writer.nextBatch();
    writer.release();
    assert.deepEqual(created(await head), ['h0', 'h1']);
    const [a012, a3, a4] = await Promise.all(admitted);
    assert.deepEqual(created(a012), ['a0', 'a1', 'a2']);
    assert.deepEqual([a3.stored.receiptId, a4.stored.receiptId], ['a3', 'a4']);
    assert.deepEqual(writer.batches, [['h0', 'h1'], ['a0', 'a1', 'a2'], ['a3', 'a4']]);
  });

  it('admits one appendAll larger than maxQueue into an empty queue (a batch is never split, so it must fit somewhere)', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 2, maxQueue: 3 });
    const big = Array.from({ length: 6 }, (_, i) => entry(`e${i}`));
    assert.deepEqual(created(await queue.appendAll(big)), ids(big));
  });

  it('a batch that fails rejects its own callers only; the next batch is still written', async () => {
    const writer = recordingWriter({ fail: (batch) => batch.includes('bad') });
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 2, maxQueue: 1000 });
    const settled = await Promise.allSettled([
      queue.append(entry('ok0')),
      queue.append(entry('ok1')),
      queue.append(entry('bad')),
      queue.append(entry('with-bad')),
      queue.appendAll([entry('ok2'), entry('ok3')]),
    ]);
    assert.deepEqual(writer.batches, [['ok0', 'ok1'], ['bad', 'with-bad'], ['ok2', 'ok3']]);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    assert.match(settled[2].reason.message, /batch bad,with-bad did not commit/);
    assert.equal(settled[3].reason, settled[2].reason, 'both callers of the batch get its error');
    assert.deepEqual(created(settled[4].value), ['ok2', 'ok3']);
  });

  it('append throws the error of an entry the write answered as failed; appendAll answers it in its place', async () => {
    const refused = new Error('the database refused this value');
    const queue = new GroupCommitQueue(
      (entries) => entries.map((e) => (e.receiptId.startsWith('odd') ? { outcome: 'failed', error: refused } : { outcome: 'created', stored: e })),
      { maxBatch: 10, maxQueue: 100 },
    );
    await assert.rejects(queue.append(entry('odd')), refused);
    const results = await queue.appendAll([entry('fine'), entry('odd2')]);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'failed'],
    );
  });

  it('a write function that throws at once (synchronously) rejects its batch like a failed commit', async () => {
    let calls = 0;
    const queue = new GroupCommitQueue(
      (entries) => {
        if (calls++ === 0) throw new Error('disk full');
        return entries.map((e) => ({ outcome: 'created', stored: e }));
      },
      { maxBatch: 1, maxQueue: 100 },
    );
    const [first, second] = await Promise.allSettled([queue.append(entry('one')), queue.append(entry('two'))]);
    assert.equal(first.status, 'rejected');
    assert.match(first.reason.message, /disk full/);
    assert.equal(second.value.stored.receiptId, 'two');
  });

  it('close writes everything admitted, then refuses appends', async () => {
    const writer = recordingWriter({ hold: true });
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 2, maxQueue: 1000 });
    const pending = ['c0', 'c1', 'c2', 'c3', 'c4'].map((id) => queue.append(entry(id)));
    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    assert.equal(queue.closed, true, 'closed at once');
    await assert.rejects(queue.append(entry('after')), /The receipt store is closed/);
    for (let i = 0; i < 3; i++) {
      await writer.nextBatch();
      assert.equal(closed, false, 'close waits for the batch being written');
      writer.release();
    }
    await closing;
    assert.deepEqual(writer.batches, [['c0', 'c1'], ['c2', 'c3'], ['c4']]);
    assert.deepEqual(
      (await Promise.all(pending)).map((r) => r.stored.receiptId),
      ['c0', 'c1', 'c2', 'c3', 'c4'],
    );
    await queue.close(); // a second close has nothing left to wait for
  });

  it('waits for `ready` before taking a batch, so what arrives meanwhile goes together', async () => {
    const ready = deferred();
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 100, maxQueue: 1000, ready: ready.promise });
    const early = queue.append(entry('early'));
    // Later turns of the event loop, still before the store is ready.
    await new Promise((resolve) => setImmediate(resolve));
    const later = queue.append(entry('later'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writer.batches, [], 'nothing written before ready');
    ready.resolve();
    await Promise.all([early, later]);
    assert.deepEqual(writer.batches, [['early', 'later']]);
  });

  it('an empty appendAll is answered at once, without a write', async () => {
    const writer = recordingWriter();
    const queue = new GroupCommitQueue(writer.write, { maxBatch: 2, maxQueue: 2 });
    assert.deepEqual(await queue.appendAll([]), []);
    assert.deepEqual(writer.batches, []);
  });
});

describe('commit stats', () => {
  it('counts transactions, entries and the largest batch', () => {
    const stats = new CommitStats();
    stats.record(3);
    stats.record(7);
    stats.record(2);
    assert.deepEqual({ ...stats }, { transactions: 3, entries: 12, largestBatch: 7 });
  });
});
