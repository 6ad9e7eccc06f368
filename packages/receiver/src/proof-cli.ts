/**
 * The receiver's commands for the back office's proof and plumbing, beside
 * the server (`cli.ts`): webhooks, the export for an auditor and its
 * verifier, and retention.
 *
 *   akkoord-receiver webhooks add <url> [--secret whsec_…] [--from-start]
 *   akkoord-receiver webhooks list | remove <id> | dead-letters [<endpoint id>] | replay <id>
 *   akkoord-receiver export --out <dir | file.json> (--subject <id> | --since <date>) [--format kantara|iso27560]
 *   akkoord-receiver verify-bundle <dir | file.json> [--keys <jwks.json>]
 *   akkoord-receiver prune [--retention 5y]
 *
 * Each works on the same data directory and database as the server
 * (`--data`, `--database`), and may run while the server does.
 */
/// <reference types="node" />
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PublicJwk } from '@akkoord/core/sync';
import { directorySink, exportBundle, ExportError, memorySink } from './export-bundle.js';
import { openPostgresStore, openSqliteStore } from './index.js';
import { loadOrCreateSigner } from './key-file.js';
import { DEFAULT_RETENTION, MIN_RETENTION_MS, parseDuration, pruneReceipts, scheduleRetention } from './retention.js';
import type { ReceiptStore } from './store.js';
import { openPostgresSql, openSqliteSql, type SqlDatabase } from './sql.js';
import { describeFailure, verifyBundle } from './verify-bundle.js';
import { WebhookConfigError, WebhookStore } from './webhook-store.js';
import { WebhookWorker } from './webhook-worker.js';

export const PROOF_COMMANDS = ['webhooks', 'export', 'verify-bundle', 'prune'] as const;

export const PROOF_HELP = `
       akkoord-receiver webhooks add <url> [--secret whsec_…] [--from-start]
       akkoord-receiver webhooks list
       akkoord-receiver webhooks remove <id>
       akkoord-receiver webhooks dead-letters [<endpoint id>]
       akkoord-receiver webhooks replay <dead letter number | endpoint id>
       akkoord-receiver export --out <dir | file.json> (--subject <id> | --since <date>)
                               [--format kantara|iso27560]
       akkoord-receiver verify-bundle <dir | file.json> [--keys <jwks.json>]
       akkoord-receiver prune [--retention <duration>]
  (each also takes --data <dir> and --database <url>, as the server does)

webhooks add: registers an endpoint and prints its signing secret (whsec_…,
  Standard Webhooks), once; it gets the events stored from now on, or all
  of them with --from-start. The running receivers deliver to it.
export: writes a bundle an auditor can check without the database: the
  receipts with their countersignatures, every notice version they name,
  the public keys, a signed manifest; --format iso27560 adds each receipt
  as an ISO/IEC TS 27560 record (DPV, JSON-LD). --out ending in .json
  writes it all as one file (held in memory: a directory for big exports).
verify-bundle: checks every countersignature, chain link and notice hash of
  a bundle; exit 0 when all verify, 1 naming the first that does not.
  --keys: trust these public keys (the receiver's published JWKS) instead
  of the bundle's own.
prune: removes what retention allows now (see --retention).
`;

class UsageError extends Error {}

interface Common {
  data: string;
  database?: string;
  rest: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value`, bare `--flag`s (those in `bare`), and positionals. */
function parse(args: readonly string[], bare: readonly string[] = []): Common {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  const list = [...args];
  while (list.length) {
    const arg = list.shift()!;
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (bare.includes(name)) {
      flags.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : list.shift();
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  const database = flags.get('database') as string | undefined;
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) throw new UsageError(`--database: "${database}" is not a postgres:// URL`);
  flags.delete('database');
  const data = (flags.get('data') as string | undefined) ?? './.receiver-data';
  flags.delete('data');
  return { data, database, rest, flags };
}

function only(common: Common, allowed: readonly string[], positionals: number): void {
  for (const name of common.flags.keys()) if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
  if (common.rest.length > positionals) throw new UsageError(`unexpected argument "${common.rest[positionals]}"`);
}

