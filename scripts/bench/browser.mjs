// `npm run bench`, browser part (scripts/bench/bench.mjs runs it after the sizes; on its own:
// `node scripts/bench/browser.mjs [--quick] [--runs N] [--only a,b] [--variants] [--baseline dir]
// [--no-profile] [--no-write|--write] [--out file.json]`). `--baseline <dir>`: another checkout,
// built, measured beside this one as the `akkoord-baseline` system (before and after in one run).
//
// Our <consent-banner> next to the pinned peers (vanilla-cookieconsent, Klaro, tarteaucitron, Osano
// cookieconsent) and a control page (a static HTML banner, no library), each showing a Dutch
// first-layer banner with three consent purposes, loaded from this repository (our build output and
// node_modules) through a local gzip static server, never a CDN. Pages: scripts/bench/pages.mjs;
// the peers' configuration scripts: scripts/bench/peers/.
//
// One headless Chromium, a fresh browser context per run, HTTP cache off, systems interleaved and
// the starting system rotated every round; each round runs every system unthrottled and then with
// DevTools CPU throttling 4× (a mid-range phone). Per run: the bytes the page loaded before the
// banner was painted (JS, CSS, data; gzip as transferred, and raw), time from navigation start to
// the banner painted, script time, total blocking time, JS heap after the banner (after a forced GC),
// and time from the *accept all* click until the choice is stored. What each means exactly:
// scripts/bench/probe.js and BENCHMARKS.md ("Method").
//
// Goals (CONTRIBUTING.md, "Budgets"), reported, never fatal: our banner's first load ≤ 10 kB gzip, and
// time to banner at or below the fastest peer in the same run.
//
// Writes bench/out/browser.json (every run), and in full mode the tables into BENCHMARKS.md (between
// its generated-section markers) and a screenshot per system into bench/screenshots/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../test/chromium.mjs';
import { SYSTEMS, clickSelector } from './systems.mjs';
import { summarizeProfile, summarizeTrace } from './trace.mjs';
import { composition } from './composition.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rel = (path) => relative(ROOT, path);
const TRACES = resolve(ROOT, 'bench/out/traces');
const SCREENSHOTS = resolve(ROOT, 'bench/screenshots');
const MARKDOWN = resolve(ROOT, 'BENCHMARKS.md');
const SIZE_JSON = resolve(ROOT, 'bench/out/size.json');
const ENTRY = resolve(ROOT, 'packages/elements/dist/akkoord.min.js');
const FIRST_LAYER = resolve(ROOT, 'packages/notices/dist/data/gmo-registry/first-layer.nl.json');

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const OUT = resolve(ROOT, option('--out') ?? 'bench/out/browser.json');
const QUICK = argv.includes('--quick');
const VARIANTS = argv.includes('--variants');
const RUNS = Number(option('--runs') ?? (QUICK ? 3 : 15));
const ONLY = option('--only')?.split(',');
const BASELINE = option('--baseline');
if (BASELINE) {
  if (!existsSync(resolve(BASELINE, 'packages/elements/dist/akkoord.min.js'))) fail(`--baseline ${BASELINE}: no build there (run npm run build in it)`);
  // The benchmark server (a worker thread) takes its environment from here.
  process.env.AKKOORD_BENCH_BASELINE = resolve(BASELINE);
}
const PROFILE = !argv.includes('--no-profile') && !QUICK;
/** Only a full run (15 or more runs of every system) rewrites BENCHMARKS.md and the screenshots. */
const WRITE = argv.includes('--write') || (!argv.includes('--no-write') && !QUICK && !ONLY && !VARIANTS && !BASELINE && RUNS >= 15);
const THROTTLES = [1, 4];
const VIEWPORT = { width: 1000, height: 700 };
/** The page is settled when no request has been in flight for this long, and the banner shows. */
const QUIET_MS = 250;
const SETTLE_CAP_MS = 5000;
const VISIBLE_TIMEOUT_MS = 20000;
const GOAL_FIRST_LOAD_GZIP = 10_000;

const CHROMIUM_ARGS = [
  ...HEADLESS_ARGS,
  // Keep timers and frames running at full rate in every context, as a foreground tab.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // navigator.webdriver stays false, as for a visitor: vanilla-cookieconsent hides its banner from
  // bots by default (hideFromBots), and a webdriver counts as one.
  '--disable-blink-features=AutomationControlled',
];

const wanted = (s) => (s.id === 'akkoord-baseline' ? Boolean(BASELINE) : s.kind !== 'variant' || VARIANTS);
const systems = SYSTEMS.filter((s) => (ONLY ? ONLY.includes(s.id) : wanted(s)));
if (systems.some((s) => s.id === 'akkoord-baseline') && !BASELINE) fail('akkoord-baseline needs --baseline <dir>');
if (!systems.length) fail(`--only ${ONLY} names no system (there are ${SYSTEMS.map((s) => s.id).join(', ')})`);

