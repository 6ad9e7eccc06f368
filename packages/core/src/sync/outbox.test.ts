// Receipts with real parts: the real receiver process on 127.0.0.1, the real
// client (controller, outbox, ReceiptClient) in Chromium, and a proxy that
// injects faults between them (test/rig/receiver-plugin.mjs). Every case
// ends the same way: each decision's receipt stored exactly once at the
// receiver, in one unbroken chain, the outbox empty, and the countersigned
// receipts kept in the browser, verifying under the receiver's key.
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import {
  ConsentController,
  IndexedDbStorage,
  MemoryStorage,
  getConsentController,
  resetConsentControllers,
  type ConsentControllerOptions,
  type ConsentErrorEvent,
  type ConsentSyncEvent,
} from '@akkoord/core/consent';
import { canonicalJson, hashJson } from '@akkoord/core/notice';
import { verifyCompact, type PublicJwk, type OutboxEntry } from '@akkoord/core/sync';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import { control, rigConfig, type RigConfig } from '../../../../test/fixtures/receiver-rig.js';

type ConsentModule = typeof import('@akkoord/core/consent');
interface ProxyEvent {
  seq: number;
  at: number;
  method: string;
  path: string;
  key?: string;
  fault?: string;
  upstream?: number;
  retryAfter?: number;
  /** A batch: its items' keys, in order, and each item's status once the receiver answered. */
  keys?: string[];
  items?: Record<string, number>;
}
interface StoredItem {
  receipt: ConsentReceipt;
  countersignature: string;
  storedAt: string;
}
type Rule = Record<string, unknown> & { mode: string };

const FIRST_LAYER = '/packages/notices/dist/data/gmo-registry/first-layer.en.json';
/** Small, so that a case takes a second, not minutes. */
const FAST = { timeoutMs: 600, baseDelayMs: 40, maxDelayMs: 300 };

let config: RigConfig;
let layer: ConsentControllerOptions['notice'];
let subject = '';
const storage = new IndexedDbStorage();
const frames: HTMLIFrameElement[] = [];

const faults = (...rules: Rule[]) => control('faults', rules);
const proxyLog = async (since = 0) => (await control<{ events: ProxyEvent[] }>(`log?since=${since}`)).events;
const logMark = async () => (await proxyLog()).reduce((max, e) => Math.max(max, e.seq), 0);
const stored = async (who = subject) =>
  (await control<{ receipts: StoredItem[] }>(`stored?subject=${encodeURIComponent(who)}`)).receipts;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function options(endpoint = config.proxy, extra: Partial<ConsentControllerOptions['sync']> = {}): ConsentControllerOptions {
  return { notice: layer, subject, sync: { endpoint, ...FAST, ...extra } };
}

async function open(endpoint = config.proxy, extra: Partial<ConsentControllerOptions['sync']> = {}) {
  const controller = getConsentController(options(endpoint, extra));
  await controller.ready;
  return controller;
}

/** `n` decisions, each a receipt; answers their receipt ids, in the order made. */
async function decide(controller: ConsentController, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) await controller.acceptAll();
    else if (i % 3 === 1) await controller.rejectAll();
    else await controller.save({ marketing: 'granted' });
    ids.push(controller.record!.receiptId);
  }
  return ids;
}

const outboxEntries = () => storage.list<OutboxEntry>('outbox:');

async function drained(controller: ConsentController, timeout = 8000) {
  const outbox = (await controller.outbox())!;
  await waitUntil(async () => (await outbox.waiting()) === 0, 'the outbox did not drain', { timeout, interval: 50 });
}

/**
 * The end of every case: each id stored once at the receiver, the chain
 * unbroken, the outbox empty, the countersigned receipts kept here and valid.
 */
