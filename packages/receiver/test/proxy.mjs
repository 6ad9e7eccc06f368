// A round-robin HTTP proxy for the tests, as a load balancer in front of
// several receiver nodes: each request goes to the next target in turn; a
// target that is down answers 502 (the client retries, as it would behind a
// real balancer). Targets can change while it runs (a node restarted on a
// new port).
import { request as httpRequest, createServer } from 'node:http';

export async function startProxy(targets = []) {
  let list = [...targets];
  let next = 0;
  const counts = new Map();
  const server = createServer((req, res) => {
    if (!list.length) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('no node');
      return;
    }
    const target = new URL(list[next++ % list.length]);
    const { connection: _hopByHop, ...headers } = req.headers;
    counts.set(target.origin, (counts.get(target.origin) ?? 0) + 1);
    const upstream = httpRequest(
      // A new connection per request (agent: false): a pooled one to a node that was just killed would fail at random.
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...headers, host: target.host }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end('node unreachable');
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Requests forwarded per target origin. */
    counts,
    setTargets(targets) {
      list = [...targets];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
