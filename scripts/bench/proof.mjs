// The back office's proof and plumbing, timed: webhook delivery latency
// (from the receiver's 201 to the consumer's 2xx, p50 and p99; goal p99 ≤ 1 s)
// and the export's and the verifier's throughput (receipts per second).
//
//   node scripts/bench/proof.mjs [--runs 3] [--events 500] [--receipts 50000] [--stored 1000000]
//                                [--stores sqlite,postgres] [--quick]
//
// Webhooks: the real receiver (the built bin) on 127.0.0.1 with one endpoint
// registered by `akkoord-receiver webhooks add`, and a consumer in this
// process on another loopback port that answers 204 at once. Receipts are
// posted 10 at a time; each event's latency is the time from its POST's 201
// to the moment the consumer answers it. Every event must arrive, once.
// Before that the store is filled with 1,000,000 receipts (`--stored`; none
// with --quick), written straight into the database, as the back office's
// goals assume.
// Export and verify: the receipts (chains of 5 per subject, countersigned
// with the data directory's key, as the receiver would) are written straight
// into the database, then `akkoord-receiver export --since` and
// `akkoord-receiver verify-bundle` run as processes; each is timed whole
// (start, database or files, exit). PostgreSQL is a throwaway cluster, and
// skipped with a note where it is not installed. Prints the medians of the
// runs and writes bench/out/proof.json. Needs the build (core, receiver).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import Database from 'libsql';
import pg from 'pg';
import { BIN, canonicalJson, loadNotice, makeReceipt, startReceiver } from '../../packages/receiver/test/harness.mjs';
import { postgresBin, startPostgres } from '../../packages/receiver/test/postgres-cluster.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    events: { type: 'string' },
    receipts: { type: 'string' },
    stored: { type: 'string' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out/proof.json' },
  },
});
const RUNS = Number(values.runs ?? (values.quick ? 1 : 3));
const EVENTS = Number(values.events ?? (values.quick ? 200 : 500));
const RECEIPTS = Number(values.receipts ?? (values.quick ? 10_000 : 50_000));
const STORED = Number(values.stored ?? (values.quick ? 0 : 1_000_000));
const PER_SUBJECT = 5;
const IN_FLIGHT = 10;
const GOAL_P99_MS = 1000;
const STORES = values.stores.split(',').filter((s) => s !== 'postgres' || postgresBin() || console.log('PostgreSQL is not installed: its runs are skipped.'));

