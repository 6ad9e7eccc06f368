// Receiver throughput and latency under a loopback load generator, per store:
// SQLite, PostgreSQL with one node, PostgreSQL with two nodes behind a
// round-robin proxy; each with one receipt per POST /receipts and with
// batches (POST /receipts/batch); then a subject's history read with
// 1,000,000 receipts stored.
//
//   node scripts/bench/receiver.mjs [--requests 20000] [--connections 50] [--runs 3] [--batch 50]
//                                   [--stores sqlite,postgres,postgres2] [--history-rows 1000000] [--quick]
//
// Starts the real receiver (the built bin) on 127.0.0.1; PostgreSQL is a
// throwaway cluster (fsync on, synchronous_commit on: durable), skipped with
// a note where PostgreSQL is not installed. Each run pre-builds N distinct
// valid receipts (one per subject, each the first of its chain, so no chain
// serializes the load), fires them with autocannon, stops the receiver and
// checks that the store holds exactly the receipts answered 201 (or, for
// batches, all N): none lost, none doubled. For the history read, 1,000,000
// receipts (100,000 subjects × 10) are written straight into the store with
// a bulk insert, then random subjects' histories are read over HTTP, by one
// reader at a time and by --connections readers at once.
// Prints a table of the median runs and writes bench/out/receiver.json.
// Needs the build (core, receiver).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'libsql';
import pg from 'pg';
import { loadNotice, makeReceipt, startReceiver } from '../../packages/receiver/test/harness.mjs';
import { postgresBin, startPostgres } from '../../packages/receiver/test/postgres-cluster.mjs';
import { startProxy } from '../../packages/receiver/test/proxy.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    connections: { type: 'string', default: '50' },
    runs: { type: 'string' },
    batch: { type: 'string', default: '50' },
    stores: { type: 'string', default: 'sqlite,postgres,postgres2' },
    'history-rows': { type: 'string', default: '1000000' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out/receiver.json' },
  },
});
const N = Number(values.requests ?? (values.quick ? 4000 : 20000));
const CONNECTIONS = Number(values.connections);
const RUNS = Number(values.runs ?? (values.quick ? 1 : 3));
const BATCH = Number(values.batch);
const HISTORY_ROWS = Number(values['history-rows']);
const HISTORY_PER_SUBJECT = 10;
const GOAL = 2000;
const HISTORY_GOAL_P99_MS = 10;
if (!Number.isInteger(BATCH) || BATCH < 2 || BATCH > 100) throw new Error(`--batch ${values.batch}: 2 to 100 receipts per request`);
const STORES = values.stores.split(',');
const LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL, 1 node', postgres2: 'PostgreSQL, 2 nodes' };

// One receipt from core's buildReceipt, then N copies that differ in id and
// subject: each valid, each the first of its own chain. (Building N from
// scratch would hash the whole notice N times.)
const gmo = await loadNotice('gmo-registry');
const template = await makeReceipt(gmo, { method: 'preferences' });
function bodies(run, batch) {
  const receipts = Array.from({ length: N }, (_, i) => ({ ...template, consentReceiptID: crypto.randomUUID(), piiPrincipalId: `psn_bench_${run}_${i}` }));
  if (batch === 1) return receipts.map((receipt) => ({ id: receipt.consentReceiptID, body: JSON.stringify(receipt) }));
  const batches = [];
  for (let i = 0; i < N; i += batch) {
    const items = receipts.slice(i, i + batch).map((receipt) => ({ idempotencyKey: receipt.consentReceiptID, receipt }));
    batches.push({ body: JSON.stringify({ items }) });
  }
  return batches;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fire(url, requests, { method = 'POST', amount = requests.length, connections = CONNECTIONS } = {}) {
  let next = 0;
  let lastAnswer = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: Math.min(connections, amount),
        amount,
        timeout: 20,
        requests: [
          {
            method,
            setupRequest(request) {
              const { id, body, path, headers = {} } = requests[next++ % requests.length];
              return {
                ...request,
                ...(path && { path }),
                ...(body && { body }),
                headers: { ...(body && { 'content-type': 'application/json' }), ...(id && { 'idempotency-key': id }), ...headers },
              };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve({ result: done, seconds: (lastAnswer - started) / 1000 })),
    );
    instance.on('response', () => {
      lastAnswer = performance.now();
    });
  });
}

