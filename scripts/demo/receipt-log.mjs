// The demo's receipt log: a pass-through in front of the receiver that
// prints one line per receipt the receiver answers, so that a decision in
// the demo leaves a visible trace where `npm start` runs:
//
//   [receipt] 16:45:01 psn_7f3a…9b2e preferences  granted: marketing  denied: seminar-announcements  → 201 stored
//
// Every request and response passes through unchanged (the receiver still
// does CORS, authorization and limits); only POST /receipts and
// POST /receipts/batch are read on the side, once their answer is complete.
// The demo's own: a registrar's receiver has its own logs.
import { createServer, request as httpRequest } from 'node:http';

/** More than the receiver accepts in one request (it answers 413 past its limit): such a body is passed on, not read. */
const MAX_READ_BYTES = 2 * 1024 * 1024;

const OUTCOMES = { 200: 'already stored', 201: 'stored' };

/** A pseudonym the browser made (`psn_` and hex) shortened to its ends; a customer id the host set, as it is. */
export function shortSubject(subject) {
  const text = String(subject ?? '?');
  return /^psn_[0-9a-f]{12,}$/.test(text) ? `${text.slice(0, 8)}…${text.slice(-4)}` : text;
}

/**
 * The line for one receipt and the receiver's answer to it: time, subject, method, the purposes
 * granted and denied, and the status (201 stored, 200 already stored, or the refusal's code).
 */
export function receiptLine(receipt, status, error, now = new Date()) {
  const time = now.toTimeString().slice(0, 8);
  const akkoord = receipt?.akkoord ?? {};
  const decisions = Object.entries(akkoord.decisions ?? {});
  const list = (value) => decisions.filter(([, decision]) => decision === value).map(([purpose]) => purpose).join(', ') || 'none';
  const outcome = OUTCOMES[status] ?? `refused${error ? `: ${error}` : ''}`;
  return `[receipt] ${time} ${shortSubject(receipt?.piiPrincipalId)} ${akkoord.method ?? '?'}  granted: ${list('granted')}  denied: ${list('denied')}  → ${status} ${outcome}`;
}

/** The lines for a request the receiver answered, or none when it is not a receipt or cannot be read. */
export function linesFor(path, requestBody, status, responseBody) {
  let sent;
  let answer;
  try {
    sent = JSON.parse(requestBody);
    answer = responseBody ? JSON.parse(responseBody) : undefined;
  } catch {
    return [];
  }
  if (path === '/receipts') return [receiptLine(sent, status, answer?.error)];
  if (path === '/receipts/batch' && Array.isArray(sent?.items)) {
    // A refused batch as a whole (400, 413, 429, 503) has no results: each receipt gets the batch's answer.
    const results = Array.isArray(answer?.results) ? answer.results : undefined;
    return sent.items.map((item, i) => {
      const result = results?.[i];
      return receiptLine(item?.receipt, result?.status ?? status, result?.error?.error ?? answer?.error);
    });
  }
  return [];
}

/**
 * Listens on 127.0.0.1:`port` and passes everything on to `target` (the receiver's URL).
 * Resolves with `{ url, close }` once it listens; rejects with the listen error (EADDRINUSE).
 */
export function startReceiptLog({ port, target, print = (line) => console.log(line) }) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const logged = req.method === 'POST' && (path === '/receipts' || path === '/receipts/batch');
    const sent = logged ? collector() : undefined;
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        const received = logged ? collector() : undefined;
        if (received) answer.on('data', received.add);
        answer.pipe(res);
        answer.on('end', () => {
          if (!sent?.complete() || !received?.complete()) return;
          for (const line of linesFor(path, sent.text(), answer.statusCode, received.text())) print(line);
        });
      },
    );
    forward.on('error', () => {
      // The receiver stopped or restarts: the browser's outbox keeps the receipt and retries.
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The demo receiver is not reachable.\n');
    });
    if (sent) req.on('data', sent.add);
    req.pipe(forward);
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The bytes of a body up to MAX_READ_BYTES; `complete()` is false past that. */
function collector() {
  const chunks = [];
  let size = 0;
  return {
    add: (chunk) => {
      size += chunk.length;
      if (size <= MAX_READ_BYTES) chunks.push(chunk);
    },
    complete: () => size <= MAX_READ_BYTES,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}
