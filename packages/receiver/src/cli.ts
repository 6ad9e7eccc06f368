/**
 * `akkoord-receiver`: the receiver on Node with @hono/node-server, the key
 * file in a data directory, and the SQLite store there (default) or a
 * PostgreSQL database (`--database postgres://…`).
 *
 *   akkoord-receiver --data ./.receiver-data --port 8787
 *   akkoord-receiver keys rotate --data ./.receiver-data
 */
/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { parseNotice, InvalidNoticeError, type NoticeDocument } from '@akkoord/core/notice';
import { createReceiver, DEFAULT_MAX_BATCH_BODY_BYTES, DEFAULT_MAX_BODY_BYTES } from './app.js';
import { loadOrCreateSigner, loadOrCreateUnsubscribeSecret, nodeSha256, rotateSigningKey } from './key-file.js';
import { parseRateLimit, type RateLimit } from './rate-limit.js';
import type { ReceiptStore } from './store.js';
import { openPostgresStore, openSqliteStore } from './index.js';
import { PROOF_COMMANDS, PROOF_HELP, proofCommand, startProofServices } from './proof-cli.js';
import { DEFAULT_RETENTION, MIN_RETENTION_MS, parseDuration } from './retention.js';
import { DEFAULT_WEBHOOK_RETRY_FOR_MS } from './webhook-worker.js';
import { apiKeyCommand } from './api-key-cli.js';

export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export const HELP = `Usage: akkoord-receiver [options]
       akkoord-receiver keys rotate [--data <dir>]
       akkoord-receiver keys create --scope <scope>… [--name <text>] [--data <dir>] [--database <url>]
       akkoord-receiver keys list [--data <dir>] [--database <url>]
       akkoord-receiver keys revoke <id> [--data <dir>] [--database <url>]${PROOF_HELP}

Stores consent receipts durably, countersigns them (ES256), and answers a
subject its own consent history. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --data <dir>              data directory: signing-key.jwk (mode 0600, created
                            on first start), previous-keys.jwks, and
                            receipts.db (SQLite, WAL) unless --database is given
                            [default: ./.receiver-data]
  --database <url>          postgres://user@host:port/db: store in PostgreSQL
                            (several receivers may share it); the schema is
                            created or migrated at start
  --port <n>                port; 0 picks a free one     [default: 8787]
  --host <name>             address to listen on         [default: 127.0.0.1]
  --notices <file...>       notice documents (JSON) whose receipts are accepted
                            [default: the launch notices of @akkoord/notices]
  --allow-origin <url...>   origins allowed by CORS, with credentials
                            (e.g. http://127.0.0.1:8080); repeatable
  --max-body <bytes>        largest request body         [default: ${DEFAULT_MAX_BODY_BYTES}]
  --max-batch-body <bytes>  largest POST /receipts/batch body
                            [default: ${DEFAULT_MAX_BATCH_BODY_BYTES}]
  --body-timeout <ms>       most time to receive a whole request; a client
                            that trickles its body is cut off with 408
                            [default: ${DEFAULT_BODY_TIMEOUT_MS}]
  --rate-limit-address <r>  token bucket per client address, e.g. 20/s,40
                            (rate, burst) or 600/min; over it: 429 with
                            Retry-After                  [default: none]
  --rate-limit-subject <r>  the same per subject (its receipts and reads)
  --public-url <url>        where mail readers reach this receiver (e.g.
                            https://consent.example.nl): turns on one-click
                            unsubscribe URLs, signed with unsubscribe-secret
                            in --data (created on first start; copy it to
                            every node, as the signing key)
  --synchronous <mode>      SQLite: full: a 201 survives power loss (default);
                            normal: survives a crash of the process only
  --webhook-retry-for <d>   how long to keep retrying a webhook delivery
                            before it goes on the dead-letter list [default: 24h]
  --webhook-timeout <d>     most time a webhook consumer gets to answer [default: 15s]
  --webhook-backoff <d>     the first retry's delay; doubled each time, with
                            jitter, up to 10 min                [default: 1s]
  --retention <d>           how long a receipt is kept after the consent it
                            proves has ended (a later decision on the same
                            notice replaced it); then it is removed from the
                            start of its chain              [default: ${DEFAULT_RETENTION}]
  --prune-every <d>         how often retention runs (also at start) [default: 6h]
                            Durations: 500ms, 30s, 15m, 12h, 30d, 5y.
  --demo-auth               FOR DEMOS ONLY, NEVER IN PRODUCTION: lets a request
                            read a subject's consent and receipts when it sends
                            "Authorization: Bearer demo:<subjectId>", which
                            anyone can do for any subject. Without it, no one
                            can read histories: mount createReceiver() in your
                            own server with a real authorize() hook.
  --help                    this text

Two kinds of key:
  The signing key countersigns receipts (signing-key.jwk in --data).
  keys rotate: a new signing key replaces the current one, whose public half
  stays in the JWKS (previous-keys.jwks), so that every countersignature made
  before still verifies. Restart the receivers (one by one) to sign with it.

  Back-office API keys let the registrar's own systems (a mailer, an
  auditor's export) call the back-office routes; never a subject's. Kept as
  SHA-256 hashes in the receipts' database (receipts.db in --data, or
  --database), so every receiver on that database knows them at once.
  keys create: prints a new key once, on stdout; give one --scope or more:
               consent:read, events:read, unsubscribe:mint, export
  keys list:   ids, names, scopes, when made and revoked (never the key)
  keys revoke: the key with this id is refused from now on

Endpoints: POST /receipts, POST /receipts/batch, GET /subjects/{id}/consent,
GET /subjects/{id}/receipts, GET /notices/{hash}, POST /verify,
GET /.well-known/jwks.json, GET /openapi.json, GET /health.
Back office (API key with the scope named): POST /consent/check and
GET /purposes/{purpose}/subjects (consent:read), POST /unsubscribe/tokens
(unsubscribe:mint). For mail readers: GET and POST /unsubscribe/{token}.
Also GET /events and GET /webhooks/deliveries (events:read), GET /export (export).
`;

