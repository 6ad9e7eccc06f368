/**
 * `akkoord-receiver keys create | list | revoke`: the back office's API
 * keys, kept (as hashes) in the receipts' database, so every receiver that
 * shares the database knows a key the moment it is made or revoked.
 *
 * The key is printed once, on stdout and alone on its line, so a script can
 * take it (`KEY=$(akkoord-receiver keys create …)`); everything else goes to
 * stderr. Nothing else ever shows it again.
 */
/// <reference types="node" />
import { API_KEY_SCOPES, isApiKeyScope, isApiKeyStore, mintApiKey, type ApiKeyScope, type ApiKeyStore } from './api-keys.js';
import type { ReceiptStore } from './store.js';

export const API_KEY_USAGE = `Usage: akkoord-receiver keys create --scope <scope> [--scope <scope>…] [--name <text>] [--data <dir>] [--database <url>]
       akkoord-receiver keys list [--data <dir>] [--database <url>]
       akkoord-receiver keys revoke <id> [--data <dir>] [--database <url>]
Scopes: ${API_KEY_SCOPES.join(', ')}.`;

export interface KeyCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** The store of the data directory or database the arguments name. */
  openStore: (where: { data: string; database?: string }) => Promise<ReceiptStore>;
}

class KeyUsageError extends Error {}

/** Runs one of the API-key commands; resolves with the exit code. */
export async function apiKeyCommand(action: 'create' | 'list' | 'revoke', args: readonly string[], io: KeyCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseKeyArgs>;
  try {
    parsed = parseKeyArgs(action, args);
  } catch (error) {
    if (!(error instanceof KeyUsageError)) throw error;
    io.err(`akkoord-receiver: keys ${action}: ${error.message}\n${API_KEY_USAGE}\n`);
    return 2;
  }
  let store: ReceiptStore;
  try {
    store = await io.openStore(parsed);
  } catch (error) {
    io.err(`akkoord-receiver: cannot open the store: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    if (!isApiKeyStore(store)) {
      io.err('akkoord-receiver: this store keeps no API keys\n');
      return 1;
    }
    return await run(action, parsed, store, io);
  } finally {
    await store.close();
  }
}

async function run(action: 'create' | 'list' | 'revoke', parsed: ReturnType<typeof parseKeyArgs>, keys: ApiKeyStore, io: KeyCommandIo): Promise<number> {
  switch (action) {
    case 'create': {
      const { key, record } = await mintApiKey({ name: parsed.name ?? '', scopes: parsed.scopes });
      await keys.putApiKey(record);
      io.out(`${key}\n`);
      io.err(
        `akkoord-receiver: API key ${record.id}${record.name ? ` (${record.name})` : ''} made with ${record.scopes.join(', ')}.\n` +
          '  It is shown only this once: keep it in your secret store. Send it as "Authorization: Bearer <key>".\n',
      );
      return 0;
    }
    case 'list': {
      const rows = [['ID', 'NAME', 'SCOPES', 'CREATED', 'REVOKED']];
      for (const record of await keys.apiKeys()) {
        rows.push([record.id, record.name || '-', record.scopes.join(','), record.createdAt, record.revokedAt ?? '-']);
      }
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
      io.out(rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
      return 0;
    }
    case 'revoke': {
      const id = parsed.id!;
      if (!(await keys.revokeApiKey(id, new Date().toISOString()))) {
        io.err(`akkoord-receiver: there is no API key ${id} (see akkoord-receiver keys list)\n`);
        return 1;
      }
      io.err(`akkoord-receiver: API key ${id} revoked; every receiver on this database refuses it from now on\n`);
      return 0;
    }
  }
}

function parseKeyArgs(action: 'create' | 'list' | 'revoke', args: readonly string[]) {
  const parsed: { data: string; database?: string; scopes: ApiKeyScope[]; name?: string; id?: string } = { data: './.receiver-data', scopes: [] };
  const list = [...args];
  while (list.length) {
    const arg = list.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : list.shift();
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new KeyUsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--data':
        parsed.data = value();
        break;
      case '--database': {
        const v = value();
        if (!/^postgres(ql)?:\/\//.test(v)) throw new KeyUsageError(`--database: "${v}" is not a postgres:// URL`);
        parsed.database = v;
        break;
      }
      case '--scope':
      case '--scopes':
        if (action !== 'create') throw new KeyUsageError(`${name} belongs to keys create`);
        for (const scope of value().split(',').filter(Boolean)) {
          if (!isApiKeyScope(scope)) throw new KeyUsageError(`"${scope}" is not a scope; the scopes are ${API_KEY_SCOPES.join(', ')}`);
          if (!parsed.scopes.includes(scope)) parsed.scopes.push(scope);
        }
        break;
      case '--name':
        if (action !== 'create') throw new KeyUsageError('--name belongs to keys create');
        parsed.name = value().trim();
        if (parsed.name.length > 200) throw new KeyUsageError('--name: at most 200 characters');
        break;
      default:
        if (action === 'revoke' && parsed.id === undefined && !arg.startsWith('--')) {
          if (!/^[0-9a-f]{16}$/.test(arg)) throw new KeyUsageError(`"${masked(arg)}" is not a key id (16 hex digits, as keys list shows)`);
          parsed.id = arg;
          break;
        }
        throw new KeyUsageError(`unknown argument "${masked(arg)}"`);
    }
  }
  if (action === 'create' && !parsed.scopes.length) throw new KeyUsageError('give at least one --scope');
  if (action === 'revoke' && parsed.id === undefined) throw new KeyUsageError('give the id of the key to revoke');
  return parsed;
}

/** An argument as the error may show it: a whole key pasted by mistake shows only its id. */
function masked(arg: string): string {
  return arg.replace(/akk_([0-9a-f]{16})_[A-Za-z0-9_-]+/g, 'akk_$1_…');
}
