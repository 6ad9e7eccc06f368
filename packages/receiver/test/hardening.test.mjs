// What outside testing of the receiver found, each closed and held here:
// receipts that contradict themselves, CORS answers to foreign origins,
// subject ids the API cannot address, a body trickled to hold a connection,
// the OpenAPI license; and the rate limiter. In process where the answer
// is the app's, over real HTTP where it is the server's. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNotice, makeReceipt, startReceiver } from './harness.mjs';

const { createReceiver, MemoryReceiptStore, createSigner, generateSigningKey, TokenBuckets, parseRateLimit } = await import('../dist/index.js');

const ORIGIN = 'https://www.registrar.example';
let gmo;
let signer;
let dir;
before(async () => {
  gmo = await loadNotice('gmo-registry');
  signer = await createSigner(await generateSigningKey());
  dir = await mkdtemp(join(tmpdir(), 'akkoord-hardening-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const app = (options = {}) => createReceiver({ store: new MemoryReceiptStore(), signer, notices: [gmo.notice], ...options });
const post = (receiver, path, body, headers = {}) =>
  receiver.fetch(
    new Request(`http://receiver.test${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
const postReceipt = (receiver, receipt) => post(receiver, '/receipts', receipt, { 'Idempotency-Key': receipt.consentReceiptID });

describe('receipts that contradict themselves are refused with 400 before signing', () => {
  const cases = {
    'reject-all with a purpose granted': async () => {
      const receipt = await makeReceipt(gmo, { method: 'reject-all', grant: false });
      const [first] = Object.keys(receipt.akkoord.decisions);
      receipt.akkoord.decisions[first] = 'granted';
      return { receipt, path: `akkoord.decisions.${first}`, message: /reject-all/ };
    },
    'Kantara purposes empty while the extension grants': async () => {
      const receipt = await makeReceipt(gmo);
      for (const service of receipt.services) service.purposes = [];
      return { receipt, path: 'services', message: /granted in akkoord\.decisions/ };
    },
    'a policyUrl other than the notice\'s': async () => {
      const receipt = await makeReceipt(gmo);
      receipt.policyUrl = 'https://elsewhere.example/privacy';
      return { receipt, path: 'policyUrl', message: new RegExp(gmo.notice.policyUrl.replaceAll('.', '\\.')) };
    },
    'the notice\'s representative left out': async () => {
      const receipt = await makeReceipt(gmo);
      receipt.piiControllers = receipt.piiControllers.filter((c) => !c.onBehalf);
      return { receipt, path: 'piiControllers', message: new RegExp(gmo.notice.controller.representative.name) };
    },
  };

  it('the launch notice names a representative (or the last case would prove nothing)', () => {
    assert.ok(gmo.notice.controller.representative?.name);
  });

  for (const [name, make] of Object.entries(cases)) {
    it(name, async () => {
      const store = new MemoryReceiptStore();
      let signed = 0;
      const receiver = app({ store, signer: { ...signer, sign: (payload) => (signed++, signer.sign(payload)) } });
      const { receipt, path, message } = await make();
      const response = await postReceipt(receiver, receipt);
      assert.equal(response.status, 400);
      const body = await response.json();
      assert.equal(body.error, 'invalid-receipt');
      const issue = body.issues.find((i) => i.path === path);
      assert.ok(issue, `an issue at ${path}: ${JSON.stringify(body.issues)}`);
      assert.match(issue.message, message);
      assert.equal(signed, 0, 'nothing was countersigned');
      assert.equal(await store.get(receipt.consentReceiptID), undefined, 'nothing was stored');
    });
  }

  it('a consistent receipt still gets its 201 (and a reject-all without grants too)', async () => {
    const receiver = app();
    assert.equal((await postReceipt(receiver, await makeReceipt(gmo))).status, 201);
    assert.equal((await postReceipt(receiver, await makeReceipt(gmo, { method: 'reject-all', grant: false }))).status, 201);
  });
});

describe('CORS: a foreign origin gets no CORS headers at all', () => {
  const preflight = (receiver, origin) =>
    receiver.fetch(
      new Request('http://receiver.test/receipts', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
      }),
    );
  const corsHeaders = (response) => [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('on a preflight and on a request', async () => {
    const receiver = app({ allowedOrigins: [ORIGIN] });
    const foreign = await preflight(receiver, 'https://evil.example');
    assert.deepEqual(corsHeaders(foreign), []);
    const get = await receiver.fetch(new Request('http://receiver.test/health', { headers: { Origin: 'https://evil.example' } }));
    assert.equal(get.status, 200);
    assert.deepEqual(corsHeaders(get), []);
    assert.match(get.headers.get('vary') ?? '', /origin/i, 'caches keep the answers per origin apart');
  });

  it('while an allowed origin gets the whole set', async () => {
    const allowed = await preflight(app({ allowedOrigins: [ORIGIN] }), ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(allowed.headers.get('access-control-max-age'), '600');
  });

  it('and with no allowed origins, no one does', async () => {
    assert.deepEqual(corsHeaders(await preflight(app(), ORIGIN)), []);
  });
});

describe('subject ids the API cannot address are refused at write', () => {
  const unaddressable = { dot: '.', 'dot dot': '..', 'lone high surrogate': 'psn_\uD800x', 'lone low surrogate': '\uDC00psn', 'a control character': 'psn_\u0007', 'a newline': 'psn\n1', DEL: 'psn\u007f' };

  for (const [name, subject] of Object.entries(unaddressable)) {
    it(`${name}: 400 for a receipt and for a request, nothing stored`, async () => {
      const store = new MemoryReceiptStore();
      const receiver = app({ store, authorize: () => true });
      const receipt = await makeReceipt(gmo, { subject });
      const response = await postReceipt(receiver, receipt);
      assert.equal(response.status, 400);
      const body = await response.json();
      assert.equal(body.error, 'invalid-receipt');
      assert.equal(body.issues[0].path, 'piiPrincipalId');
      assert.equal(await store.get(receipt.consentReceiptID), undefined);
      const request = await post(
        receiver,
        '/requests',
        { noticeId: gmo.notice.id, right: 'access', subject, details: { name: 'Anna de Vries', email: 'anna@example.nl' } },
        { 'Idempotency-Key': randomUUID() },
      );
      assert.equal(request.status, 400);
      const refused = await request.json();
      assert.equal(refused.error, 'invalid-request');
      assert.deepEqual(refused.issues.map((i) => i.path), ['subject'], 'refused for the subject alone');
      assert.deepEqual(await store.requests(subject), []);
    });
  }

  it('ids with spaces, slashes, accents and emoji stay fine (and read back)', async () => {
    const receiver = app({ authorize: () => true });
    for (const subject of ['psn 1', 'klant/42', 'zoë', 'psn_😀', 'a.b', '...']) {
      const receipt = await makeReceipt(gmo, { subject });
      assert.equal((await postReceipt(receiver, receipt)).status, 201, subject);
      const read = await receiver.fetch(new Request(`http://receiver.test/subjects/${encodeURIComponent(subject)}/receipts`));
      assert.equal(read.status, 200, subject);
      assert.equal((await read.json()).receipts.length, 1, subject);
    }
  });
});

describe('a body trickled in is cut off (--body-timeout)', () => {
  it('answers 408 and closes, within the bound, however slowly the bytes come', async () => {
    const receiver = await startReceiver({ dataDir: join(dir, 'trickle'), args: ['--body-timeout', '1000'] });
    try {
      const { port } = new URL(receiver.url);
      const started = Date.now();
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('POST /receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
      let answer = '';
      socket.setEncoding('utf8').on('data', (chunk) => (answer += chunk));
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('close', resolve));
      clearInterval(trickle);
      const seconds = (Date.now() - started) / 1000;
      assert.match(answer, /^HTTP\/1\.1 408/);
      assert.ok(seconds < 5, `closed after ${seconds} s`);
      // The server is still there for everyone else.
      assert.equal((await fetch(`${receiver.url}/health`)).status, 200);
    } finally {
      await receiver.stop();
    }
  });

  it('a client that sends at a normal pace is not affected', async () => {
    const receiver = await startReceiver({ dataDir: join(dir, 'normal'), args: ['--body-timeout', '1000'] });
    try {
      const receipt = await makeReceipt(gmo);
      const response = await fetch(`${receiver.url}/receipts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': receipt.consentReceiptID },
        body: JSON.stringify(receipt),
      });
      assert.equal(response.status, 201);
    } finally {
      await receiver.stop();
    }
  });
});

describe('the OpenAPI document', () => {
  it('says MIT, as the packages do', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const document = JSON.parse(await readFile(new URL('../openapi.json', import.meta.url), 'utf8'));
    assert.equal(pkg.license, 'MIT');
    assert.deepEqual(document.info.license, { name: 'MIT', identifier: 'MIT' });
    const served = await (await app().fetch(new Request('http://receiver.test/openapi.json'))).json();
    assert.deepEqual(served.info.license, document.info.license);
  });
});

describe('rate limits: token buckets per address and per subject', () => {
  it('a bucket gives its burst, then refills at its rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, 100, () => now);
    assert.deepEqual([buckets.take('a'), buckets.take('a'), buckets.take('a')], [0, 0, 0]);
    assert.equal(buckets.take('a'), 0.5, 'the next token in half a second');
    assert.equal(buckets.take('b'), 0, 'each key has its own bucket');
    now = 500;
    assert.equal(buckets.take('a'), 0);
    assert.ok(buckets.take('a') > 0);
    now = 10_000;
    assert.deepEqual([buckets.take('a'), buckets.take('a'), buckets.take('a')], [0, 0, 0], 'never more than the burst');
    assert.ok(buckets.take('a') > 0);
  });

  it('parses 20/s, 20/s,40 and 600/min, and refuses nonsense', () => {
    assert.deepEqual(parseRateLimit('20/s'), { perSecond: 20, burst: 40 });
    assert.deepEqual(parseRateLimit('20/s,5'), { perSecond: 20, burst: 5 });
    assert.deepEqual(parseRateLimit('600/min'), { perSecond: 10, burst: 20 });
    for (const bad of ['', 'fast', '0/s', '-1/s', '10/h', '10/s,0']) assert.throws(() => parseRateLimit(bad), RangeError, bad);
  });

  it('per address: 429 with Retry-After past the burst; another address is not held up', async () => {
    let address = '192.0.2.1';
    const receiver = app({ rateLimit: { perAddress: { perSecond: 0.5, burst: 2 } }, clientAddress: () => address });
    const health = () => receiver.fetch(new Request('http://receiver.test/health'));
    assert.deepEqual([(await health()).status, (await health()).status], [200, 200]);
    const limited = await health();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal((await limited.json()).error, 'rate-limited');
    address = '192.0.2.2';
    assert.equal((await health()).status, 200);
  });

  it('per subject: its receipts and reads share a bucket; nothing past it is stored', async () => {
    const store = new MemoryReceiptStore();
    const receiver = app({ store, authorize: () => true, rateLimit: { perSubject: { perSecond: 0.2, burst: 2 } } });
    const subject = `psn_${randomUUID().slice(0, 8)}`;
    const first = await makeReceipt(gmo, { subject });
    assert.equal((await postReceipt(receiver, first)).status, 201);
    assert.equal((await receiver.fetch(new Request(`http://receiver.test/subjects/${subject}/receipts`))).status, 200);
    const second = await makeReceipt(gmo, { subject, previous: (await store.latest(subject)).receiptHash });
    const limited = await postReceipt(receiver, second);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '5');
    assert.equal(await store.get(second.consentReceiptID), undefined);
    assert.equal((await postReceipt(receiver, await makeReceipt(gmo))).status, 201, 'another subject is not held up');
  });

  it('over HTTP, from the command line, with the CORS headers an allowed page needs to read Retry-After', async () => {
    const receiver = await startReceiver({ dataDir: join(dir, 'limits'), args: ['--rate-limit-address', '1/min,3', '--allow-origin', ORIGIN] });
    try {
      const statuses = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await fetch(`${receiver.url}/health`, { headers: { Origin: ORIGIN } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      assert.equal(last.headers.get('retry-after'), '60');
      assert.equal(last.headers.get('access-control-allow-origin'), ORIGIN);
      assert.match(last.headers.get('access-control-expose-headers') ?? '', /retry-after/i);
    } finally {
      await receiver.stop();
    }
  });
});
