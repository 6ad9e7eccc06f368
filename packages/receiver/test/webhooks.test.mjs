// Webhooks, end to end with real processes: the receiver (the built bin), a
// consumer process on loopback that is down at first, then answers 500, then
// hangs, then recovers; receipts posted over HTTP meanwhile. Nothing is lost,
// each subject's events arrive in order, and every signature verifies by the
// Standard Webhooks algorithm, computed here with node:crypto, not with the
// receiver's signer. Then the dead-letter list and its replay. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNotice, makeReceipt, receiptHash, startReceiver, postReceipt as post } from './harness.mjs';
import { cli, freePort, signatureValid, startConsumer, until } from './proof-helpers.mjs';

let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-webhooks-'));
  gmo = await loadNotice('gmo-registry');
});
after(() => rm(dir, { recursive: true, force: true }));

/** A subject's chain, one receipt at a time: grant all, refuse all, grant all … */
function chainOf(subject) {
  let previous = null;
  let n = 0;
  return async () => {
    const receipt = await makeReceipt(gmo, { subject, previous, grant: n++ % 2 === 0, method: n % 2 === 0 ? 'reject-all' : 'accept-all' });
    previous = await receiptHash(receipt);
    return receipt;
  };
}

describe('webhooks: a consumer that is down, fails, hangs and recovers', () => {
  let receiver;
  let consumer;
  let secret;
  let endpointId;
  let port;
  before(async () => {
    const data = join(dir, 'flaky');
    port = await freePort();
    receiver = await startReceiver({
      dataDir: data,
      args: ['--webhook-retry-for', '2m', '--webhook-backoff', '100ms', '--webhook-timeout', '1s'],
    });
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hooks/consent`, '--data', data);
    assert.equal(added.code, 0, added.stderr);
    secret = /secret: (whsec_\S+)/.exec(added.stdout)[1];
    endpointId = /id: +(\S+)/.exec(added.stdout)[1];
  });
  after(async () => {
    await consumer?.stop();
    await receiver?.stop();
  });

  it('delivers every event once acknowledged, in order per subject, signed by the spec', async () => {
    const subjects = ['psn_webhook_a', 'psn_webhook_b'];
    const next = Object.fromEntries(subjects.map((s) => [s, chainOf(s)]));
    /** receipt ids per subject, in chain order */
    const sent = Object.fromEntries(subjects.map((s) => [s, []]));
    const postFor = async (subject) => {
      const receipt = await next[subject]();
      const answer = await post(receiver.url, receipt);
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      sent[subject].push(receipt.consentReceiptID);
    };

    // Down: nothing listens on the port yet.
    for (const s of subjects) await postFor(s);
    consumer = startConsumer(port);
    consumer.mode('fail');
    await consumer.listening;
    await until(() => consumer.requests.length >= 3, 'three failed attempts');
    for (const s of subjects) await postFor(s);
    consumer.mode('hang');
    await until(() => consumer.requests.some((r) => r.mode === 'hang'), 'a hanging request');
    for (const s of subjects) await postFor(s);
    consumer.mode('ok');

    const acknowledged = () => consumer.requests.filter((r) => r.mode === 'ok');
    await until(() => new Set(acknowledged().map((r) => r.id)).size === 6, 'all six events acknowledged');

    // Every receipt became exactly one event id, acknowledged.
    const ids = new Set(acknowledged().map((r) => r.id));
    for (const s of subjects) for (const receiptId of sent[s]) assert.ok(ids.has(`evt_${receiptId}`), `${receiptId} delivered`);

    // Signed as the spec says, on every attempt, whatever the consumer did with it.
    for (const request of consumer.requests) {
      assert.ok(signatureValid(secret, request), `signature of ${request.id} verifies`);
      assert.match(request.timestamp, /^\d+$/);
      assert.ok(Math.abs(Number(request.timestamp) - request.at / 1000) < 60, 'the timestamp is the attempt time');
      assert.equal(request.contentType, 'application/json');
      const event = JSON.parse(request.body);
      assert.equal(event.id, request.id, 'webhook-id is the event id, the same on every retry');
      assert.equal(event.type, 'consent.recorded');
    }
    // A tampered body does not verify (the check above can fail).
    const tampered = { ...consumer.requests[0], body: consumer.requests[0].body.replace('consent.recorded', 'consent.recordeD') };
    assert.equal(signatureValid(secret, tampered), false);

    // In order per subject: no request for a subject's event before its earlier events were acknowledged.
    for (const s of subjects) {
      const order = sent[s].map((id) => `evt_${id}`);
      const done = new Set();
      for (const request of consumer.requests) {
        const index = order.indexOf(request.id);
        if (index < 0) continue;
        for (const earlier of order.slice(0, index)) assert.ok(done.has(earlier), `${s}: ${request.id} sent after ${earlier} was acknowledged`);
        if (request.mode === 'ok') done.add(request.id);
      }
      const firstAcks = [...new Set(acknowledged().filter((r) => order.includes(r.id)).map((r) => r.id))];
      assert.deepEqual(firstAcks, order, `${s}: acknowledged in chain order`);
      // And the events say what the receipts decided: granted, refused, granted.
      const bodies = firstAcks.map((id) => JSON.parse(acknowledged().find((r) => r.id === id).body).data);
      assert.deepEqual(bodies.map((d) => d.subject), [s, s, s]);
      assert.deepEqual(bodies.map((d) => d.granted.length > 0), [true, false, true]);
      assert.equal(bodies[1].previousReceiptHash, bodies[0].receiptHash);
    }
    // The hang really happened, and was cut off, not waited out.
    assert.ok(consumer.requests.some((r) => r.mode === 'hang'));
    assert.ok(consumer.requests.some((r) => r.mode === 'fail'));

    const list = await cli('webhooks', 'list', '--data', join(dir, 'flaky'));
    assert.match(list.stdout, new RegExp(`${endpointId} +http://127.0.0.1:${port}/hooks/consent`));
    assert.doesNotMatch(list.stdout, /whsec_/, 'the list does not print secrets');
    const dead = await cli('webhooks', 'dead-letters', '--data', join(dir, 'flaky'));
    assert.match(dead.stdout, /No dead letters/);
  });
});