function fail(message) {
  console.error(`bench-browser: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Setup: the build, the server, the browser.

if (!existsSync(ENTRY) || !existsSync(FIRST_LAYER)) {
  console.log(`${rel(ENTRY)} or ${rel(FIRST_LAYER)} is missing: building first (node scripts/build/build.mjs).\n`);
  execFileSync(process.execPath, ['scripts/build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** The static server runs in a worker thread: its own event loop, not the one driving the browser. */
function startServerWorker() {
  const serverUrl = pathToFileURL(resolve(ROOT, 'scripts/bench/server.mjs')).href;
  const worker = new Worker(
    `import(${JSON.stringify(serverUrl)}).then(async (m) => { const { origin } = await m.startServer(0); require('node:worker_threads').parentPort.postMessage({ origin, files: m.snapshotFiles() }); });`,
    { eval: true },
  );
  return new Promise((resolvePromise, reject) => {
    worker.once('message', ({ origin, files }) => resolvePromise({ worker, origin, files }));
    worker.once('error', reject);
  });
}

const probeSource = readFileSync(resolve(ROOT, 'scripts/bench/probe.js'), 'utf8');
const probeFor = (system, storageLog = false) =>
  `${probeSource.trim()}(${JSON.stringify({ system: system.id, accept: system.accept, event: system.event ?? null, storageLog })}, ${system.persisted.toString()});`;

// ---------------------------------------------------------------------------------------------
// One run.

const kindOf = (url) => {
  const path = new URL(url).pathname;
  if (/\.m?js$/.test(path)) return 'js';
  if (/\.css$/.test(path)) return 'css';
  if (/\.json$/.test(path)) return 'data';
  return 'other';
};
const KINDS = ['js', 'css', 'data', 'other'];

/** Bytes by kind: gzip = the encoded body as transferred, raw = decoded, transfer = with headers. */
function tally(resources) {
  const sum = { requests: 0, gzip: 0, raw: 0, transfer: 0 };
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { requests: 0, gzip: 0, raw: 0 }]));
  for (const r of resources) {
    const k = byKind[kindOf(r.url)];
    k.requests++;
    k.gzip += r.gzip;
    k.raw += r.raw;
    sum.requests++;
    sum.gzip += r.gzip;
    sum.raw += r.raw;
    sum.transfer += r.transfer;
  }
  return { ...sum, byKind };
}

async function runOnce(browser, origin, system, throttle, { screenshot, trace } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'nl-NL', serviceWorkers: 'block' });
  const consoleErrors = [];
  let cdp;
  const phases = [];
  let phaseAt = Date.now();
  const phase = (name) => {
    const t = Date.now();
    phases.push([name, t - phaseAt]);
    phaseAt = t;
  };
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });

    // In flight, for "settled"; and the browser's own count of bytes received, as a check.
    const inflight = new Set();
    let lastNetwork = Date.now();
    const network = new Map();
    cdp.on('Network.requestWillBeSent', (e) => {
      inflight.add(e.requestId);
      lastNetwork = Date.now();
      network.set(e.requestId, { url: e.request.url });
    });
    cdp.on('Network.responseReceived', (e) => {
      const n = network.get(e.requestId);
      if (n) n.status = e.response.status;
    });
    const finished = (e) => {
      inflight.delete(e.requestId);
      lastNetwork = Date.now();
      const n = network.get(e.requestId);
      if (n) n.encodedDataLength = e.encodedDataLength ?? 0;
      if (n && e.errorText) n.error = e.errorText;
    };
    cdp.on('Network.loadingFinished', finished);
    cdp.on('Network.loadingFailed', finished);

    phase('setup');
    await page.addInitScript({ content: probeFor(system, Boolean(trace)) });
    if (trace) {
      await browser.startTracing(page, { categories: trace });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }

    await page.goto(`${origin}${system.path}`, { waitUntil: 'commit', timeout: VISIBLE_TIMEOUT_MS });
    const visibleAt = await Promise.race([
      page.evaluate(() => window.__bench.visible),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`the banner did not show within ${VISIBLE_TIMEOUT_MS} ms`)), VISIBLE_TIMEOUT_MS)),
    ]);
    phase('to visible');
    const visibleWall = Date.now();
    while (Date.now() - visibleWall < SETTLE_CAP_MS) {
      const t = Date.now();
      if (!inflight.size && t - lastNetwork >= QUIET_MS && t - visibleWall >= QUIET_MS) break;
      await new Promise((r) => setTimeout(r, 25));
    }

    phase('settle');
    const state = await page.evaluate(() => {
      const b = window.__bench;
      const entry = (r) => ({
        url: r.name,
        initiator: r.initiatorType,
        start: r.startTime,
        end: r.responseEnd,
        gzip: r.encodedBodySize,
        raw: r.decodedBodySize,
        transfer: r.transferSize,
      });
      return {
        settledAt: performance.now(),
        visibleAt: b.visibleAt,
        longTasks: b.longTasks,
        storage: b.storage,
        errors: b.errors,
        document: entry(performance.getEntriesByType('navigation')[0]),
        // The browser's own favicon request is not the page's.
        resources: performance.getEntriesByType('resource').filter((r) => !r.name.endsWith('/favicon.ico')).map(entry),
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      };
    });
    phase('state');
    const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await metric();

    phase('metrics+gc');
    let traceSummary;
    if (trace) {
      const { profile } = await cdp.send('Profiler.stop');
      const buffer = await browser.stopTracing();
      mkdirSync(TRACES, { recursive: true });
      const file = resolve(TRACES, `${system.id}-${throttle}x.json`);
      writeFileSync(file, buffer);
      writeFileSync(resolve(TRACES, `${system.id}-${throttle}x.cpuprofile`), JSON.stringify(profile));
      traceSummary = { file: rel(file), ...summarizeTrace(JSON.parse(buffer.toString('utf8')), state, origin) };
      if (traceSummary.navigationStartTs) {
        traceSummary.jsByScript = summarizeProfile(profile, traceSummary.navigationStartTs, state.visibleAt, origin);
        traceSummary.jsByScriptToSettled = summarizeProfile(profile, traceSummary.navigationStartTs, state.settledAt, origin);
      }
    }
    if (screenshot) await page.screenshot({ path: screenshot, animations: 'disabled' });

    phase('trace+screenshot');
    // The decision.
    // Some systems only listen a while after showing their banner (tarteaucitron: 500 ms); a click
    // before that is lost, so the click waits that long (clickNotBeforeMs after the banner painted).
    if (system.clickNotBeforeMs) {
      const wait = system.clickNotBeforeMs - (state.settledAt - state.visibleAt);
      if (wait > 0) await page.waitForTimeout(wait);
    }
    // A trusted click in the middle of the button (mouse events through the browser's input pipeline).
    const point = await page.evaluate(() => window.__bench.acceptPoint());
    if (!point) throw new Error(`no accept button (${clickSelector(system)}) to click`);
    await page.mouse.click(point.x, point.y);
    const decided = await Promise.race([page.evaluate(() => window.__bench.persisted), new Promise((r) => setTimeout(r, 10000))]);
    if (!decided) {
      const seen = await page.evaluate(() => ({ clickAt: window.__bench.clickAt, cookie: document.cookie, localStorage: { ...localStorage }, lastEvent: window.__bench.lastEvent }));
      throw new Error(`the choice was not stored within 10 s of the click: ${JSON.stringify(seen)}`);
    }
    phase('click+persist');
    let record;
    if (system.event === 'consent-change') {
      // Read the record back: the event must mean it is in IndexedDB.
      record = await page.evaluate(
        () =>
          new Promise((resolveRecord, reject) => {
            const open = indexedDB.open('akkoord');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const req = db.transaction('consent', 'readonly').objectStore('consent').getAllKeys();
              req.onsuccess = () => {
                const key = req.result.map(String).find((k) => k.startsWith('record:gmo-registry:'));
                if (!key) return resolveRecord(null);
                const get = db.transaction('consent', 'readonly').objectStore('consent').get(key);
                get.onsuccess = () => resolveRecord({ key, decisions: get.result?.decisions, method: get.result?.method });
              };
            };
          }),
      );
      if (!record || Object.values(record.decisions ?? {}).some((d) => d !== 'granted')) {
        throw new Error(`consent-change fired but IndexedDB holds ${JSON.stringify(record)}`);
      }
    }

    const shownBy = (r) => r.start < state.visibleAt;
    const tbt = (until) => state.longTasks.filter(([start]) => start < until).reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
    phase('record');
    return {
      ok: true,
      phases,
      visibleMs: state.visibleAt,
      fcpMs: state.fcp,
      settledMs: state.settledAt,
      toBanner: tally(state.resources.filter(shownBy)),
      atSettle: tally(state.resources),
      document: { gzip: state.document.gzip, raw: state.document.raw, transfer: state.document.transfer, end: state.document.end },
      resources: state.resources.map((r) => ({ ...r, path: new URL(r.url).pathname, beforeBanner: shownBy(r) })),
      wireBytes: [...network.values()].reduce((s, n) => s + (n.encodedDataLength ?? 0), 0),
      requestsSeenByCdp: network.size,
      scriptMs: before.ScriptDuration * 1000,
      taskMs: before.TaskDuration * 1000,
      layoutMs: before.LayoutDuration * 1000,
      styleMs: before.RecalcStyleDuration * 1000,
      heapBytes: after.JSHeapUsedSize,
      heapBeforeGcBytes: before.JSHeapUsedSize,
      tbtMs: tbt(state.settledAt),
      tbtToBannerMs: tbt(state.visibleAt),
      longTasks: state.longTasks.length,
      clickToPersistedMs: decided.persistedAt - decided.clickAt,
      persistedBy: decided.by,
      record,
      errors: [...state.errors, ...consoleErrors],
      trace: traceSummary,
      storage: state.storage,
    };
  } catch (error) {
    if (trace) {
      await cdp?.send('Profiler.stop').catch(() => {});
      await browser.stopTracing().catch(() => {});
    }
    error.message += consoleErrors.length ? ` [console: ${consoleErrors.join(' | ')}]` : '';
    throw error;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics and tables.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : null);

const METRICS = [
  { key: 'firstLoadGzip', label: 'JS+CSS+data, gzip', get: (r) => r.toBanner.gzip, unit: 'B' },
  { key: 'firstLoadRaw', label: 'JS+CSS+data, raw', get: (r) => r.toBanner.raw, unit: 'B' },
  { key: 'requests', label: 'requests', get: (r) => r.toBanner.requests, unit: '' },
  { key: 'documentGzip', label: 'HTML page, gzip', get: (r) => r.document.gzip, unit: 'B' },
  { key: 'visibleMs', label: 'time to banner', get: (r) => r.visibleMs, unit: 'ms' },
  { key: 'scriptMs', label: 'script time', get: (r) => r.scriptMs, unit: 'ms' },
  { key: 'tbtMs', label: 'total blocking time', get: (r) => r.tbtMs, unit: 'ms' },
  { key: 'heapBytes', label: 'JS heap after banner', get: (r) => r.heapBytes, unit: 'MB' },
  { key: 'clickToPersistedMs', label: 'click → stored', get: (r) => r.clickToPersistedMs, unit: 'ms' },
];

function summarize(results) {
  const out = {};
  for (const throttle of THROTTLES) {
    out[throttle] = {};
    for (const system of systems) {
      const runs = results.filter((r) => r.system === system.id && r.throttle === throttle && r.ok);
      out[throttle][system.id] = {
        runs: runs.length,
        failed: results.filter((r) => r.system === system.id && r.throttle === throttle && !r.ok).length,
        ...Object.fromEntries(METRICS.map((m) => [m.key, stat(runs.map(m.get))])),
        fcpMs: stat(runs.map((r) => r.fcpMs).filter((x) => x !== null)),
        tbtToBannerMs: stat(runs.map((r) => r.tbtToBannerMs)),
        taskMs: stat(runs.map((r) => r.taskMs)),
        byKind: Object.fromEntries(
          KINDS.map((k) => [k, { gzip: stat(runs.map((r) => r.toBanner.byKind[k].gzip)), raw: stat(runs.map((r) => r.toBanner.byKind[k].raw)), requests: stat(runs.map((r) => r.toBanner.byKind[k].requests)) }]),
        ),
        persistedBy: [...new Set(runs.map((r) => r.persistedBy))],
      };
    }
    // Ratios to the best peer: each metric's median over the lowest median among the peers.
    const peers = systems.filter((s) => s.kind === 'peer');
    for (const m of METRICS) {
      const best = peers
        .map((s) => ({ id: s.id, value: out[throttle][s.id][m.key]?.median }))
        .filter((p) => p.value !== undefined)
        .sort((a, b) => a.value - b.value)[0];
      for (const system of systems) {
        const cell = out[throttle][system.id][m.key];
        if (cell && best) cell.ratioToBestPeer = best.value > 0 ? cell.median / best.value : null;
        if (cell && best) cell.bestPeer = best.id;
      }
    }
  }
  return out;
}

const fmtBytes = (b) => (b >= 1000 ? `${(b / 1000).toFixed(1)} kB` : `${Math.round(b)} B`);
const fmt = (value, unit) => {
  if (value === undefined || value === null) return '—';
  if (unit === 'B') return fmtBytes(value);
  if (unit === 'MB') return (value / 1e6).toFixed(2);
  if (unit === 'ms') return value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return Math.round(value).toString();
};
const fmtCell = (cell, unit) => {
  if (!cell) return '—';
  const suffix = unit === 'ms' || unit === 'MB' ? ` ${unit}` : '';
  const med = fmt(cell.median, unit);
  const range = `${fmt(cell.min, unit)}–${fmt(cell.max, unit)}`;
  if (fmt(cell.min, unit) === fmt(cell.max, unit)) return `${med}${suffix}`;
  return `${med}${suffix} (${range})`;
};
const fmtRatio = (cell) => (cell?.ratioToBestPeer === null || cell?.ratioToBestPeer === undefined ? '—' : `${cell.ratioToBestPeer.toFixed(2)}×`);

function tables(summary, throttle) {
  const s = summary[throttle];
  const label = (sys) => (sys.kind === 'ours' ? `**${sys.label}**` : sys.label);
  const lines = [];
  lines.push(`| system | ${METRICS.map((m) => m.label).join(' | ')} |`);
  lines.push(`| --- | ${METRICS.map(() => '---:').join(' | ')} |`);
  for (const sys of systems) lines.push(`| ${label(sys)} | ${METRICS.map((m) => fmtCell(s[sys.id][m.key], m.unit)).join(' | ')} |`);
  lines.push('');
  lines.push(`Ratio to the best peer (median ÷ the lowest median among the four peers; below 1 is better):`);
  lines.push('');
  lines.push(`| system | ${METRICS.map((m) => m.label).join(' | ')} |`);
  lines.push(`| --- | ${METRICS.map(() => '---:').join(' | ')} |`);
  for (const sys of systems) lines.push(`| ${label(sys)} | ${METRICS.map((m) => fmtRatio(s[sys.id][m.key])).join(' | ')} |`);
  const bestLine = METRICS.map((m) => `${m.label}: ${systems.find((x) => x.id === s[systems[0].id][m.key]?.bestPeer)?.label ?? '—'}`).join('; ');
  lines.push('');
  lines.push(`Best peer per column: ${bestLine}.`);
  return lines.join('\n');
}

function kindTable(summary) {
  const s = summary[1];
  const lines = ['| system | JS gzip (raw) | CSS gzip (raw) | data gzip (raw) | other gzip (raw) | requests (JS / CSS / data / other) |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const sys of systems) {
    const k = s[sys.id].byKind;
    const cell = (x) => (x.gzip ? `${fmtBytes(x.gzip.median)} (${fmtBytes(x.raw.median)})` : '—');
    lines.push(`| ${sys.label} | ${KINDS.map((kind) => cell(k[kind])).join(' | ')} | ${KINDS.map((kind) => k[kind].requests?.median ?? 0).join(' / ')} |`);
  }
  return lines.join('\n');
}

/** Our page's requests, in the order they started: the critical path to the banner. */
function waterfall(results, systemId, throttle) {
  const runs = results.filter((r) => r.system === systemId && r.throttle === throttle && r.ok);
  if (!runs.length) return '';
  const paths = new Map();
  const add = (path, kind, start, end, gzip, raw, before) => {
    const p = paths.get(path) ?? { path, kind, start: [], end: [], gzip, raw, before };
    p.start.push(start);
    p.end.push(end);
    paths.set(path, p);
  };
  for (const r of runs) {
    add('(HTML page)', 'document', 0, r.document.end ?? null, r.document.gzip, r.document.raw, true);
    for (const x of r.resources) add(x.path, kindOf(x.url), x.start, x.end, x.gzip, x.raw, x.beforeBanner);
  }
  const visible = median(runs.map((r) => r.visibleMs));
  const lines = ['| request | kind | gzip | raw | starts (median) | ends (median) |', '| --- | --- | ---: | ---: | ---: | ---: |'];
  for (const p of [...paths.values()].sort((a, b) => median(a.start) - median(b.start))) {
    const end = p.end.filter((x) => x !== null);
    lines.push(`| \`${p.path}\` | ${p.kind} | ${fmtBytes(p.gzip)} | ${fmtBytes(p.raw)} | ${median(p.start).toFixed(1)} ms | ${end.length ? `${median(end).toFixed(1)} ms` : '—'} |`);
  }
  lines.push(`| *banner painted* | | | | | ${visible.toFixed(1)} ms |`);
  return lines.join('\n');
}

