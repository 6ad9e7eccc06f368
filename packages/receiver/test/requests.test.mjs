// Requests to use a right at the receiver: the real `akkoord-receiver`
// process (the built bin) over HTTP, every answer checked against the OpenAPI
// document the package ships, the rows read from its SQLite file; and the
// same rules in-process with the memory store.
// Needs the build: `node scripts/build/build.mjs` (core and receiver dist, openapi.json).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { NOTICE_FILES, OPENAPI_FILE, loadNotice, makeReceipt, openApiChecker, receiptHash, startReceiver } from './harness.mjs';

const root = new URL('../../../', import.meta.url);
const { RequestClient } = await import(new URL('packages/core/dist/requests/index.js', root).href);
const { createReceiver } = await import(new URL('packages/receiver/dist/app.js', root).href);
const { SQLITE_MIGRATIONS } = await import(new URL('packages/receiver/dist/sqlite-store.js', root).href);
const { MemoryReceiptStore } = await import(new URL('packages/receiver/dist/store.js', root).href);
const { createSigner, generateSigningKey } = await import(new URL('packages/receiver/dist/signer.js', root).href);

const ORIGIN = 'http://127.0.0.1:8080';
const contract = openApiChecker();
const NOTICE_ARGS = ['--notices', NOTICE_FILES['gmo-registry'], NOTICE_FILES['dcube-resource']];

const templateOf = (path) =>
  path
    .replace(/^\/subjects\/[^/]+\/requests$/, '/subjects/{subjectId}/requests')
    .replace(/^\/subjects\/[^/]+\/receipts$/, '/subjects/{subjectId}/receipts');

let dir;
let receiver;
let gmo;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-requests-'));
  gmo = await loadNotice('gmo-registry');
  receiver = await startReceiver({ dataDir: dir, args: [...NOTICE_ARGS, '--demo-auth', '--allow-origin', ORIGIN] });
});
after(async () => {
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One request; the answer is checked against the OpenAPI document. */
async function call(method, path, { body, headers = {}, base = receiver.url, check = true } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const json = type.startsWith('application/json') ? JSON.parse(text) : undefined;
  if (check) contract.response(method, templateOf(path), response.status, json, type);
  return { status: response.status, headers: response.headers, body: json };
}

const as = (subject) => ({ Authorization: `Bearer demo:${subject}` });
const newSubject = () => `customer-${randomUUID().slice(0, 8)}`;

function request(subject, overrides = {}) {
  return {
    noticeId: 'gmo-registry',
    right: 'access',
    subject,
    details: { name: 'Anna de Vries', email: 'anna@example.nl', customerNumber: 'C-1042' },
    message: 'Welke gegevens hebt u van mij?',
    identityProof: 'signed-in',
    locale: 'nl',
    ...overrides,
  };
}

const post = (body, { key = randomUUID(), subject = body.subject, headers, base } = {}) => {
  return call('POST', '/requests', {
    body,
    base,
    headers: { ...(key !== null && { 'Idempotency-Key': key }), ...(subject && as(subject)), ...headers },
  });
};

function requestRows(subject) {
  const db = new Database(join(dir, 'receipts.db'), { readonly: true });
  try {
    return db.prepare('SELECT request_id, subject, idempotency_key, notice_id, right_id, body FROM requests WHERE subject = ? ORDER BY seq').all(subject);
  } finally {
    db.close();
  }
}

describe('receiver: POST /requests', () => {
  it('stores a request for the admitted subject: 201 with a request id the person keeps', async () => {
    const subject = newSubject();
    const body = request(subject);
    assert.ok(contract.requestFits('POST', '/requests', body), 'the test sends what the contract describes');
    const answer = await post(body);
    assert.equal(answer.status, 201);
    assert.match(answer.body.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(answer.body.receivedAt)));
    const rows = requestRows(subject);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].request_id, answer.body.requestId);
    assert.equal(rows[0].right_id, 'access');
    assert.deepEqual(JSON.parse(rows[0].body), body);
  });

  it('answers a retry with the same key and body with the same answer (200), and stores it once', async () => {
    const subject = newSubject();
    const key = randomUUID();
    const first = await post(request(subject), { key });
    const answers = await Promise.all([1, 2, 3].map(() => post(request(subject), { key })));
    assert.equal(first.status, 201);
    for (const again of answers) {
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
    }
    assert.equal(requestRows(subject).length, 1);
  });

  it('refuses another body under a used key (422 idempotency-conflict); keys are per subject', async () => {
    const subject = newSubject();
    const key = randomUUID();
    assert.equal((await post(request(subject), { key })).status, 201);
    const conflict = await post(request(subject, { right: 'erasure' }), { key });
    assert.equal(conflict.status, 422);
    assert.equal(conflict.body.error, 'idempotency-conflict');
    const other = newSubject();
    assert.equal((await post(request(other), { key })).status, 201, 'another subject may use the same key');
  });

  it('refuses a caller the host does not admit for that subject (403), and stores nothing', async () => {
    const subject = newSubject();
    const someoneElse = await post(request(subject), { subject: newSubject() });
    assert.equal(someoneElse.status, 403);
    assert.equal(someoneElse.body.error, 'forbidden');
    const anonymous = await post(request(subject), { subject: null });
    assert.equal(anonymous.status, 403);
    assert.equal(requestRows(subject).length, 0);
  });

  it('refuses a body the contract does not describe (400 invalid-request, with issues)', async () => {
    const subject = newSubject();
    const cases = [
      [request(subject, { right: 'complaint' }), 'right'],
      [request(subject, { details: { name: 'Anna', email: 'not-an-address' } }), 'details.email'],
      [request(subject, { details: { name: '  ', email: 'anna@example.nl' } }), 'details.name'],
      [{ ...request(subject), extra: true }, ''],
      [request(subject, { message: 'x'.repeat(5001) }), 'message'],
    ];
    for (const [body, path] of cases) {
      assert.equal(contract.requestFits('POST', '/requests', body) && path !== 'details.name', false, `the contract refuses ${path} too`);
      const answer = await post(body);
      assert.equal(answer.status, 400, path);
      assert.equal(answer.body.error, 'invalid-request');
      assert.ok(answer.body.issues.some((issue) => issue.path === path), `an issue at "${path}": ${JSON.stringify(answer.body.issues)}`);
    }
    assert.equal(requestRows(subject).length, 0);
  });

  it('needs an Idempotency-Key (400), JSON (415) and a known notice that offers the right (422, 400)', async () => {
    const subject = newSubject();
    const noKey = await post(request(subject), { key: null });
    assert.equal(noKey.status, 400);
    assert.equal(noKey.body.issues[0].path, 'Idempotency-Key');
    const text = await call('POST', '/requests', { body: 'hello', headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': 'k', ...as(subject) } });
    assert.equal(text.status, 415);
    const unknown = await post(request(subject, { noticeId: 'no-such-notice' }));
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error, 'unknown-notice');
    // D-Cube Resource's notice does not declare the right on automated decisions.
    const undeclared = await post(request(subject, { noticeId: 'dcube-resource', right: 'automated-decisions' }));
    assert.equal(undeclared.status, 400);
    assert.equal(undeclared.body.issues[0].path, 'right');
    assert.equal((await post(request(subject, { noticeId: 'dcube-resource', right: 'portability' }))).status, 201);
  });

  it('admits the browser: CORS preflight allows Idempotency-Key and Authorization from an allowed origin', async () => {
    const response = await fetch(`${receiver.url}/requests`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, idempotency-key, authorization',
      },
    });
    assert.ok(response.status === 204 || response.status === 200);
    assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
  });
});