async function expectExactlyOnce(controller: ConsentController, ids: string[], { elsewhere = [] as string[] } = {}) {
  const history = await stored(subject);
  const storedIds = history.map((item) => item.receipt.consentReceiptID);
  const all = [...ids, ...elsewhere];
  expect(storedIds, 'stored at the receiver').to.have.length(all.length);
  expect([...storedIds].sort(), 'the receipts of the decisions made').to.deep.equal([...all].sort());
  expect(new Set(storedIds).size, 'no receipt twice').to.equal(all.length);
  let previous: string | null = null;
  for (const item of history) {
    expect(item.receipt.akkoord.previousReceiptHash, 'one unbroken chain').to.equal(previous);
    previous = await hashJson(item.receipt);
  }

  expect(await (await controller.outbox())!.waiting(), 'nothing left in the outbox').to.equal(0);
  expect(await storage.list(`built:`), 'no receipt left half-sent').to.deep.equal([]);

  const synced = await controller.syncedReceipts();
  expect(synced.map((s) => s.receipt.consentReceiptID).sort(), 'kept countersigned in the browser').to.deep.equal([...ids].sort());
  const jwks = (await control<{ keys: PublicJwk[] }>('jwks')).keys;
  const byId = new Map(history.map((item) => [item.receipt.consentReceiptID, item]));
  for (const s of synced) {
    const verified = await verifyCompact(s.countersignature, { keys: jwks });
    expect(verified.ok, `the countersignature of ${s.receipt.consentReceiptID} verifies`).to.be.true;
    if (!verified.ok) continue;
    expect(canonicalJson(JSON.parse(verified.payload))).to.equal(canonicalJson(s.receipt));
    expect(s.receiptHash).to.equal(await hashJson(s.receipt));
    expect(s.countersignature, 'the one the receiver holds').to.equal(byId.get(s.receipt.consentReceiptID)!.countersignature);
    expect(canonicalJson(s.receipt), 'the receipt the receiver holds').to.equal(canonicalJson(byId.get(s.receipt.consentReceiptID)!.receipt));
  }
}

/**
 * Faults armed, `n` decisions made, the outbox drained. Receipts of one
 * chain go out several at once, so a rule hits whichever request reaches
 * the proxy first: one decision per phase when a case needs a given receipt hit.
 */
async function phase(controller: ConsentController, n: number, ...rules: Rule[]) {
  await faults(...rules);
  const ids = await decide(controller, n);
  await drained(controller);
  return ids;
}

/** The POSTs that carried one receipt, in order (its own, or a batch holding it), each with that receipt's status. */
const postsOf = (events: ProxyEvent[], id: string) =>
  events
    .filter((e) => e.method === 'POST' && (e.key === id || e.keys?.includes(id)))
    .map((e) => (e.keys ? { ...e, key: id, upstream: e.items?.[id] ?? e.upstream } : e));
/** The receipts each POST carried, in the order sent. */
const keysOf = (events: ProxyEvent[]) => events.filter((e) => e.method === 'POST').flatMap((e) => e.keys ?? [e.key!]);
const batches = (events: ProxyEvent[]) => events.filter((e) => e.method === 'POST' && e.path === '/receipts/batch' && e.fault !== 'down');

/**
 * `n` decisions made while "another tab" (this test, holding the outbox's
 * Web Lock) is flushing: each flush is skipped, so they go out together, in
 * one batch, once the lock is let go (after `meanwhile`, given their ids).
 */
async function backlog(controller: ConsentController, n: number, meanwhile?: (ids: string[]) => Promise<unknown>): Promise<string[]> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((locked) => {
    void navigator.locks.request('akkoord-outbox', () => {
      locked();
      return held;
    });
  });
  try {
    const ids = await decide(controller, n);
    await meanwhile?.(ids);
    return ids;
  } finally {
    release();
  }
}

/** Another page of this origin (another tab, or this one before a reload), with its own copy of core. */
async function tab(query = ''): Promise<{ frame: HTMLIFrameElement; akkoord: ConsentModule }> {
  const frame = document.createElement('iframe');
  frame.src = `/test/fixtures/sync/tab.html${query}`;
  const ready = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await ready;
  const win = frame.contentWindow as Window & { akkoord?: ConsentModule };
  await waitUntil(() => win.akkoord, 'the tab did not load core', { timeout: 5000 });
  return { frame, akkoord: win.akkoord! };
}

before(async function () {
  this.timeout(150_000); // the rig may wait for a build that is running (`npm test` builds first)
  config = await rigConfig();
  layer = await (await fetch(FIRST_LAYER)).json();
});

beforeEach(async () => {
  subject = `sync-${Math.random().toString(36).slice(2)}`;
  await faults();
  await control('proxy', { down: false });
  await control('receiver', { action: 'start' });
  // Each case starts with an empty outbox: what an earlier case left would be sent too.
  const left = [...(await storage.list('outbox:')), ...(await storage.list('built:'))].map(([key]) => key);
  await storage.commit([], [...left, 'outbox-lease']);
});

afterEach(async () => {
  resetConsentControllers();
  for (const frame of frames.splice(0)) frame.remove();
  await faults();
  await control('proxy', { down: false });
  await control('receiver', { action: 'start' });
});

