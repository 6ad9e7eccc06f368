// The current-state table, for every store (memory, SQLite on disk,
// PostgreSQL on a throwaway cluster): written with each receipt, single or
// in a batch, by the rule of GET /subjects/{id}/consent (the decision the
// person made last), read by subject or streamed by purpose; and filled by
// the migration from the receipts a database held before it. API keys are
// kept as hashes. Needs the receiver built.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { canonicalJson, loadNotice, makeReceipt, receiptHash } from './harness.mjs';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';

const { MemoryReceiptStore } = await import('../dist/store.js');
const { SqliteReceiptStore, SQLITE_MIGRATIONS } = await import('../dist/sqlite-store.js');
const { PostgresReceiptStore, POSTGRES_MIGRATIONS } = await import('../dist/postgres-store.js');
const { createReceiver } = await import('../dist/app.js');
const { mintApiKey } = await import('../dist/api-keys.js');
const { createSigner, generateSigningKey } = await import('../dist/signer.js');

const noPostgres = postgresMissing();
let cluster;
let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-state-'));
  gmo = await loadNotice('gmo-registry');
  if (!noPostgres) cluster = await startPostgres();
});
after(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A store entry for a receipt, as the receiver seals it (the store trusts the receiver for the signature). */
async function entryOf(receipt) {
  return {
    receiptId: receipt.consentReceiptID,
    subject: receipt.piiPrincipalId,
    noticeId: receipt.akkoord.noticeId,
    noticeHash: receipt.akkoord.noticeHash,
    receiptHash: await receiptHash(receipt),
    previousReceiptHash: receipt.akkoord.previousReceiptHash,
    body: canonicalJson(receipt),
    countersignature: 'h.p.s',
    storedAt: new Date().toISOString(),
  };
}
const all = (state) => Object.fromEntries(['marketing', 'seminar-announcements', 'feature-announcements'].map((p) => [p, state]));

const stores = {
  memory: () => new MemoryReceiptStore(),
  sqlite: () => new SqliteReceiptStore(join(dir, `${randomUUID()}.db`)),
  ...(!noPostgres && { postgres: () => new PostgresReceiptStore(cluster.url(), { schema: `state_${randomUUID().slice(0, 8)}` }) }),
};
if (noPostgres) it(`postgres store: ${noPostgres}`, { skip: noPostgres }, () => {});

for (const [name, open] of Object.entries(stores)) {
  describe(`${name} store: the current-state table`, () => {
    it('follows each subject’s decision in force, single and batched, and streams a purpose in subject order', async () => {
      const store = open();
      try {
        const now = Date.now();
        // a: granted, then withdrew marketing; b: a chain in one batch; c: decided apart, the earlier decision stored last.
        const a1 = await makeReceipt(gmo, { subject: 'a', decidedAt: now - 3000 });
        const a2 = await makeReceipt(gmo, { subject: 'a', decidedAt: now - 2000, previous: await receiptHash(a1), method: 'preferences', decisions: { ...all('granted'), marketing: 'denied' } });
        for (const r of [a1, a2]) assert.equal((await store.append(await entryOf(r))).outcome, 'created');
        const b1 = await makeReceipt(gmo, { subject: 'b', decidedAt: now - 3000, grant: false, method: 'reject-all' });
        const b2 = await makeReceipt(gmo, { subject: 'b', decidedAt: now - 1000, previous: await receiptHash(b1) });
        const c1 = await makeReceipt(gmo, { subject: 'c', decidedAt: now - 1000 });
        const c2 = await makeReceipt(gmo, { subject: 'c', decidedAt: now - 9000, previous: await receiptHash(c1), grant: false, method: 'reject-all' });
        const batch = [b1, b2, c1, c2];
        const results = store.appendAll
          ? await store.appendAll(await Promise.all(batch.map(entryOf)))
          : await Promise.all((await Promise.all(batch.map(entryOf))).map((e) => store.append(e)));
        assert.deepEqual(results.map((r) => r.outcome), ['created', 'created', 'created', 'created']);
        // A refused receipt (chain conflict) changes nothing.
        const fork = await makeReceipt(gmo, { subject: 'a', decidedAt: now, grant: false, method: 'reject-all' });
        assert.equal((await store.append(await entryOf(fork))).outcome, 'chain-conflict');

        const rows = await store.consentStates('gmo-registry', 'marketing', ['a', 'b', 'c', 'nobody']);
        const state = Object.fromEntries(rows.map((r) => [r.subject, [r.state, r.receiptId]]));
        assert.deepEqual(state, {
          a: ['denied', a2.consentReceiptID],
          b: ['granted', b2.consentReceiptID],
          c: ['granted', c1.consentReceiptID],
        });
        assert.equal(rows.find((r) => r.subject === 'a').decidedAt, a2.akkoord.decidedAt);
        assert.deepEqual((await store.consentStates('gmo-registry', 'seminar-announcements', ['a'])).map((r) => r.state), ['granted']);
        assert.deepEqual(await store.consentStates('other-notice', 'marketing', ['a']), []);

        const granted = await store.subjectsWithState({ noticeId: 'gmo-registry', purpose: 'marketing', state: 'granted', limit: 10, now });
        assert.deepEqual(granted.map((r) => r.subject), ['b', 'c']);
        const afterB = await store.subjectsWithState({ noticeId: 'gmo-registry', purpose: 'marketing', state: 'granted', after: 'b', limit: 10, now });
        assert.deepEqual(afterB.map((r) => r.subject), ['c']);
        const one = await store.subjectsWithState({ noticeId: 'gmo-registry', purpose: 'marketing', state: 'granted', limit: 1, now });
        assert.deepEqual(one.map((r) => r.subject), ['b']);
        const later = await store.subjectsWithState({ noticeId: 'gmo-registry', purpose: 'marketing', state: 'granted', limit: 10, now: now + 400 * 24 * 3600 * 1000 });
        assert.deepEqual(later, [], 'expired decisions are left out');
      } finally {
        await store.close();
      }
    });

    it('keeps API keys as records with a hash, revocable once', async () => {
      const store = open();
      try {
        const { key, record } = await mintApiKey({ name: 'mailer', scopes: ['unsubscribe:mint', 'consent:read'] });
        await store.putApiKey(record);
        const kept = await store.apiKey(record.id);
        assert.deepEqual(kept, { ...record, scopes: ['consent:read', 'unsubscribe:mint'] });
        assert.ok(!JSON.stringify(await store.apiKeys()).includes(key.slice(21)), 'never the key itself');
        assert.match(kept.hash, /^[0-9a-f]{64}$/);
        assert.equal(await store.revokeApiKey(record.id, '2026-01-01T00:00:00.000Z'), true);
        assert.equal(await store.revokeApiKey(record.id, '2027-01-01T00:00:00.000Z'), true);
        assert.equal((await store.apiKey(record.id)).revokedAt, '2026-01-01T00:00:00.000Z', 'the first revocation stands');
        assert.equal(await store.revokeApiKey('0000000000000000', '2026-01-01T00:00:00.000Z'), false);
        assert.equal(await store.apiKey('0000000000000000'), undefined);
      } finally {
        await store.close();
      }
    });
  });
}

describe('the current-state table of a database that had receipts before it', () => {
  const receiptsBefore = async () => {
    const now = Date.now();
    const x1 = await makeReceipt(gmo, { subject: 'x', decidedAt: now - 5000 });
    const x2 = await makeReceipt(gmo, { subject: 'x', decidedAt: now - 4000, previous: await receiptHash(x1), grant: false, method: 'reject-all' });
    // y decided apart: the later decision is stored first.
    const y1 = await makeReceipt(gmo, { subject: 'y', decidedAt: now - 1000, method: 'preferences', decisions: { ...all('denied'), marketing: 'granted' } });
    const y2 = await makeReceipt(gmo, { subject: 'y', decidedAt: now - 8000, previous: await receiptHash(y1), grant: false, method: 'reject-all' });
    return { entries: await Promise.all([x1, x2, y1, y2].map(entryOf)), x2, y1 };
  };
  const expectBackfilled = async (store, { x2, y1 }) => {
    const rows = await store.consentStates('gmo-registry', 'marketing', ['x', 'y']);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.subject, [r.state, r.receiptId]])), {
      x: ['denied', x2.consentReceiptID],
      y: ['granted', y1.consentReceiptID],
    });
    assert.deepEqual((await store.consentStates('gmo-registry', 'seminar-announcements', ['y'])).map((r) => r.state), ['denied']);
  };
  const columns = 'receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at';
  const values = (e) => [e.receiptId, e.subject, e.noticeId, e.noticeHash, e.receiptHash, e.previousReceiptHash, e.body, e.countersignature, e.storedAt];

  it('sqlite: the migration fills it from the stored receipts (the decision made last wins)', async () => {
    const { entries, ...expected } = await receiptsBefore();
    const path = join(dir, `${randomUUID()}.db`);
    const db = new Database(path);
    const earlier = SQLITE_MIGRATIONS.filter((m) => m.version < 3);
    for (const step of earlier) db.exec(step.sql);
    db.exec(`PRAGMA user_version = ${earlier.at(-1).version}`);
    const insert = db.prepare(`INSERT INTO receipts (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const e of entries) insert.run(...values(e));
    db.close();
    const store = new SqliteReceiptStore(path);
    try {
      await expectBackfilled(store, expected);
    } finally {
      await store.close();
    }
  });

  it('postgres: the migration fills it from the stored receipts (the decision made last wins)', { skip: noPostgres }, async () => {
    const { entries, ...expected } = await receiptsBefore();
    const url = await cluster.createDatabase('backfill');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const step of POSTGRES_MIGRATIONS.filter((m) => m.version < 2)) {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [step.version, step.description]);
      }
      for (const e of entries) await client.query(`INSERT INTO receipts (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, values(e));
    } finally {
      await client.end();
    }
    const store = new PostgresReceiptStore(url);
    try {
      await store.ready;
      await expectBackfilled(store, expected);
    } finally {
      await store.close();
    }
  });
});

