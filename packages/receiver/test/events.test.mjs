// The event feed and the webhook delivery log over real HTTP: who may read
// them (a back-office key with events:read; nobody else), paging by cursor
// without loss, answers that fit the OpenAPI document. On PostgreSQL: two
// slow writers whose sequence numbers and commits cross, and the feed still
// hands out nothing it would later have to go back for; two receiver nodes
// that deliver every webhook event once, in order per subject; retention on
// PostgreSQL. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { canonicalJson, loadNotice, makeReceipt, openApiChecker, receiptHash, startReceiver, postReceipt as post } from './harness.mjs';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';
import { cli, freePort, signatureValid, startConsumer, until } from './proof-helpers.mjs';

const noPostgres = postgresMissing();
const openApi = openApiChecker();
let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-events-'));
  gmo = await loadNotice('gmo-registry');
});
after(() => rm(dir, { recursive: true, force: true }));

/** A back-office key made with the CLI, as an operator would. */
async function createKey(data, scope, database) {
  const made = await cli('keys', 'create', '--scope', scope, '--name', `test ${scope}`, '--data', data, ...(database ? ['--database', database] : []));
  assert.equal(made.code, 0, made.stderr);
  return /^(akk_\S+)$/m.exec(made.stdout)[1];
}

const get = async (url, key) => {
  const response = await fetch(url, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  return { status: response.status, headers: response.headers, body: await response.json() };
};

/** Every event after `after`, page by page. */
async function readAll(base, key, after, limit = 3) {
  const events = [];
  let cursor = after;
  for (;;) {
    const page = await get(`${base}/events?limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, key);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    openApi.response('GET', '/events', 200, page.body);
    events.push(...page.body.events);
    if (page.body.events.length < limit) return { events, next: page.body.next };
    cursor = page.body.next;
  }
}

describe('the event feed on SQLite', () => {
  let receiver;
  let data;
  let key;
  const ids = [];
  before(async () => {
    data = join(dir, 'sqlite');
    receiver = await startReceiver({ dataDir: data });
    key = await createKey(data, 'events:read');
    for (let s = 0; s < 3; s++) {
      let previous = null;
      for (let n = 0; n < 3; n++) {
        const receipt = await makeReceipt(gmo, { subject: `psn_feed_${s}`, previous, grant: n !== 1, method: n === 1 ? 'reject-all' : 'accept-all' });
        assert.equal((await post(receiver.url, receipt)).status, 201);
        previous = await receiptHash(receipt);
        ids.push(receipt.consentReceiptID);
      }
    }
  });
  after(() => receiver?.stop());

  it('answers 401 without a key, and with a key it does not know; 403 with a key without events:read', async () => {
    for (const path of ['/events', '/webhooks/deliveries']) {
      const none = await get(`${receiver.url}${path}`);
      assert.equal(none.status, 401);
      assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(none.body.events, undefined, 'and learns nothing');
      const forged = await get(`${receiver.url}${path}`, `akk_${'0'.repeat(16)}_${'A'.repeat(43)}`);
      assert.equal(forged.status, 401);
      const subjectToken = await get(`${receiver.url}${path}`, 'demo:psn_feed_0');
      assert.equal(subjectToken.status, 401, "a subject's credential opens no back-office route");
    }
    const other = await createKey(data, 'consent:read');
    for (const path of ['/events', '/webhooks/deliveries']) {
      const wrong = await get(`${receiver.url}${path}`, other);
      assert.equal(wrong.status, 403);
      openApi.response('GET', path, 403, wrong.body);
    }
  });

  it('gives every stored receipt once, in store order, page after page, and resumes from any cursor', async () => {
    const { events, next } = await readAll(receiver.url, key);
    assert.deepEqual(events.map((e) => e.data.receiptId), ids);
    assert.deepEqual(events.map((e) => e.id), ids.map((id) => `evt_${id}`));
    assert.equal(next, events.at(-1).cursor);
    const first = events[0];
    assert.equal(first.type, 'consent.recorded');
    assert.equal(first.data.subject, 'psn_feed_0');
    assert.ok(first.data.granted.length > 0 && first.data.denied.length === 0);
    assert.ok(events[1].data.denied.length > 0 && events[1].data.granted.length === 0);
    assert.equal(events[1].data.previousReceiptHash, first.data.receiptHash);
    // From the middle: the rest, nothing else.
    const rest = await readAll(receiver.url, key, events[4].cursor, 2);
    assert.deepEqual(rest.events.map((e) => e.data.receiptId), ids.slice(5));
    // At the end: nothing new, and the same cursor to ask again with.
    const empty = await get(`${receiver.url}/events?after=${next}`, key);
    assert.deepEqual(empty.body, { events: [], next });
    // A receipt stored now is the next event.
    const later = await makeReceipt(gmo, { subject: 'psn_feed_late' });
    assert.equal((await post(receiver.url, later)).status, 201);
    const page = await get(`${receiver.url}/events?after=${next}`, key);
    assert.deepEqual(page.body.events.map((e) => e.data.receiptId), [later.consentReceiptID]);
  });

  it('refuses a cursor it did not give out, and a limit out of range, saying which', async () => {
    for (const query of ['after=abc', 'after=1-2', 'limit=0', 'limit=1001', 'limit=ten']) {
      const answer = await get(`${receiver.url}/events?${query}`, key);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error, 'invalid-request');
      assert.equal(answer.body.issues[0].path, query.split('=')[0]);
      openApi.response('GET', '/events', 400, answer.body);
    }
  });

  it('lists the last webhook attempts for the back office', async () => {
    const port = await freePort();
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--from-start', '--data', data);
    assert.equal(added.code, 0, added.stderr);
    const consumer = startConsumer(port);
    await consumer.listening;
    try {
      await until(() => consumer.requests.length >= ids.length + 1, 'every event delivered from the start');
      let log;
      await until(async () => {
        log = await get(`${receiver.url}/webhooks/deliveries?limit=5`, key);
        return log.body.attempts?.length === 5;
      }, 'the delivery log');
      assert.equal(log.status, 200);
      openApi.response('GET', '/webhooks/deliveries', 200, log.body);
      assert.equal(log.body.deadLetters, 0);
      for (const attempt of log.body.attempts) {
        assert.equal(attempt.outcome, 'delivered');
        assert.equal(attempt.status, 204);
        assert.ok(attempt.latencyMs >= 0);
      }
    } finally {
      await consumer.stop();
    }
  });
});

describe('the event feed and webhooks on PostgreSQL', { skip: noPostgres }, () => {
  let cluster;
  let url;
  let a;
  let b;
  let key;
  before(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('events');
    const keys = join(dir, 'pg-keys');
    a = await startReceiver({ dataDir: keys, args: ['--database', url, '--webhook-backoff', '100ms', '--webhook-timeout', '2s'] });
    b = await startReceiver({ dataDir: keys, args: ['--database', url, '--webhook-backoff', '100ms', '--webhook-timeout', '2s'] });
    key = await createKey(keys, 'events:read', url);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cluster?.stop();
  });

  it('never hands out a row that a slower transaction with a smaller seq could still come before', async () => {
    const start = (await readAll(a.url, key)).next;
    const writer = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    };
    const [slow, fast] = [await writer(), await writer()];
    const row = async (subject) => {
      const receipt = await makeReceipt(gmo, { subject });
      const body = canonicalJson(receipt);
      return [receipt.consentReceiptID, subject, gmo.notice.id, gmo.hash, await receiptHash(receipt), null, body, 'e30.e30.sig', new Date().toISOString()];
    };
    const insert = `INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq`;
    try {
      const slowRow = await row('psn_slow_writer');
      const fastRow = await row('psn_fast_writer');
      // The slow writer takes its seq first, the fast one the next; the fast one commits first.
      await slow.query('BEGIN');
      const slowSeq = Number((await slow.query(insert, slowRow)).rows[0].seq);
      await fast.query('BEGIN');
      const fastSeq = Number((await fast.query(insert, fastRow)).rows[0].seq);
      await fast.query('COMMIT');
      assert.ok(slowSeq < fastSeq, 'the seqs cross the commits');

      // A reader that paged by seq would now get the fast row and move past the slow one for good. The feed waits.
      const meanwhile = await readAll(b.url, key, start);
      assert.deepEqual(meanwhile.events, [], 'nothing while an older transaction may still commit below');
      assert.equal(meanwhile.next, start);

      await slow.query('COMMIT');
      const now = await readAll(b.url, key, start);
      assert.deepEqual(now.events.map((e) => e.data.receiptId), [slowRow[0], fastRow[0]], 'both, in commit-safe order');
      // A rolled-back writer leaves nothing, and holds nothing back once it is gone.
      await slow.query('BEGIN');
      await slow.query(insert, await row('psn_rolled_back'));
      const held = await readAll(a.url, key, now.next);
      assert.deepEqual(held.events, []);
      await slow.query('ROLLBACK');
      const posted = await makeReceipt(gmo, { subject: 'psn_after_rollback' });
      assert.equal((await post(a.url, posted)).status, 201);
      const after = await readAll(a.url, key, now.next);
      assert.deepEqual(after.events.map((e) => e.data.receiptId), [posted.consentReceiptID]);
    } finally {
      await slow.end();
      await fast.end();
    }
  });

  it('two nodes deliver every event exactly once to a healthy consumer, in order per subject', async () => {
    const port = await freePort();
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--data', join(dir, 'pg-keys'), '--database', url);
    assert.equal(added.code, 0, added.stderr);
    const secret = /secret: (whsec_\S+)/.exec(added.stdout)[1];
    const consumer = startConsumer(port);
    consumer.mode('slow');
    await consumer.listening;
    try {
      const order = new Map();
      await Promise.all(
        Array.from({ length: 6 }, async (_, s) => {
          const subject = `psn_two_nodes_${s}`;
          let previous = null;
          order.set(subject, []);
          for (let n = 0; n < 4; n++) {
            const receipt = await makeReceipt(gmo, { subject, previous, grant: n % 2 === 0, method: n % 2 ? 'reject-all' : 'accept-all' });
            // Each subject's receipts go to both nodes in turn.
            assert.equal((await post(n % 2 ? b.url : a.url, receipt)).status, 201);
            previous = await receiptHash(receipt);
            order.get(subject).push(`evt_${receipt.consentReceiptID}`);
          }
        }),
      );
      const expected = [...order.values()].flat();
      await until(() => expected.every((id) => consumer.requests.some((r) => r.id === id)), 'every event delivered');
      // Give a duplicate, were there one, the time to arrive: both nodes poll every 250 ms.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const received = consumer.requests.map((r) => r.id);
      assert.equal(received.length, expected.length, 'no event twice');
      for (const [subject, ids] of order) {
        assert.deepEqual(received.filter((id) => ids.includes(id)), ids, `${subject} in order`);
      }
      for (const request of consumer.requests) assert.ok(signatureValid(secret, request));
    } finally {
      await consumer.stop();
    }
  });

  it('retries, dead-letters and replays on PostgreSQL too, keeping a subject\'s order', async () => {
    const database = await cluster.createDatabase('dead');
    const data = join(dir, 'pg-dead');
    const node = await startReceiver({ dataDir: data, args: ['--database', database, '--webhook-retry-for', '1s', '--webhook-backoff', '100ms'] });
    const port = await freePort();
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--data', data, '--database', database);
    const endpointId = /id: +(\S+)/.exec(added.stdout)[1];
    const consumer = startConsumer(port);
    consumer.mode('fail');
    await consumer.listening;
    try {
      const ids = [];
      let previous = null;
      for (let n = 0; n < 2; n++) {
        const receipt = await makeReceipt(gmo, { subject: 'psn_pg_dead', previous });
        assert.equal((await post(node.url, receipt)).status, 201);
        previous = await receiptHash(receipt);
        ids.push(`evt_${receipt.consentReceiptID}`);
      }
      await until(async () => {
        const listed = await cli('webhooks', 'dead-letters', '--data', data, '--database', database);
        return ids.every((id) => listed.stdout.includes(id));
      }, 'both dead-lettered');
      assert.ok(consumer.requests.findIndex((r) => r.id === ids[1]) > consumer.requests.findLastIndex((r) => r.id === ids[0]));
      consumer.mode('ok');
      assert.equal((await cli('webhooks', 'replay', endpointId, '--data', data, '--database', database)).code, 0);
      await until(() => ids.every((id) => consumer.requests.some((r) => r.id === id && r.mode === 'ok')), 'the replay');
      assert.deepEqual([...new Set(consumer.requests.filter((r) => r.mode === 'ok').map((r) => r.id))], ids);
    } finally {
      await consumer.stop();
      await node.stop();
    }
  });

  it('prunes on PostgreSQL the same way, under the chain lock', async () => {
    const { openPostgresSql } = await import('../dist/sql.js');
    const { pruneReceipts } = await import('../dist/retention.js');
    const subject = 'psn_pg_retention';
    let previous = null;
    const stored = [];
    for (const grant of [true, false, true]) {
      const receipt = await makeReceipt(gmo, { subject, previous, grant, method: grant ? 'accept-all' : 'reject-all' });
      const answer = await post(a.url, receipt);
      assert.equal(answer.status, 201);
      stored.push(answer.body);
      previous = await receiptHash(receipt);
    }
    const db = openPostgresSql(url);
    try {
      const report = await pruneReceipts(db, { retentionMs: 5 * 365.25 * 86400000, now: new Date(Date.parse(stored[2].storedAt) + 6 * 365.25 * 86400000) });
      assert.ok(report.receipts >= 2);
      const rows = await db.all('SELECT receipt_id FROM receipts WHERE subject = $1', [subject]);
      assert.deepEqual(rows.map((r) => r.receipt_id), [stored[2].receiptId]);
      const [start] = await db.all('SELECT previous_hash FROM chain_starts WHERE subject = $1', [subject]);
      assert.equal(start.previous_hash, stored[1].receiptHash);
    } finally {
      await db.close();
    }
    const next = await makeReceipt(gmo, { subject, previous: stored[2].receiptHash });
    assert.equal((await post(b.url, next)).status, 201, 'the chain goes on from its head');
  });
});