/** A store's deployment: its receivers, the URL the load goes to, how to count what is stored, how to bulk-fill it. */
async function deploy(store, dir, cluster) {
  if (store === 'sqlite') {
    const receiver = await startReceiver({ dataDir: dir, args: ['--demo-auth'] });
    const path = join(dir, 'receipts.db');
    return {
      url: receiver.url,
      async stop() {
        const stopped = await receiver.stop();
        if (stopped.code !== 0) throw new Error(`the receiver did not stop cleanly:\n${stopped.output}`);
      },
      async count() {
        const db = new Database(path, { readonly: true });
        const counted = db.prepare('SELECT count(*) AS rows, count(DISTINCT receipt_id) AS ids FROM receipts').get();
        db.close();
        return counted;
      },
      async fill(rows) {
        const db = new Database(path);
        const insert = db.prepare(
          `INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
           VALUES (?, ?, 'gmo-registry', ?, ?, ?, ?, 'h.p.s', ?)`,
        );
        const fill = db.transaction((from, to) => {
          for (let i = from; i < to; i++) {
            const subject = Math.floor(i / HISTORY_PER_SUBJECT);
            const n = i % HISTORY_PER_SUBJECT;
            insert.run(`fill-${i}`, `psn_fill_${subject}`, template.akkoord.noticeHash, `sha256:fill-${i}`, n ? `sha256:fill-${i - 1}` : null, `{"n":${n}}`, '2026-01-01T00:00:00.000Z');
          }
        });
        for (let i = 0; i < rows; i += 100_000) fill(i, Math.min(rows, i + 100_000));
        db.close();
      },
    };
  }
  const url = await cluster.createDatabase('bench');
  const nodes = store === 'postgres2' ? 2 : 1;
  const receivers = [];
  for (let i = 0; i < nodes; i++) receivers.push(await startReceiver({ dataDir: dir, args: ['--database', url, '--demo-auth'] }));
  const proxy = nodes > 1 ? await startProxy(receivers.map((r) => r.url), { keepAlive: true }) : undefined;
  const query = async (text) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    url: proxy?.url ?? receivers[0].url,
    async stop() {
      await proxy?.close();
      for (const receiver of receivers) {
        const stopped = await receiver.stop();
        if (stopped.code !== 0) throw new Error(`the receiver did not stop cleanly:\n${stopped.output}`);
      }
    },
    async count() {
      const [row] = await query('SELECT count(*)::int AS rows, count(DISTINCT receipt_id)::int AS ids FROM receipts');
      return row;
    },
    async fill(rows) {
      await query(`
        INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
        SELECT 'fill-' || i, 'psn_fill_' || (i / ${HISTORY_PER_SUBJECT}), 'gmo-registry', '${template.akkoord.noticeHash}', 'sha256:fill-' || i,
               CASE WHEN i % ${HISTORY_PER_SUBJECT} = 0 THEN NULL ELSE 'sha256:fill-' || (i - 1) END,
               '{"n":' || (i % ${HISTORY_PER_SUBJECT}) || '}', 'h.p.s', '2026-01-01T00:00:00.000Z'
        FROM generate_series(0, ${rows - 1}) AS i;
        ANALYZE receipts;`);
    },
  };
}