describe('createReceiver: back-office keys and subject routes stay apart', () => {
  it('refuses a back-office key on a subject route, even where the host’s hook would admit anyone', async () => {
    const store = new MemoryReceiptStore();
    const { key, record } = await mintApiKey({ name: 'reader', scopes: ['consent:read'] });
    await store.putApiKey(record);
    const app = createReceiver({ store, signer: await createSigner(await generateSigningKey()), notices: [gmo.notice], authorize: () => true });
    const asKey = { headers: { Authorization: `Bearer ${key}` } };
    for (const path of ['/subjects/a/consent', '/subjects/a/receipts', '/subjects/a/requests']) {
      const response = await app.fetch(new Request(`http://receiver.test${path}`, asKey));
      assert.equal(response.status, 403, path);
    }
    const open = await app.fetch(new Request('http://receiver.test/subjects/a/consent'));
    assert.equal(open.status, 200, 'the hook admits others as before');
    const check = await app.fetch(
      new Request('http://receiver.test/consent/check', {
        method: 'POST',
        headers: { ...asKey.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ purpose: 'marketing', subjects: ['a'] }),
      }),
    );
    assert.equal(check.status, 200, 'the memory store answers the back office too');
    assert.deepEqual((await check.json()).results, [{ subject: 'a', state: 'unknown' }]);
  });
});
