// The real receiver, and a fault-injecting proxy in front of it, for browser
// tests (a @web/test-runner plugin) and for scripts/bench/drain.mjs.
//
//   browser ──► proxy (node:http, 127.0.0.1, faults on demand) ──► akkoord-receiver (its bin, own process)
//
// The receiver is the built bin (`node scripts/build/build.mjs`), started with a temp
// data dir, port 0, --demo-auth (so the rig can read a subject's history) and
// --allow-origin for the test page. "Down" really stops the process; "up"
// starts it again on the same port and data dir.
//
// Tests talk to the rig through the dev server (same origin, so a proxy that
// is down or hanging never blocks the controls):
//   GET  /__akkoord/sync-config          { proxy, receiver, origins }
//   POST /__akkoord/faults               [rule, ...] or { rules: [...] } (replaces); [] clears
//   POST /__akkoord/proxy                { down: true | false }    the proxy drops every connection
//   POST /__akkoord/receiver             { action: 'stop' | 'start' }
//   GET  /__akkoord/stored?subject=…     the subject's history at the receiver (GET /subjects/{id}/receipts)
//   GET  /__akkoord/jwks                 the receiver's public keys
//   GET  /__akkoord/log?since=<seq>      what the proxy saw, and what it did
// Every answer is `{ ok: true, ... }` or `{ ok: false, error }` (the dev server always answers 200).
// The browser command `akkoord-offline` ({ offline: boolean }) switches Playwright's offline emulation.
//
// A fault rule: { mode, times = Infinity, method = 'POST', path (default: '/receipts' and '/receipts/batch';
//   a trailing * matches a prefix), key (only the request with this Idempotency-Key, or a batch holding an
//   item with this idempotencyKey), forward = false, ... }
//   status       answer `status` (500) with an error body; forward: the receipt reaches the receiver first
//   retry-after  answer `status` (429 or 503) with `Retry-After: seconds`
//   hang         never answer (the client times out); forward: the receipt is stored, the answer is lost
//   reset        destroy the connection; forward: after the receiver stored the receipt
//   garbage      answer 200 with `body` (default: not JSON), or with shape: true a JSON body of the wrong shape
//   refuse       answer `status` (400) with `error` ('invalid-receipt'): refused for good, not forwarded;
//                with `key`, in a batch: that item alone (the others are forwarded without it, as the receiver
//                would take them after a refused item; its result is put in its place)
//   delay        forward, and answer `ms` (200) later
//   forge        forward, and replace the countersignature of a 200/201 answer:
//                how = 'flip' (a changed signature), 'foreign' (signed by another key, same kid),
//                'other' (the receiver's valid countersignature of another receipt); in a batch, every stored
//                item's (with `key`, that item's alone)
// A batch (POST /receipts/batch) is logged with `keys` (its items' idempotency keys, in order) and, once
// the receiver answered it, `items` ({ key: the item's status }); a fault applies to the whole batch.
// The first rule that matches a request and has `times` left applies, and uses one of them.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RECEIVER_BIN = join(ROOT, 'packages/receiver/bin/akkoord-receiver.js');
export const GMO_NOTICE = join(ROOT, 'packages/notices/notices/gmo-registry.json');
const RECEIVER_CLI = join(ROOT, 'packages/receiver/dist/cli.js');

/**
 * Starts the receiver's bin and resolves once it listens. `port` 0 picks one.
 * `stop()` sends SIGTERM (requests in flight finish) and resolves when it exited.
 */
