// Versioned schemas: both stores migrate an older database at start and
// refuse one written by a newer receiver, with a message that says what to
// do; PostgreSQL keeps the fork guard even for a writer that skips the
// checks. Real SQLite files and a real PostgreSQL cluster. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';
import { startReceiver } from './harness.mjs';

const { SqliteReceiptStore, SQLITE_MIGRATIONS } = await import('../dist/sqlite-store.js');
const { PostgresReceiptStore, POSTGRES_MIGRATIONS } = await import('../dist/postgres-store.js');
const { NewerDatabaseError } = await import('../dist/migrations.js');

const noPostgres = postgresMissing();
let dir;
let cluster;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-migrations-'));
  if (!noPostgres) cluster = await startPostgres();
});
after(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const sqliteLatest = SQLITE_MIGRATIONS.at(-1).version;
const postgresLatest = POSTGRES_MIGRATIONS.at(-1).version;

describe('sqlite store: migrations', () => {
  it('creates a new file at the newest version', async () => {
    const path = join(dir, `${randomUUID()}.db`);
    await new SqliteReceiptStore(path).close();
    const db = new Database(path);
    assert.equal(db.prepare('PRAGMA user_version').get().user_version, sqliteLatest);
    db.close();
  });

  it('refuses a file written by a newer receiver, and leaves it as it was', async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const db = new Database(path);
    db.exec(`CREATE TABLE future (x); PRAGMA user_version = ${sqliteLatest + 1};`);
    db.close();
    assert.throws(() => new SqliteReceiptStore(path), (error) => {
      assert.ok(error instanceof NewerDatabaseError);
      assert.match(error.message, new RegExp(`schema version ${sqliteLatest + 1}, but this receiver knows only up to version ${sqliteLatest}`));
      assert.match(error.message, /newer @akkoord\/receiver/);
      return true;
    });
    const check = new Database(path);
    assert.equal(check.prepare('PRAGMA user_version').get().user_version, sqliteLatest + 1);
    assert.equal(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'receipts'").get().n, 0, 'nothing created');
    check.close();
  });

  it('akkoord-receiver says so and exits 1', async () => {
    const data = join(dir, randomUUID());
    await startReceiver({ dataDir: data }).then((r) => r.stop());
    const db = new Database(join(data, 'receipts.db'));
    db.exec(`PRAGMA user_version = ${sqliteLatest + 5}`);
    db.close();
    await assert.rejects(startReceiver({ dataDir: data }), (error) => {
      assert.match(error.message, /exited \(1\)/);
      assert.match(error.message, /cannot open the store: .*schema version \d+, but this receiver knows only up to version/);
      return true;
    });
  });
});

describe('postgres store: migrations and the fork guard', { skip: noPostgres }, () => {
  it('creates the schema at the newest version, once, when several nodes start at once', async () => {
    const url = await cluster.createDatabase('fresh');
    const stores = [new PostgresReceiptStore(url), new PostgresReceiptStore(url), new PostgresReceiptStore(url)];
    await Promise.all(stores.map((s) => s.ready));
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
    await client.end();
    assert.deepEqual(rows.map((r) => r.version), POSTGRES_MIGRATIONS.map((m) => m.version));
    assert.equal(rows.at(-1).version, postgresLatest);
  });

  it('refuses a database written by a newer receiver', async () => {
    const url = await cluster.createDatabase('newer');
    await (await openStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, 'from the future')", [postgresLatest + 1]);
    await client.end();
    const store = new PostgresReceiptStore(url);
    await assert.rejects(store.ready, (error) => {
      assert.ok(error instanceof NewerDatabaseError);
      assert.match(error.message, new RegExp(`PostgreSQL database has schema version ${postgresLatest + 1}, but this receiver knows only up to version ${postgresLatest}`));
      return true;
    });
    await store.close();
    await assert.rejects(startReceiver({ dataDir: join(dir, randomUUID()), args: ['--database', url] }), /cannot open the store: .*schema version/);
  });

  it('cannot fork a chain even for a writer that skips the checks', async () => {
    const url = await cluster.createDatabase('fork');
    await (await openStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const insert = (id, previous) =>
      client.query(
        `INSERT INTO receipts (receipt_id, subject, notice_id, notice_hash, receipt_hash, previous_hash, body, countersignature, stored_at)
         VALUES ($1, 's', 'n', 'sha256:n', $2, $3, '{}', 'h.p.s', 'now')`,
        [id, `sha256:${id}`, previous],
      );
    await insert('a', null);
    await insert('b', 'sha256:a');
    await assert.rejects(insert('c', null), /receipts_no_fork/, 'a second first receipt');
    await assert.rejects(insert('d', 'sha256:a'), /receipts_no_fork/, 'a second successor of a');
    await assert.rejects(insert('a', 'sha256:b'), /receipts_receipt_id_key/, 'an id stored twice');
    await client.end();
  });
});

async function openStore(url) {
  const store = new PostgresReceiptStore(url);
  await store.ready;
  return store;
}