describe('receiver: GET /subjects/{id}/requests', () => {
  it("answers the subject its own requests, oldest first, and no one else's", async () => {
    const subject = newSubject();
    const a = await post(request(subject, { right: 'access' }));
    const b = await post(request(subject, { right: 'objection', message: 'Geen marktonderzoek meer, graag.' }));
    const list = await call('GET', `/subjects/${subject}/requests`, { headers: as(subject) });
    assert.equal(list.status, 200);
    assert.equal(list.body.subject, subject);
    assert.deepEqual(
      list.body.requests.map((r) => [r.requestId, r.request.right]),
      [
        [a.body.requestId, 'access'],
        [b.body.requestId, 'objection'],
      ],
    );
    const refused = await call('GET', `/subjects/${subject}/requests`, { headers: as(newSubject()) });
    assert.equal(refused.status, 403);
  });
});

describe('receiver: requests are durable, and receipts keep their group commit', () => {
  it('keeps requests across a restart', async () => {
    const subject = newSubject();
    const stored = await post(request(subject));
    assert.equal(stored.status, 201);
    const { code } = await receiver.stop();
    assert.equal(code, 0);
    receiver = await startReceiver({ dataDir: dir, args: [...NOTICE_ARGS, '--demo-auth', '--allow-origin', ORIGIN] });
    const list = await call('GET', `/subjects/${subject}/requests`, { headers: as(subject) });
    assert.deepEqual(list.body.requests.map((r) => r.requestId), [stored.body.requestId]);
  });

  it('stores receipts and requests arriving together: every receipt once, every request once', async () => {
    const subjects = Array.from({ length: 40 }, newSubject);
    const receipts = await Promise.all(subjects.map((subject) => makeReceipt(gmo, { subject })));
    const answers = await Promise.all([
      ...receipts.map((receipt) =>
        call('POST', '/receipts', { body: receipt, headers: { 'Idempotency-Key': receipt.consentReceiptID }, check: false }),
      ),
      ...subjects.map((subject) => post(request(subject))),
    ]);
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
    for (const subject of subjects) assert.equal(requestRows(subject).length, 1);
    const history = await call('GET', `/subjects/${subjects[0]}/receipts`, { headers: as(subjects[0]) });
    assert.equal(history.body.receipts[0].receipt.akkoord.previousReceiptHash, null);
    assert.equal(await receiptHash(history.body.receipts[0].receipt), answers[0].body.receiptHash);
  });

  it('gives a schema-1 database file the requests table when it opens', async () => {
    const subject = newSubject();
    await receiver.stop();
    const db = new Database(join(dir, 'receipts.db'));
    db.exec('DROP TABLE requests; PRAGMA user_version = 1;');
    db.close();
    receiver = await startReceiver({ dataDir: dir, args: [...NOTICE_ARGS, '--demo-auth'] });
    assert.equal((await post(request(subject))).status, 201);
    const check = new Database(join(dir, 'receipts.db'), { readonly: true });
    assert.equal(check.prepare('PRAGMA user_version').get().user_version, SQLITE_MIGRATIONS.at(-1).version);
    check.close();
  });
});

