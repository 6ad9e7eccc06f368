// Acknowledged means durable: under load, receivers are killed with
// SIGKILL at random moments (10 times per store) and, on PostgreSQL, the
// database restarts mid-load. A load client retries as a browser outbox
// does (the same receipt until it gets 201 or 200). Afterwards every
// acknowledged receipt is stored, none twice, every chain verifies, and
// every client's last receipt is its subject's head. SQLite (one node) and
// PostgreSQL (two nodes behind a round-robin proxy). Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'libsql';
import pg from 'pg';
import { loadNotice, makeReceipt, startReceiver } from './harness.mjs';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';
import { startProxy } from './proxy.mjs';

const { verifyCompact } = await import('../../core/dist/sync/index.js');

const KILLS = 10;
const SUBJECTS = 12;
const noPostgres = postgresMissing();
let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-crash-'));
  gmo = await loadNotice('gmo-registry');
});
after(() => rm(dir, { recursive: true, force: true }));

const random = (min, max) => min + Math.random() * (max - min);

/**
 * One client per subject, each building its chain: a receipt is sent until
 * it is acknowledged (201 or 200), through whatever node is up, with a short
 * pause after a failure; only then is the next one built on it.
 */
function startLoad(url) {
  let stopping = false;
  let aborted = false;
  const acknowledged = new Map(); // receiptId -> { subject, receiptHash, countersignature }
  const heads = new Map();
  const problems = [];
  let failures = 0;
  const clients = Array.from({ length: SUBJECTS }, async (_, i) => {
    const subject = `psn_crash_${i}`;
    let previous = null;
    let n = 0;
    while (!stopping) {
      const receipt = await makeReceipt(gmo, { subject, previous, grant: n++ % 2 === 0 });
      for (let attempt = 0; ; attempt++) {
        let status;
        let body;
        try {
          const response = await fetch(`${url}/receipts`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': receipt.consentReceiptID },
            body: JSON.stringify(receipt),
            signal: AbortSignal.timeout(10_000),
          });
          status = response.status;
          body = await response.json().catch(() => undefined);
        } catch {
          status = 0; // the node died mid-request: no answer, so not acknowledged
        }
        if (status === 200 || status === 201) {
          acknowledged.set(receipt.consentReceiptID, { subject, receiptHash: body.receiptHash, countersignature: body.countersignature });
          previous = body.receiptHash;
          heads.set(subject, previous);
          break;
        }
        if (status >= 400 && status < 500) {
          // 409 here would mean an acknowledged predecessor was lost; 4xx anything else, a bug.
          problems.push(`${subject}: ${status} ${JSON.stringify(body)}`);
          return;
        }
        failures++;
        if (aborted) return;
        // Exponential backoff with jitter, as the outbox does: 50 ms, 100 ms, … up to 1 s.
        await sleep(Math.min(1000, 50 * 2 ** attempt) * random(0.5, 1));
      }
    }
  });
  return {
    acknowledged,
    heads,
    problems,
    get failures() {
      return failures;
    },
    /** Lets every client finish its receipt; `abort`: gives up on the unanswered ones (the test failed already). */
    async stop({ abort = false } = {}) {
      stopping = true;
      aborted = abort;
      await Promise.all(clients);
    },
  };
}

/**
 * Kills a running node with SIGKILL `KILLS` times at random moments and
 * starts a new one in its place; with several nodes the others serve
 * meanwhile, and the next kill may come before the last node is back.
 * `midway` runs after half of the kills.
 */
async function killAtRandom(nodes, proxy, start, midway) {
  const restarting = new Map(); // node index -> its restart
  const serving = () => proxy.setTargets(nodes.filter((_, i) => !restarting.has(i)).map((n) => n.url));
  for (let k = 0; k < KILLS; k++) {
    await sleep(random(200, 600));
    while (restarting.size === nodes.length) await Promise.race(restarting.values());
    const up = nodes.map((_, i) => i).filter((i) => !restarting.has(i));
    const i = up[Math.floor(Math.random() * up.length)];
    const { signal, output } = await nodes[i].stop('SIGKILL');
    assert.equal(signal, 'SIGKILL', `the node was still running when killed; it said:\n${output}`);
    const restart = start().then((node) => {
      nodes[i] = node;
      restarting.delete(i);
      serving();
    });
    restart.catch(() => {}); // awaited below; meanwhile not an unhandled rejection
    restarting.set(i, restart);
    serving();
    // The only node: it must come back and serve a while before the next kill, or nothing would be sent.
    if (nodes.length === 1) await restart;
    if (k === Math.floor(KILLS / 2) && midway) await midway();
  }
  await Promise.all(restarting.values());
}