function traceTable(results) {
  const rows = results.filter((r) => r.phase === 'profile' && r.ok && r.trace?.toBanner);
  if (!rows.length) return '_No traced runs (`--no-profile`, or they failed)._';
  const lines = [
    '| system | time to banner | main thread busy | JS (compile + run) | HTML parsing | style + layout | paint | GC | other (task overhead, IPC, navigation) | idle (waiting: network, storage, timers) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const t = r.trace.toBanner;
    const c = (k) => t.byCategory[k] ?? 0;
    const ms = (x) => `${Math.round(x)}`;
    const sys = SYSTEMS.find((x) => x.id === r.system);
    lines.push(
      `| ${sys.label} | ${ms(r.visibleMs)} | ${ms(t.busy)} | ${ms(c('scriptCompile') + c('scriptRun'))} | ${ms(c('html'))} | ${ms(c('style') + c('layout'))} | ${ms(c('paint'))} | ${ms(c('gc'))} | ${ms(c('other'))} | ${ms(Math.max(0, r.visibleMs - t.busy))} |`,
    );
  }
  return lines.join('\n');
}

function scriptTable(results, systemId) {
  const r = results.find((x) => x.phase === 'profile' && x.system === systemId && x.ok && x.trace?.jsByScript);
  if (!r) return '';
  const lines = ['| where (CPU profile, self time) | to banner | to settled |', '| --- | ---: | ---: |'];
  const settled = new Map(r.trace.jsByScriptToSettled.map((x) => [x.url, x.ms]));
  for (const x of r.trace.jsByScript.slice(0, 10)) lines.push(`| \`${x.url}\` | ${x.ms.toFixed(1)} ms | ${(settled.get(x.url) ?? 0).toFixed(1)} ms |`);
  return lines.join('\n');
}

