// The back office at scale, per store (SQLite, PostgreSQL): with 1,000,000
// stored receipts, POST /consent/check of 10,000 subjects (p50, p99; goal
// p99 ≤ 100 ms) and the stream of every subject that granted one purpose,
// GET /purposes/{purpose}/subjects (goal ≥ 50,000 subjects/s).
//
//   node scripts/bench/backoffice.mjs [--rows 1000000] [--stores sqlite,postgres] [--runs 3] [--checks 50] [--quick]
//
// Starts the real receiver (the built bin) on 127.0.0.1 with a back-office
// key made by its CLI; PostgreSQL is a throwaway cluster (skipped with a
// note where it is not installed). The receipts and their current-state
// rows are written straight into the database with bulk SQL (2 receipts per
// subject, so 500,000 subjects and 1,500,000 state rows at the default),
// not through HTTP: this measures the reads. Of the subjects, two in three
// granted marketing. Each check asks 10,000 random subjects, one in ten
// never seen; each stream reads the whole list and counts its lines.
// `--quick`: 100,000 receipts, fewer checks, one stream.
// Prints a table and writes bench/out/backoffice.json. Needs the build (core, receiver).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import Database from 'libsql';
import pg from 'pg';
import { BIN, startReceiver } from '../../packages/receiver/test/harness.mjs';
import { postgresBin, startPostgres } from '../../packages/receiver/test/postgres-cluster.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    runs: { type: 'string' },
    checks: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/out/backoffice.json' },
  },
});
const ROWS = Number(values.rows ?? (values.quick ? 100_000 : 1_000_000));
const RUNS = Number(values.runs ?? (values.quick ? 1 : 3));
const CHECKS = Number(values.checks ?? (values.quick ? 15 : 50));
const PER_SUBJECT = 2;
const SUBJECTS = Math.floor(ROWS / PER_SUBJECT);
const CHECK_SIZE = 10_000;
const GOAL_CHECK_P99_MS = 100;
const GOAL_STREAM_PER_SECOND = 50_000;
const STORES = values.stores.split(',');
const LABEL = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const NOTICE_HASH = `sha256:${'0'.repeat(64)}`;
const DECIDED_AT = Date.now() - 24 * 3600 * 1000;
const EXPIRES_AT = DECIDED_AT + 365 * 24 * 3600 * 1000;
if (!(ROWS >= 2 * PER_SUBJECT)) throw new Error(`--rows ${values.rows}: at least ${2 * PER_SUBJECT}`);

const subjectName = (i) => `psn_bo_${i}`;
/** The decisions of subject i, the same in the receipts and in the state rows. */
const granted = { marketing: (i) => i % 3 !== 0, 'seminar-announcements': (i) => i % 2 === 0, 'feature-announcements': () => true };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function makeKey(args) {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'keys', 'create', '--scope', 'consent:read', '--name', 'bench', ...args]);
  return stdout.trim();
}

/** Receipt and state rows straight into SQLite: the receiver's tables, as its migrations made them. */
function fillSqlite(path) {
  const db = new Database(path);
  db.exec('PRAGMA synchronous = OFF');
  const receipt = db.prepare(
    `INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
     VALUES (?, ?, 'gmo-registry', ?, ?, ?, ?, 'h.p.s', '2026-01-01T00:00:00.000Z')`,
  );
  const state = db.prepare(
    `INSERT INTO consent_state (subject, notice_id, purpose, state, receipt_id, decided_at, expires_at, seq)
     VALUES (?, 'gmo-registry', ?, ?, ?, ?, ?, ?)`,
  );
  const fill = db.transaction((from, to) => {
    for (let s = from; s < to; s++) {
      const subject = subjectName(s);
      for (let n = 0; n < PER_SUBJECT; n++) {
        const id = `bo-${s}-${n}`;
        const { lastInsertRowid } = receipt.run(id, subject, NOTICE_HASH, `sha256:${id}`, n ? `sha256:bo-${s}-${n - 1}` : null, `{"n":${n}}`);
        if (n === PER_SUBJECT - 1) {
          for (const [purpose, grants] of Object.entries(granted)) {
            state.run(subject, purpose, grants(s) ? 'granted' : 'denied', id, DECIDED_AT, EXPIRES_AT, Number(lastInsertRowid));
          }
        }
      }
    }
  });
  for (let s = 0; s < SUBJECTS; s += 50_000) fill(s, Math.min(SUBJECTS, s + 50_000));
  db.exec('ANALYZE');
  db.close();
}