interface CliOptions {
  data: string;
  database?: string;
  bodyTimeout: number;
  rateLimitAddress?: RateLimit;
  rateLimitSubject?: RateLimit;
  port: number;
  host: string;
  notices: string[];
  allowOrigins: string[];
  maxBody: number;
  maxBatchBody: number;
  synchronous: 'FULL' | 'NORMAL';
  webhookRetryForMs: number;
  webhookTimeoutMs: number;
  webhookBackoffMs: number;
  retentionMs: number;
  pruneEveryMs: number;
  publicUrl?: string;
  demoAuth: boolean;
  help: boolean;
}

class UsageError extends Error {}

export function parseCliArgs(args: readonly string[]): CliOptions {
  const options: CliOptions = {
    data: './.receiver-data',
    bodyTimeout: DEFAULT_BODY_TIMEOUT_MS,
    port: 8787,
    host: '127.0.0.1',
    notices: [],
    allowOrigins: [],
    maxBody: DEFAULT_MAX_BODY_BYTES,
    maxBatchBody: DEFAULT_MAX_BATCH_BODY_BYTES,
    synchronous: 'FULL',
    webhookRetryForMs: DEFAULT_WEBHOOK_RETRY_FOR_MS,
    webhookTimeoutMs: 15_000,
    webhookBackoffMs: 1000,
    retentionMs: parseDuration(DEFAULT_RETENTION),
    pruneEveryMs: parseDuration('6h'),
    demoAuth: false,
    help: false,
  };
  const list = [...args];
  while (list.length) {
    const arg = list.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? list.shift();
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      return v;
    };
    /** One inline value, or every following argument up to the next option. */
    const values = (): string[] => {
      if (inline !== undefined) return inline.split(',').filter(Boolean);
      const out: string[] = [];
      while (list.length && !list[0]!.startsWith('--')) out.push(list.shift()!);
      if (!out.length) throw new UsageError(`${name} needs at least one value`);
      return out;
    };
    switch (name) {
      case '--data':
        options.data = value();
        break;
      case '--database': {
        const v = value();
        if (!/^postgres(ql)?:\/\//.test(v)) throw new UsageError(`--database: "${v}" is not a postgres:// URL`);
        options.database = v;
        break;
      }
      case '--body-timeout': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--body-timeout: "${v}" is not a number of milliseconds`);
        options.bodyTimeout = Number(v);
        break;
      }
      case '--rate-limit-address':
      case '--rate-limit-subject': {
        const v = value();
        let limit: RateLimit;
        try {
          limit = parseRateLimit(v);
        } catch (error) {
          throw new UsageError(`${name}: ${(error as Error).message}`);
        }
        options[name === '--rate-limit-address' ? 'rateLimitAddress' : 'rateLimitSubject'] = limit;
        break;
      }
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new UsageError(`--port: "${v}" is not a port number`);
        options.port = Number(v);
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--notices':
      case '--notice':
        options.notices.push(...values());
        break;
      case '--allow-origin':
      case '--allow-origins':
        for (const origin of values().flatMap((v) => v.split(',')).filter(Boolean)) {
          let parsed: URL;
          try {
            parsed = new URL(origin);
          } catch {
            throw new UsageError(`--allow-origin: "${origin}" is not an origin (like http://127.0.0.1:8080)`);
          }
          if (parsed.origin !== origin.replace(/\/$/, '')) {
            throw new UsageError(`--allow-origin: "${origin}" is not an origin; did you mean ${parsed.origin}?`);
          }
          options.allowOrigins.push(parsed.origin);
        }
        break;
      case '--max-body':
      case '--max-batch-body': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${name}: "${v}" is not a byte count`);
        options[name === '--max-body' ? 'maxBody' : 'maxBatchBody'] = Number(v);
        break;
      }
      case '--synchronous': {
        const v = value().toUpperCase();
        if (v !== 'FULL' && v !== 'NORMAL') throw new UsageError('--synchronous: expected full or normal');
        options.synchronous = v;
        break;
      }
      case '--webhook-retry-for':
      case '--webhook-timeout':
      case '--webhook-backoff':
      case '--retention':
      case '--prune-every': {
        const v = value();
        let ms: number;
        try {
          ms = parseDuration(v);
        } catch (error) {
          throw new UsageError(`${name}: ${(error as Error).message}`);
        }
        if (ms < 1) throw new UsageError(`${name}: must be more than 0`);
        if (name === '--retention' && ms < MIN_RETENTION_MS) throw new UsageError('--retention: at least 1d (proof is kept while a claim can be made)');
        const field = ({
          '--webhook-retry-for': 'webhookRetryForMs',
          '--webhook-timeout': 'webhookTimeoutMs',
          '--webhook-backoff': 'webhookBackoffMs',
          '--retention': 'retentionMs',
          '--prune-every': 'pruneEveryMs',
        } as const)[name];
        options[field] = ms;
        break;
      }
      case '--public-url': {
        const v = value();
        let parsed: URL;
        try {
          parsed = new URL(v);
        } catch {
          throw new UsageError(`--public-url: "${v}" is not a URL (like https://consent.example.nl)`);
        }
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UsageError('--public-url: expected an https:// URL');
        if (parsed.search || parsed.hash) throw new UsageError('--public-url: give the base URL, without ? or #');
        options.publicUrl = parsed.href.replace(/\/+$/, '');
        break;
      }
      case '--demo-auth':
        options.demoAuth = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  return options;
}

