// `npm run bench`, sizes: the bytes a page loads to show <consent-banner> and
// <privacy-notice> (code and the notice data it fetches), minified, gzip -9
// and brotli (quality 11), per file and per page, checked against
// bench/budgets.json. Results also go to bench/out/size.json. Then the browser
// benchmark (scripts/bench/browser.mjs; `--quick` for 3 runs, `--no-browser`
// to skip it); only the size budgets decide the exit status.
// Measures the build output; builds only when there is none (`npm run build`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chunkName as bundleChunkName, importsOf, staticClosure as bundleStaticClosure } from '../build/bundle-graph.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = resolve(ROOT, 'packages/elements/dist');
const ENTRY = resolve(DIST, 'akkoord.min.js');
/** What `akkoord-notice build` wrote for the GMO Registry notice: what the pages fetch. */
const BUILT = resolve(ROOT, 'packages/notices/dist/data/gmo-registry');
const BUDGETS = resolve(ROOT, 'bench/budgets.json');
const OUT = resolve(ROOT, 'bench/out/size.json');
/** The Dutch page's locale; its UI strings are a lazy chunk named after it. */
const DUTCH = 'nl';

const rel = (path) => relative(ROOT, path);

if (!existsSync(ENTRY) || !existsSync(BUILT)) {
  console.log(`${rel(ENTRY)} is missing: building first (node scripts/build/build.mjs).\n`);
  try {
    execFileSync(process.execPath, ['scripts/build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    fail('the build failed (see above); fix it, then run `npm run bench` again');
  }
  if (!existsSync(ENTRY)) fail(`the build did not write ${rel(ENTRY)}`);
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function measure(path) {
  const bytes = readFileSync(path);
  return {
    path: rel(path),
    bytes: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** A file and everything it imports statically (scripts/build/bundle-graph.mjs), or a clear failure. */
function staticClosure(file) {
  try {
    return bundleStaticClosure(file);
  } catch (error) {
    fail(error.message);
  }
}

/** `chunks/nl-BE-D19B3Wkq.js` → `nl-BE`. */
const chunkName = (file) => bundleChunkName(file) ?? rel(file);

// What the page loads up front: the entry and its static imports.
const firstLoad = [...staticClosure(ENTRY)];
// What it may load later: every dynamic import reachable from there.
const lazy = new Set();
const queue = [...firstLoad];
while (queue.length) {
  for (const dep of importsOf(queue.shift()).dynamic) {
    for (const file of staticClosure(dep)) {
      if (!firstLoad.includes(file) && !lazy.has(file)) {
        lazy.add(file);
        queue.push(file);
      }
    }
  }
}

const chunk = (name) => [...lazy].find((file) => chunkName(file) === name);
/** A lazy chunk and what it imports that the first load does not already have. */
const withDeps = (file) => (file ? [...staticClosure(file)].filter((dep) => !firstLoad.includes(dep)) : []);
/**
 * The UI strings of an element for a page's language (scripts/build/split-catalogs.mjs: one catalog per
 * element), if they are a chunk of their own: Dutch always; English where the bundle took an element's
 * English out of its code (scripts/build/rollup-strings-out-of-code.mjs).
 */
const stringsFor = (element, locale) => withDeps(chunk(`${element}.${locale}`));
const bannerElement = withDeps(chunk('consent-banner'));
const noticeElement = withDeps(chunk('privacy-notice'));
// Styles live in JS (Lit's css``); a static .css file would be part of the first load.
const css = readdirSync(DIST, { recursive: true })
  .filter((name) => name.endsWith('.css'))
  .map((name) => resolve(DIST, name));

const rows = [];
const row = (role, path) => rows.push({ role, ...measure(path) });
for (const file of firstLoad) row(file === ENTRY ? 'entry: loads the elements of the page' : 'static import', file);
for (const file of css) row('css', file);
const roles = (file) =>
  [[bannerElement, 'banner'], [noticeElement, 'notice page']].filter(([files]) => files.includes(file)).map(([, page]) => page);
for (const file of lazy) {
  const pages = roles(file);
  row(`lazy: ${chunkName(file)}${pages.length ? ` (${pages.join(', ')})` : ''}`, file);
}
const data = (path) => {
  if (!existsSync(path)) fail(`${rel(path)} is missing: run \`npm run build\``);
  row('notice data (fetched)', path);
  return path;
};
const firstLayer = { en: data(resolve(BUILT, 'first-layer.en.json')), [DUTCH]: data(resolve(BUILT, `first-layer.${DUTCH}.json`)) };
const noticeData = [data(resolve(BUILT, 'manifest.json')), data(resolve(BUILT, 'notice.json'))];

const sum = (files, key) => files.reduce((total, file) => total + rows.find((r) => r.path === rel(file))[key], 0);
const load = (files) => ({ files: files.map(rel), bytes: sum(files, 'bytes'), gzip: sum(files, 'gzip'), brotli: sum(files, 'brotli') });
const code = (locale, element) => [...firstLoad, ...css, ...stringsFor(element, locale)];
/** What a page loads to show its element, per page language. */
const pages = {
  'banner-first-load': Object.fromEntries(['en', DUTCH].map((l) => [l, load([...code(l, 'consent-banner'), ...bannerElement, firstLayer[l]])])),
  'notice-page-code': Object.fromEntries(['en', DUTCH].map((l) => [l, load([...code(l, 'privacy-notice'), ...noticeElement])])),
  'notice-page-total': Object.fromEntries(['en', DUTCH].map((l) => [l, load([...code(l, 'privacy-notice'), ...noticeElement, ...noticeData])])),
};

// The table.
const n = (value) => (value === undefined ? '—' : value.toLocaleString('en-US'));
const width = Math.max(...rows.map((r) => r.path.length), 36);
const line = (label, min, gz, br, note = '') =>
  `${label.padEnd(width)}  ${n(min).padStart(9)}  ${n(gz).padStart(9)}  ${n(br).padStart(9)}${note ? `  ${note}` : ''}`;
console.log(`${'file'.padEnd(width)}  ${'min'.padStart(9)}  ${'gzip -9'.padStart(9)}  ${'brotli'.padStart(9)}  what`);
for (const r of rows) console.log(line(r.path, r.bytes, r.gzip, r.brotli, r.role));
if (!css.length) console.log(line('(static CSS)', 0, 0, 0, 'none: styles are in the JS'));
console.log('');
const WHAT = {
  'banner-first-load': 'entry + <consent-banner> chunks + its strings + first-layer data',
  'notice-page-code': 'entry + <privacy-notice> chunks (+ nl strings)',
  'notice-page-total': 'notice page code + manifest + notice document',
};
for (const [page, loads] of Object.entries(pages)) {
  for (const [locale, l] of Object.entries(loads)) console.log(line(`${page}, ${locale}`, l.bytes, l.gzip, l.brotli, WHAT[page]));
}

// The budgets.
const budgets = JSON.parse(readFileSync(BUDGETS, 'utf8'));
const checks = [];
const over = [];
console.log('');
for (const [name, budget] of Object.entries(budgets)) {
  if (name.startsWith('_')) continue;
  const page = name.replace(/-gzip$/, '');
  if (!(page in pages)) fail(`bench/budgets.json names "${name}", which the bench does not measure (it knows ${Object.keys(pages).map((p) => `${p}-gzip`).join(', ')})`);
  for (const [locale, { gzip: value }] of Object.entries(pages[page])) {
    const ok = value <= budget;
    const margin = budget - value;
    console.log(`budget ${name} (${locale}): ${n(value)} of ${n(budget)} bytes, ${ok ? `${n(margin)} to spare` : `OVER by ${n(-margin)}`}`);
    checks.push({ name, locale, budget, value, status: ok ? 'ok' : 'over' });
    if (!ok) over.push(`${name} (${locale}): ${n(value)} bytes, budget ${n(budget)}`);
  }
}

let commit;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(
  OUT,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      commit,
      node: process.version,
      compression: { gzip: 'level 9', brotli: 'quality 11' },
      files: rows,
      pages,
      budgets: checks,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${rel(OUT)}`);

// The browser benchmark (scripts/bench/browser.mjs): our banner next to the peers in headless
// Chromium. Its goals are reported there, never fatal; a failure to run it is reported too, and
// the exit status stays the size budgets'. `--quick` (3 runs) passes through; `--no-browser` skips it.
if (!process.argv.includes('--no-browser')) {
  console.log('');
  try {
    execFileSync(process.execPath, ['scripts/bench/browser.mjs', ...process.argv.slice(2).filter((a) => a === '--quick')], { cwd: ROOT, stdio: 'inherit' });
  } catch (error) {
    console.error(`\nbench: the browser benchmark did not complete (exit ${error.status ?? error.signal ?? error.message}); the size results above stand.`);
  }
}

// Receipts: the receiver's throughput under load, 1,000 receipts drained from an offline
// outbox, the back office's reads at a million stored receipts, and the webhooks' latency
// with the export's and verifier's throughput (all start the real receiver on 127.0.0.1).
// Reported, like the browser benchmark. Most know no `--quick`: its form for them is one run
// instead of three, at the same size. The back office's does: a million receipts take
// minutes to write, so its quick form writes fewer.
const quick = process.argv.includes('--quick') ? ['--runs', '1'] : [];
for (const [label, script, args = quick] of [
  ['receiver throughput', 'scripts/bench/receiver.mjs'],
  ['outbox drain', 'scripts/bench/drain.mjs'],
  ['back office at a million receipts', 'scripts/bench/backoffice.mjs', process.argv.includes('--quick') ? ['--quick'] : []],
  ['webhooks, export and verify', 'scripts/bench/proof.mjs'],
]) {
  if (process.argv.includes('--no-receipts')) break;
  console.log(`\n${label} (${script})`);
  try {
    execFileSync(process.execPath, [script, ...args], { cwd: ROOT, stdio: 'inherit' });
  } catch (error) {
    // These scripts exit 1 when their goal is missed, after printing their table.
    console.error(`bench: ${label} exited with ${error.status ?? error.signal ?? error.message} (goal missed or run failed: see above)`);
  }
}

if (over.length) {
  console.error(`\nOver budget (bench/budgets.json):\n${over.map((o) => `  ${o}`).join('\n')}`);
  process.exit(1);
}
