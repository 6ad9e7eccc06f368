// One demo registrar site on node:http: its three pages, the Akkoord bundle
// at /akkoord/, the built notices at /akkoord/notices/, and the demo's own
// scripts and styles at /demo/. GET and HEAD only; static files only from
// inside their root (no traversal, no symlinks out, known types only).
// Text goes out compressed (brotli, else gzip) when the browser accepts it,
// as a registrar's own server would send it.
// A site with two host names (`site.hosts`) serves each page on its own host
// and redirects a request for it on any other host name there.
import { createServer } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { brotliCompressSync, constants as zlib, createBrotliCompress, createGzip, gzipSync } from 'node:zlib';
import { PAGES, hostOf, renderError, renderPage } from './pages.mjs';

const TYPES = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

/** Every type above is text except SVG's XML, which compresses as well. */
const COMPRESSIBLE = new Set(Object.values(TYPES));

/**
 * The encoding to answer with: brotli, else gzip, when the request accepts it (a `q=0` refuses);
 * undefined for identity.
 */
export function chooseEncoding(acceptEncoding = '') {
  const accepted = new Map(
    acceptEncoding
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([name]) => name)
      .map(([name, ...params]) => {
        const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
        return [name.trim().toLowerCase(), q ? Number(q[1]) : 1];
      }),
  );
  return ['br', 'gzip'].find((name) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0);
}

/** Fast enough for every request of a demo; the bench measures the bundle at the highest levels itself. */
const BROTLI_OPTIONS = { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } };

/** The pages' policy: no inline script, no eval; only the receiver besides ourselves to connect to. */
export function contentSecurityPolicy(receiverOrigin) {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self'${receiverOrigin ? ` ${receiverOrigin}` : ''}`,
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * @param {object} options
 * @param {object} options.site     an entry of SITES
 * @param {{ prefix: string, root: string }[]} options.mounts  static roots, longest prefix first
 * @param {() => string | undefined} options.endpoint  the receiver's URL, when it runs
 * @param {boolean} options.gated   whether the notice has the site's gated consent purpose
 * @param {boolean} options.asksConsent  whether the notice has any consent purpose
 * @param {{ handle: Function } | undefined} options.backOffice  the site's back office (back-office.mjs)
 */
export function createSiteServer({ site, mounts, endpoint, gated, asksConsent, backOffice }) {
  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error(`[${site.key}] ${request.method} ${request.url}: ${error?.stack ?? error}`);
      if (!response.headersSent) send(response, request, 500, 'text/html; charset=utf-8', renderError(site, 500, 'Internal error'));
      else response.destroy();
    });
  });

  const csp = () => {
    const url = endpoint();
    return contentSecurityPolicy(url ? new URL(url).origin : undefined);
  };

  function send(response, request, status, type, body, headers = {}) {
    const encoding = chooseEncoding(request.headers['accept-encoding']);
    const raw = Buffer.from(body);
    const buffer = encoding === 'br' ? brotliCompressSync(raw, BROTLI_OPTIONS) : encoding === 'gzip' ? gzipSync(raw) : raw;
    response.writeHead(status, {
      'Content-Type': type,
      'Content-Length': buffer.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
      ...(encoding && { 'Content-Encoding': encoding }),
      ...(type.startsWith('text/html') && { 'Content-Security-Policy': csp(), 'Referrer-Policy': 'same-origin' }),
      ...headers,
    });
    response.end(request.method === 'HEAD' ? undefined : buffer);
  }

  const notFound = (request, response) =>
    send(response, request, 404, 'text/html; charset=utf-8', renderError(site, 404, 'Not found'));

  async function handle(request, response) {
    // The raw request target, not a URL parser's normalized one: "/akkoord/../x" must reach the root check below as it came.
    const target = request.url ?? '';
    if (!target.startsWith('/')) return send(response, request, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    // The back office's page and its webhook (a POST from the receiver).
    if (backOffice && (await backOffice.handle(request, response, rawPath, query))) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, request, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
    }

    const page = PAGES[rawPath];
    if (page) {
      let origins;
      if (site.hosts) {
        const { port } = server.address();
        origins = { www: `http://${site.hosts.www}:${port}`, account: `http://${site.hosts.account}:${port}` };
        const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
        if (host !== site.hosts[hostOf(page)]) {
          return send(response, request, 302, 'text/plain; charset=utf-8', 'Found\n', { Location: `${origins[hostOf(page)]}${target}` });
        }
      }
      const wanted = query.get('lang');
      const lang = site.languages.find((code) => code.toLowerCase() === wanted?.toLowerCase()) ?? site.defaultLanguage;
      const html = renderPage({ site, page, lang, endpoint: endpoint(), gated, asksConsent, origins });
      return send(response, request, 200, 'text/html; charset=utf-8', html);
    }

    const mount = mounts.find((m) => rawPath.startsWith(m.prefix));
    if (!mount) return notFound(request, response);
    let relative;
    try {
      relative = decodeURIComponent(rawPath.slice(mount.prefix.length));
    } catch {
      return send(response, request, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    }
    if (!relative || relative.includes('\0') || relative.includes('\\')) return notFound(request, response);
    const file = resolve(mount.root, relative);
    if (!file.startsWith(mount.root + sep)) return notFound(request, response); // "..": outside the served root
    const type = TYPES[extname(file)];
    if (!type) return notFound(request, response);
    let real;
    let info;
    try {
      real = await realpath(file);
      info = await stat(real);
    } catch {
      return notFound(request, response);
    }
    const realRoot = await realpath(mount.root);
    if (!real.startsWith(realRoot + sep) || !info.isFile()) return notFound(request, response);

    // The bundle's source maps are not named in its files (they would cost every visitor bytes);
    // a server that wants DevTools to find them names them in this header.
    const sourceMap = extname(real) === '.js' && existsSync(`${real}.map`) ? { SourceMap: `${basename(real)}.map` } : {};
    const encoding = COMPRESSIBLE.has(type) ? chooseEncoding(request.headers['accept-encoding']) : undefined;
    response.writeHead(200, {
      'Content-Type': type,
      // Compressed, the length is known only at the end: the response is chunked.
      ...(encoding ? { 'Content-Encoding': encoding } : { 'Content-Length': info.size }),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
      ...sourceMap,
    });
    if (request.method === 'HEAD') return response.end();
    const stages = [createReadStream(real)];
    if (encoding) stages.push(encoding === 'br' ? createBrotliCompress(BROTLI_OPTIONS) : createGzip());
    pipeline(...stages, response, (error) => {
      if (error) response.destroy();
    });
  }

  return server;
}

/** Listens on 127.0.0.1; rejects with a message that says what to do when the port is taken. */
export function listen(server, port, { label, env }) {
  return new Promise((resolveListen, reject) => {
    const onError = (error) => {
      server.off('listening', onListening);
      const hint = `choose another port, e.g. ${env}=${port === 0 ? 9000 : port + 1000} npm start`;
      if (error.code === 'EADDRINUSE') reject(new Error(`${label}: port ${port} on 127.0.0.1 is already in use. Stop what runs there, or ${hint}.`));
      else if (error.code === 'EACCES') reject(new Error(`${label}: not allowed to listen on port ${port}; ${hint}.`));
      else reject(new Error(`${label}: cannot listen on 127.0.0.1:${port}: ${error.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** Closes a server and every connection it still holds (browsers keep idle ones open). */
export function close(server) {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeAllConnections?.();
  });
}
