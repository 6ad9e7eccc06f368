import { expect } from '@open-wc/testing';
import { createStore, del, get, set } from 'idb-keyval';
import { ConsentController, type ConsentControllerOptions } from './controller.js';
import { DATABASE_NAME, MemoryStorage, STORE_NAME } from './storage.js';
import type { ConsentNotice, ConsentRecord } from './types.js';

const store = createStore(DATABASE_NAME, STORE_NAME);
const HASH_A = `sha256:${'a'.repeat(64)}`;
const HASH_B = `sha256:${'b'.repeat(64)}`;
const FINGERPRINT = `sha256:${'f'.repeat(64)}`;

let counter = 0;
/** A notice of its own for every test, so that tests share no stored record. */
function notice(overrides: Partial<ConsentNotice> = {}): ConsentNotice {
  counter++;
  return {
    id: `test-notice-${Date.now()}-${counter}`,
    version: '2026-01-01',
    hash: HASH_A,
    consentFingerprint: FINGERPRINT,
    purposes: [
      { id: 'registration', legalBasis: 'contract', category: 'service-provision' },
      { id: 'marketing', legalBasis: 'consent', category: 'direct-marketing' },
      { id: 'seminar-announcements', legalBasis: 'consent', category: 'direct-marketing' },
      { id: 'feedback-survey', legalBasis: 'consent', category: 'research' },
    ],
    ...overrides,
  };
}

/** The next event of that type from the target, typed by the event map. */
function oneEvent<K extends 'consent-change' | 'consent-error'>(target: EventTarget, type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as GlobalEventHandlersEventMap[K]), { once: true }));
}

const controllers: ConsentController[] = [];
async function open(options: ConsentControllerOptions): Promise<ConsentController> {
  const controller = new ConsentController({ globalPrivacyControl: false, subject: 'customer-1', ...options });
  controllers.push(controller);
  await controller.ready;
  return controller;
}

afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose();
});

