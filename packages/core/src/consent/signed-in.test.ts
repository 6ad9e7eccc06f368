// A customer's consent follows them, with real parts: the real receiver
// process on 127.0.0.1 (behind the rig's proxy, test/rig/receiver-plugin.mjs),
// the customer's credentials through `sync.headers` (the receiver runs with
// --demo-auth: `Bearer demo:<subject>` may read that subject's records), and
// two devices of one customer. A device is a browser profile's worth of
// state: an IndexedDB database of its own (its own pseudonym, sealing key,
// records and outbox), and controllers of its own.
import { expect, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { createStore } from 'idb-keyval';
import {
  ConsentController,
  IndexedDbStorage,
  activateGatedScripts,
  type ConsentControllerOptions,
  type ConsentChangeEvent,
  type ConsentSyncEvent,
} from '@akkoord/core/consent';
import { hashJson } from '@akkoord/core/notice';
import type { ConsentReceipt } from '@akkoord/core/receipts';
import { control, rigConfig, type RigConfig } from '../../../../test/fixtures/receiver-rig.js';

interface StoredItem {
  receipt: ConsentReceipt;
  countersignature: string;
}
interface ProxyEvent {
  seq: number;
  method: string;
  path: string;
  upstream?: number;
}

const FIRST_LAYER = '/packages/notices/dist/data/gmo-registry/first-layer.en.json';
/** Quick retries; reads bounded generously, so that a busy machine does not turn a restore into a local decision. */
const FAST = { timeoutMs: 5000, baseDelayMs: 40, maxDelayMs: 300, readTimeoutMs: 5000 };
/** How long a page may wait for a receiver that is down, in the test that stops it. */
const DOWN_READ_TIMEOUT_MS = 1500;

let config: RigConfig;
let layer: ConsentControllerOptions['notice'];
let customer = '';
const opened: ConsentController[] = [];

const stored = async (who: string) => (await control<{ receipts: StoredItem[] }>(`stored?subject=${encodeURIComponent(who)}`)).receipts;
const proxyLog = async (since = 0) => (await control<{ events: ProxyEvent[] }>(`log?since=${since}`)).events;
const logMark = async () => (await proxyLog()).reduce((max, e) => Math.max(max, e.seq), 0);

/** One device of the customer: its own IndexedDB database. */
function device(name: string) {
  const storage = new IndexedDbStorage(createStore(`akkoord-device-${name}-${Math.random().toString(36).slice(2)}`, 'consent'));
  /** A page on this device: signed in as `subject`, or anonymous. */
  const page = async (subject?: string, extra: Partial<ConsentControllerOptions['sync']> = {}) => {
    const controller = new ConsentController({
      notice: layer,
      subject,
      storage,
      sync: {
        endpoint: config.proxy,
        ...FAST,
        ...(subject && { headers: () => ({ authorization: `Bearer demo:${subject}` }) }),
        ...extra,
      },
    });
    opened.push(controller);
    await controller.ready;
    return controller;
  };
  return { storage, page };
}

async function drained(controller: ConsentController, timeout = 6000) {
  const outbox = (await controller.outbox())!;
  await waitUntil(async () => (await outbox.waiting()) === 0, 'the outbox did not drain', { timeout, interval: 50 });
}

/** The customer's chain at the receiver: each receipt once, each naming the one before it. */
async function chainOf(subject: string): Promise<ConsentReceipt[]> {
  const history = await stored(subject);
  let previous: string | null = null;
  for (const { receipt } of history) {
    expect(receipt.akkoord.previousReceiptHash, 'one unbroken chain').to.equal(previous);
    previous = await hashJson(receipt);
  }
  const ids = history.map((item) => item.receipt.consentReceiptID);
  expect(new Set(ids).size, 'no receipt twice').to.equal(ids.length);
  return history.map((item) => item.receipt);
}

/** The page becomes visible again (the person comes back to the tab). */
function comeBack() {
  document.dispatchEvent(new Event('visibilitychange'));
}

const changeFrom = (controller: ConsentController, source: string) =>
  new Promise<ConsentChangeEvent>((resolve) =>
    controller.addEventListener('consent-change', (event) => {
      if ((event as ConsentChangeEvent).source === source) resolve(event as ConsentChangeEvent);
    }),
  );

before(async function () {
  this.timeout(150_000); // the rig may wait for a build that is running (`npm test` builds first)
  config = await rigConfig();
  layer = await (await fetch(FIRST_LAYER)).json();
});

beforeEach(async () => {
  customer = `cust-${Math.random().toString(36).slice(2)}`;
  await control('faults', []);
  await control('proxy', { down: false });
  await control('receiver', { action: 'start' });
});

afterEach(() => {
  for (const controller of opened.splice(0)) controller.dispose();
});

describe('a signed-in customer', () => {
  it('anonymous, then signed in: not asked again; the decision is carried over by a receipt that names where it came from', async () => {
    const laptop = device('laptop');
    const anonymous = await laptop.page();
    await anonymous.rejectAll();
    await anonymous.grant('marketing');
    await drained(anonymous);
    const pseudonym = anonymous.subject;
    const [, pseudonymsLast] = await chainOf(pseudonym);

    const signedIn = await laptop.page(customer);
    expect(signedIn.needsDecision, 'no second ask').to.be.false;
    expect(signedIn.decisions).to.deep.equal(anonymous.decisions);
    await drained(signedIn);

    const [carried, ...more] = await chainOf(customer);
    expect(more, 'one receipt in the customer chain').to.deep.equal([]);
    expect(carried!.piiPrincipalId).to.equal(customer);
    expect(carried!.akkoord.carriedOver).to.deep.equal({ subject: pseudonym, receiptId: pseudonymsLast!.consentReceiptID });
    expect(carried!.akkoord.decisions).to.deep.equal(pseudonymsLast!.akkoord.decisions);
    expect(carried!.akkoord.decidedAt, 'decided when the person decided').to.equal(pseudonymsLast!.akkoord.decidedAt);
  });

  it("at sign-in, a newer decision of the customer's on the receiver wins over the pseudonym's", async () => {
    const phone = device('phone');
    const laptop = device('laptop');
    const anonymous = await laptop.page();
    await anonymous.acceptAll();
    await drained(anonymous);
    // Later, on the phone, signed in: the customer refuses everything.
    const onPhone = await phone.page(customer);
    await onPhone.rejectAll();
    await drained(onPhone);

    const signedIn = await laptop.page(customer);
    expect(signedIn.needsDecision).to.be.false;
    expect(signedIn.decisions, "the phone's decision, made last").to.deep.equal(onPhone.decisions);
    expect(signedIn.record!.receiptId).to.equal(onPhone.record!.receiptId);
    expect((await chainOf(customer)).map((r) => r.consentReceiptID), 'nothing carried over').to.deep.equal([onPhone.record!.receiptId]);
  });

  it('a second device asks the receiver first: no banner, the same switches, and its next decision continues the chain without a 409', async () => {
    const laptop = device('laptop');
    const phone = device('phone');
    const first = await laptop.page(customer);
    await first.save({ marketing: 'granted', 'seminar-announcements': 'denied' });
    await drained(first);

    const mark = await logMark();
    const synced: ConsentSyncEvent[] = [];
    const second = await phone.page(customer);
    expect(second.needsDecision, 'no banner').to.be.false;
    expect(second.decisions, 'the same switches').to.deep.equal(first.decisions);
    const kept = await second.syncedReceipts();
    expect(kept.map((s) => s.receipt.consentReceiptID), 'the countersigned receipt kept here').to.deep.equal([first.record!.receiptId]);

    second.addEventListener('consent-sync', (event) => synced.push(event as ConsentSyncEvent));
    await second.withdraw('marketing');
    await drained(second);
    const chain = await chainOf(customer);
    expect(chain.map((r) => r.consentReceiptID)).to.deep.equal([first.record!.receiptId, second.record!.receiptId]);
    expect(synced.map((e) => [e.receiptId, e.outcome])).to.deep.equal([[second.record!.receiptId, 'stored']]);
    const answers = (await proxyLog(mark)).filter((e) => e.upstream !== undefined).map((e) => e.upstream);
    expect(answers.filter((status) => status === 409 || status === 403), 'no chain conflict, no refusal').to.deep.equal([]);
    expect(answers, 'the reads and the receipt went through the proxy').to.include(201);
  });

  it('a withdrawal on another device arrives when the page becomes visible, and on the next page its gated scripts stay put', async () => {
    const laptop = device('laptop');
    const phone = device('phone');
    const onLaptop = await laptop.page(customer);
    await onLaptop.acceptAll();
    await drained(onLaptop);
    const onPhone = await phone.page(customer);
    expect(onPhone.isGranted('marketing')).to.be.true;

    await onPhone.withdraw('marketing');
    await drained(onPhone);

    const arrived = changeFrom(onLaptop, 'receiver');
    const restored = new Promise<ConsentSyncEvent>((resolve) => onLaptop.addEventListener('consent-sync', (e) => resolve(e as ConsentSyncEvent), { once: true }));
    comeBack();
    await arrived;
    expect(onLaptop.isGranted('marketing'), 'withdrawn on the open page').to.be.false;
    expect((await restored).outcome).to.equal('restored');

    // The next page on the laptop: the gated script does not run.
    const container = document.createElement('div');
    container.innerHTML = '<script type="text/plain" data-consent="marketing">window.__akkoordGated = true;</script>';
    document.body.append(container);
    try {
      const nextPage = await laptop.page(customer);
      const stop = activateGatedScripts(nextPage, container);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(container.querySelector('[data-consent-activated]'), 'the marketing script stays a placeholder').to.equal(null);
      expect(nextPage.isGranted('marketing')).to.be.false;
      stop();
    } finally {
      container.remove();
    }
  });

  it('a change made on another device shows on the next load of a page that kept an older decision', async () => {
    const laptop = device('laptop');
    const phone = device('phone');
    const earlier = await laptop.page(customer);
    await earlier.acceptAll();
    await drained(earlier);
    earlier.dispose();

    const onPhone = await phone.page(customer);
    await onPhone.rejectAll();
    await drained(onPhone);

    const reloaded = await laptop.page(customer);
    expect(reloaded.decisions).to.deep.equal(onPhone.decisions);
    expect(reloaded.record!.receiptId).to.equal(onPhone.record!.receiptId);
  });

  it('both devices decide offline, then come online: one chain, the decision made last in force on both, nothing lost or doubled', async function () {
    this.timeout(20_000);
    const laptop = device('laptop');
    const phone = device('phone');
    const onLaptop = await laptop.page(customer);
    await onLaptop.acceptAll();
    await drained(onLaptop);
    const onPhone = await phone.page(customer);

    await executeServerCommand('akkoord-offline', { offlineForMs: 2500 });
    await waitUntil(() => navigator.onLine === false, 'not offline', { timeout: 2000 });
    const online = new Promise<void>((resolve) => addEventListener('online', () => resolve(), { once: true }));
    const outcomes: string[] = [];
    for (const page of [onPhone, onLaptop]) page.addEventListener('consent-sync', (e) => outcomes.push((e as ConsentSyncEvent).outcome));
    await onPhone.rejectAll();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await onLaptop.save({ marketing: 'granted', 'seminar-announcements': 'granted', 'feature-announcements': 'denied' });
    const last = onLaptop.record!;
    await online;
    await drained(onPhone, 8000);
    await drained(onLaptop, 8000);

    const chain = await chainOf(customer);
    expect(chain.map((r) => r.consentReceiptID).sort(), 'every decision once').to.deep.equal(
      [chain[0]!.consentReceiptID, onPhone.record!.receiptId, last.receiptId].sort(),
    );
    // Whichever arrived second was built on the other's receipt, and says so.
    expect(outcomes.sort(), 'one stored as built, one rebased on the other device').to.deep.equal(['rebased', 'stored']);
    // The phone's decision was made first: whichever arrived first, the laptop's is in force, and the phone takes it over.
    const arrived = changeFrom(onPhone, 'receiver');
    comeBack();
    await arrived;
    expect(onPhone.decisions).to.deep.equal(last.decisions);
    expect(onPhone.record!.receiptId).to.equal(last.receiptId);
    expect(onLaptop.record!.receiptId, 'the laptop keeps its own').to.equal(last.receiptId);
  });

  it('the receiver is down during sign-in: the page works at once, and the carried-over receipt follows later', async () => {
    const laptop = device('laptop');
    const anonymous = await laptop.page();
    await anonymous.grant('marketing');
    await drained(anonymous);

    await control('receiver', { action: 'stop' });
    const started = performance.now();
    const signedIn = await laptop.page(customer, { readTimeoutMs: DOWN_READ_TIMEOUT_MS });
    expect(performance.now() - started, 'not held past the read timeout').to.be.below(DOWN_READ_TIMEOUT_MS + 1500);
    expect(signedIn.needsDecision).to.be.false;
    expect(signedIn.isGranted('marketing')).to.be.true;
    expect(await (await signedIn.outbox())!.waiting(), 'the carried-over receipt waits').to.equal(1);

    await control('receiver', { action: 'start' });
    await (await signedIn.outbox())!.flush();
    await drained(signedIn);
    const [carried] = await chainOf(customer);
    expect(carried!.akkoord.carriedOver?.subject).to.equal(anonymous.subject);
  });
});
