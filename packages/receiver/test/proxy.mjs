// A round-robin HTTP proxy for the tests, as a load balancer in front of
// several receiver nodes: each request goes to the next target in turn; a
// target that is down answers 502 (the client retries, as it would behind a
// real balancer). Targets can change while it runs (a node restarted on a
// new port).
import { Agent, request as httpRequest, createServer } from 'node:http';

// Headers that describe one connection, not the message: a proxy answers on
// its own connection to the client, so it must not pass these on. Passing the
// node's `connection: close` made the load client drop and reopen its
// connection after every answer and send some requests twice.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
function withoutHopByHop(headers) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

/**
 * `keepAlive`: reuse connections to the nodes (the bench, where no node is
 * killed). Off by default: the crash tests kill nodes, and a pooled
 * connection to a killed node would fail at random.
 */
export async function startProxy(targets = [], { keepAlive = false } = {}) {
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 64 }) : false;
  let list = [...targets];
  let next = 0;
  const counts = new Map();
  const server = createServer((req, res) => {
    if (!list.length) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end('no node');
      return;
    }
    const target = new URL(list[next++ % list.length]);
    const headers = withoutHopByHop(req.headers);
    counts.set(target.origin, (counts.get(target.origin) ?? 0) + 1);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...headers, host: target.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
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
        if (agent) agent.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