const { loadOrCreateSigner } = await import('../../packages/receiver/dist/key-file.js');
const gmo = await loadNotice('gmo-registry');
const template = await makeReceipt(gmo, { method: 'preferences' });
const run = promisify(execFile);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** A consumer that answers 204 at once and notes when it answered each event. */
async function consumer() {
  const answered = new Map();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204).end();
      const id = req.headers['webhook-id'];
      answered.set(id, [...(answered.get(id) ?? []), performance.now()]);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, answered, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function webhookLatency(store, cluster) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-webhooks-'));
  const database = store === 'postgres' ? await cluster.createDatabase('webhooks') : undefined;
  const dbArgs = database ? ['--database', database] : [];
  if (STORED) await fill(dir, database, STORED);
  const receiver = await startReceiver({ dataDir: dir, args: dbArgs });
  const hook = await consumer();
  try {
    await run(process.execPath, [BIN, 'webhooks', 'add', hook.url, '--data', dir, ...dbArgs]);
    const created = new Map();
    let next = 0;
    const worker = async () => {
      while (next < EVENTS) {
        const i = next++;
        const receipt = { ...template, consentReceiptID: crypto.randomUUID(), piiPrincipalId: `psn_webhook_bench_${i}` };
        const response = await fetch(`${receiver.url}/receipts`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': receipt.consentReceiptID },
          body: JSON.stringify(receipt),
        });
        const at = performance.now();
        if (response.status !== 201) throw new Error(`POST /receipts answered ${response.status}`);
        await response.arrayBuffer();
        created.set(`evt_${receipt.consentReceiptID}`, at);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const deadline = Date.now() + 60_000;
    while (hook.answered.size < EVENTS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = [...created].map(([id, at]) => (hook.answered.get(id)?.[0] ?? Infinity) - at);
    const twice = [...hook.answered.values()].filter((times) => times.length > 1).length;
    return { store, events: EVENTS, delivered: hook.answered.size, twice, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: Math.max(...latencies) };
  } finally {
    await hook.close();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `rows` receipts already stored, written straight into a new database (its schema made by a receiver first):
 * the events before an endpoint is added are never sent to it, so their bodies are placeholders.
 */
async function fill(dir, database, rows) {
  const receiver = await startReceiver({ dataDir: dir, args: database ? ['--database', database] : [] });
  await receiver.stop();
  const columns = 'receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at';
  if (database) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query(`INSERT INTO receipts (${columns})
      SELECT 'fill-' || i, 'psn_fill_' || i, 'gmo-registry', '${gmo.hash}', 'sha256:fill-' || i, NULL, '{}', 'h.p.s', '2026-01-01T00:00:00.000Z'
      FROM generate_series(1, ${rows}) AS i`);
    // Settled, as a store that grew to this size over months is: not autovacuum working through a bulk load meanwhile.
    await client.query('VACUUM (ANALYZE) receipts');
    await client.query('CHECKPOINT');
    await client.end();
    return;
  }
  const db = new Database(join(dir, 'receipts.db'));
  const insert = db.prepare(`INSERT INTO receipts (${columns}) VALUES (?, ?, 'gmo-registry', ?, ?, NULL, '{}', 'h.p.s', '2026-01-01T00:00:00.000Z')`);
  const some = db.transaction((from, to) => {
    for (let i = from; i < to; i++) insert.run(`fill-${i}`, `psn_fill_${i}`, gmo.hash, `sha256:fill-${i}`);
  });
  for (let i = 0; i < rows; i += 100_000) some(i, Math.min(rows, i + 100_000));
  db.close();
}

/** `count` stored receipts, chains of PER_SUBJECT, countersigned with the key in `dir`, as rows. */
async function signedRows(dir, count) {
  const { signer } = await loadOrCreateSigner(dir, { native: true });
  const rows = [];
  let previous = null;
  for (let i = 0; i < count; i++) {
    const n = i % PER_SUBJECT;
    if (n === 0) previous = null;
    const receipt = {
      ...template,
      consentReceiptID: crypto.randomUUID(),
      piiPrincipalId: `psn_export_${Math.floor(i / PER_SUBJECT)}`,
      akkoord: { ...template.akkoord, previousReceiptHash: previous },
    };
    const body = canonicalJson(receipt);
    const hash = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    rows.push([receipt.consentReceiptID, receipt.piiPrincipalId, gmo.notice.id, gmo.hash, hash, previous, body, await signer.sign(body), new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString()]);
    previous = hash;
  }
  return rows;
}

async function exportAndVerify(store, cluster) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-export-'));
  const database = store === 'postgres' ? await cluster.createDatabase('export') : undefined;
  const dbArgs = database ? ['--database', database] : [];
  try {
    // Create the schema (and the key) as the receiver would, then fill it.
    const receiver = await startReceiver({ dataDir: dir, args: dbArgs });
    await receiver.stop();
    const rows = await signedRows(dir, RECEIPTS);
    const columns = 'receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at';
    if (database) {
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      for (let i = 0; i < rows.length; i += 5000) {
        const part = rows.slice(i, i + 5000);
        await client.query(`INSERT INTO receipts (${columns}) SELECT * FROM unnest(${columns.split(', ').map((_, c) => `$${c + 1}::text[]`).join(', ')})`, columns.split(', ').map((_, c) => part.map((r) => r[c])));
      }
      await client.end();
    } else {
      const db = new Database(join(dir, 'receipts.db'));
      const insert = db.prepare(`INSERT INTO receipts (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      db.transaction(() => rows.forEach((r) => insert.run(...r)))();
      db.close();
    }
    const bundle = join(dir, 'bundle');
    let started = performance.now();
    await run(process.execPath, [BIN, 'export', '--out', bundle, '--since', '2000-01-01', '--data', dir, ...dbArgs], { maxBuffer: 1 << 20 });
    const exportSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const verified = await run(process.execPath, [BIN, 'verify-bundle', bundle], { maxBuffer: 1 << 20 });
    const verifySeconds = (performance.now() - started) / 1000;
    if (!verified.stdout.includes(`OK: ${RECEIPTS} receipts`)) throw new Error(`verify-bundle: ${verified.stdout}${verified.stderr}`);
    return { store, receipts: RECEIPTS, exportSeconds, exportPerSecond: RECEIPTS / exportSeconds, verifySeconds, verifyPerSecond: RECEIPTS / verifySeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cluster = STORES.includes('postgres') ? await startPostgres() : undefined;
const results = { webhooks: [], export: [] };
try {
  for (const store of STORES) {
    for (let i = 0; i < RUNS; i++) {
      results.webhooks.push({ run: i + 1, ...(await webhookLatency(store, cluster)) });
      results.export.push({ run: i + 1, ...(await exportAndVerify(store, cluster)) });
    }
  }
} finally {
  await cluster?.stop();
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
let missed = false;
console.log(`\nWebhook delivery, ${EVENTS} events a run, ${IN_FLIGHT} POSTs in flight, ${STORED.toLocaleString('en')} receipts stored before, median of ${RUNS} run(s): 201 → consumer's 2xx`);
console.log('| store | delivered | twice | p50 ms | p99 ms | goal p99 ≤ 1000 ms |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const store of STORES) {
  const runs = results.webhooks.filter((r) => r.store === store);
  const p99 = median(runs.map((r) => r.p99Ms));
  const ok = p99 <= GOAL_P99_MS && runs.every((r) => r.delivered === r.events);
  missed ||= !ok;
  console.log(`| ${store} | ${Math.min(...runs.map((r) => r.delivered))}/${EVENTS} | ${Math.max(...runs.map((r) => r.twice))} | ${fmt(median(runs.map((r) => r.p50Ms)))} | ${fmt(p99)} | ${ok ? 'met' : 'MISSED'} |`);
}
console.log(`\nExport and verify-bundle, ${RECEIPTS} receipts (chains of ${PER_SUBJECT}), whole process runs, median of ${RUNS} run(s)`);
console.log('| store | export receipts/s | verify receipts/s |');
console.log('| --- | --- | --- |');
for (const store of STORES) {
  const runs = results.export.filter((r) => r.store === store);
  console.log(`| ${store} | ${fmt(median(runs.map((r) => r.exportPerSecond)))} | ${fmt(median(runs.map((r) => r.verifyPerSecond)))} |`);
}
mkdirSync('bench/out', { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ runs: RUNS, events: EVENTS, stored: STORED, receipts: RECEIPTS, results }, null, 2)}\n`);
console.log(`\nwrote ${values.out}`);
if (missed) process.exitCode = 1;
