// The browser benchmark's static server: serves the benchmark pages, our
// bundle and notice data, and the pinned peers from node_modules, gzipped
// (level 9, as scripts/bench/bench.mjs measures) when the browser accepts it.
// Never caches in the browser (Cache-Control: no-store); answers from memory
// after the first read, so the server is not what is measured.
// Every response says its uncompressed size in `X-Raw-Length`, so the
// benchmark reads raw and transferred bytes from the browser's own network
// events.
//
// Run on its own to look at the pages: `node scripts/bench/server.mjs [port]`.
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PAGES_DIR, PEERS_DIR, writePages } from './pages.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * URL prefix → directory. Only these are served; everything else is 404. A prefix may be mounted
 * twice: a file missing in the first directory is looked up in the next (the written pages and the
 * peers' committed configuration scripts share /bench/). Our build output is read
 * once when the server starts (`snapshot`): a rebuild during a benchmark run (its chunk names carry
 * hashes) cannot mix two builds in one run.
 */
export const MOUNTS = [
  ['/bench/', PAGES_DIR.replace(/\/$/, '')],
  ['/bench/', PEERS_DIR.replace(/\/$/, '')],
  ['/akkoord/', resolve(ROOT, 'packages/elements/dist'), { snapshot: true }],
  ['/data/', resolve(ROOT, 'packages/notices/dist/data'), { snapshot: true }],
  ['/node_modules/vanilla-cookieconsent/', resolve(ROOT, 'node_modules/vanilla-cookieconsent')],
  ['/node_modules/klaro/', resolve(ROOT, 'node_modules/klaro')],
  ['/node_modules/tarteaucitronjs/', resolve(ROOT, 'node_modules/tarteaucitronjs')],
  ['/node_modules/cookieconsent/', resolve(ROOT, 'node_modules/cookieconsent')],
];

/**
 * `AKKOORD_BENCH_BASELINE`: the root of another checkout, built (`npm run build`), whose bundle and
 * notice data are served under /baseline/ for the `akkoord-baseline` variant: two builds of ours
 * measured side by side in one run (`node scripts/bench/browser.mjs --baseline <dir>`).
 */
const BASELINE = process.env.AKKOORD_BENCH_BASELINE ? resolve(process.env.AKKOORD_BENCH_BASELINE) : undefined;
if (BASELINE) {
  MOUNTS.push(
    ['/baseline/akkoord/', resolve(BASELINE, 'packages/elements/dist'), { snapshot: true }],
    ['/baseline/data/', resolve(BASELINE, 'packages/notices/dist/data'), { snapshot: true }],
  );
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg']);

const cache = new Map();
/** Snapshotted files: path → entry, never re-read. */
const frozen = new Map();

function snapshot(dir) {
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(name));
    if (statSync(file).isFile()) frozen.set(file, read(file));
  }
}