/** Our page in the traced run: requests, storage and crypto calls, and the banner, in time order. */
function timelineTable(results, systemId) {
  const r = results.find((x) => x.phase === 'profile' && x.system === systemId && x.ok);
  if (!r) return '';
  const rows = [
    ...r.resources.map((x) => ({ start: x.start, end: x.end, what: `request \`${x.path}\` (${fmtBytes(x.gzip)} gzip)` })),
    ...(r.storage ?? []).map((x) => ({ start: x.start, end: x.end, what: x.what })),
    { start: r.visibleMs, end: null, what: '**banner painted**' },
  ].sort((a, b) => a.start - b.start);
  const lines = ['| from (ms) | to (ms) | what |', '| ---: | ---: | --- |'];
  for (const x of rows) lines.push(`| ${x.start.toFixed(0)} | ${x.end === null ? '' : x.end.toFixed(0)} | ${x.what} |`);
  return lines.join('\n');
}

function compositionTable(c) {
  if (!c) return '_Not measured (no Akkoord runs)._';
  const total = c.groups.reduce((sum, g) => sum + g.raw, 0);
  const totalGzip = c.groups.reduce((sum, g) => sum + g.gzipEstimate, 0);
  const lines = ['| part | minified | gzip (estimated share) | in |', '| --- | ---: | ---: | --- |'];
  for (const g of c.groups) {
    lines.push(`| ${g.name} | ${g.raw.toLocaleString('en-US')} | ${Math.round(g.gzipEstimate).toLocaleString('en-US')} | ${Object.keys(g.files).map((f) => `\`${f.split('/').pop()}\``).join(', ')} |`);
  }
  lines.push(`| **all scripts** | **${total.toLocaleString('en-US')}** | **${Math.round(totalGzip).toLocaleString('en-US')}** | |`);
  lines.push('', 'Largest source files:', '', '| source | minified | gzip (estimated share) |', '| --- | ---: | ---: |');
  for (const x of c.sources.slice(0, 15)) lines.push(`| \`${x.name}\` | ${x.raw.toLocaleString('en-US')} | ${Math.round(x.gzipEstimate).toLocaleString('en-US')} |`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main.

const versionOf = (pkg) => {
  if (!pkg) return null;
  const file = pkg.startsWith('@akkoord/') ? resolve(ROOT, 'packages', pkg.slice('@akkoord/'.length), 'package.json') : resolve(ROOT, 'node_modules', pkg, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
};

function machine(browserVersion) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const osRelease = existsSync('/etc/os-release') ? /PRETTY_NAME="?([^"\n]+)/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] : undefined;
  return {
    cpus: os.cpus().length,
    cpuModel: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${osRelease ?? os.type()} (${os.platform()} ${os.release()}, ${os.arch()})`,
    chromium: browserVersion,
    chromiumPath: findChromium(),
    node: process.version,
    playwrightCore: versionOf('playwright-core'),
  };
}

/** The traced runs (not counted): where CPU time matters most. */
const PROFILE_THROTTLE = 4;
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing', 'loading'];

async function main() {
  const started = Date.now();
  const { worker, origin, files: servedBuild } = await startServerWorker();
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  const info = machine(browser.version());
  console.log(
    `browser benchmark: ${systems.length} systems × ${RUNS} runs × ${THROTTLES.map((t) => (t === 1 ? 'unthrottled' : `${t}× CPU`)).join(' + ')}` +
      `${QUICK ? ' (--quick)' : ''}; Chromium ${info.chromium}, ${info.cpus} CPUs, server ${origin}`,
  );

  const load = [os.loadavg()[0]];
  const results = [];
  const record = (entry) => {
    results.push(entry);
    return entry;
  };
  const attempt = async (system, throttle, round, phase, options) => {
    try {
      return record({ system: system.id, throttle, round, phase, ...(await runOnce(browser, origin, system, throttle, options)) });
    } catch (error) {
      console.error(`  ${system.id} ${throttle}× round ${round} (${phase}) FAILED: ${error.message.split('\n')[0]}`);
      return record({ system: system.id, throttle, round, phase, ok: false, error: String(error.message) });
    }
  };

  // Warm-up: one run of each, not counted (the server's file cache, the browser's first contexts).
  for (const system of systems) await attempt(system, 1, 0, 'warm-up');

  mkdirSync(SCREENSHOTS, { recursive: true });
  for (let round = 1; round <= RUNS; round++) {
    const order = systems.map((_, i) => systems[(i + round - 1) % systems.length]);
    for (const throttle of THROTTLES) {
      for (const system of order) {
        const screenshot = WRITE && round === 1 && throttle === 1 ? resolve(SCREENSHOTS, `${system.id}.png`) : undefined;
        await attempt(system, throttle, round, 'measure', { screenshot });
      }
    }
    const done = results.filter((r) => r.phase === 'measure');
    const line = systems
      .map((s) => {
        const v = done.filter((r) => r.system === s.id && r.throttle === 1 && r.ok).map((r) => r.visibleMs);
        return `${s.id} ${v.length ? median(v).toFixed(0) : '—'}`;
      })
      .join(', ');
    load.push(os.loadavg()[0]);
    console.log(`  round ${round}/${RUNS} (${((Date.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}): time to banner so far, unthrottled medians (ms): ${line}`);
  }

  // Profile: one traced run per system and setting, not counted in the tables (tracing costs time).
  if (PROFILE) {
    for (const system of systems) await attempt(system, PROFILE_THROTTLE, 0, 'profile', { trace: TRACE_CATEGORIES });
  }
  await browser.close();

  // What our first load is made of: the scripts our page loaded before its banner showed, as served
  // (the server's snapshot of the build), through their source maps.
  const ours = systems.find((s) => s.kind === 'ours');
  let firstLoad;
  if (ours) {
    const loaded = new Map();
    for (const r of results.filter((x) => x.system === ours.id && x.phase === 'measure' && x.ok && x.throttle === 1)) {
      for (const x of r.resources) if (x.beforeBanner && kindOf(x.url) === 'js') loaded.set(x.path, x.gzip);
    }
    const files = [];
    for (const [path, gzip] of loaded) {
      const code = await (await fetch(`${origin}${path}`)).text();
      const mapResponse = await fetch(`${origin}${path}.map`);
      files.push({ path, repoPath: path.replace(/^\/akkoord\//, 'packages/elements/dist/'), code, gzip, map: mapResponse.ok ? await mapResponse.json() : undefined });
    }
    if (files.length) firstLoad = composition(files);
  }
  await worker.terminate();

  const measured = results.filter((r) => r.phase === 'measure');
  const summary = summarize(measured);
  const goals = [];
  if (ours) {
    const first = summary[1][ours.id].firstLoadGzip;
    if (first) {
      goals.push({
        goal: `first load ≤ ${fmtBytes(GOAL_FIRST_LOAD_GZIP)} gzip (JS+CSS+data to the banner, as transferred)`,
        value: first.median,
        target: GOAL_FIRST_LOAD_GZIP,
        met: first.median <= GOAL_FIRST_LOAD_GZIP,
        text: `${fmtBytes(first.median)} gzip (${first.median.toLocaleString('en-US')} bytes)`,
      });
    }
    for (const throttle of THROTTLES) {
      const mine = summary[throttle][ours.id].visibleMs;
      const peers = systems.filter((s) => s.kind === 'peer').map((s) => ({ s, v: summary[throttle][s.id].visibleMs })).filter((p) => p.v);
      const fastest = peers.sort((a, b) => a.v.median - b.v.median)[0];
      if (mine && fastest) {
        goals.push({
          goal: `time to banner ≤ fastest peer, ${throttle === 1 ? 'unthrottled' : `${throttle}× CPU`}`,
          value: mine.median,
          target: fastest.v.median,
          met: mine.median <= fastest.v.median,
          text: `${mine.median.toFixed(0)} ms vs ${fastest.s.label} ${fastest.v.median.toFixed(0)} ms (${(mine.median / fastest.v.median).toFixed(2)}×)`,
        });
      }
    }
  }

  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {}
  const versions = Object.fromEntries(systems.map((s) => [s.id, s.package ? `${s.package} ${versionOf(s.package)}` : 'static HTML']));
  const build = existsSync(ENTRY) ? new Date(statSync(ENTRY).mtimeMs).toISOString() : undefined;
  const output = {
    date: new Date().toISOString(),
    commit,
    quick: QUICK,
    runsPerSystem: RUNS,
    durationS: Math.round((Date.now() - started) / 1000),
    machine: info,
    // The 1-minute load average at the start and after every round: other work on the machine.
    loadAverage: { samples: load.map((x) => Math.round(x * 100) / 100), median: median(load) },
    chromiumArgs: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    versions,
    ourBuild: { entry: rel(ENTRY), builtAt: build, served: servedBuild.filter((f) => /akkoord\.min\.js$|\/chunks\/|first-layer\.nl\.json$/.test(f)) },
    persistence: Object.fromEntries(systems.map((s) => [s.id, s.stores])),
    goals,
    summary,
    firstLoadComposition: firstLoad,
    profile: results.filter((r) => r.phase === 'profile').map(({ resources, ...r }) => r),
    runs: results.filter((r) => r.phase !== 'profile'),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(output, null, 2)}\n`);

  // The report.
  for (const throttle of THROTTLES) {
    console.log(`\n${throttle === 1 ? 'Unthrottled' : `CPU throttled ${throttle}×`}, ${RUNS} runs each: median (min–max)\n`);
    console.log(tables(summary, throttle));
  }
  console.log('\nGoals (CONTRIBUTING.md, "Budgets"; reported, not fatal):');
  for (const g of goals) console.log(`  ${g.met ? 'met   ' : 'MISSED'}  ${g.goal}: ${g.text}`);
  const failures = results.filter((r) => !r.ok);
  if (failures.length) console.log(`\n${failures.length} run(s) failed; see ${rel(OUT)}.`);
  console.log(`\nwrote ${rel(OUT)} (${output.durationS} s)`);

  if (WRITE) {
    writeMarkdown(output, measured, results);
    console.log(`wrote ${rel(MARKDOWN)} (generated section) and ${rel(SCREENSHOTS)}/*.png`);
  }
}

const BEGIN = '<!-- bench-browser: generated, begin (node scripts/bench/browser.mjs rewrites this part) -->';
const END = '<!-- bench-browser: generated, end -->';

function sizeSection() {
  if (!existsSync(SIZE_JSON)) return '_No bench/out/size.json: run `npm run bench`._';
  const size = JSON.parse(readFileSync(SIZE_JSON, 'utf8'));
  const lines = [
    `From \`scripts/bench/bench.mjs\` (${size.date}${size.commit ? `, commit ${size.commit.slice(0, 7)}` : ''}; files on disk, gzip -9, brotli 11):`,
    '',
    '| page | min | gzip -9 | brotli | files |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const [page, loads] of Object.entries(size.pages)) {
    for (const [locale, l] of Object.entries(loads)) {
      lines.push(`| ${page}, ${locale} | ${l.bytes.toLocaleString('en-US')} | ${l.gzip.toLocaleString('en-US')} | ${l.brotli.toLocaleString('en-US')} | ${l.files.map((f) => `\`${f.split('/').pop()}\``).join(', ')} |`);
    }
  }
  lines.push('', '| budget | locale | value | budget | status |', '| --- | --- | ---: | ---: | --- |');
  for (const b of size.budgets) lines.push(`| ${b.name} | ${b.locale} | ${b.value.toLocaleString('en-US')} | ${b.budget.toLocaleString('en-US')} | ${b.status} |`);
  return lines.join('\n');
}

function writeMarkdown(output, measured, results) {
  const m = output.machine;
  const section = [
    BEGIN,
    '',
    `_Last full run: ${output.date}${output.commit ? `, commit \`${output.commit.slice(0, 7)}\`` : ''}; ${output.runsPerSystem} runs per system and setting, ${output.durationS} s in all. Our bundle: \`${output.ourBuild.entry}\` built ${output.ourBuild.builtAt}. Raw results: \`bench/out/browser.json\`._`,
    '',
    '### Machine',
    '',
    `- ${m.cpus} CPUs: ${m.cpuModel}; ${m.memoryGiB} GiB memory; ${m.os}`,
    `- Chromium ${m.chromium} (\`${m.chromiumPath}\`, headless), playwright-core ${m.playwrightCore}, Node ${m.node}`,
    `- Load average (1 min) during the run: median ${output.loadAverage.median.toFixed(1)}, ${Math.min(...output.loadAverage.samples).toFixed(1)}–${Math.max(...output.loadAverage.samples).toFixed(1)} (on ${m.cpus} CPUs; above ${m.cpus} means other work competed for the CPUs)`,
    '',
    '### Versions',
    '',
    ...systems.map((s) => `- ${s.label}: ${output.versions[s.id]}; stores the choice in ${s.stores}`),
    '',
    '### Goals',
    '',
    ...output.goals.map((g) => `- ${g.met ? '**met**' : '**missed**'}: ${g.goal}: ${g.text}`),
    '',
    '### Unthrottled',
    '',
    `Median (min–max) of ${output.runsPerSystem} runs. Bytes: what the page requested before the banner was painted, not counting the HTML page (its own column).`,
    '',
    tables(output.summary, 1),
    '',
    '### CPU throttled 4× (DevTools CPU throttling, a mid-range phone)',
    '',
    tables(output.summary, 4),
    '',
    '### Bytes to the banner by kind (unthrottled runs; median)',
    '',
    kindTable(output.summary),
    '',
    '### Our page, request by request (unthrottled; median times from navigation start)',
    '',
    waterfall(measured, 'akkoord', 1),
    '',
    '### Our page, request by request (4× CPU)',
    '',
    waterfall(measured, 'akkoord', 4),
    '',
    '### What our first load is made of (scripts as served, through their source maps)',
    '',
    compositionTable(output.firstLoadComposition),
    '',
    `### Main thread to the banner (one traced run per system at ${PROFILE_THROTTLE}× CPU, not in the tables above; ms)`,
    '',
    'Self time of the trace events on the page\'s main thread, from navigation start to the banner painted. One run on a shared machine: read it for proportions, not to the millisecond.',
    '',
    traceTable(results),
    '',
    `Akkoord in that run, in time order (the page's requests, and its IndexedDB and WebCrypto calls as seen by the probe in traced runs only):`,
    '',
    timelineTable(results, 'akkoord'),
    '',
    `Akkoord, JavaScript by script (sampling CPU profile of the same run; forced style and layout count for the script that forced them):`,
    '',
    scriptTable(results, 'akkoord'),
    '',
    '### Sizes (scripts/bench/bench.mjs)',
    '',
    sizeSection(),
    '',
    END,
  ].join('\n');
  let text = existsSync(MARKDOWN) ? readFileSync(MARKDOWN, 'utf8') : `# Benchmarks\n\n## Results\n\n${BEGIN}\n${END}\n`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) text = `${text.trimEnd()}\n\n## Results\n\n${BEGIN}\n${END}\n`;
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END) + END.length;
  writeFileSync(MARKDOWN, `${text.slice(0, i)}${section}${text.slice(j)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