/** The database, migrated by opening its store first (the server may not have run yet). */
export async function openProofDatabase(dataDir: string, database: string | undefined): Promise<SqlDatabase> {
  if (database) {
    await (await openPostgresStore(database)).close();
    return openPostgresSql(database);
  }
  const path = join(dataDir, 'receipts.db');
  await (await openSqliteStore(path)).close();
  return openSqliteSql(path);
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Runs one of `PROOF_COMMANDS`; resolves with the exit code. */
export async function proofCommand(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'webhooks':
        return await webhooks(rest);
      case 'export':
        return await exportCommand(rest);
      case 'verify-bundle':
        return await verifyCommand(rest);
      case 'prune':
        return await prune(rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof WebhookConfigError || error instanceof ExportError) {
      process.stderr.write(`akkoord-receiver ${command}: ${error.message}\nTry 'akkoord-receiver --help'.\n`);
      return 2;
    }
    process.stderr.write(`akkoord-receiver ${command}: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}

async function withDatabase<T>(common: Common, fn: (db: SqlDatabase) => Promise<T>): Promise<T> {
  const db = await openProofDatabase(resolve(common.data), common.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function webhooks(args: readonly string[]): Promise<number> {
  const [action, ...rest] = args;
  const common = parse(rest, ['from-start']);
  switch (action) {
    case 'add': {
      only(common, ['secret', 'from-start'], 1);
      const url = common.rest[0];
      if (!url) throw new UsageError('webhooks add needs the endpoint URL');
      const endpoint = await withDatabase(common, (db) =>
        new WebhookStore(db).addEndpoint(url, {
          secret: common.flags.get('secret') as string | undefined,
          fromStart: common.flags.has('from-start'),
        }),
      );
      out(`id:     ${endpoint.id}`);
      out(`url:    ${endpoint.url}`);
      out(`secret: ${endpoint.secret}`);
      out('Give the secret to the consumer: it verifies each delivery with it (Standard Webhooks, v1 HMAC-SHA256).');
      return 0;
    }
    case 'list': {
      only(common, [], 0);
      const list = await withDatabase(common, (db) => new WebhookStore(db).endpoints());
      if (!list.length) out('No webhook endpoints.');
      for (const e of list) out(`${e.id}  ${e.url}  since ${e.createdAt}`);
      return 0;
    }
    case 'remove': {
      only(common, [], 1);
      const id = common.rest[0];
      if (!id) throw new UsageError('webhooks remove needs the endpoint id');
      const removed = await withDatabase(common, (db) => new WebhookStore(db).removeEndpoint(id));
      if (!removed) {
        process.stderr.write(`akkoord-receiver webhooks: no endpoint ${id}\n`);
        return 1;
      }
      out(`Removed ${id} and its queue.`);
      return 0;
    }
    case 'dead-letters': {
      only(common, [], 1);
      const letters = await withDatabase(common, (db) => new WebhookStore(db).deadLetters(common.rest[0]));
      if (!letters.length) out('No dead letters.');
      for (const d of letters) {
        out(`${d.id}  ${d.endpointId}  ${d.eventId}  subject ${d.subject}  ${d.attempts} attempts  last: ${d.lastError ?? '?'}`);
      }
      return 0;
    }
    case 'replay': {
      only(common, [], 1);
      const id = common.rest[0];
      if (!id) throw new UsageError('webhooks replay needs a dead letter number or an endpoint id');
      const count = await withDatabase(common, (db) => new WebhookStore(db).replay(id, Date.now()));
      if (!count) {
        process.stderr.write(`akkoord-receiver webhooks: no dead letters for ${id}\n`);
        return 1;
      }
      out(`${count} dead letter${count === 1 ? '' : 's'} queued again; the running receivers send ${count === 1 ? 'it' : 'them'} now.`);
      return 0;
    }
    default:
      throw new UsageError('webhooks: add, list, remove, dead-letters or replay');
  }
}

async function exportCommand(args: readonly string[]): Promise<number> {
  const common = parse(args);
  only(common, ['out', 'subject', 'since', 'format'], 0);
  const target = common.flags.get('out') as string | undefined;
  if (!target) throw new UsageError('export needs --out <dir>');
  const subject = common.flags.get('subject') as string | undefined;
  const since = common.flags.get('since') as string | undefined;
  if ((subject === undefined) === (since === undefined)) throw new UsageError('export needs either --subject <id> or --since <date>');
  if (since !== undefined && Number.isNaN(Date.parse(since))) throw new UsageError(`--since: "${since}" is not a date (like 2026-01-01)`);
  const format = (common.flags.get('format') as string | undefined) ?? 'kantara';
  if (format !== 'kantara' && format !== 'iso27560') throw new UsageError('--format: kantara or iso27560');
  const dataDir = resolve(common.data);
  const key = await loadOrCreateSigner(dataDir, { native: true });
  // `….json`: the bundle as one file; anything else: a directory.
  const oneFile = target.endsWith('.json');
  if (oneFile && (await stat(target).catch(() => undefined))) throw new ExportError(`${target} exists already`);
  const sink = oneFile ? memorySink() : await directorySink(resolve(target));
  const manifest = await withDatabase(common, (db) =>
    exportBundle({
      db,
      signer: key.signer,
      previousKeys: key.previousKeys,
      selection: subject !== undefined ? { subject } : { since: since! },
      iso27560: format === 'iso27560',
      out: sink,
    }),
  );
  if (oneFile) await writeFile(resolve(target), `${JSON.stringify((sink as ReturnType<typeof memorySink>).toJSON())}\n`, { flag: 'wx' });
  out(`Exported ${manifest.receipts} receipts of ${manifest.subjects} subjects, ${manifest.notices} notice versions, to ${resolve(target)}`);
  out(`Check it with: akkoord-receiver verify-bundle ${target}`);
  return 0;
}

async function verifyCommand(args: readonly string[]): Promise<number> {
  const common = parse(args);
  only(common, ['keys'], 1);
  const dir = common.rest[0];
  if (!dir) throw new UsageError('verify-bundle needs the bundle (a directory, or one .json file)');
  let trustedKeys: PublicJwk[] | undefined;
  const keysFile = common.flags.get('keys') as string | undefined;
  if (keysFile) {
    try {
      trustedKeys = (JSON.parse(await readFile(keysFile, 'utf8')) as { keys: PublicJwk[] }).keys;
      if (!Array.isArray(trustedKeys)) throw new Error('no "keys" array');
    } catch (error) {
      throw new UsageError(`--keys: ${keysFile} is not a JWKS: ${(error as Error).message}`);
    }
  }
  const result = await verifyBundle(resolve(dir), { trustedKeys });
  if (!result.ok) {
    process.stderr.write(`akkoord-receiver verify-bundle: FAILED: ${describeFailure(result.failure)}\n`);
    process.stderr.write(`  (${result.receiptsChecked} receipts verified before it)\n`);
    return 1;
  }
  out(`OK: ${result.receipts} receipts of ${result.subjects} subjects verify: countersignatures (keys ${result.kids.join(', ')}), chains, ${result.notices} notice versions, manifest.`);
  return 0;
}

async function prune(args: readonly string[]): Promise<number> {
  const common = parse(args);
  only(common, ['retention'], 0);
  let retentionMs: number;
  try {
    retentionMs = parseDuration((common.flags.get('retention') as string | undefined) ?? DEFAULT_RETENTION);
  } catch (error) {
    throw new UsageError(`--retention: ${(error as Error).message}`);
  }
  if (retentionMs < MIN_RETENTION_MS) throw new UsageError('--retention: at least 1d (proof is kept while a claim can be made)');
  const report = await withDatabase(common, (db) => pruneReceipts(db, { retentionMs }));
  out(`Removed ${report.receipts} receipts from the start of ${report.subjects} chains, and ${report.deadLetters} dead letters.`);
  return 0;
}

/** `report`, but the same message at most once a minute: a database that is away fails every round of the worker. */
function quieted(report: (error: unknown) => void): (error: unknown) => void {
  let last = '';
  let at = 0;
  return (error) => {
    const message = (error as Error)?.message ?? String(error);
    if (message === last && Date.now() - at < 60_000) return;
    last = message;
    at = Date.now();
    report(error);
  };
}

export interface ProofServiceOptions {
  retentionMs: number;
  /** How often retention runs in the server (it also runs at start). */
  pruneEveryMs: number;
  webhookRetryForMs: number;
  webhookTimeoutMs: number;
  webhookBackoffMs: number;
  log: (line: string) => void;
}

/**
 * The server's part of all this: the webhook worker and the retention timer,
 * on their own connection to the database. `watch(store)` wraps the receipt
 * store so that a receipt stored here wakes the worker at once (other nodes'
 * receipts are found by polling).
 */
export async function startProofServices(dataDir: string, database: string | undefined, options: ProofServiceOptions) {
  // The worker's queue and leases may lose their last moments in a crash (a delivery is then sent again); retention
  // may too (it runs again). Neither waits for the disk, so neither slows the receipts' own commits.
  const db = database
    ? openPostgresSql(database, { relaxedCommit: true, poolSize: 8 })
    : openSqliteSql(join(dataDir, 'receipts.db'), { relaxedCommit: true });
  const webhooks = new WebhookStore(db);
  const worker = new WebhookWorker(webhooks, {
    retryForMs: options.webhookRetryForMs,
    timeoutMs: options.webhookTimeoutMs,
    backoffBaseMs: options.webhookBackoffMs,
    onError: quieted((error) => options.log(`webhooks: ${(error as Error)?.message ?? String(error)}`)),
  });
  worker.start();
  const stopRetention = scheduleRetention(db, {
    retentionMs: options.retentionMs,
    everyMs: options.pruneEveryMs,
    onPruned: (r) => options.log(`retention: removed ${r.receipts} receipts from the start of ${r.subjects} chains, ${r.deadLetters} dead letters`),
    onError: (error) => options.log(`retention: ${(error as Error)?.message ?? String(error)}`),
  });
  return {
    events: { db, webhooks },
    watch<S extends ReceiptStore>(store: S): S {
      const wake = () => worker.wake();
      return new Proxy(store, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property === 'append' || property === 'appendAll') {
            return async (...args: unknown[]) => {
              const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              wake();
              return result;
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    async stop() {
      await Promise.all([worker.stop(), stopRetention()]);
      await db.close();
    },
  };
}
