// Draining the outbox: N decisions queued offline in Chromium, then flushed
// to the real receiver when the browser comes back online.
//
//   node scripts/bench/drain.mjs [--receipts 1000] [--runs 3] [--via direct|proxy] [--outbox-at <git rev>]
//
// PROFILE=1 adds where the page's time went (requests, IndexedDB transactions);
// PROFILE=cpu a CPU profile of the page during the drain (self time by function).
// --outbox-at bundles packages/core/src/sync/outbox.ts as it was at a revision
// (e.g. 8121cb8, the one-at-a-time outbox), for an A/B on the same machine.
//
// core (the consent controller, the outbox, the client) is bundled from
// source with esbuild and loaded by a tiny page from a static server on
// 127.0.0.1; the receiver is the built bin (durable SQLite, synchronous=FULL)
// started by test/rig/receiver-plugin.mjs, like the browser tests do.
// Each run: a fresh browser context (fresh IndexedDB) and a fresh subject;
// Playwright's offline emulation on; N decisions (each its own receipt in
// the outbox, one subject, so one chain); offline off; time from the page's
// 'online' event until the outbox is empty. The outbox sends the backlog in
// batches (POST /receipts/batch, up to 100 receipts each); the requests the
// page made during the drain are counted by path (Resource Timing). Then the
// receiver's history of the subject: lost = decided ids not stored, doubled =
// stored rows minus distinct ids. Prints medians and min–max; writes
// bench/out/drain.json.
// Goal: drain ≤ 2 s, 0 lost, 0 doubled.
// Needs the build (the receiver's dist and the notice's first layer: `npm run build`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../test/chromium.mjs';
import { startSyncRig } from '../../test/rig/receiver-plugin.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIRST_LAYER = join(ROOT, 'packages/notices/dist/data/gmo-registry/first-layer.en.json');
const OUT = join(ROOT, 'bench/out/drain.json');
const GOAL_MS = 2000;

const { values } = parseArgs({
  options: {
    receipts: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    via: { type: 'string', default: 'direct' },
    // A/B: bundle packages/core/src/sync/outbox.ts as it was at this git revision (e.g. HEAD).
    'outbox-at': { type: 'string' },
    out: { type: 'string', default: OUT },
  },
});
const N = Number(values.receipts);
const RUNS = Number(values.runs);

for (const [file, what] of [
  [FIRST_LAYER, 'the notice first layer'],
  [join(ROOT, 'packages/receiver/dist/cli.js'), "the receiver's build"],
]) {
  if (!existsSync(file)) {
    console.error(`bench-drain: ${what} is missing (${file}); run \`npm run build\` first`);
    process.exit(1);
  }
}