/** Every relative import of a snapshotted script resolves to a snapshotted file (no build caught half-written). */
function snapshotComplete() {
  for (const [file, { raw }] of frozen) {
    if (!file.endsWith('.js')) continue;
    for (const [, spec] of raw.toString('utf8').matchAll(/(?:from|import\(|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      if (!frozen.has(resolve(file, '..', spec))) return false;
    }
  }
  return true;
}

async function takeSnapshot() {
  for (let attempt = 0; ; attempt++) {
    frozen.clear();
    try {
      for (const [, dir, options] of MOUNTS) if (options?.snapshot) snapshot(dir);
      if (snapshotComplete()) return;
    } catch {}
    if (attempt >= 30) throw new Error('our build output is missing or incomplete (is a build running?): run `npm run build`');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function fileFor(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (path.endsWith('/')) path += 'index.html';
  for (const [prefix, dir, options] of MOUNTS) {
    if (!path.startsWith(prefix)) continue;
    const file = resolve(dir, `.${path.slice(prefix.length - 1)}`);
    if (file !== dir && !file.startsWith(dir + sep)) return undefined;
    if (options?.snapshot) return frozen.has(file) ? file : undefined;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

function read(file) {
  const raw = readFileSync(file);
  const ext = extname(file);
  return { mtime: statSync(file).mtimeMs, raw, gzip: COMPRESSIBLE.has(ext) ? gzipSync(raw, { level: 9 }) : undefined, type: TYPES[ext] ?? 'application/octet-stream' };
}

function entry(file) {
  if (frozen.has(file)) return frozen.get(file);
  let hit = cache.get(file);
  if (!hit || hit.mtime !== statSync(file).mtimeMs) {
    hit = read(file);
    cache.set(file, hit);
  }
  return hit;
}

/** What the snapshot holds of our build: the entry and chunks the pages can load. */
export const snapshotFiles = () =>
  [...frozen.keys()].filter((f) => f.startsWith(ROOT) && !f.endsWith('.map') && !f.endsWith('.d.ts')).map((f) => f.slice(ROOT.length));

/**
 * An experiment, not a system of the comparison (`--variants`): our page as it is, plus
 * preload hints for everything the banner needs, so the browser fetches it all in parallel with
 * the page instead of one hop after another: `<link rel="modulepreload">` for the entry, its static
 * imports, the banner's chunk and the Dutch UI strings (and their static imports), and
 * `<link rel="preload" as="fetch">` for the first-layer file. A registrar could write these today;
 * the chunk names carry hashes, so here they are read from the snapshot of the build.
 */
function preloadVariant() {
  const dist = MOUNTS.find(([prefix]) => prefix === '/akkoord/')[1];
  const code = (rel) => frozen.get(resolve(dist, rel))?.raw.toString('utf8') ?? '';
  const staticImports = (rel) =>
    [...code(rel).matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)].map(([, spec]) => posixJoin(rel, spec));
  const closure = (rel, seen = new Set()) => {
    if (seen.has(rel) || !code(rel)) return seen;
    seen.add(rel);
    for (const dep of staticImports(rel)) closure(dep, seen);
    return seen;
  };
  const chunk = (pattern) => [...frozen.keys()].map((f) => f.slice(dist.length + 1)).find((f) => pattern.test(f));
  const files = new Set();
  for (const start of ['akkoord.min.js', chunk(/^chunks\/consent-banner-[\w-]{6}\.js$/), chunk(/^chunks\/consent-banner\.nl-[\w-]{6}\.js$/)]) {
    if (start) closure(start, files);
  }
  const links =
    [...files].map((f) => `<link rel="modulepreload" href="/akkoord/${f}">`).join('\n') +
    '\n<link rel="preload" as="fetch" crossorigin href="/data/gmo-registry/first-layer.nl.json">\n';
  const page = readFileSync(resolve(PAGES_DIR, 'akkoord/index.html'), 'utf8');
  return Buffer.from(
    page
      .replace('<title>Voorbeeld-registrar · Akkoord &lt;consent-banner&gt;', '<title>Voorbeeld-registrar · Akkoord &lt;consent-banner&gt; with preload hints')
      .replace('<script type="module"', `${links}<script type="module"`),
  );
}
/** The `akkoord-baseline` variant: our page as it is, loading the baseline build (see BASELINE). */
function baselineVariant() {
  const page = readFileSync(resolve(PAGES_DIR, 'akkoord/index.html'), 'utf8');
  return Buffer.from(
    page
      .replace('<title>Voorbeeld-registrar · Akkoord &lt;consent-banner&gt;', '<title>Voorbeeld-registrar · Akkoord &lt;consent-banner&gt;, baseline build')
      .replaceAll('"/akkoord/', '"/baseline/akkoord/')
      .replaceAll('"/data/', '"/baseline/data/'),
  );
}
const posixJoin = (from, spec) => {
  const parts = from.split('/').slice(0, -1);
  for (const part of spec.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
};

export async function startServer(port = 0, host = '127.0.0.1') {
  // Written from one skeleton on every start, never kept twice.
  writePages();
  await takeSnapshot();
  const variants = { '/bench/akkoord-preload/': preloadVariant(), ...(BASELINE ? { '/bench/akkoord-baseline/': baselineVariant() } : {}) };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench.invalid');
    if (variants[url.pathname]) {
      const raw = variants[url.pathname];
      const gzip = gzipSync(raw, { level: 9 });
      const useGzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Content-Length': (useGzip ? gzip : raw).length, 'Cache-Control': 'no-store', 'X-Raw-Length': raw.length, Vary: 'Accept-Encoding', ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(req.method === 'HEAD' ? undefined : useGzip ? gzip : raw);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const file = fileFor(url.pathname);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('not found\n');
      return;
    }
    const { raw, gzip, type } = entry(file);
    const useGzip = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = useGzip ? gzip : raw;
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      'X-Raw-Length': raw.length,
      ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...(gzip ? { Vary: 'Accept-Encoding' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise({ server, origin: `http://${host}:${server.address().port}` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { origin } = await startServer(Number(process.argv[2] ?? 8377));
  console.log(`bench pages at ${origin}/bench/<system>/ (Ctrl-C to stop)`);
}
