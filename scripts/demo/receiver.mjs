// The reference receiver (packages/receiver) as a child process of
// `npm start`, when it is built: its output goes to ours with a prefix, its
// URL is read from its "listening on" line. It listens on a free port; the
// demo's receipt log (receipt-log.mjs) takes the receiver's port in front of
// it, passes everything on and prints a line per receipt.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { startReceiptLog } from './receipt-log.mjs';

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export class ReceiverError extends Error {
  /** @param {'port' | 'failed'} kind  `port`: the port is taken (fatal); `failed`: it did not start (the sites run without it). */
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

/** Why the receiver cannot be started from this tree, or `undefined` when it can. */
export function receiverMissing(root) {
  if (!existsSync(join(root, 'packages/receiver/dist'))) return 'packages/receiver/dist does not exist (the receiver is not built)';
  if (!existsSync(join(root, 'packages/receiver/bin/akkoord-receiver.js'))) return 'packages/receiver/bin/akkoord-receiver.js does not exist';
  return undefined;
}

/** A port of 127.0.0.1 that is free now. */
function freePort() {
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** Resolves when nothing listens on 127.0.0.1:port; rejects with ReceiverError('port') when something does. */
function checkPortFree(port, env) {
  if (port === 0) return Promise.resolve();
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        reject(new ReceiverError('port', `receiver: port ${port} on 127.0.0.1 is already in use. Stop what runs there, or choose another port, e.g. ${env}=${port + 1000} npm start.`));
      } else reject(new ReceiverError('port', `receiver: cannot listen on 127.0.0.1:${port}: ${error.message}`));
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

/**
 * Starts the receiver behind its receipt log on `port`; resolves with `{ url, pid, stop, exited }`
 * once both listen (`url` is the receipt log's, which is what the pages and a developer use).
 * `onUnexpectedExit(code, signal)` is called if it stops on its own later.
 */
export async function startReceiver({ root, dataDir, port: wanted, portEnv, notices, allowOrigins, onUnexpectedExit }) {
  await checkPortFree(wanted, portEnv);
  // The receipt log's port is the receiver's public address (its unsubscribe links name it), so it is known before the start.
  const port = wanted || (await freePort());
  mkdirSync(dataDir, { recursive: true });
  const args = [
    '--data', dataDir,
    '--port', '0',
    '--host', '127.0.0.1',
    '--notices', ...notices,
    '--allow-origin', ...allowOrigins,
    '--public-url', `http://127.0.0.1:${port}`,
    '--demo-auth',
  ];
  const child = fork(join(root, 'packages/receiver/bin/akkoord-receiver.js'), args, {
    cwd: root,
    execArgv: ['--import', pathToFileURL(join(root, 'scripts/demo/parent-watch.mjs')).href],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The IPC channel is only there for parent-watch.mjs: it must not keep us alive either.
  child.channel?.unref();

  let exitInfo;
  const exited = new Promise((done) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      done(exitInfo);
    }),
  );
  let stopping = false;
  let ready = false;
  const stderrTail = [];
  const print = (line) => console.log(`[receiver] ${line}`);

  const url = await new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ReceiverError('failed', `receiver: no "listening on" line within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    // Ready once it printed its URL and then its start-up lines (quiet for a moment), so they come before our summary.
    let found;
    let quiet;
    let resolved = false;
    const settle = () => {
      clearTimeout(quiet);
      if (found) {
        quiet = setTimeout(() => {
          resolved = true;
          done(found);
        }, 150);
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = !ready && /listening on (http:\/\/\S+)/.exec(line);
      // Its own port is internal: the URL to use is the receipt log's, printed in the summary.
      print(match ? `${line} (internal; the demo's receipt log passes requests on to it)` : line);
      if (match) {
        ready = true;
        clearTimeout(timer);
        found = match[1].replace(/\/$/, '');
      }
      settle();
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      print(line);
      settle();
      stderrTail.push(line);
      if (stderrTail.length > 20) stderrTail.shift();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ReceiverError('failed', `receiver: could not be started: ${error.message}`));
    });
    void exited.then(({ code, signal }) => {
      if (resolved) return;
      clearTimeout(timer);
      clearTimeout(quiet);
      const listenFailed = stderrTail.some((line) => /cannot listen on/.test(line));
      reject(
        new ReceiverError(
          listenFailed ? 'port' : 'failed',
          `receiver: exited ${ready ? 'right after it started' : 'before it listened'} (${signal ? `signal ${signal}` : `exit code ${code}`})`,
        ),
      );
    });
  });

  let log;
  try {
    log = await startReceiptLog({ port, target: url });
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    if (error.code === 'EADDRINUSE') {
      throw new ReceiverError('port', `receiver: port ${port} on 127.0.0.1 is already in use. Stop what runs there, or choose another port, e.g. ${portEnv}=${port + 1000} npm start.`);
    }
    throw new ReceiverError('port', `receiver: cannot listen on 127.0.0.1:${port}: ${error.message}`);
  }

  void exited.then(({ code, signal }) => {
    if (!stopping) onUnexpectedExit?.(code, signal);
  });

  async function stop() {
    stopping = true;
    await log.close();
    if (exitInfo) return exitInfo;
    child.kill('SIGTERM');
    const timeout = new Promise((done) => setTimeout(done, STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timeout])) === undefined) {
      console.log('[receiver] did not stop within 5 s; killing it');
      child.kill('SIGKILL');
      await exited;
    }
    return exitInfo;
  }

  return { url: log.url, pid: child.pid, stop, exited };
}