describe('receiver: requests without --demo-auth', () => {
  it('admits no one by default (403), as for histories', async () => {
    const other = await mkdtemp(join(tmpdir(), 'akkoord-requests-closed-'));
    const closed = await startReceiver({ dataDir: other, args: NOTICE_ARGS });
    try {
      const subject = newSubject();
      assert.equal((await post(request(subject), { base: closed.url })).status, 403);
      assert.equal((await call('GET', `/subjects/${subject}/requests`, { base: closed.url, headers: as(subject) })).status, 403);
    } finally {
      await closed.stop();
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('the typed client (core/requests) against the real receiver', () => {
  it('sends, retries safely with the same key, lists, and reports a refusal', async () => {
    const subject = newSubject();
    const client = new RequestClient({ endpoint: receiver.url, headers: () => as(subject) });
    const key = randomUUID();
    const sent = await client.send(request(subject, { right: 'rectification' }), key);
    assert.equal(sent.kind, 'received');
    assert.equal(sent.status, 201);
    const retried = await client.send(request(subject, { right: 'rectification' }), key);
    assert.deepEqual(retried, { ...sent, status: 200 });
    assert.deepEqual((await client.list(subject)).map((r) => r.requestId), [sent.answer.requestId]);

    const intruder = new RequestClient({ endpoint: receiver.url, headers: () => as('someone-else') });
    const refused = await intruder.send(request(subject), randomUUID());
    assert.equal(refused.kind, 'forbidden');
    assert.equal(refused.error.error, 'forbidden');

    const invalid = await client.send(request(subject, { details: { name: 'A', email: 'nope' } }), randomUUID());
    assert.equal(invalid.kind, 'rejected');
    assert.equal(invalid.status, 0, 'an invalid request is not sent');
  });

  it('refuses a plain-http endpoint that is not localhost', () => {
    assert.throws(() => new RequestClient({ endpoint: 'http://registrar.example/consent' }), /https/);
  });
});

describe('createReceiver with the memory store', () => {
  it('keeps the same rules in-process', async () => {
    const notice = (await loadNotice('gmo-registry')).notice;
    const app = createReceiver({
      store: new MemoryReceiptStore(),
      signer: await createSigner(await generateSigningKey()),
      notices: [notice],
      authorize: (req, subject) => req.headers.get('authorization') === `Bearer demo:${subject}`,
    });
    await app.ready;
    const subject = newSubject();
    const send = (body, key) =>
      app.fetch(
        new Request('http://receiver.test/requests', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key, ...as(subject) },
          body: JSON.stringify(body),
        }),
      );
    const first = await send(request(subject), 'k1');
    assert.equal(first.status, 201);
    const again = await send(request(subject), 'k1');
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), await first.json());
    assert.equal((await send(request(subject, { right: 'erasure' }), 'k1')).status, 422);
    const list = await app.fetch(new Request(`http://receiver.test/subjects/${subject}/requests`, { headers: as(subject) }));
    assert.equal((await list.json()).requests.length, 1);
  });

  it('answers 404 when its store keeps no requests', async () => {
    const notice = (await loadNotice('gmo-registry')).notice;
    const receiptsOnly = new MemoryReceiptStore();
    const store = {};
    for (const name of ['append', 'get', 'latest', 'history', 'currentConsent', 'putNotice', 'getNotice', 'noticeHashes', 'close']) {
      store[name] = receiptsOnly[name].bind(receiptsOnly);
    }
    const app = createReceiver({ store, signer: await createSigner(await generateSigningKey()), notices: [notice], authorize: () => true });
    const answer = await app.fetch(
      new Request('http://receiver.test/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
        body: JSON.stringify(request('s')),
      }),
    );
    assert.equal(answer.status, 404);
  });
});

describe('the OpenAPI document', () => {
  it('describes POST /requests and GET /subjects/{subjectId}/requests, generated from the contract', async () => {
    const { document } = contract;
    assert.ok(document.paths['/requests'].post);
    assert.ok(document.paths['/subjects/{subjectId}/requests'].get);
    for (const name of ['RightsRequest', 'RightsRequestAnswer', 'SubjectRequests']) assert.ok(document.components.schemas[name], name);
    assert.deepEqual(document.components.schemas.RightsRequest.properties.right.enum, [
      'access',
      'rectification',
      'erasure',
      'restriction',
      'portability',
      'objection',
      'automated-decisions',
    ]);
    assert.ok(OPENAPI_FILE.endsWith('openapi.json'));
  });
});