describe('receipts reach the real receiver exactly once', function () {
  this.timeout(20_000);

  it('without faults: stored, countersigned, announced', async () => {
    const controller = await open();
    const events: ConsentSyncEvent[] = [];
    controller.addEventListener('consent-sync', (e) => events.push(e as ConsentSyncEvent));
    const ids = await decide(controller, 3);
    await drained(controller);
    await waitUntil(() => events.length === 3, 'three consent-sync events', { timeout: 2000 });
    expect(events.map((e) => e.receiptId).sort()).to.deep.equal([...ids].sort());
    await expectExactlyOnce(controller, ids);
  });

  it('receiver down, then up again (the process stopped and restarted on its port and data)', async () => {
    const controller = await open(config.receiver);
    const before = await decide(controller, 2);
    await drained(controller);
    await control('receiver', { action: 'stop' });
    const during = await decide(controller, 3);
    // The outbox tried, failed, and keeps every decision.
    await waitUntil(async () => (await outboxEntries()).some(([, e]) => e.attempts >= 2), 'no retry while down', { timeout: 5000 });
    expect(await (await controller.outbox())!.waiting()).to.equal(3);
    await control('receiver', { action: 'start' });
    await drained(controller);
    await expectExactlyOnce(controller, [...before, ...during]);
  });

  it('while the receiver is down, the outbox waits for its backoff: no busy loop', async () => {
    const controller = await open(config.receiver, { baseDelayMs: 300, maxDelayMs: 600 });
    await control('receiver', { action: 'stop' });
    const ids = await decide(controller, 3);
    await waitUntil(async () => (await outboxEntries()).some(([, e]) => e.attempts >= 1), 'no attempt', { timeout: 5000 });
    // Count the IndexedDB transactions the page opens in one second of waiting.
    let transactions = 0;
    const real = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      transactions++;
      return real.apply(this, args);
    } as IDBDatabase['transaction'];
    try {
      await sleep(1000);
    } finally {
      IDBDatabase.prototype.transaction = real;
    }
    // A few retries of the first receipt (300 ms, then 600 ms, with jitter), a few transactions each.
    expect(transactions, 'IndexedDB transactions in one second').to.be.below(40);
    await control('receiver', { action: 'start' });
    await drained(controller);
    await expectExactlyOnce(controller, ids);
  });

  it('500s: retried with backoff under the same Idempotency-Key', async () => {
    const mark = await logMark();
    const controller = await open();
    const ids = await phase(controller, 3, { mode: 'status', status: 500, times: 3 });
    await expectExactlyOnce(controller, ids);
    const events = await proxyLog(mark);
    const failed = events.filter((e) => e.fault === 'status');
    expect(failed).to.have.length(3);
    for (const e of failed) {
      // Each refused receipt went again, under its key, and was stored then.
      for (const key of e.keys ?? [e.key!]) {
        expect(postsOf(events, key).filter((p) => p.seq > e.seq && p.upstream === 201)).to.have.length(1);
      }
    }
  });

  it('500 after the receiver stored it: the retry gets the same answer (200), nothing twice', async () => {
    const mark = await logMark();
    const controller = await open();
    const ids = await phase(controller, 1, { mode: 'status', status: 500, forward: true, times: 2 });
    await expectExactlyOnce(controller, ids);
    expect(postsOf(await proxyLog(mark), ids[0]!).map((p) => [p.fault, p.upstream])).to.deep.equal([
      ['status', 201],
      ['status', 200],
      [undefined, 200],
    ]);
  });

  for (const status of [429, 503]) {
    it(`${status} with Retry-After: waits as long as the receiver asked`, async () => {
      const mark = await logMark();
      const controller = await open();
      const ids = await phase(controller, 3, { mode: 'retry-after', status, seconds: 1, times: 1 });
      await expectExactlyOnce(controller, ids);
      const events = await proxyLog(mark);
      const refused = events.find((e) => e.fault === 'retry-after')!;
      const retry = postsOf(events, refused.key ?? refused.keys![0]!).find((e) => e.seq > refused.seq)!;
      // The backoff alone would have retried within ~60 ms.
      expect(retry.at - refused.at, 'the retry came after Retry-After').to.be.within(950, 5000);
      // Nothing went to the receiver meanwhile (beyond what was already on its way with it).
      const meanwhile = events.filter((e) => e.method === 'POST' && e.at > refused.at + 600 && e.at < retry.at);
      expect(meanwhile).to.deep.equal([]);
    });
  }

  it('a timeout (no answer at all), before and after the receiver stored the receipt', async () => {
    const mark = await logMark();
    const controller = await open();
    const ids = [
      ...(await phase(controller, 1, { mode: 'hang', times: 1 })),
      ...(await phase(controller, 1, { mode: 'hang', forward: true, times: 1 })),
      ...(await phase(controller, 4, { mode: 'hang', times: 1 }, { mode: 'hang', forward: true, times: 1 })),
    ];
    await expectExactlyOnce(controller, ids);
    const events = await proxyLog(mark);
    expect(postsOf(events, ids[0]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['hang', undefined], [undefined, 201]]);
    expect(postsOf(events, ids[1]!).map((p) => [p.fault, p.upstream]), 'stored, its answer lost').to.deep.equal([['hang', 201], [undefined, 200]]);
  });

  it('a reset connection, before and after the receiver stored the receipt', async () => {
    const mark = await logMark();
    const controller = await open();
    const ids = [
      ...(await phase(controller, 1, { mode: 'reset', times: 2 })),
      ...(await phase(controller, 1, { mode: 'reset', forward: true, times: 2 })),
      ...(await phase(controller, 4, { mode: 'reset', times: 2 }, { mode: 'reset', forward: true, times: 2 })),
    ];
    await expectExactlyOnce(controller, ids);
    const events = await proxyLog(mark);
    expect(postsOf(events, ids[0]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['reset', undefined], ['reset', undefined], [undefined, 201]]);
    expect(postsOf(events, ids[1]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['reset', 201], ['reset', 200], [undefined, 200]]);
  });

  it('a 200 with a garbage body: not JSON (not forwarded), and the wrong shape or cut short (stored, answer replaced)', async () => {
    const mark = await logMark();
    const controller = await open();
    const ids = [
      ...(await phase(controller, 1, { mode: 'garbage', times: 1 })),
      ...(await phase(controller, 1, { mode: 'garbage', forward: true, shape: true, times: 1 })),
      ...(await phase(controller, 1, { mode: 'garbage', forward: true, times: 1 })),
      ...(await phase(controller, 3, { mode: 'garbage', times: 1 }, { mode: 'garbage', forward: true, times: 1 })),
    ];
    await expectExactlyOnce(controller, ids);
    const events = await proxyLog(mark);
    expect(postsOf(events, ids[0]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['garbage', undefined], [undefined, 201]]);
    expect(postsOf(events, ids[1]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['garbage', 201], [undefined, 200]]);
    expect(postsOf(events, ids[2]!).map((p) => [p.fault, p.upstream])).to.deep.equal([['garbage', 201], [undefined, 200]]);
  });

  it('offline, then online: nothing is sent while offline; coming back online flushes', async () => {
    const controller = await open();
    const outbox = (await controller.outbox())!;
    const mark = await logMark();
    // Playwright's offline emulation, for 3 s (the page cannot reach the runner meanwhile).
    await executeServerCommand('akkoord-offline', { offlineForMs: 3000 });
    await waitUntil(() => navigator.onLine === false, 'not offline', { timeout: 2000 });
    const online = new Promise<void>((resolve) => addEventListener('online', () => resolve(), { once: true }));
    const ids = await decide(controller, 3);
    expect(await outbox.flush()).to.deep.equal({ sent: 0, waiting: 3, skipped: 'offline' });
    await online;
    // No flush() here: the outbox listens for 'online' itself.
    await drained(controller);
    await expectExactlyOnce(controller, ids);
    // All three in one batch, in the order decided.
    const events = await proxyLog(mark);
    expect(events.filter((e) => e.method === 'POST')).to.have.length(1);
    expect(keysOf(events)).to.deep.equal(ids);
  });

  it('a network that drops every connection while the browser thinks it is online, then recovers', async () => {
    await control('proxy', { down: true });
    const controller = await open();
    const ids = await decide(controller, 3);
    await waitUntil(async () => (await outboxEntries()).some(([, e]) => e.attempts >= 2), 'no retry while down', { timeout: 5000 });
    await control('proxy', { down: false });
    await drained(controller);
    await expectExactlyOnce(controller, ids);
  });

  it('a reload during a flush: the page is gone mid-request, the next page sends the same receipts', async () => {
    for (const forward of [false, true]) {
      subject = `sync-${Math.random().toString(36).slice(2)}`;
      const mark = await logMark();
      await faults({ mode: 'hang', forward });
      const { frame, akkoord } = await tab();
      const before = akkoord.getConsentController(options(config.proxy, { timeoutMs: 30_000 }));
      await before.ready;
      const ids = await decide(before, 2);
      await waitUntil(async () => (await proxyLog(mark)).some((e) => e.fault === 'hang'), 'the flush did not start', { timeout: 5000 });
      const built = (await storage.list('built:')).map(([key]) => key.slice('built:'.length));
      expect(built, 'the receipts were built and kept before they were sent').to.include(ids[0]);
      frame.remove(); // as a reload, or a crash, would
      await faults();
      const after = await open();
      await drained(after);
      await expectExactlyOnce(after, ids);
      const posts = postsOf(await proxyLog(mark), ids[0]!);
      expect(posts.at(-1)!.upstream, forward ? 'stored by the lost request: replayed' : 'stored now').to.equal(forward ? 200 : 201);
      resetConsentControllers();
    }
  });

  for (const query of ['', '?no-locks']) {
    it(`a tab that dies mid-flush: the other tab takes over by itself${query ? ', without Web Locks' : ''}`, async () => {
      const mark = await logMark();
      await faults({ mode: 'hang' });
      const { frame, akkoord } = await tab(query);
      const gone = akkoord.getConsentController(options(config.proxy, { timeoutMs: 30_000 }));
      await gone.ready;
      const ids = await decide(gone, 1);
      await waitUntil(async () => (await proxyLog(mark)).some((e) => e.fault === 'hang'), 'the flush did not start', { timeout: 5000 });
      // This tab decides while the other holds the outbox: its flush is skipped, and nothing else will call it.
      const other = await tab(query);
      const here = other.akkoord.getConsentController(options());
      await here.ready;
      await sleep(2);
      ids.push(...(await decide(here, 1)));
      expect((await (await here.outbox())!.flush()).skipped).to.equal('another-tab');
      await faults();
      frame.remove();
      if (query) {
        // Without Web Locks, the dead tab's lease runs out (30 s): here it is made to have run out.
        const lease = await storage.get<{ owner: string; until: number }>('outbox-lease');
        if (lease) await storage.commit([['outbox-lease', { ...lease, until: Date.now() }]]);
      }
      await drained(here);
      await expectExactlyOnce(here, ids);
    });


    it(`two tabs flushing at once${query ? ', without Web Locks (the lease in IndexedDB)' : ' (Web Locks)'}`, async () => {
      const mark = await logMark();
      // Slow answers, so that the flushes overlap.
      await faults({ mode: 'delay', ms: 60 });
      const [a, b] = await Promise.all([tab(query), tab(query)]);
      const one = a.akkoord.getConsentController(options());
      const two = b.akkoord.getConsentController(options());
      await Promise.all([one.ready, two.ready]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(...(await decide(one, 1)));
        await sleep(2); // the later decision wins in both tabs: keep them apart, so each tab's record is its own
        ids.push(...(await decide(two, 1)));
        await sleep(2);
      }
      const [outboxOne, outboxTwo] = [(await one.outbox())!, (await two.outbox())!];
      const reports = await Promise.all([outboxOne.flush(), outboxTwo.flush(), outboxOne.flush(), outboxTwo.flush()]);
      expect(reports.some((r) => r.skipped === 'another-tab'), 'one tab at a time').to.be.true;
      await drained(one);
      await drained(two);
      await expectExactlyOnce(one, ids);
      // Each receipt went out once: no tab sent what the other was sending.
      expect(keysOf(await proxyLog(mark)).sort()).to.deep.equal([...ids].sort());
    });
  }

  it('two controllers in one page, deciding and flushing at once', async () => {
    await faults({ mode: 'delay', ms: 40 });
    const one = new ConsentController(options());
    const two = new ConsentController(options());
    await Promise.all([one.ready, two.ready]);
    // Decisions at the same moment: a controller's `record` may then be the other's (the later one wins),
    // so the ids come from what was queued: every decision writes its outbox entry with the record.
    await Promise.all([decide(one, 3), decide(two, 3)]);
    const queued = [...(await outboxEntries()), ...(await storage.list<{ receipt: ConsentReceipt }>(`synced:${subject}:`))];
    const ids = [...new Set(queued.map(([key]) => key.split(':').at(-1)!))];
    expect(ids, 'six decisions, six receipts').to.have.length(6);
    await Promise.all([drained(one), drained(two)]);
    await expectExactlyOnce(one, ids);
    one.dispose();
    two.dispose();
  });

  for (const how of ['flip', 'foreign', 'other']) {
    it(`a forged countersignature (${how}) does not mark the receipt synced`, async () => {
      const controller = await open();
      const errors: ConsentErrorEvent[] = [];
      controller.addEventListener('consent-error', (e) => errors.push(e as ConsentErrorEvent));
      const first = await decide(controller, 1);
      await drained(controller);
      const mark = await logMark();
      await faults({ mode: 'forge', how });
      const second = await decide(controller, 1);
      await waitUntil(async () => (await proxyLog(mark)).filter((e) => e.fault === 'forge').length >= 2, 'no forged answer', { timeout: 5000 });
      await sleep(100);
      expect(await (await controller.outbox())!.waiting(), 'still waiting').to.equal(1);
      expect((await controller.syncedReceipts()).map((s) => s.receipt.consentReceiptID), 'not synced').to.deep.equal(first);
      expect(errors.some((e) => e.code === 'sync-failed' && /countersignature/.test(e.message))).to.be.true;
      await faults();
      await drained(controller);
      await expectExactlyOnce(controller, [...first, ...second]);
    });
  }

  it('many receipts in one chain, sent several at once, through resets, 500s, lost answers and slow answers', async function () {
    this.timeout(40_000);
    const mark = await logMark();
    await faults(
      { mode: 'reset', times: 3 },
      { mode: 'status', status: 500, times: 3 },
      { mode: 'hang', forward: true, times: 2 },
      { mode: 'reset', forward: true, times: 2 },
      { mode: 'garbage', forward: true, times: 2 },
      { mode: 'delay', ms: 5, times: 40 },
    );
    const controller = await open(config.proxy, { baseDelayMs: 20, maxDelayMs: 100 });
    const outbox = (await controller.outbox())!;
    // Queued while the proxy drops every connection, so that they go out together.
    await control('proxy', { down: true });
    const ids = await decide(controller, 90);
    await control('proxy', { down: false });
    void outbox.flush();
    await drained(controller, 30_000);
    await expectExactlyOnce(controller, ids);
    const posts = (await proxyLog(mark)).filter((e) => e.fault !== 'down');
    expect(new Set(keysOf(posts)).size).to.equal(90);
    expect(batches(posts).length, 'sent in batches').to.be.greaterThan(0);
  });

  it('another device moved the chain meanwhile: the queued receipts are built again on its head', async () => {
    const here = await open();
    const first = await decide(here, 1);
    await drained(here);
    // Built and sent (and kept) while the proxy drops connections: they name this browser's head.
    await control('proxy', { down: true });
    const queued = await decide(here, 40);
    await waitUntil(async () => (await storage.list('built:')).length >= 2, 'nothing was built', { timeout: 5000 });
    // The same customer on another device (its own storage), straight to the receiver.
    const device = new ConsentController({ ...options(config.receiver), storage: new MemoryStorage() });
    await device.ready;
    const elsewhere = await decide(device, 2);
    await drained(device);
    await control('proxy', { down: false });
    await drained(here, 15_000);
    await expectExactlyOnce(here, [...first, ...queued], { elsewhere });
    device.dispose();
  });

  it('a receipt refused for good (400) in the middle of a chain: kept as rejected, the rest chained past it', async () => {
    const controller = await open();
    const errors: ConsentErrorEvent[] = [];
    controller.addEventListener('consent-error', (e) => errors.push(e as ConsentErrorEvent));
    const before = await decide(controller, 2);
    await drained(controller);
    await control('proxy', { down: true });
    const queued = await decide(controller, 20);
    // The third receipt of the queue is refused.
    const mark = await logMark();
    await faults({ mode: 'refuse', status: 400, times: 1, key: queued[2] });
    await control('proxy', { down: false });
    await (await controller.outbox())!.flush();
    await drained(controller);
    const refused = (await proxyLog(mark)).filter((e) => e.fault === 'refuse').map((e) => e.key);
    expect(refused).to.have.length(1);
    const kept = [...before, ...queued].filter((id) => id !== refused[0]);
    // Stored once each, in one chain, except the refused one; the synced ones are exactly those.
    const history = await stored();
    expect(history.map((i) => i.receipt.consentReceiptID).sort()).to.deep.equal([...kept].sort());
    let previous: string | null = null;
    for (const item of history) {
      expect(item.receipt.akkoord.previousReceiptHash).to.equal(previous);
      previous = await hashJson(item.receipt);
    }
    expect((await controller.syncedReceipts()).map((s) => s.receipt.consentReceiptID).sort()).to.deep.equal([...kept].sort());
    expect(await storage.get(`rejected:${refused[0]}`), 'kept as evidence').to.have.property('reason').that.includes('400');
    expect(errors.some((e) => e.code === 'receipt-rejected')).to.be.true;
    expect(await storage.list('built:')).to.deep.equal([]);
  });

  it('decisions in the same millisecond: each takes effect, and the chain ends with the last', async () => {
    const frozen = Date.now();
    const controller = getConsentController({ ...options(), now: () => frozen });
    await controller.ready;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      await (i % 2 ? controller.rejectAll() : controller.acceptAll());
      expect(controller.record!.receiptId, `decision ${i} is the one in force`).not.to.be.oneOf(ids);
      expect(controller.isGranted('marketing')).to.equal(i % 2 === 0);
      ids.push(controller.record!.receiptId);
    }
    await drained(controller);
    await expectExactlyOnce(controller, ids);
    // The receiver's chain is in the order decided: its latest receipt is the decision in force.
    expect((await stored()).map((item) => item.receipt.consentReceiptID)).to.deep.equal(ids);
  });

  it('a notice document that never arrives does not stall the outbox', async () => {
    // Another host name for the same proxy: the browser has no cached notice for it.
    const endpoint = config.proxy.replace('127.0.0.1', `n${Math.random().toString(36).slice(2, 8)}.localhost`);
    await faults({ mode: 'hang', method: 'GET', path: '/notices/*', times: 1 });
    const controller = await open(endpoint);
    const ids = await decide(controller, 2);
    await drained(controller);
    await expectExactlyOnce(controller, ids);
  });
});