/** What the stores hold, checked: each receipt once, chains linked and hashed, countersignatures valid. */
function checkStored(rows, acknowledged, heads, jwks) {
  const stored = new Map();
  let doubled = 0;
  const chainHeads = new Map();
  for (const row of rows) {
    if (stored.has(row.receipt_id)) doubled++;
    stored.set(row.receipt_id, row);
    assert.equal(row.receipt_hash, `sha256:${createHash('sha256').update(row.body).digest('hex')}`);
    assert.equal(row.previous_hash, chainHeads.get(row.subject) ?? null, `the chain of ${row.subject} is linked`);
    chainHeads.set(row.subject, row.receipt_hash);
  }
  let lost = 0;
  for (const [id, ack] of acknowledged) {
    const row = stored.get(id);
    if (!row) lost++;
    else assert.equal(row.countersignature, ack.countersignature, 'the acknowledged countersignature is the stored one');
  }
  for (const [subject, head] of heads) assert.equal(chainHeads.get(subject), head, `${subject}: the client's last receipt is the head`);
  return { acknowledged: acknowledged.size, stored: stored.size, lost, doubled, verify: () => Promise.all(rows.map((r) => verifyCompact(r.countersignature, jwks))) };
}

async function report(t, label, counts, load) {
  const results = await counts.verify();
  assert.ok(results.every((r) => r.ok), 'every countersignature verifies');
  const line = `${label}: ${KILLS} kills; acknowledged ${counts.acknowledged}, stored ${counts.stored}, lost ${counts.lost}, doubled ${counts.doubled}; ${load.failures} sends retried`;
  t.diagnostic(line);
  console.log(`  ${line}`);
  assert.equal(load.problems.length, 0, load.problems.join('\n'));
  assert.equal(counts.lost, 0);
  assert.equal(counts.doubled, 0);
  // Enough load that kills land mid-write (this runs on 2 shared cores, so the floor is modest).
  assert.ok(counts.acknowledged >= 2 * KILLS, `enough load to mean something (${counts.acknowledged})`);
  assert.ok(load.failures > 0, 'some sends met a dead node and were retried');
  assert.ok(counts.stored >= counts.acknowledged);
}

describe('kill -9 under load loses nothing acknowledged', () => {
  it('SQLite, one node', { timeout: 180_000 }, async (t) => {
    const data = join(dir, 'sqlite');
    const start = () => startReceiver({ dataDir: data });
    const nodes = [await start()];
    const proxy = await startProxy([nodes[0].url]);
    const load = startLoad(proxy.url);
    try {
      await killAtRandom(nodes, proxy, start);
      await sleep(300);
    } catch (error) {
      await load.stop({ abort: true });
      throw error;
    }
    await load.stop();
    const jwks = await (await fetch(`${nodes[0].url}/.well-known/jwks.json`)).json();
    await nodes[0].stop();
    await proxy.close();
    const db = new Database(join(data, 'receipts.db'));
    const rows = db.prepare('SELECT subject, receipt_id, receipt_hash, previous_hash, body, countersignature FROM receipts ORDER BY subject, seq').all();
    db.close();
    await report(t, 'SQLite', checkStored(rows, load.acknowledged, load.heads, jwks), load);
  });

  it('PostgreSQL, two nodes, and a database restart mid-load', { skip: noPostgres, timeout: 180_000 }, async (t) => {
    const cluster = await startPostgres();
    try {
      const url = await cluster.createDatabase('crash');
      const keys = join(dir, 'postgres-keys');
      const start = () => startReceiver({ dataDir: keys, args: ['--database', url] });
      const nodes = [await start(), await start()];
      const proxy = await startProxy(nodes.map((n) => n.url));
      const load = startLoad(proxy.url);
      let restarted = false;
      try {
        await killAtRandom(nodes, proxy, start, async () => {
          await cluster.restart('immediate');
          restarted = true;
        });
        await sleep(300);
      } catch (error) {
        await load.stop({ abort: true });
        await Promise.all(nodes.map((n) => n.stop()));
        throw error;
      }
      await load.stop();
      assert.ok(restarted);
      const jwks = await (await fetch(`${nodes[0].url}/.well-known/jwks.json`)).json();
      await Promise.all(nodes.map((n) => n.stop()));
      await proxy.close();
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query('SELECT subject, receipt_id, receipt_hash, previous_hash, body, countersignature FROM receipts ORDER BY subject, seq');
      await db.end();
      await report(t, 'PostgreSQL', checkStored(rows, load.acknowledged, load.heads, jwks), load);
    } finally {
      await cluster.stop();
    }
  });
});
