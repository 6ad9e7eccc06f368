// Receiver throughput and latency under a loopback load generator.
//
//   node scripts/bench/receiver.mjs [--requests 20000] [--connections 50] [--runs 3] [--synchronous full|normal|both] [--batch 1]
//
// Starts the real receiver (the built bin: durable SQLite store in a temp
// dir), pre-builds N distinct valid receipts (one per subject, each the first
// of its chain, so no chain serializes the load), fires them with autocannon
// (programmatic API, 127.0.0.1), then stops the receiver and checks that the
// store holds exactly the receipts answered 201: none lost, none doubled.
// `--batch K` sends K receipts per `POST /receipts/batch`, as a draining
// outbox does (N/K requests); then every request must answer 200 and the
// store must hold all N.
// Prints a table of the median run and writes bench/out/receiver.json.
// Needs the build (core, receiver).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'libsql';
import { loadNotice, makeReceipt, startReceiver } from '../../packages/receiver/test/harness.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    synchronous: { type: 'string', default: 'full' },
    batch: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/out/receiver.json' },
  },
});
const N = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const RUNS = Number(values.runs);
const MODES = values.synchronous === 'both' ? ['full', 'normal'] : [values.synchronous];
const GOAL = 2000;
/** Receipts per request: 1 is `POST /receipts`, more is `POST /receipts/batch`. */
const BATCH = Number(values.batch);
if (!Number.isInteger(BATCH) || BATCH < 1 || BATCH > 100) throw new Error(`--batch ${values.batch}: 1 to 100 receipts per request`);

// One receipt from core's buildReceipt, then N copies that differ in id and
// subject: each valid, each the first of its own chain. (Building N from
// scratch would hash the whole notice N times.)
const gmo = await loadNotice('gmo-registry');
const template = await makeReceipt(gmo, { method: 'preferences' });
function bodies(run) {
  const receipts = Array.from({ length: N }, (_, i) => ({ ...template, consentReceiptID: crypto.randomUUID(), piiPrincipalId: `psn_bench_${run}_${i}` }));
  if (BATCH === 1) return receipts.map((receipt) => ({ id: receipt.consentReceiptID, body: JSON.stringify(receipt) }));
  const batches = [];
  for (let i = 0; i < N; i += BATCH) {
    const items = receipts.slice(i, i + BATCH).map((receipt) => ({ idempotencyKey: receipt.consentReceiptID, receipt }));
    batches.push({ body: JSON.stringify({ items }) });
  }
  return batches;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function run(mode, index) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-receiver-'));
  const requests = bodies(`${mode}${index}`);
  const receiver = await startReceiver({ dataDir: dir, args: ['--synchronous', mode] });
  let next = 0;
  try {
    // autocannon ends a run with `amount` on its 1-second tick, so its duration is
    // whole seconds; the time from the start to the last answer is exact.
    let lastAnswer = 0;
    const started = performance.now();
    const result = await new Promise((resolve, reject) => {
      const instance = autocannon(
        {
          url: `${receiver.url}/${BATCH === 1 ? 'receipts' : 'receipts/batch'}`,
          connections: CONNECTIONS,
          amount: requests.length,
          timeout: 10,
          requests: [
            {
              method: 'POST',
              setupRequest(request) {
                const { id, body } = requests[next++ % requests.length];
                const headers = { 'content-type': 'application/json', ...(id ? { 'idempotency-key': id } : {}) };
                return { ...request, body, headers };
              },
            },
          ],
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      );
      instance.on('response', () => {
        lastAnswer = performance.now();
      });
    });
    const stopped = await receiver.stop();
    if (stopped.code !== 0) throw new Error(`the receiver did not stop cleanly:\n${stopped.output}`);

    const db = new Database(join(dir, 'receipts.db'), { readonly: true });
    const { rows, ids: distinct } = db.prepare('SELECT count(*) AS rows, count(DISTINCT receipt_id) AS ids FROM receipts').get();
    db.close();
    // A batch answers 200 with a status per item; all N are new, so all N must be stored.
    const created = BATCH === 1 ? Number(result.statusCodeStats?.['201']?.count ?? 0) : result.non2xx === 0 ? N : rows;
    const seconds = (lastAnswer - started) / 1000;
    const ok = rows === created && distinct === rows && (BATCH === 1 || rows === N);
    return {
      mode,
      batch: BATCH,
      run: index + 1,
      requests: result.requests.total,
      durationSeconds: seconds,
      receiptsPerSecond: Math.round(created / seconds),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      created,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)])),
      stored: rows,
      storeMatches201s: ok,
    };
  } finally {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const mode of MODES) {
  for (let i = 0; i < RUNS; i++) {
    const r = await run(mode, i);
    results.push(r);
    console.log(
      `  ${mode} run ${r.run}: ${r.receiptsPerSecond} receipts/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ` +
        `${BATCH === 1 ? `${r.created} × 201` : `${r.requests} batches of ${BATCH}`}, ${r.non2xx} non-2xx, ${r.errors} errors; ` +
        `stored ${r.stored} ${r.storeMatches201s ? '✓' : '✗ MISMATCH'}`,
    );
  }
}

const summary = MODES.map((mode) => {
  const runs = results.filter((r) => r.mode === mode);
  return {
    synchronous: mode.toUpperCase(),
    runs: runs.length,
    receiptsPerSecond: median(runs.map((r) => r.receiptsPerSecond)),
    p50Ms: median(runs.map((r) => r.latencyMs.p50)),
    p99Ms: median(runs.map((r) => r.latencyMs.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    storeMatches201s: runs.every((r) => r.storeMatches201s),
    meetsGoal: median(runs.map((r) => r.receiptsPerSecond)) >= GOAL,
  };
});

const per = BATCH === 1 ? 'one POST /receipts each' : `${BATCH} per POST /receipts/batch`;
console.log(`\nReceiver, ${N} distinct receipts per run (${per}), ${CONNECTIONS} connections, loopback, ${cpus().length} cores (medians of ${RUNS} runs)`);
console.table(
  Object.fromEntries(
    summary.map((s) => [
      `synchronous=${s.synchronous}`,
      {
        'receipts/s': s.receiptsPerSecond,
        'p50 ms': s.p50Ms,
        'p99 ms': s.p99Ms,
        'non-2xx': s.non2xx,
        errors: s.errors,
        'stored = 201s': s.storeMatches201s ? 'yes' : 'NO',
        [`≥ ${GOAL}/s`]: s.meetsGoal ? 'yes' : 'NO',
      },
    ]),
  ),
);

mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      receiptsPerRun: N,
      receiptsPerRequest: BATCH,
      connections: CONNECTIONS,
      goalReceiptsPerSecond: GOAL,
      summary,
      runs: results,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${values.out}`);
process.exitCode = summary.every((s) => s.storeMatches201s && s.non2xx === 0 && s.errors === 0) ? 0 : 1;