async function throughput(store, batch, index, cluster) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-receiver-'));
  const requests = bodies(`${store}${batch}${index}`, batch);
  const deployment = await deploy(store, dir, cluster);
  try {
    const { result, seconds } = await fire(`${deployment.url}/${batch === 1 ? 'receipts' : 'receipts/batch'}`, requests);
    await deployment.stop();
    const { rows, ids } = await deployment.count();
    // A batch answers 200 with a status per item; all N are new, so all N must be stored.
    const created = batch === 1 ? Number(result.statusCodeStats?.['201']?.count ?? 0) : result.non2xx === 0 ? N : rows;
    return {
      store,
      batch,
      run: index + 1,
      requests: result.requests.total,
      durationSeconds: seconds,
      receiptsPerSecond: Math.round(created / seconds),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      created,
      non2xx: result.non2xx,
      errors: result.errors,
      stored: rows,
      storeMatches: rows === created && ids === rows && (batch === 1 || rows === N),
    };
  } finally {
    await deployment.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function historyRead(store, cluster) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-history-'));
  const deployment = await deploy(store, dir, cluster);
  try {
    const filling = performance.now();
    await deployment.fill(HISTORY_ROWS);
    const fillSeconds = (performance.now() - filling) / 1000;
    const subjects = HISTORY_ROWS / HISTORY_PER_SUBJECT;
    const reads = Array.from({ length: 2000 }, () => {
      const subject = `psn_fill_${Math.floor(Math.random() * subjects)}`;
      return { path: `/subjects/${subject}/receipts`, headers: { authorization: `Bearer demo:${subject}` } };
    });
    // Two measures: one reader at a time (what a customer opening the
    // account page waits: the index, not a queue), then CONNECTIONS readers at
    // once (how many histories a second one node serves; their latency is
    // mostly time in the queue).
    const alone = (await fire(deployment.url, reads.slice(0, 1000), { method: 'GET', connections: 1 })).result;
    const { result, seconds } = await fire(deployment.url, reads, { method: 'GET' });
    const { rows } = await deployment.count();
    return {
      store,
      stored: rows,
      fillSeconds: Math.round(fillSeconds),
      reads: alone.requests.total + result.requests.total,
      non2xx: alone.non2xx + result.non2xx,
      latencyMs: { p50: alone.latency.p50, p99: alone.latency.p99, max: alone.latency.max },
      underLoad: { connections: CONNECTIONS, readsPerSecond: Math.round(result.requests.total / seconds), p50: result.latency.p50, p99: result.latency.p99 },
    };
  } finally {
    await deployment.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

const skipped = [];
let cluster;
if (STORES.some((s) => s.startsWith('postgres'))) {
  if (postgresBin()) cluster = await startPostgres();
  else skipped.push('PostgreSQL (not installed: no initdb under /usr/lib/postgresql/*/bin)');
}
const stores = STORES.filter((s) => s === 'sqlite' || cluster);

const results = [];
const history = [];
try {
  for (const store of stores) {
    for (const batch of [1, BATCH]) {
      for (let i = 0; i < RUNS; i++) {
        const r = await throughput(store, batch, i, cluster);
        results.push(r);
        console.log(
          `  ${LABEL[store]}, ${batch === 1 ? 'single' : `batches of ${batch}`}, run ${r.run}: ${r.receiptsPerSecond} receipts/s, ` +
            `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${r.non2xx} non-2xx, ${r.errors} errors; stored ${r.stored} ${r.storeMatches ? '✓' : '✗ MISMATCH'}`,
        );
      }
    }
  }
  for (const store of stores.filter((s) => s !== 'postgres2')) {
    const h = await historyRead(store, cluster);
    history.push(h);
    console.log(
      `  ${LABEL[store]}: history of one subject at ${h.stored} stored receipts, one reader: p50 ${h.latencyMs.p50} ms, p99 ${h.latencyMs.p99} ms; ` +
        `${h.underLoad.connections} readers: ${h.underLoad.readsPerSecond} reads/s, p99 ${h.underLoad.p99} ms (filled in ${h.fillSeconds} s)`,
    );
  }
} finally {
  await cluster?.stop();
}

const summary = stores.flatMap((store) =>
  [1, BATCH].map((batch) => {
    const runs = results.filter((r) => r.store === store && r.batch === batch);
    return {
      store: LABEL[store],
      requests: batch === 1 ? 'single' : `batch ${batch}`,
      receiptsPerSecond: median(runs.map((r) => r.receiptsPerSecond)),
      p50Ms: median(runs.map((r) => r.latencyMs.p50)),
      p99Ms: median(runs.map((r) => r.latencyMs.p99)),
      non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
      errors: runs.reduce((n, r) => n + r.errors, 0),
      storeMatches: runs.every((r) => r.storeMatches),
    };
  }),
);

console.log(`\nReceiver, ${N} distinct receipts per run, ${CONNECTIONS} connections, loopback, ${cpus().length} cores, durable (medians of ${RUNS} run${RUNS > 1 ? 's' : ''})`);
console.table(
  summary.map((s) => ({
    store: s.store,
    requests: s.requests,
    'receipts/s': s.receiptsPerSecond,
    'p50 ms': s.p50Ms,
    'p99 ms': s.p99Ms,
    'non-2xx': s.non2xx,
    'stored = answered': s.storeMatches ? 'yes' : 'NO',
    [`≥ ${GOAL}/s`]: s.receiptsPerSecond >= GOAL ? 'yes' : 'no',
  })),
);
console.log(`A subject's history (${HISTORY_PER_SUBJECT} receipts) at ${HISTORY_ROWS} stored receipts, GET over HTTP`);
console.table(
  history.map((h) => ({
    store: LABEL[h.store],
    stored: h.stored,
    'one reader p50 ms': h.latencyMs.p50,
    'one reader p99 ms': h.latencyMs.p99,
    [`p99 ≤ ${HISTORY_GOAL_P99_MS} ms`]: h.latencyMs.p99 <= HISTORY_GOAL_P99_MS ? 'yes' : 'no',
    [`${CONNECTIONS} readers: reads/s`]: h.underLoad.readsPerSecond,
    [`${CONNECTIONS} readers: p99 ms`]: h.underLoad.p99,
  })),
);
for (const s of skipped) console.log(`skipped: ${s}`);

mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, receiptsPerRun: N, batch: BATCH, connections: CONNECTIONS, runs: RUNS, goalReceiptsPerSecond: GOAL, summary, history, skipped, throughputRuns: results }, null, 2)}\n`,
);
console.log(`wrote ${values.out}`);
// The exit status says whether every answer was right and every receipt stored once; the goals are reported.
process.exitCode = summary.every((s) => s.storeMatches && s.non2xx === 0 && s.errors === 0) && history.every((h) => h.non2xx === 0) ? 0 : 1;