describe('webhooks: dead letters and replay', () => {
  let receiver;
  let consumer;
  let data;
  let endpointId;
  before(async () => {
    data = join(dir, 'dead');
    const port = await freePort();
    receiver = await startReceiver({ dataDir: data, args: ['--webhook-retry-for', '1s', '--webhook-backoff', '100ms', '--webhook-timeout', '1s'] });
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--data', data);
    endpointId = /id: +(\S+)/.exec(added.stdout)[1];
    consumer = startConsumer(port);
    consumer.mode('fail');
    await consumer.listening;
  });
  after(async () => {
    await consumer?.stop();
    await receiver?.stop();
  });

  it('gives up after the retry period, lists the dead letters, and sends them again on replay, in order', async () => {
    const next = chainOf('psn_dead_letters');
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const receipt = await next();
      assert.equal((await post(receiver.url, receipt)).status, 201);
      ids.push(`evt_${receipt.consentReceiptID}`);
    }
    let listed;
    await until(async () => {
      listed = await cli('webhooks', 'dead-letters', endpointId, '--data', data);
      return ids.every((id) => listed.stdout.includes(id));
    }, 'both events dead-lettered');
    assert.match(listed.stdout, /HTTP 500/);
    assert.ok(consumer.requests.every((r) => r.mode === 'fail'));
    // The second waited for the first to be given up: its first attempt came after the first's last.
    const firstOfSecond = consumer.requests.findIndex((r) => r.id === ids[1]);
    const lastOfFirst = consumer.requests.findLastIndex((r) => r.id === ids[0]);
    assert.ok(firstOfSecond > lastOfFirst, 'the subject order held while failing');

    consumer.mode('ok');
    const replayed = await cli('webhooks', 'replay', endpointId, '--data', data);
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.match(replayed.stdout, /2 dead letters queued again/);
    await until(() => ids.every((id) => consumer.requests.some((r) => r.id === id && r.mode === 'ok')), 'the replay delivered');
    const acks = consumer.requests.filter((r) => r.mode === 'ok').map((r) => r.id);
    assert.deepEqual([...new Set(acks)], ids, 'replayed in order');
    const after = await cli('webhooks', 'dead-letters', '--data', data);
    assert.match(after.stdout, /No dead letters/);

    const none = await cli('webhooks', 'replay', endpointId, '--data', data);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no dead letters/);
  });

  it('refuses a URL that is not http(s), or a secret not in the whsec_ form, and says why', async () => {
    const bad = await cli('webhooks', 'add', 'ftp://example.invalid/x', '--data', data);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an http\(s\) URL/);
    const secret = await cli('webhooks', 'add', 'http://127.0.0.1:9/x', '--secret', 'hunter2', '--data', data);
    assert.equal(secret.code, 2);
    assert.match(secret.stderr, /whsec_/);
    const removed = await cli('webhooks', 'remove', 'wh_nothing', '--data', data);
    assert.equal(removed.code, 1);
  });
});

describe('webhooks: a receiver killed in the middle of a delivery', () => {
  it('sends the event again after it restarts: at least once, nothing lost', async () => {
    const data = join(dir, 'killed');
    const port = await freePort();
    const args = ['--webhook-timeout', '1s', '--webhook-backoff', '100ms'];
    let receiver = await startReceiver({ dataDir: data, args });
    const added = await cli('webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--data', data);
    assert.equal(added.code, 0, added.stderr);
    const consumer = startConsumer(port);
    consumer.mode('hang');
    await consumer.listening;
    try {
      const receipt = await makeReceipt(gmo, { subject: 'psn_killed_mid_delivery' });
      assert.equal((await post(receiver.url, receipt)).status, 201);
      const id = `evt_${receipt.consentReceiptID}`;
      await until(() => consumer.requests.some((r) => r.id === id), 'the first attempt');
      // No goodbye: the delivery's lease is left on its row.
      await receiver.stop('SIGKILL');
      consumer.mode('ok');
      receiver = await startReceiver({ dataDir: data, args });
      await until(() => consumer.requests.some((r) => r.id === id && r.mode === 'ok'), 'the delivery after the restart');
    } finally {
      await consumer.stop();
      await receiver.stop();
    }
  });
});