async function fillPostgres(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
      SELECT 'bo-' || s || '-' || n, 'psn_bo_' || s, 'gmo-registry', '${NOTICE_HASH}', 'sha256:bo-' || s || '-' || n,
             CASE WHEN n = 0 THEN NULL ELSE 'sha256:bo-' || s || '-' || (n - 1) END, '{"n":' || n || '}', 'h.p.s', '2026-01-01T00:00:00.000Z'
      FROM generate_series(0, ${SUBJECTS - 1}) AS s, generate_series(0, ${PER_SUBJECT - 1}) AS n
      ORDER BY s, n`);
    await client.query(`
      INSERT INTO consent_state (subject, notice_id, purpose, state, receipt_id, decided_at, expires_at, seq)
      SELECT r.subject, 'gmo-registry', p.purpose,
             CASE WHEN (p.purpose = 'marketing' AND s % 3 = 0) OR (p.purpose = 'seminar-announcements' AND s % 2 = 1) THEN 'denied' ELSE 'granted' END,
             r.receipt_id, ${DECIDED_AT}, ${EXPIRES_AT}, r.seq
      FROM receipts r
      JOIN LATERAL (SELECT substr(r.subject, 8)::int AS s) k ON true
      CROSS JOIN (VALUES ('marketing'), ('seminar-announcements'), ('feature-announcements')) AS p(purpose)
      WHERE r.receipt_id = 'bo-' || k.s || '-${PER_SUBJECT - 1}'`);
    await client.query('VACUUM ANALYZE receipts');
    await client.query('VACUUM ANALYZE consent_state');
  } finally {
    await client.end();
  }
}

/** A started receiver on a filled store, and a key that may read it. */
async function deploy(store, dir, cluster) {
  if (store === 'sqlite') {
    const key = await makeKey(['--data', dir]);
    const receiver = await startReceiver({ dataDir: dir });
    const filling = performance.now();
    fillSqlite(join(dir, 'receipts.db'));
    return { receiver, key, fillSeconds: (performance.now() - filling) / 1000 };
  }
  const url = await cluster.createDatabase('backoffice');
  const key = await makeKey(['--data', dir, '--database', url]);
  const receiver = await startReceiver({ dataDir: dir, args: ['--database', url] });
  const filling = performance.now();
  await fillPostgres(url);
  return { receiver, key, fillSeconds: (performance.now() - filling) / 1000 };
}

async function checkOnce(url, key) {
  const subjects = Array.from({ length: CHECK_SIZE }, () => {
    const i = Math.floor(Math.random() * SUBJECTS * 1.1);
    return i < SUBJECTS ? subjectName(i) : `psn_never_${i}`;
  });
  const body = JSON.stringify({ purpose: 'marketing', notice: 'gmo-registry', subjects });
  const started = performance.now();
  const response = await fetch(`${url}/consent/check`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body });
  const answer = await response.json();
  const ms = performance.now() - started;
  if (response.status !== 200 || answer.results.length !== CHECK_SIZE) throw new Error(`check answered ${response.status}: ${JSON.stringify(answer).slice(0, 200)}`);
  // The answer must be right, not only fast.
  for (const [k, result] of answer.results.entries()) {
    const i = Number(subjects[k].slice('psn_bo_'.length));
    const expected = subjects[k].startsWith('psn_never_') ? 'unknown' : granted.marketing(i) ? 'granted' : 'denied';
    if (result.state !== expected) throw new Error(`check: ${subjects[k]} is ${result.state}, expected ${expected}`);
  }
  return ms;
}

async function streamOnce(url, key) {
  const started = performance.now();
  const response = await fetch(`${url}/purposes/marketing/subjects?notice=gmo-registry`, { headers: { Authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`stream answered ${response.status}`);
  let lines = 0;
  let tail = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    const text = tail + decoder.decode(chunk, { stream: true });
    const cut = text.lastIndexOf('\n');
    for (let i = text.indexOf('\n'); i !== -1 && i <= cut; i = text.indexOf('\n', i + 1)) lines++;
    tail = text.slice(cut + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  const subjects = lines - 1; // the last line is the end marker
  const expected = Array.from({ length: SUBJECTS }, (_, i) => i).filter(granted.marketing).length;
  if (subjects !== expected) throw new Error(`stream: ${subjects} subjects, expected ${expected}`);
  return { subjects, seconds, perSecond: Math.round(subjects / seconds) };
}

async function measure(store, cluster) {
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-bench-backoffice-'));
  const { receiver, key, fillSeconds } = await deploy(store, dir, cluster);
  try {
    for (let i = 0; i < 3; i++) await checkOnce(receiver.url, key); // warm the caches and the JIT
    const checks = [];
    for (let i = 0; i < CHECKS; i++) checks.push(await checkOnce(receiver.url, key));
    checks.sort((a, b) => a - b);
    const streams = [];
    for (let i = 0; i < RUNS; i++) streams.push(await streamOnce(receiver.url, key));
    return {
      store,
      storedReceipts: SUBJECTS * PER_SUBJECT,
      subjects: SUBJECTS,
      fillSeconds: Math.round(fillSeconds),
      check: { subjectsPerCheck: CHECK_SIZE, checks: CHECKS, p50Ms: Math.round(percentile(checks, 50)), p99Ms: Math.round(percentile(checks, 99)), maxMs: Math.round(checks.at(-1)) },
      stream: { runs: streams, medianPerSecond: median(streams.map((s) => s.perSecond)), subjects: streams[0].subjects },
    };
  } finally {
    const stopped = await receiver.stop();
    if (stopped.code !== 0) console.error(`the receiver did not stop cleanly:\n${stopped.output}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

const skipped = [];
let cluster;
if (STORES.includes('postgres')) {
  if (postgresBin()) cluster = await startPostgres();
  else skipped.push('PostgreSQL (not installed: no initdb under /usr/lib/postgresql/*/bin)');
}
const results = [];
try {
  for (const store of STORES.filter((s) => s === 'sqlite' || cluster)) {
    console.log(`  ${LABEL[store]}: filling ${(SUBJECTS * PER_SUBJECT).toLocaleString('en')} receipts, then ${CHECKS} checks and ${RUNS} stream(s)…`);
    const result = await measure(store, cluster);
    results.push(result);
  }
} finally {
  await cluster?.stop();
}

console.log(`\nThe back office at ${(SUBJECTS * PER_SUBJECT).toLocaleString('en')} stored receipts (${SUBJECTS.toLocaleString('en')} subjects), over HTTP on 127.0.0.1, ${cpus().length} cores`);
console.table(
  results.map((r) => ({
    store: LABEL[r.store],
    [`check ${CHECK_SIZE} p50 ms`]: r.check.p50Ms,
    'check p99 ms': r.check.p99Ms,
    [`p99 ≤ ${GOAL_CHECK_P99_MS} ms`]: r.check.p99Ms <= GOAL_CHECK_P99_MS ? 'yes' : 'no',
    'stream subjects/s': r.stream.medianPerSecond,
    [`≥ ${GOAL_STREAM_PER_SECOND.toLocaleString('en')}/s`]: r.stream.medianPerSecond >= GOAL_STREAM_PER_SECOND ? 'yes' : 'no',
    'subjects streamed': r.stream.subjects,
  })),
);
for (const note of skipped) console.log(`skipped: ${note}`);
mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, quick: values.quick, goals: { checkP99Ms: GOAL_CHECK_P99_MS, streamPerSecond: GOAL_STREAM_PER_SECOND }, results, skipped }, null, 2)}\n`,
);
console.log(`wrote ${values.out}`);
process.exitCode = results.every((r) => r.check.p99Ms <= GOAL_CHECK_P99_MS && r.stream.medianPerSecond >= GOAL_STREAM_PER_SECOND) ? 0 : 1;