export async function startReceiverProcess(options) {
  // Another build may be rewriting packages/receiver/dist right now (`npm test` builds first): wait for it.
  for (let waited = 0; !existsSync(RECEIVER_CLI) && waited < 120_000; waited += 500) await new Promise((r) => setTimeout(r, 500));
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnReceiver(options);
    } catch (error) {
      if (attempt >= 3 || !/is not built|Cannot find module|ERR_MODULE_NOT_FOUND/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}

function spawnReceiver({ dataDir, port = 0, origins = [], notices = [GMO_NOTICE], log = () => {} }) {
  const args = [RECEIVER_BIN, '--data', dataDir, '--port', String(port), '--host', '127.0.0.1', '--demo-auth'];
  args.push('--notices', ...notices);
  if (origins.length) args.push('--allow-origin', ...origins);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // A runner that exits without stopping the rig (Ctrl-C, a crash) takes its receiver with it.
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    let output = '';
    let url;
    const exited = new Promise((done) =>
      child.on('exit', (code, signal) => {
        process.removeListener('exit', orphan);
        done({ code, signal });
      }),
    );
    const onData = (chunk) => {
      output += chunk;
      for (const line of String(chunk).split('\n')) if (line && !line.includes('--demo-auth is on')) log(line);
      const match = !url && /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      url = match[1];
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    exited.then(({ code, signal }) => {
      if (!url) reject(new Error(`akkoord-receiver exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection']);
const ERROR_FOR = { 404: 'not-found', 405: 'not-found', 413: 'payload-too-large', 429: 'rate-limited', 503: 'busy' };
const RECEIPT_PATHS = new Set(['/receipts', '/receipts/batch']);

function withoutTransferEncoding(headers) {
  const { 'transfer-encoding': _chunked, ...rest } = headers;
  return rest;
}

/** A batch request's JSON, or undefined for anything else. */
function batchOf(req, body) {
  if (req.method !== 'POST' || req.url.split('?')[0] !== '/receipts/batch') return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    return Array.isArray(parsed?.items) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The countersignatures in a stored answer: a single receipt's, or each stored item's of a batch. */
function countersignaturesIn(answer) {
  if (typeof answer?.countersignature === 'string') return [answer.countersignature];
  return (answer?.results ?? []).map((r) => r?.answer?.countersignature).filter((c) => typeof c === 'string');
}

/** Reads a whole request or response body. */
function readBody(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

/** The countersignature of a forged answer (see `forge` above). */
function forgeCountersignature(jws, how, others) {
  const [h, p, s] = jws.split('.');
  if (how === 'other' && others.length) return others[others.length - 1];
  if (how === 'foreign' || how === 'other') {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signature = nodeSign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${h}.${p}.${b64url(signature)}`;
  }
  // flip: the first signature byte changes; still 64 bytes of base64url.
  const bytes = Buffer.from(s, 'base64url');
  bytes[0] ^= 0x01;
  return `${h}.${p}.${b64url(bytes)}`;
}

/**
 * The receiver process and the fault-injecting proxy in front of it.
 * `origins`: the page origins CORS must admit (the receiver's --allow-origin,
 * and the proxy's own answers).
 */
export async function startSyncRig({ origins = [], quiet = true } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'akkoord-sync-rig-'));
  const say = (line) => quiet || console.log(`[receiver] ${line}`);
  let receiver;
  try {
    receiver = await startReceiverProcess({ dataDir, origins, log: say });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const receiverPort = receiver.port;
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  let rules = [];
  let down = false;
  let seq = 0;
  const events = [];
  const sockets = new Set();
  const hung = new Set();
  const countersignatures = [];

  const cors = (req) => {
    const origin = req.headers.origin;
    if (!origin || !origins.includes(origin)) return {};
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'Retry-After',
      vary: 'Origin',
    };
  };
  const record = (entry) => {
    events.push({ seq: ++seq, at: Date.now(), ...entry });
    if (events.length > 20_000) events.splice(0, events.length - 20_000);
  };
  /** The client gets no answer: `hang` holds the request open (until the rig lets go), `reset` drops the connection. */
  const noAnswer = (fault, req, res, entry) => {
    record(entry);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    hung.add(res);
    res.on('close', () => hung.delete(res));
  };

  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: receiverPort,
          method: req.method,
          path: req.url,
          // The body is read whole (and may be rewritten): sent with its own length, never chunked.
          headers: { ...withoutTransferEncoding(req.headers), host: `127.0.0.1:${receiverPort}`, connection: 'keep-alive', 'content-length': String(body.length) },
          agent,
        },
        async (response) => {
          try {
            resolve({ status: response.statusCode, headers: response.headers, body: await readBody(response) });
          } catch (error) {
            reject(error);
          }
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const send = (req, res, status, headers, body) => {
    const out = { ...cors(req) };
    for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name.toLowerCase())) out[name.toLowerCase()] ??= value;
    out['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, out);
    res.end(body);
  };
  const json = (value) => JSON.stringify(value);

  const ruleFor = (req, keys = []) => {
    const path = req.url.split('?')[0];
    const matches = (pattern) =>
      pattern === undefined ? RECEIPT_PATHS.has(path) : pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
    const rule = rules.find(
      (r) =>
        r.times > 0 &&
        (r.method ?? 'POST') === req.method &&
        matches(r.path) &&
        (!r.key || r.key === req.headers['idempotency-key'] || keys.includes(r.key)),
    );
    if (rule) rule.times--;
    return rule;
  };

  /**
   * `refuse` with a key, in a batch: the item with that key is refused for good and not stored; the other
   * items reach the receiver without it, as they would after a refused item, and its result goes in its place.
   */
  const refuseItem = async (req, res, entry, rule, batch) => {
    const at = batch.items.findIndex((item) => item?.idempotencyKey === rule.key);
    const refused = {
      idempotencyKey: rule.key,
      status: rule.status ?? 400,
      error: { error: rule.error ?? 'invalid-receipt', message: 'Injected: refused for good.' },
    };
    const rest = batch.items.filter((_, i) => i !== at);
    let results = [];
    let answer = { status: 200, headers: { 'content-type': 'application/json' } };
    if (rest.length) {
      try {
        answer = await forward(req, Buffer.from(json({ items: rest })));
      } catch (error) {
        record({ ...entry, fault: 'refuse (receiver unreachable)', error: error.code ?? String(error) });
        req.socket.destroy();
        return;
      }
      if (answer.status !== 200) {
        record({ ...entry, key: rule.key, upstream: answer.status });
        return send(req, res, answer.status, answer.headers, answer.body);
      }
      results = JSON.parse(answer.body.toString('utf8')).results;
      countersignatures.push(...countersignaturesIn({ results }));
    }
    results.splice(at, 0, refused);
    record({ ...entry, key: rule.key, upstream: 200, items: Object.fromEntries(results.map((r) => [r.idempotencyKey, r.status])) });
    return send(req, res, 200, answer.headers, json({ results }));
  };

  const proxy = http.createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, key: req.headers['idempotency-key'] };
    if (down) {
      record({ ...entry, fault: 'down' });
      req.socket.destroy();
      return;
    }
    let body;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    const batch = batchOf(req, body);
    if (batch) entry.keys = batch.items.map((item) => item?.idempotencyKey);
    const rule = ruleFor(req, entry.keys);
    const fault = rule?.mode;
    entry.fault = fault;
    if (fault === 'refuse' && rule.key && batch) return refuseItem(req, res, entry, rule, batch);
    if (fault && !rule.forward && fault !== 'forge') {
      // Faults that never reach the receiver.
      if (fault === 'status') {
        record(entry);
        const status = rule.status ?? 500;
        return send(req, res, status, { 'content-type': 'application/json' }, json({ error: ERROR_FOR[status] ?? 'internal-error', message: 'Injected failure.' }));
      }
      if (fault === 'retry-after') {
        const status = rule.status ?? 503;
        record({ ...entry, retryAfter: rule.seconds ?? 1 });
        return send(
          req,
          res,
          status,
          { 'content-type': 'application/json', 'retry-after': String(rule.seconds ?? 1) },
          json({ error: ERROR_FOR[status] ?? 'busy', message: 'Injected: try again later.' }),
        );
      }
      if (fault === 'refuse') {
        record(entry);
        return send(req, res, rule.status ?? 400, { 'content-type': 'application/json' }, json({ error: rule.error ?? 'invalid-receipt', message: 'Injected: refused for good.' }));
      }
      if (fault === 'hang' || fault === 'reset') return noAnswer(fault, req, res, entry);
      if (fault === 'garbage') {
        record(entry);
        return send(req, res, 200, { 'content-type': 'application/json' }, rule.shape ? json({ ok: true, receiptId: entry.key }) : (rule.body ?? '<html>Bad gateway, maybe</html>'));
      }
    }

    let answer;
    try {
      answer = await forward(req, body);
    } catch (error) {
      // The receiver is down: the client sees what it would see without the proxy, a failed connection.
      record({ ...entry, fault: fault ?? 'receiver-unreachable', error: error.code ?? String(error) });
      req.socket.destroy();
      return;
    }
    entry.upstream = answer.status;
    const stored = (answer.status === 200 || answer.status === 201) && req.method === 'POST' && RECEIPT_PATHS.has(req.url.split('?')[0]);
    let parsed;
    if (stored) {
      try {
        parsed = JSON.parse(answer.body.toString('utf8'));
      } catch {}
    }
    if (batch && Array.isArray(parsed?.results)) entry.items = Object.fromEntries(parsed.results.map((r) => [r.idempotencyKey, r.status]));
    if (!fault) {
      record(entry);
      countersignatures.push(...countersignaturesIn(parsed));
      return send(req, res, answer.status, answer.headers, answer.body);
    }
    // Faults after the receiver has answered: it stored the receipt, the client does not learn it.
    if (fault === 'status') {
      record(entry);
      return send(req, res, rule.status ?? 500, { 'content-type': 'application/json' }, json({ error: 'internal-error', message: 'Injected failure after storing.' }));
    }
    if (fault === 'retry-after') {
      record({ ...entry, retryAfter: rule.seconds ?? 1 });
      return send(req, res, rule.status ?? 503, { 'content-type': 'application/json', 'retry-after': String(rule.seconds ?? 1) }, json({ error: ERROR_FOR[rule.status ?? 503] ?? 'busy', message: 'Injected.' }));
    }
    if (fault === 'hang' || fault === 'reset') return noAnswer(fault, req, res, entry);
    if (fault === 'garbage') {
      record(entry);
      return send(req, res, 200, { 'content-type': 'application/json' }, rule.shape ? json({ ...parsed, countersignature: undefined, stored: true }) : (rule.body ?? '{"receiptId":'));
    }
    if (fault === 'delay') {
      record({ ...entry, ms: rule.ms ?? 200 });
      await new Promise((resolve) => setTimeout(resolve, rule.ms ?? 200));
      countersignatures.push(...countersignaturesIn(parsed));
      return send(req, res, answer.status, answer.headers, answer.body);
    }
    if (fault === 'forge') {
      const genuine = countersignaturesIn(parsed);
      if (!genuine.length) {
        record({ ...entry, fault: 'forge (nothing to forge)' });
        return send(req, res, answer.status, answer.headers, answer.body);
      }
      const forge = (jws) => forgeCountersignature(jws, rule.how ?? 'flip', countersignatures.filter((c) => c !== jws));
      record({ ...entry, how: rule.how ?? 'flip' });
      const forged = batch
        ? {
            results: parsed.results.map((r) =>
              r.answer && (!rule.key || r.idempotencyKey === rule.key) ? { ...r, answer: { ...r.answer, countersignature: forge(r.answer.countersignature) } } : r,
            ),
          }
        : { ...parsed, countersignature: forge(parsed.countersignature) };
      countersignatures.push(...genuine);
      return send(req, res, answer.status, answer.headers, json(forged));
    }
    record({ ...entry, fault: `unknown mode ${fault}` });
    return send(req, res, answer.status, answer.headers, answer.body);
  });
  proxy.keepAliveTimeout = 5000;
  proxy.on('connection', (socket) => {
    if (down) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${proxy.address().port}`;

  const rig = {
    dataDir,
    proxyUrl,
    receiverUrl,
    origins,
    /** Replaces the fault rules (an empty list clears them) and ends any hung request. */
    setFaults(list) {
      rules = (Array.isArray(list) ? list : [list]).filter(Boolean).map((r) => ({ ...r, times: r.times ?? Infinity }));
      if (!rules.length) for (const res of hung) res.socket?.destroy();
      return rules.map(({ mode, times }) => ({ mode, times: Number.isFinite(times) ? times : 'always' }));
    },
    /** Rules still armed, with the uses they have left. */
    faults: () => rules.map(({ mode, times }) => ({ mode, times: Number.isFinite(times) ? times : 'always' })),
    /** The proxy drops every connection (as a network that is gone), or takes them again. */
    setDown(value) {
      down = !!value;
      if (down) for (const socket of sockets) socket.destroy();
    },
    async stopReceiver() {
      const exit = await receiver.stop();
      record({ method: '-', path: '-', fault: 'receiver stopped' });
      return exit;
    },
    async startReceiver() {
      if (receiver.child.exitCode === null && receiver.child.signalCode === null) return;
      receiver = await startReceiverProcess({ dataDir, port: receiverPort, origins, log: say });
      record({ method: '-', path: '-', fault: 'receiver started' });
    },
    receiverRunning: () => receiver.child.exitCode === null && receiver.child.signalCode === null,
    /** The subject's receipts as the receiver stored them, oldest first. */
    async stored(subject) {
      const response = await fetch(`${receiverUrl}/subjects/${encodeURIComponent(subject)}/receipts`, {
        headers: { authorization: `Bearer demo:${subject}` },
      });
      if (!response.ok) throw new Error(`the receiver answered ${response.status} for the history of ${subject}`);
      return (await response.json()).receipts;
    },
    async jwks() {
      return (await fetch(`${receiverUrl}/.well-known/jwks.json`)).json();
    },
    log: (since = 0) => events.filter((e) => e.seq > since),
    async close() {
      down = true;
      for (const res of hung) res.socket?.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(() => resolve()));
      agent.destroy();
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Reads a dev-server request's JSON body. */
async function requestJson(ctx) {
  const text = (await readBody(ctx.req)).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/**
 * The @web/test-runner plugin: the rig starts with the first /__akkoord/
 * request (test files that do not sync start no process) and stops with the
 * dev server.
 */
export function akkoordReceiverPlugin({ quiet = true } = {}) {
  let origins = [];
  let rigStarting;

  const rig = () =>
    (rigStarting ??= startSyncRig({ origins, quiet }).catch((error) => {
      rigStarting = undefined; // the next request tries again
      throw error;
    }));

  const routes = {
    'GET /__akkoord/sync-config': async () => {
      const r = await rig();
      return { proxy: r.proxyUrl, receiver: r.receiverUrl, origins: r.origins };
    },
    'POST /__akkoord/faults': async (ctx) => {
      const body = await requestJson(ctx);
      return { faults: (await rig()).setFaults(Array.isArray(body) ? body : (body.rules ?? body)) };
    },
    'GET /__akkoord/faults': async () => ({ faults: (await rig()).faults() }),
    'POST /__akkoord/proxy': async (ctx) => {
      const { down } = await requestJson(ctx);
      (await rig()).setDown(down);
      return { down: !!down };
    },
    'POST /__akkoord/receiver': async (ctx) => {
      const { action } = await requestJson(ctx);
      const r = await rig();
      if (action === 'stop') return { exit: await r.stopReceiver(), running: r.receiverRunning() };
      if (action === 'start') {
        await r.startReceiver();
        return { running: r.receiverRunning() };
      }
      throw new Error(`unknown action ${action}`);
    },
    'GET /__akkoord/stored': async (ctx) => ({ receipts: await (await rig()).stored(String(ctx.query.subject)) }),
    'GET /__akkoord/jwks': async () => (await rig()).jwks(),
    'GET /__akkoord/log': async (ctx) => ({ events: (await rig()).log(Number(ctx.query.since ?? 0)) }),
  };

  return {
    name: 'akkoord-receiver',
    serverStart({ config }) {
      const port = config.port;
      const host = config.hostname ?? 'localhost';
      origins = [...new Set([`http://${host}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
    },
    async serverStop() {
      if (rigStarting) await (await rigStarting.catch(() => undefined))?.close();
    },
    async serve(ctx) {
      if (!ctx.path.startsWith('/__akkoord/')) return undefined;
      const route = routes[`${ctx.method} ${ctx.path}`];
      let result;
      try {
        if (!route) throw new Error(`no route ${ctx.method} ${ctx.path}`);
        result = { ok: true, ...(await route(ctx)) };
      } catch (error) {
        result = { ok: false, error: error?.stack ?? String(error) };
      }
      return { body: JSON.stringify(result), type: 'application/json', headers: { 'cache-control': 'no-store' } };
    },
    // Playwright's offline emulation of this test's page (navigator.onLine, the 'offline'/'online' events, and no network).
    async executeCommand({ command, payload, session }) {
      if (command !== 'akkoord-offline') return undefined;
      if (session.browser.type !== 'playwright') throw new Error('akkoord-offline needs the Playwright launcher');
      const page = session.browser.getPage(session.id);
      const { offlineForMs = 1000, delayMs = 50 } = payload ?? {};
      // Timed, and after this command has answered: while offline, the page cannot reach the runner either.
      setTimeout(async () => {
        await page.context().setOffline(true);
        setTimeout(() => void page.context().setOffline(false), offlineForMs);
      }, delayMs);
      return true;
    },
  };
}