// core, bundled from source, as a page would load it.
const work = mkdtempSync(join(tmpdir(), 'akkoord-bench-drain-'));
await build({
  entryPoints: [join(ROOT, 'packages/core/src/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['akkoord-source'],
  outfile: join(work, 'core.js'),
  logLevel: 'warning',
  plugins: values['outbox-at'] ? [outboxAt(values['outbox-at'])] : [],
});

function outboxAt(rev) {
  const path = 'packages/core/src/sync/outbox.ts';
  const contents = execFileSync('git', ['show', `${rev}:${path}`], { cwd: ROOT, encoding: 'utf8' });
  return {
    name: 'outbox-at',
    setup(b) {
      b.onLoad({ filter: /[\\/]sync[\\/]outbox\.ts$/ }, () => ({ contents, loader: 'ts', resolveDir: join(ROOT, 'packages/core/src/sync') }));
    },
  };
}

const files = {
  '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>drain</title><script type="module">import * as akkoord from "/core.js"; window.akkoord = akkoord;</script>'],
  '/core.js': ['text/javascript', readFileSync(join(work, 'core.js'))],
  '/first-layer.json': ['application/json', readFileSync(FIRST_LAYER)],
};
const site = http.createServer((req, res) => {
  const file = files[req.url];
  if (!file) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
});
await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${site.address().port}`;

const rig = await startSyncRig({ origins: [origin] });
const layer = JSON.parse(readFileSync(FIRST_LAYER, 'utf8'));
const endpoint = values.via === 'proxy' ? rig.proxyUrl : rig.receiverUrl;

const browser = await chromium.launch({
  executablePath: findChromium(),
  headless: true,
  args: HEADLESS_ARGS,
});

const runs = [];
// Other work on the machine shows in every figure: say how busy it was.
const load = { before: loadavg().map((l) => Math.round(l * 100) / 100) };
try {
  for (let run = 1; run <= RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(origin);
    await page.waitForFunction(() => window.akkoord);
    const subject = `psn_drain_${Date.now().toString(36)}_${run}`;

    await context.setOffline(true);
    const offline = await page.evaluate(
      async ({ endpoint, subject, n, layer, profile }) => {
        if (navigator.onLine) throw new Error('the page is not offline');
        if (profile) {
          // Where the drain's time goes: requests, IndexedDB transactions (sequential, so the sums add up).
          const p = (window.__profile = { fetch: 0, fetches: 0, rw: 0, rws: 0, ro: 0, ros: 0 });
          const realFetch = window.fetch.bind(window);
          window.fetch = async (...args) => {
            const t = performance.now();
            try {
              return await realFetch(...args);
            } finally {
              p.fetch += performance.now() - t;
              p.fetches++;
            }
          };
          const realTransaction = IDBDatabase.prototype.transaction;
          IDBDatabase.prototype.transaction = function (...args) {
            const tx = realTransaction.apply(this, args);
            const t = performance.now();
            const rw = tx.mode === 'readwrite';
            tx.addEventListener('complete', () => {
              if (rw) (p.rw += performance.now() - t), p.rws++;
              else (p.ro += performance.now() - t), p.ros++;
            });
            return tx;
          };
        }
        const { getConsentController } = window.akkoord;
        const controller = getConsentController({ notice: layer, subject, sync: { endpoint } });
        await controller.ready;
        const outbox = await controller.outbox();
        const ids = [];
        const started = performance.now();
        for (let i = 0; i < n; i++) {
          await (i % 2 ? controller.rejectAll() : controller.acceptAll());
          ids.push(controller.record.receiptId);
        }
        const queueMs = performance.now() - started;
        // What the drain will be timed by: the 'online' event, then the last consent-sync (its commit is done).
        let synced = 0;
        window.__drain = new Promise((resolve) => {
          let online;
          // Every request of the drain is counted, not only the first 250.
          performance.setResourceTimingBufferSize(100_000);
          addEventListener(
            'online',
            () => {
              online = performance.now();
              performance.clearResourceTimings();
              // The profile counts the drain only.
              if (window.__profile) for (const key of Object.keys(window.__profile)) window.__profile[key] = 0;
            },
            { once: true },
          );
          controller.addEventListener('consent-sync', () => {
            if (++synced === n) resolve({ online, done: performance.now() });
          });
        });
        window.__controller = controller;
        return { ids, queueMs, waiting: await outbox.waiting() };
      },
      { endpoint, subject, n: N, layer, profile: !!process.env.PROFILE },
    );
    if (offline.waiting !== N) throw new Error(`expected ${N} receipts in the outbox, found ${offline.waiting}`);

    const cdp = process.env.PROFILE === 'cpu' ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const wallStart = performance.now();
    await context.setOffline(false);
    const drained = await page.evaluate(async () => {
      const times = await Promise.race([
        window.__drain,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the outbox did not drain within 120 s')), 120_000)),
      ]);
      const outbox = await window.__controller.outbox();
      const profile = window.__profile && { ...window.__profile };
      const requests = {};
      for (const entry of performance.getEntriesByType('resource')) {
        if (entry.startTime < times.online || entry.startTime > times.done) continue;
        const path = new URL(entry.name).pathname;
        requests[path] = (requests[path] ?? 0) + 1;
      }
      return { ...times, profile, requests, waiting: await outbox.waiting(), synced: (await window.__controller.syncedReceipts()).length };
    });
    const wallMs = performance.now() - wallStart;
    if (cdp) {
      // Self time by function: where the page's main thread spends the drain.
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = new Map();
      for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i] / 1000);
      for (const node of profile.nodes) {
        const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
        self.set(name, (self.get(name) ?? 0) + (dt.get(node.id) ?? 0));
      }
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
      for (const [name, ms] of top) console.log(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
    }

    const history = await rig.stored(subject);
    const storedIds = history.map((item) => item.receipt.consentReceiptID);
    const distinct = new Set(storedIds);
    const decided = new Set(offline.ids);
    const lost = [...decided].filter((id) => !distinct.has(id)).length;
    const doubled = storedIds.length - distinct.size;
    const foreign = [...distinct].filter((id) => !decided.has(id)).length;
    const result = {
      run,
      receipts: N,
      queueMs: Math.round(offline.queueMs),
      drainMs: Math.round(drained.done - drained.online),
      wallMs: Math.round(wallMs),
      receiptsPerSecond: Math.round((N / (drained.done - drained.online)) * 1000),
      stored: storedIds.length,
      lost,
      doubled,
      foreign,
      leftInOutbox: drained.waiting,
      syncedInBrowser: drained.synced,
      requests: drained.requests,
    };
    runs.push(result);
    console.log(
      `run ${run}: queued ${N} in ${result.queueMs} ms; drained in ${result.drainMs} ms (${result.receiptsPerSecond}/s); ` +
        `stored ${result.stored}, lost ${lost}, doubled ${doubled}, left ${drained.waiting}; ` +
        `requests: ${Object.entries(drained.requests).map(([path, n]) => `${n} × ${path}`).join(', ') || 'none seen'}`,
    );
    if (drained.profile && values.via === 'proxy') {
      const events = rig.log();
      const count = (method) => events.filter((e) => e.method === method).length;
      console.log(`proxy saw: ${count('OPTIONS')} OPTIONS, ${count('POST')} POST, ${count('GET')} GET`);
    }
    if (drained.profile) console.log('profile:', JSON.stringify(drained.profile, (k, v) => (typeof v === 'number' ? Math.round(v) : v)));
    await context.close();
  }
} finally {
  await browser.close();
  await rig.close();
  site.close();
  rmSync(work, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = {};
for (const key of ['queueMs', 'drainMs', 'wallMs', 'receiptsPerSecond', 'lost', 'doubled', 'leftInOutbox']) {
  const xs = runs.map((r) => r[key]);
  summary[key] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}
const pass = summary.drainMs.median <= GOAL_MS && runs.every((r) => r.lost === 0 && r.doubled === 0 && r.leftInOutbox === 0);

console.log('');
const row = (label, { median: m, min, max }, unit = '') =>
  console.log(`${label.padEnd(34)} ${String(m).padStart(8)}${unit}   (${min}–${max})`);
console.log(`${'drain, N = ' + N + ', ' + RUNS + ' runs'.padEnd(10)}`.padEnd(34), '  median   (min–max)');
row('queue offline (decisions)', summary.queueMs, ' ms');
row('drain: online → outbox empty', summary.drainMs, ' ms');
row('  wall clock from setOffline(false)', summary.wallMs, ' ms');
row('  receipts per second', summary.receiptsPerSecond);
row('lost', summary.lost);
row('doubled', summary.doubled);
row('left in the outbox', summary.leftInOutbox);
load.after = loadavg().map((l) => Math.round(l * 100) / 100);
console.log(`\nload average (1, 5, 15 min) on ${cpus().length} CPUs: ${load.before.join(' ')} before, ${load.after.join(' ')} after`);
console.log(`goal: drain ≤ ${GOAL_MS} ms, 0 lost, 0 doubled: ${pass ? 'met' : 'NOT met'}`);

let commit;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      commit,
      node: process.version,
      chromium: browser.version?.() ?? undefined,
      cpus: cpus().length,
      loadAverage: load,
      receipts: N,
      via: values.via,
      outbox: values['outbox-at'] ? `packages/core/src/sync/outbox.ts at ${values['outbox-at']}` : 'working tree',
      receiver: { synchronous: 'FULL' },
      goal: { drainMs: GOAL_MS, lost: 0, doubled: 0 },
      pass,
      summary,
      runs,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${values.out.startsWith(ROOT) ? values.out.slice(ROOT.length) : values.out}`);
if (!pass) process.exitCode = 1;