describe('a backlog goes in batches (POST /receipts/batch), exactly once through faults', function () {
  this.timeout(20_000);

  /**
   * These cases assert each request sent, so a batch of 100 on a busy
   * machine must not time out and go twice: more time than FAST gives.
   */
  const roomy = { timeoutMs: 3000 };
  /** Each item of a batch answered with this status. */
  const allItems = (event: ProxyEvent, status: number) => expect(Object.values(event.items ?? {})).to.deep.equal(event.keys!.map(() => status));

  it('up to 100 receipts per request, in the order decided, each stored by one batch', async () => {
    const mark = await logMark();
    const controller = await open(config.proxy, roomy);
    const ids = await backlog(controller, 150);
    await drained(controller, 15_000);
    await expectExactlyOnce(controller, ids);
    const events = (await proxyLog(mark)).filter((e) => e.method === 'POST');
    expect(events.map((e) => e.path), 'no receipt went on its own').to.deep.equal(['/receipts/batch', '/receipts/batch']);
    expect(events.map((e) => e.keys)).to.deep.equal([ids.slice(0, 100), ids.slice(100)]);
    for (const e of events) allItems(e, 201);
  });

  const wholeBatchFaults: [string, Rule, number][] = [
    ['a 500', { mode: 'status', status: 500 }, 201],
    ['a 500 after the receiver stored the batch', { mode: 'status', status: 500, forward: true }, 200],
    ['a reset connection', { mode: 'reset' }, 201],
    ['a reset after the receiver stored the batch', { mode: 'reset', forward: true }, 200],
    ['a 200 that is not JSON', { mode: 'garbage' }, 201],
    ['a 200 of the wrong shape, the batch stored', { mode: 'garbage', forward: true, shape: true }, 200],
    ['a 200 cut short, the batch stored', { mode: 'garbage', forward: true }, 200],
    ['no answer (timeout), the batch stored', { mode: 'hang', forward: true }, 200],
    ['a 503 with Retry-After', { mode: 'retry-after', status: 503, seconds: 0 }, 201],
  ];
  for (const [what, rule, then] of wholeBatchFaults) {
    it(`${what}: the same batch again, under the same keys; each receipt stored once (${then} per item)`, async () => {
      const mark = await logMark();
      const controller = await open(config.proxy, roomy);
      await faults({ ...rule, times: 1 });
      const ids = await backlog(controller, 30);
      await drained(controller);
      await expectExactlyOnce(controller, ids);
      const sent = batches(await proxyLog(mark));
      expect(sent.map((e) => e.keys), 'sent twice, whole').to.deep.equal([ids, ids]);
      expect(sent[0]!.fault).to.equal(rule.mode);
      allItems(sent[1]!, then);
    });
  }

  it('a batch mixing receipts stored before (their answer lost) and new ones: 200s, then 201s', async () => {
    const mark = await logMark();
    const controller = await open(config.proxy, roomy);
    await faults({ mode: 'hang', forward: true, times: 1 });
    const lost = await backlog(controller, 10);
    await waitUntil(async () => batches(await proxyLog(mark)).some((e) => e.fault === 'hang'), 'the batch did not go', { timeout: 5000 });
    const fresh = await decide(controller, 5);
    await drained(controller);
    await expectExactlyOnce(controller, [...lost, ...fresh]);
    const last = batches(await proxyLog(mark)).at(-1)!;
    expect(last.keys).to.deep.equal([...lost, ...fresh]);
    expect(last.keys!.map((key) => last.items![key])).to.deep.equal([...lost.map(() => 200), ...fresh.map(() => 201)]);
  });

  it('a reload mid-batch: the next page sends the same receipts again, kept byte for byte', async () => {
    for (const forward of [false, true]) {
      subject = `sync-${Math.random().toString(36).slice(2)}`;
      const mark = await logMark();
      await faults({ mode: 'hang', forward });
      const { frame, akkoord } = await tab();
      const before = akkoord.getConsentController(options(config.proxy, { timeoutMs: 30_000 }));
      await before.ready;
      const ids = await backlog(before, 30);
      await waitUntil(async () => batches(await proxyLog(mark)).some((e) => e.fault === 'hang'), 'the batch did not go', { timeout: 5000 });
      const kept = new Map((await storage.list<ConsentReceipt>('built:')).map(([key, receipt]) => [key.slice('built:'.length), canonicalJson(receipt)]));
      expect([...kept.keys()], 'the whole batch was kept before it was sent').to.include.members(ids);
      frame.remove(); // as a reload, or a crash, would
      await faults();
      const after = await open(config.proxy, roomy);
      await drained(after);
      await expectExactlyOnce(after, ids);
      for (const item of await stored()) expect(canonicalJson(item.receipt), 'the receipt kept is the one stored').to.equal(kept.get(item.receipt.consentReceiptID));
      const sent = batches(await proxyLog(mark));
      expect(sent.map((e) => e.keys)).to.deep.equal([ids, ids]);
      allItems(sent[1]!, forward ? 200 : 201);
      resetConsentControllers();
    }
  });

  it('a forged countersignature in the middle of a batch: the items before it are kept, it and the rest wait', async () => {
    const controller = await open(config.proxy, roomy);
    const errors: ConsentErrorEvent[] = [];
    controller.addEventListener('consent-error', (e) => errors.push(e as ConsentErrorEvent));
    const mark = await logMark();
    // The rule names the fifth receipt: armed once it is decided, before anything is sent.
    const ids = await backlog(controller, 10, (decided) => faults({ mode: 'forge', how: 'foreign', key: decided[4] }));
    await waitUntil(async () => (await proxyLog(mark)).filter((e) => e.fault === 'forge').length >= 2, 'no forged answer', { timeout: 5000 });
    await sleep(100);
    expect(await (await controller.outbox())!.waiting(), 'the forged one and those after it wait').to.equal(6);
    expect((await controller.syncedReceipts()).map((s) => s.receipt.consentReceiptID).sort()).to.deep.equal(ids.slice(0, 4).sort());
    expect(errors.some((e) => e.code === 'sync-failed' && /countersignature/.test(e.message))).to.be.true;
    await faults();
    await drained(controller);
    await expectExactlyOnce(controller, ids);
  });

  for (const status of [404, 405]) {
    it(`a receiver without batches (${status}): the receipts go one by one, and keep doing so`, async () => {
      const mark = await logMark();
      await faults({ mode: 'status', status, path: '/receipts/batch' });
      const controller = await open(config.proxy, roomy);
      const first = await backlog(controller, 20);
      await drained(controller);
      const second = await backlog(controller, 5);
      await drained(controller);
      const ids = [...first, ...second];
      await expectExactlyOnce(controller, ids);
      const events = (await proxyLog(mark)).filter((e) => e.method === 'POST');
      expect(batches(events).map((e) => [e.keys, e.fault]), 'asked once').to.deep.equal([[first, 'status']]);
      for (const id of ids) expect(postsOf(events, id).filter((e) => e.path === '/receipts' && e.upstream === 201), id).to.have.length(1);
    });
  }

  it('a batch too large for what is in front of the receiver (413): halves, and goes on', async () => {
    const mark = await logMark();
    await faults({ mode: 'status', status: 413, path: '/receipts/batch', times: 1 });
    const controller = await open(config.proxy, roomy);
    const ids = await backlog(controller, 40);
    await drained(controller);
    await expectExactlyOnce(controller, ids);
    const sent = batches(await proxyLog(mark));
    expect(sent.map((e) => e.keys)).to.deep.equal([ids, ids.slice(0, 20), ids.slice(20)]);
    expect(sent.map((e) => e.fault ?? e.upstream)).to.deep.equal(['status', 200, 200]);
  });
});
