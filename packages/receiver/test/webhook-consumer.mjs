// A webhook consumer as a separate process, for the webhook tests: it listens
// on 127.0.0.1:<port> (argv[2]) and behaves as the parent tells it over IPC:
// 'ok' answers 204, 'slow' answers 204 after 200 ms, 'fail' answers 500,
// 'hang' never answers. Every request
// it gets goes back to the parent, raw: headers, body and what it did, so the
// test checks signatures and order itself.
import { createServer } from 'node:http';

let mode = 'ok';
const hanging = new Set();
process.on('message', (message) => {
  if (message?.mode) mode = message.mode;
});
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const seen = {
      id: req.headers['webhook-id'],
      timestamp: req.headers['webhook-timestamp'],
      signature: req.headers['webhook-signature'],
      contentType: req.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
      mode,
      at: Date.now(),
    };
    process.send({ request: seen });
    if (mode === 'ok') res.writeHead(204).end();
    else if (mode === 'slow') setTimeout(() => res.writeHead(204).end(), 200);
    else if (mode === 'fail') res.writeHead(500, { 'Content-Type': 'text/plain' }).end('consumer failing on purpose');
    else hanging.add(res); // never answered: the sender must give up on its own
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send({ listening: server.address().port }));