describe('ConsentController', () => {
  it('starts with nothing granted and asks', async () => {
    const c = await open({ notice: notice() });
    expect(c.needsDecision).to.be.true;
    expect(c.decisions).to.deep.equal({});
    expect(c.consentPurposes).to.deep.equal(['marketing', 'seminar-announcements', 'feedback-survey']);
    for (const id of c.consentPurposes) expect(c.isGranted(id)).to.be.false;
    expect(c.storageMode).to.equal('indexeddb');
  });

  it('reads and writes nothing more than it must on a first visit: the pseudonym comes with the decision', async () => {
    await del('subject', store);
    await del('integrity-key', store);
    const n = notice();
    const first = new ConsentController({ notice: n, globalPrivacyControl: false });
    controllers.push(first);
    await first.ready;
    expect(first.needsDecision).to.be.true;
    expect(first.subject).to.equal('');
    expect(await get('subject', store), 'no pseudonym before a decision').to.be.undefined;
    expect(await get('integrity-key', store), 'no key before a decision').to.be.undefined;
    // A second tab of the same first visit hears the decision made in the first.
    const second = new ConsentController({ notice: n, globalPrivacyControl: false });
    controllers.push(second);
    await second.ready;
    const heard = oneEvent(second, 'consent-change');
    await first.acceptAll({ source: 'user' });
    expect(first.subject).to.match(/^psn_[0-9a-f]{24}$/);
    expect(await get('subject', store)).to.equal(first.subject);
    await heard;
    expect(second.subject).to.equal(first.subject);
    expect(second.isGranted('marketing')).to.be.true;
  });

  it('keeps "accept all" across a reload and stops asking', async () => {
    const n = notice();
    const first = await open({ notice: n });
    const changed = oneEvent(first, 'consent-change');
    await first.acceptAll({ source: 'user' });
    const event = (await changed);
    expect(event.method).to.equal('accept-all');
    expect(event.source).to.equal('user');
    first.dispose();

    const reloaded = new ConsentController({ notice: n, subject: 'customer-1', globalPrivacyControl: false });
    controllers.push(reloaded);
    const restored = (await oneEvent(reloaded, 'consent-change'));
    expect(restored.source).to.equal('restored');
    expect(reloaded.needsDecision).to.be.false;
    expect(reloaded.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'granted', 'feedback-survey': 'granted' });
  });

  it('never bundles contract purposes into "accept all"', async () => {
    const c = await open({ notice: notice() });
    await c.acceptAll();
    expect(c.get('registration')).to.be.undefined;
    expect(Object.keys(c.decisions)).not.to.include('registration');
  });

  it('keeps "reject all" across a reload: no asking again', async () => {
    const n = notice();
    await (await open({ notice: n })).rejectAll({ source: 'user' });
    const reloaded = await open({ notice: n });
    expect(reloaded.needsDecision).to.be.false;
    expect(Object.values(reloaded.decisions)).to.deep.equal(['denied', 'denied', 'denied']);
  });

  it('changes one purpose and leaves the others as they were', async () => {
    const c = await open({ notice: notice() });
    await c.acceptAll();
    await c.withdraw('seminar-announcements', { source: 'user' });
    expect(c.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'denied', 'feedback-survey': 'granted' });
    expect(c.record?.method).to.equal('preferences');
  });

  it('denies what a first partial save leaves open: nothing is granted by silence', async () => {
    const c = await open({ notice: notice() });
    await c.grant('marketing');
    expect(c.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'denied', 'feedback-survey': 'denied' });
    expect(c.record?.method).to.equal('api');
  });

  it('rejects unknown purposes and decisions with a message that lists the right ones', async () => {
    const c = await open({ notice: notice() });
    let error: unknown;
    await c.grant('registration').catch((e) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
    expect(String(error)).to.include('marketing, seminar-announcements, feedback-survey');
    error = undefined;
    await c.save({ marketing: 'yes' as never }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(c.decisions).to.deep.equal({});
  });

  it('asks again once the decision has expired', async () => {
    const n = notice();
    let now = Date.UTC(2026, 0, 1);
    const c = await open({ notice: n, now: () => now, maxAgeMs: 1000 });
    await c.rejectAll();
    expect(c.needsDecision).to.be.false;
    now += 999;
    expect(c.needsDecision).to.be.false;
    now += 1;
    expect(c.needsDecision).to.be.true;
    expect(c.decisions).to.deep.equal({});
  });

  it('expires after twelve months by default', async () => {
    const n = notice();
    let now = Date.UTC(2026, 0, 1);
    await (await open({ notice: n, now: () => now })).acceptAll();
    now = Date.UTC(2026, 11, 31);
    expect((await open({ notice: n, now: () => now })).needsDecision).to.be.false;
    now = Date.UTC(2027, 0, 2);
    expect((await open({ notice: n, now: () => now })).needsDecision).to.be.true;
  });

  describe('lifetimes: a grant and a refusal are kept for different periods', () => {
    /** Whether a visitor who decided on 1 January 2026 is asked again on `date`, in a fresh page (a new controller). */
    async function askedOn(n: ConsentNotice, decide: (c: ConsentController) => Promise<void>, ...dates: number[]): Promise<boolean[]> {
      let now = Date.UTC(2026, 0, 1);
      const storage = new MemoryStorage();
      await decide(await open({ notice: n, now: () => now, storage }));
      const answers: boolean[] = [];
      for (const date of dates) {
        now = date;
        answers.push((await open({ notice: n, now: () => now, storage })).needsDecision);
      }
      return answers;
    }
    const day = (month: number, date: number, year = 2026) => Date.UTC(year, month, date);

    it('by default a refusal holds 6 months and a grant 12', async () => {
      const n = notice();
      expect(await askedOn(n, (c) => c.rejectAll(), day(5, 30), day(6, 1))).to.deep.equal([false, true]);
      // One refusal among grants is a refusal: the person is asked again after 6 months.
      expect(await askedOn(n, (c) => c.save({ marketing: 'granted', 'seminar-announcements': 'denied' }), day(5, 30), day(6, 1))).to.deep.equal([false, true]);
      expect(await askedOn(n, (c) => c.acceptAll(), day(6, 1), day(11, 31), day(0, 1, 2027))).to.deep.equal([false, false, true]);
    });

    it('the notice sets them (consentLifetime), and the record says when it ends', async () => {
      const n = notice({ consentLifetime: { grantedMonths: 3, refusedMonths: 1 } });
      expect(await askedOn(n, (c) => c.rejectAll(), day(0, 31), day(1, 1))).to.deep.equal([false, true]);
      expect(await askedOn(n, (c) => c.acceptAll(), day(2, 31), day(3, 1))).to.deep.equal([false, true]);
      const c = await open({ notice: n, now: () => day(0, 15) });
      await c.acceptAll();
      expect(c.record!.expiresAt).to.equal(day(3, 15));
    });

    it('maxAgeMs, the host\'s own choice, overrides both', async () => {
      let now = day(0, 1);
      const c = await open({ notice: notice({ consentLifetime: { grantedMonths: 3 } }), now: () => now, maxAgeMs: 1000 });
      await c.acceptAll();
      now += 1000;
      expect(c.needsDecision).to.be.true;
    });
  });

  it('asks again after a material change, and not after another edit', async () => {
    const n = notice();
    await (await open({ notice: n })).acceptAll();
    const edited = await open({ notice: { ...n, hash: HASH_B, version: '2026-02-01' } });
    expect(edited.needsDecision).to.be.false;
    expect(edited.isGranted('marketing')).to.be.true;
    const material = await open({ notice: { ...n, hash: HASH_B, consentFingerprint: `sha256:${'e'.repeat(64)}` } });
    expect(material.needsDecision).to.be.true;
    expect(material.isGranted('marketing')).to.be.false;
  });

  it('asks about a consent purpose that was added, keeping nothing pre-granted', async () => {
    const n = notice();
    const c = await open({ notice: n });
    await c.acceptAll();
    const added = await open({
      notice: { ...n, purposes: [...n.purposes, { id: 'new-thing', legalBasis: 'consent', category: 'research' }] },
    });
    expect(added.needsDecision).to.be.true;
    expect(added.isGranted('new-thing')).to.be.false;
  });

  describe('Global Privacy Control', () => {
    it('denies marketing purposes by default, says so, and lets the person opt in', async () => {
      const c = await open({ notice: notice(), globalPrivacyControl: true });
      expect(c.gpcHonoured).to.be.true;
      expect(c.record?.method).to.equal('gpc');
      expect(c.decisions).to.deep.equal({ marketing: 'denied', 'seminar-announcements': 'denied' });
      // The research purpose is no marketing: GPC does not decide it, so the person is still asked.
      expect(c.needsDecision).to.be.true;
      await c.grant('marketing', { source: 'user' });
      expect(c.isGranted('marketing')).to.be.true;
      expect(c.gpcHonoured).to.be.false;
    });

    it('decides nothing without the signal', async () => {
      const c = await open({ notice: notice(), globalPrivacyControl: false });
      expect(c.record).to.be.undefined;
      expect(c.gpcHonoured).to.be.false;
    });
  });

  describe('storage that cannot be trusted or used', () => {
    it('treats a corrupt record as no decision and reports it', async () => {
      const n = notice();
      await set(`record:${n.id}:customer-1`, '{"this is": not json', store);
      const c = new ConsentController({ notice: n, subject: 'customer-1', globalPrivacyControl: false });
      controllers.push(c);
      const error = (await oneEvent(c, 'consent-error'));
      expect(error.code).to.equal('record-invalid');
      await c.ready;
      expect(c.needsDecision).to.be.true;
    });

    it('treats a record edited behind its back as no decision', async () => {
      const n = notice();
      await (await open({ notice: n })).rejectAll();
      const key = `record:${n.id}:customer-1`;
      const stored = (await get<ConsentRecord>(key, store))!;
      await set(key, { ...stored, decisions: { ...stored.decisions, marketing: 'granted' } }, store);
      const c = await open({ notice: n });
      expect(c.errors.map((e) => e.code)).to.include('record-tampered');
      expect(c.needsDecision).to.be.true;
      expect(c.isGranted('marketing')).to.be.false;
    });

    it('migrates a version 1 record made for the same document', async () => {
      const n = notice();
      await set(
        `record:${n.id}:customer-1`,
        {
          schemaVersion: 1, subject: 'customer-1', noticeId: n.id, noticeVersion: n.version, noticeHash: n.hash, locale: 'nl',
          purposes: { marketing: true, 'seminar-announcements': false, 'feedback-survey': false },
          method: 'preferences', timestamp: new Date().toISOString(),
        },
        store,
      );
      const c = await open({ notice: n });
      expect(c.needsDecision).to.be.false;
      expect(c.decisions).to.deep.equal({ marketing: 'granted', 'seminar-announcements': 'denied', 'feedback-survey': 'denied' });
      const migrated = await get<ConsentRecord>(`record:${n.id}:customer-1`, store);
      expect(migrated?.schemaVersion).to.equal(2);
      expect(migrated?.integrity).to.be.a('string');
    });

    it('asks again after migrating a version 1 record made for another document', async () => {
      const n = notice();
      await set(
        `record:${n.id}:customer-1`,
        {
          schemaVersion: 1, subject: 'customer-1', noticeId: n.id, noticeVersion: 'old', noticeHash: HASH_B, locale: 'nl',
          purposes: { marketing: true }, method: 'accept-all', timestamp: new Date().toISOString(),
        },
        store,
      );
      expect((await open({ notice: n })).needsDecision).to.be.true;
    });

    it('keeps a decision in memory when writing fails, and reports it', async () => {
      const failing = new MemoryStorage();
      const put = failing.put.bind(failing);
      failing.put = async (key, value, keep) => {
        if (key.startsWith('record:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put(key, value, keep);
      };
      const c = await open({ notice: notice(), storage: failing });
      await c.acceptAll();
      expect(c.errors.map((e) => e.code)).to.include('storage-write-failed');
      expect(c.errors.at(-1)!.message).to.include('QuotaExceededError');
      expect(c.isGranted('marketing')).to.be.true;
    });

    it('works in memory when IndexedDB is missing', async () => {
      const descriptor = Object.getOwnPropertyDescriptor(window, 'indexedDB');
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
      try {
        const c = await open({ notice: notice() });
        expect(c.storageMode).to.equal('memory');
        expect(c.errors[0]?.code).to.equal('storage-unavailable');
        await c.acceptAll();
        expect(c.isGranted('marketing')).to.be.true;
      } finally {
        if (descriptor) Object.defineProperty(window, 'indexedDB', descriptor);
        else delete (window as { indexedDB?: unknown }).indexedDB;
      }
    });

    it('works in memory when IndexedDB throws on open', async () => {
      const original = indexedDB.open;
      indexedDB.open = () => {
        throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
      };
      try {
        const c = await open({ notice: notice(), subject: `private-${counter}` });
        expect(c.storageMode).to.equal('memory');
        expect(c.errors[0]?.message).to.include('InvalidStateError');
      } finally {
        indexedDB.open = original;
      }
    });
  });

  describe('tabs', () => {
    it('shows a decision made in another controller of the same origin, via BroadcastChannel', async () => {
      const n = notice();
      const tabA = await open({ notice: n });
      const tabB = await open({ notice: n });
      const seen = oneEvent(tabB, 'consent-change');
      await tabA.acceptAll({ source: 'user' });
      const event = (await seen);
      expect(event.source).to.equal('other-tab');
      expect(tabB.isGranted('marketing')).to.be.true;
      const withdrawn = oneEvent(tabB, 'consent-change');
      await tabA.withdraw('marketing', { source: 'user' });
      await withdrawn;
      expect(tabB.isGranted('marketing')).to.be.false;
    });

    it('ends in one state when two tabs decide at once', async () => {
      const n = notice();
      const tabA = await open({ notice: n });
      const tabB = await open({ notice: n });
      await Promise.all([tabA.acceptAll(), tabB.rejectAll()]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(tabA.decisions).to.deep.equal(tabB.decisions);
      expect(tabA.record?.receiptId).to.equal(tabB.record?.receiptId);
      const stored = await get<ConsentRecord>(`record:${n.id}:customer-1`, store);
      expect(stored?.receiptId).to.equal(tabA.record?.receiptId);
    });
  });
});
