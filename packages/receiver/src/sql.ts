/**
 * One small SQL interface over both databases, for the parts of the
 * receiver that are the same on each (the event feed, webhooks, retention,
 * export): `$1, $2, …` placeholders, rows as plain objects, transactions.
 * Node only.
 *
 * It opens its own connection beside the receipt store's: on SQLite a second
 * connection to the same file (WAL lets it read while the store writes; its
 * own writes wait for the store's through `busy_timeout`), on PostgreSQL a
 * pool of its own. The store's migrations have created the tables before.
 */
/// <reference types="node" />
import Database from 'libsql';
import pg from 'pg';

export interface SqlRunner {
  all<R extends object>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Rows changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface SqlDatabase extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** `fn` in one transaction (on SQLite an immediate one: it holds the write lock); rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `$1 … $n` to SQLite's anonymous `?`, with the values in the order they are used. */
function positional(text: string, params: readonly unknown[]): [string, unknown[]] {
  const values: unknown[] = [];
  const sql = text.replace(/\$(\d+)/g, (_m, n: string) => {
    values.push(params[Number(n) - 1]);
    return '?';
  });
  return [sql, values];
}

export interface SqlOpenOptions {
  /**
   * Commit without waiting for the disk: for bookkeeping that may lose its
   * last moments in a crash without harm (the webhook worker's queue and
   * leases: a delivery forgotten is sent again, at least once). Never for
   * what a command has promised done. PostgreSQL: `synchronous_commit=off`;
   * SQLite: `synchronous=NORMAL` (WAL: safe from a process crash, not from
   * power loss).
   */
  relaxedCommit?: boolean;
}

export function openSqliteSql(path: string, options: SqlOpenOptions = {}): SqlDatabase {
  const db = new Database(path);
  db.exec(`PRAGMA busy_timeout = 5000; PRAGMA synchronous = ${options.relaxedCommit ? 'NORMAL' : 'FULL'};`);
  // One statement or transaction at a time on this connection: a transaction awaits between its statements,
  // and another caller's statement must not land inside it.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn, fn);
    turn = next.catch(() => {});
    return next;
  };
  const runner: SqlRunner = {
    async all<R extends object>(text: string, params: readonly unknown[] = []) {
      const [sql, values] = positional(text, params);
      return db.prepare(sql).all(...values) as R[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      const [sql, values] = positional(text, params);
      return Number(db.prepare(sql).run(...values).changes);
    },
  };
  return {
    dialect: 'sqlite',
    all: (text, params) => serial(() => runner.all(text, params)),
    run: (text, params) => serial(() => runner.run(text, params)),
    transaction: (fn) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(runner);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () =>
      serial(async () => {
        db.close();
      }),
  };
}

export function openPostgresSql(connectionString: string, options: SqlOpenOptions & { schema?: string; poolSize?: number } = {}): SqlDatabase {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new TypeError(`schema: "${options.schema}" is not a plain lowercase SQL name`);
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 5000,
    options: [options.schema && `-c search_path=${options.schema}`, options.relaxedCommit && '-c synchronous_commit=off'].filter(Boolean).join(' ') || undefined,
  });
  pool.on('error', () => {});
  const on = (client: pg.Pool | pg.PoolClient): SqlRunner => ({
    async all<R extends object>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rows as R[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rowCount ?? 0;
    },
  });
  const direct = on(pool);
  return {
    dialect: 'postgres',
    all: direct.all,
    run: direct.run,
    async transaction(fn) {
      const client = await pool.connect();
      client.on('error', () => {});
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        client.release(true);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
