// Shared by the tests of the event feed, webhooks, export and retention: the
// receiver's command line, a free port, a webhook consumer process, waiting
// for a condition, and the Standard Webhooks signature check done here with
// node:crypto (never with the receiver's own signer).
import { execFile, fork } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BIN } from './harness.mjs';

const CONSUMER = fileURLToPath(new URL('./webhook-consumer.mjs', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function cli(...args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/** The consumer process on `port`; `requests` fills as it is called. */
export function startConsumer(port) {
  const child = fork(CONSUMER, [String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const requests = [];
  const listening = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.listening) resolve();
      if (message.request) requests.push(message.request);
    });
    child.once('exit', (code) => reject(new Error(`the consumer exited (${code})`)));
  });
  return {
    requests,
    listening,
    mode: (mode) => child.send({ mode }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill();
      }),
  };
}

/** Waits until `condition()` holds, looking every 50 ms; fails with `what` after `ms`. */
export async function until(condition, what, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Standard Webhooks, symmetric: base64 HMAC-SHA256 over "id.timestamp.body", keyed with the base64 after "whsec_". */
export function signatureValid(secret, request) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${request.id}.${request.timestamp}.${request.body}`).digest();
  return String(request.signature)
    .split(' ')
    .some((candidate) => {
      const [version, value] = candidate.split(',');
      const given = Buffer.from(value ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

