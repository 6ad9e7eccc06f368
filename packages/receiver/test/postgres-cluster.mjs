// A throwaway PostgreSQL cluster for the tests: initdb in a temporary
// directory, a free port on 127.0.0.1, the unix socket in that directory,
// fsync on (the tests prove durability, so the server must really sync).
// PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` user (runuser). `stop()` removes everything.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin), or undefined. */
export function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(base, majors[0], 'bin') : undefined;
}

/**
 * Why the PostgreSQL tests cannot run here, or undefined when they can. In
 * CI they must run: there a missing server is a failure, not a skip.
 */
export function postgresMissing() {
  if (postgresBin()) return undefined;
  const reason = 'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin; .ci/run installs it)';
  if (process.env.CI) throw new Error(reason);
  return reason;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root. */
function run(bin, file, args, options = {}) {
  const command = join(bin, file);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe', ...options })
    : execFileSync(command, args, { stdio: 'pipe', ...options });
}

/** The same without blocking the event loop (a load test keeps running meanwhile). */
function runAsync(bin, file, args) {
  const command = join(bin, file);
  return asRoot ? promisify(execFile)('runuser', ['-u', 'postgres', '--', command, ...args]) : promisify(execFile)(command, args);
}

/**
 * Starts a cluster; resolves with `{ url(database), createDatabase(), restart(), stop() }`.
 * `settings` are extra `-c name=value` server settings.
 */
export async function startPostgres({ settings = {} } = {}) {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin)');
  const dir = mkdtempSync(join(tmpdir(), 'akkoord-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = Object.entries({
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    fsync: 'on',
    synchronous_commit: 'on',
    max_connections: 100,
    ...settings,
  })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const log = join(dir, 'server.log');
  const pgCtlArgs = (args) => ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', ...args];
  const pgCtl = (...args) => run(bin, 'pg_ctl', pgCtlArgs(args));
  pgCtl('start');
  let stopped = false;
  // If the test process dies, the server must not outlive it.
  const onExit = () => {
    if (stopped) return;
    spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), [...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []), '-D', data, 'stop', '-m', 'immediate'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  // Killed by the test runner (a timeout, Ctrl-C): stop the server too, then die as asked.
  const onSignal = (signal) => {
    onExit();
    process.kill(process.pid, signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let databases = 0;
  return {
    port,
    url,
    /** A new, empty database; resolves with its URL. */
    async createDatabase(prefix = 'akkoord') {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    /** Stops the server the hard way (as a crash would: no checkpoint, recovery from the WAL) and starts it again. */
    async restart(mode = 'immediate') {
      await runAsync(bin, 'pg_ctl', pgCtlArgs(['restart', '-m', mode]));
    },
    log() {
      return existsSync(log) ? execFileSync('cat', [log], { encoding: 'utf8' }) : '';
    },
    async stop() {
      if (stopped) return;
      try {
        run(bin, 'pg_ctl', ['-D', data, 'stop', '-m', 'fast']);
      } finally {
        stopped = true;
        process.off('exit', onExit);
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