async function loadNotices(files: readonly string[]): Promise<{ notices: NoticeDocument[]; files: string[] }> {
  let paths = [...files];
  if (!paths.length) {
    try {
      paths = ['gmo-registry', 'dcube-resource'].map((id) =>
        fileURLToPath(import.meta.resolve(`@akkoord/notices/${id}.json`)),
      );
    } catch {
      throw new UsageError('give the notice documents to accept with --notices <file...>');
    }
  }
  const notices: NoticeDocument[] = [];
  for (const path of paths) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new UsageError(`--notices: cannot read ${path} as JSON: ${(error as Error).message}`);
    }
    try {
      notices.push(parseNotice(json));
    } catch (error) {
      if (error instanceof InvalidNoticeError) throw new UsageError(`--notices: ${path}: ${error.message}`);
      throw error;
    }
  }
  return { notices, files: paths };
}

/** Starts the receiver; resolves with an exit code for --help and errors, `undefined` once it listens. */
export async function main(args: readonly string[]): Promise<number | undefined> {
  if (args[0] === 'keys') return keys(args.slice(1));
  if ((PROOF_COMMANDS as readonly string[]).includes(args[0]!)) return proofCommand(args);
  let options: CliOptions;
  let notices: NoticeDocument[];
  let noticeFiles: string[];
  try {
    options = parseCliArgs(args);
    if (options.help) {
      process.stdout.write(HELP);
      return 0;
    }
    ({ notices, files: noticeFiles } = await loadNotices(options.notices));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`akkoord-receiver: ${error.message}\nTry 'akkoord-receiver --help'.\n`);
    return 2;
  }

  const dataDir = resolve(options.data);
  let store: ReceiptStore;
  let key: Awaited<ReturnType<typeof loadOrCreateSigner>>;
  try {
    key = await loadOrCreateSigner(dataDir, { native: true });
  } catch (error) {
    process.stderr.write(`akkoord-receiver: cannot open the data directory ${dataDir}: ${(error as Error).message}\n`);
    return 1;
  }
  let unsubscribeSecret: Uint8Array | undefined;
  try {
    if (options.publicUrl) unsubscribeSecret = await loadOrCreateUnsubscribeSecret(dataDir);
  } catch (error) {
    process.stderr.write(`akkoord-receiver: cannot read the unsubscribe secret: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    store = await openStore(options, dataDir);
  } catch (error) {
    process.stderr.write(`akkoord-receiver: cannot open the store: ${(error as Error).message}\n`);
    return 1;
  }
  let proof: Awaited<ReturnType<typeof startProofServices>>;
  try {
    proof = await startProofServices(dataDir, options.database, {
      retentionMs: options.retentionMs,
      pruneEveryMs: options.pruneEveryMs,
      webhookRetryForMs: options.webhookRetryForMs,
      webhookTimeoutMs: options.webhookTimeoutMs,
      webhookBackoffMs: options.webhookBackoffMs,
      log: (line) => process.stderr.write(`akkoord-receiver: ${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`akkoord-receiver: cannot open the store: ${(error as Error).message}\n`);
    await store.close();
    return 1;
  }
  // Closes what the receiver opened: the webhook worker and retention first (they use the database), then the store.
  const closeAll = async () => {
    await proof.stop();
    await store.close();
  };
  if (key.repairedMode !== undefined) {
    process.stderr.write(
      `akkoord-receiver: ${key.path} was readable by others (mode ${key.repairedMode.toString(8)}); set to 600\n`,
    );
  }

  const app = createReceiver({
    store: proof.watch(store),
    events: proof.events,
    signer: key.signer,
    previousKeys: key.previousKeys,
    notices,
    rateLimit: { perAddress: options.rateLimitAddress, perSubject: options.rateLimitSubject },
    allowedOrigins: options.allowOrigins,
    maxBodyBytes: options.maxBody,
    maxBatchBodyBytes: options.maxBatchBody,
    sha256: nodeSha256,
    ...(options.publicUrl && unsubscribeSecret && { unsubscribe: { publicUrl: options.publicUrl, secret: unsubscribeSecret } }),
    ...(options.demoAuth && {
      authorize: (request: Request, subject: string) => request.headers.get('Authorization') === `Bearer demo:${subject}`,
    }),
    onError: (error) => process.stderr.write(`akkoord-receiver: ${(error as Error)?.stack ?? String(error)}\n`),
  });
  try {
    await app.ready;
  } catch (error) {
    process.stderr.write(`akkoord-receiver: cannot keep the notices: ${(error as Error).message}\n`);
    await closeAll();
    return 1;
  }

  return new Promise<number | undefined>((done) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port,
        hostname: options.host,
        // A request must arrive whole within --body-timeout (Node answers 408 and closes), so a client that
        // trickles its body cannot hold a connection for minutes. Node checks at this interval.
        serverOptions: {
          requestTimeout: options.bodyTimeout,
          headersTimeout: Math.min(options.bodyTimeout, 60_000),
          connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(options.bodyTimeout / 4))),
        },
      },
      (info) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      const url = `http://${host}:${info.port}`;
      const log = (line: string) => process.stdout.write(`${line}\n`);
      log(`akkoord-receiver: listening on ${url}`);
      log(
        options.database
          ? `  data: ${dataDir} (keys); receipts in PostgreSQL ${redact(options.database)}`
          : `  data: ${dataDir} (receipts.db, synchronous=${options.synchronous})`,
      );
      log(`  key:  ${key.path}${key.created ? ' (new)' : ''}, kid ${key.signer.kid}`);
      if (key.previousKeys.length) log(`  previous keys (verify only): ${key.previousKeys.map((k) => k.kid).join(', ')}`);
      log(`  notices: ${notices.map((n, i) => `${n.id} ${n.version} (${noticeFiles[i]})`).join(', ')}`);
      if (options.allowOrigins.length) log(`  CORS origins: ${options.allowOrigins.join(', ')}`);
      if (options.publicUrl) log(`  unsubscribe URLs: ${options.publicUrl}/unsubscribe/…`);
      if (options.demoAuth) {
        process.stderr.write(
          'akkoord-receiver: WARNING --demo-auth is on: anyone can read any subject\'s records with "Bearer demo:<subjectId>". For demos only.\n',
        );
      }
      done(undefined);
      },
    );
    server.on('error', async (error: NodeJS.ErrnoException) => {
      process.stderr.write(`akkoord-receiver: cannot listen on ${options.host}:${options.port}: ${error.message}\n`);
      await closeAll();
      done(1);
    });

    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`akkoord-receiver: ${signal}, stopping\n`);
      // Requests in flight finish (their receipts are written); then the database closes.
      server.close(async () => {
        await closeAll();
        process.stdout.write('akkoord-receiver: stopped\n');
        process.exit(0);
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, 2000).unref();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The store `--database` names: PostgreSQL, or else SQLite in the data directory. Migrated and ready. */
async function openStore(options: CliOptions, dataDir: string): Promise<ReceiptStore> {
  if (options.database) return openPostgresStore(options.database);
  return openSqliteStore(join(dataDir, 'receipts.db'), { synchronous: options.synchronous });
}

/** A database URL without its password, for the log. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/** `akkoord-receiver keys rotate [--data <dir>]` (the signing key), or `keys create|list|revoke` (back-office API keys). */
async function keys(args: readonly string[]): Promise<number> {
  const usage = () => {
    process.stderr.write(
      "akkoord-receiver: usage: akkoord-receiver keys rotate [--data <dir>]\n" +
        "       akkoord-receiver keys create|list|revoke … (back-office API keys)\nTry 'akkoord-receiver --help'.\n",
    );
    return 2;
  };
  const [action, ...rest] = args;
  if (action === 'create' || action === 'list' || action === 'revoke') {
    return apiKeyCommand(action, rest, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      openStore: ({ data, database }) =>
        database ? openPostgresStore(database) : openSqliteStore(join(resolve(data), 'receipts.db')),
    });
  }
  if (action !== 'rotate') return usage();
  let data = './.receiver-data';
  while (rest.length) {
    const arg = rest.shift()!;
    if (arg === '--data' && rest.length) data = rest.shift()!;
    else if (arg.startsWith('--data=')) data = arg.slice('--data='.length);
    else return usage();
  }
  const dataDir = resolve(data);
  const { previousKid, kid } = await rotateSigningKey(dataDir);
  process.stdout.write(`akkoord-receiver: new signing key ${kid} in ${join(dataDir, 'signing-key.jwk')}\n`);
  process.stdout.write(`  previous key ${previousKid} stays in the JWKS (previous-keys.jwks); restart the receivers to sign with the new one\n`);
  return 0;
}
