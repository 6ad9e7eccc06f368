// Where a page's main thread spends its time until the banner is painted, from a Chromium trace
// (Playwright's browser.startTracing): self time of each trace event on the page's renderer main
// thread, clipped to [navigation start, banner painted], by kind (HTML parsing, JS compile, JS run,
// style, layout, paint, GC, other) and, for JS, by script URL.

const CATEGORY = [
  ['html', /^(ParseHTML|HTMLDocumentParser::.*)$/],
  ['scriptCompile', /^(v8\.compile|v8\.compileModule|V8\.CompileCode|V8\.Compile.*|v8\.parseOnBackground|V8\.ParseFunction|v8\.produceCache|v8\.produceModuleCache|v8\.deserializeCode|CacheScript|V8\.ScriptCompiler)$/],
  ['gc', /(GC|Gc|gc\b|Sweep|Marking|BlinkGC)/],
  ['scriptRun', /^(EvaluateScript|v8\.evaluateModule|FunctionCall|v8\.run|v8\.callFunction|V8\.Execute|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|V8\.RunMicrotasks|XHRReadyStateChange|XHRLoad|FireIdleCallback|v8\.callModuleMethod.*|V8\.Builtin.*|v8\.newInstance)$/],
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Document::updateStyle|StyleEngine::.*|ScheduleStyleRecalculation)$/],
  ['layout', /^(Layout|UpdateLayerTree|LocalFrameView::.*Layout.*|IntersectionObserverController::computeIntersections|ComputeIntersections|HitTest|UpdateLayout)$/],
  ['paint', /^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintImage|Decode.*|RasterTask|LocalFrameView::RunPaintLifecyclePhase|LocalFrameView::RunPrePaintLifecyclePhase)$/],
];
const categoryOf = (name) => CATEGORY.find(([, re]) => re.test(name))?.[0] ?? 'other';

const urlOf = (e) => e.args?.data?.url || e.args?.data?.scriptName || e.args?.fileName || e.args?.data?.stackTrace?.[0]?.url || undefined;

export function summarizeTrace(trace, state, origin) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents ?? [];
  // The page's navigation: its renderer, main thread and time origin.
  const nav = events
    .filter((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').startsWith(origin))
    .sort((a, b) => b.ts - a.ts)[0];
  if (!nav) return { error: 'no navigationStart for the page in the trace' };
  const { pid, tid } = nav;
  const t0 = nav.ts;
  const windows = { toBanner: [t0, t0 + state.visibleAt * 1000], toSettled: [t0, t0 + state.settledAt * 1000] };

  // Complete events on that thread (B/E pairs folded into complete ones).
  const thread = [];
  const open = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X' && typeof e.dur === 'number') thread.push({ name: e.name, ts: e.ts, dur: e.dur, url: urlOf(e) });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const b = open.pop();
      if (b) thread.push({ name: b.name, ts: b.ts, dur: e.ts - b.ts, url: urlOf(b) ?? urlOf(e) });
    }
  }
  thread.sort((a, b) => a.ts - b.ts || b.dur - a.dur);

  const result = { navigationStartTs: t0 };
  for (const [label, [from, to]] of Object.entries(windows)) {
    const byCategory = {};
    const byScript = new Map();
    const otherNames = {};
    let busy = 0;
    const attribute = (ev, a, b) => {
      const start = Math.max(a, from);
      const end = Math.min(b, to);
      if (end <= start) return;
      const ms = (end - start) / 1000;
      busy += ms;
      byCategory[ev.category] = (byCategory[ev.category] ?? 0) + ms;
      if (ev.category === 'other') otherNames[ev.name] = (otherNames[ev.name] ?? 0) + ms;
      if ((ev.category === 'scriptCompile' || ev.category === 'scriptRun') && ev.scriptUrl) {
        const s = byScript.get(ev.scriptUrl) ?? { url: ev.scriptUrl, compile: 0, run: 0 };
        if (ev.category === 'scriptCompile') s.compile += ms;
        else s.run += ms;
        byScript.set(ev.scriptUrl, s);
      }
    };
    const stack = [];
    let cursor = 0;
    const advance = (to) => {
      while (stack.length) {
        const top = stack[stack.length - 1];
        const end = top.ts + top.dur;
        if (end <= to) {
          attribute(top, cursor, end);
          cursor = Math.max(cursor, end);
          stack.pop();
        } else {
          attribute(top, cursor, to);
          cursor = Math.max(cursor, to);
          return;
        }
      }
      cursor = to;
    };
    for (const e of thread) {
      advance(e.ts);
      const parent = stack[stack.length - 1];
      stack.push({ ...e, category: categoryOf(e.name), scriptUrl: shortUrl(e.url, origin) ?? parent?.scriptUrl });
    }
    advance(Number.MAX_SAFE_INTEGER);
    result[label] = {
      busy,
      byCategory,
      byScript: [...byScript.values()].sort((a, b) => b.compile + b.run - (a.compile + a.run)),
      topOther: Object.entries(otherNames)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([name, ms]) => ({ name, ms })),
    };
  }
  return result;
}

function shortUrl(url, origin) {
  if (!url) return undefined;
  return url.startsWith(origin) ? url.slice(origin.length).split('?')[0] : url;
}

/**
 * JS self time by script from a CPU profile (CDP Profiler, sampling), between navigation start
 * (trace clock, µs) and `untilMs` after it. Samples outside any script are (program), (garbage
 * collector) or (idle).
 */
export function summarizeProfile(profile, navigationStartTs, untilMs, origin) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const from = navigationStartTs;
  const to = navigationStartTs + untilMs * 1000;
  const byUrl = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i]);
    const frame = node?.callFrame ?? {};
    const key = frame.url ? shortUrl(frame.url, origin) : `(${frame.functionName || 'native'})`.replace(/^\(\((.*)\)\)$/, '($1)');
    byUrl.set(key, (byUrl.get(key) ?? 0) + next / 1000);
  }
  return [...byUrl.entries()]
    .filter(([key]) => key !== '(idle)' && key !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .map(([url, ms]) => ({ url, ms }));
}
