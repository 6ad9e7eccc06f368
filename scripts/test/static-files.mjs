// Serving files for the Node browser tests' small servers: a request path is answered from the folder
// its first matching prefix maps to (`{ '/akkoord/': 'packages/elements/dist', '/': fixture }`), never
// from outside that folder; a path ending in `/` gets its `index.html`. Each test's server keeps its own
// special routes (pages with a CSP, a counting endpoint) and calls this for the rest.
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };

/**
 * Answers `path` with the file it names under `routes`, with `headers(file)` added; or 404 when there
 * is none. Returns whether a file was sent.
 */
export function sendStaticFile(res, routes, path, headers = () => ({})) {
  const prefix = Object.keys(routes).find((p) => path.startsWith(p));
  const base = prefix && resolve(routes[prefix]);
  let file = base && resolve(base, `.${path.slice(prefix.length - 1)}`);
  if (file && path.endsWith('/')) file = join(file, 'index.html');
  if (file?.startsWith(base + sep) && existsSync(file)) {
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...headers(file) }).end(readFileSync(file));
    return true;
  }
  res.writeHead(404).end('not found');
  return false;
}

export { CONTENT_TYPES };
