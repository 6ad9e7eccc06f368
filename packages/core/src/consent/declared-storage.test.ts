import { expect } from '@open-wc/testing';
import { ConsentController } from './controller.js';
import { activateGatedScripts } from './gated-scripts.js';
import { MemoryStorage } from './storage.js';
import type { ConsentErrorEvent } from './events.js';

/**
 * A notice whose analytics purpose declares a cookie by name, a family of
 * cookies by pattern, one on a path of its own, and storage keys; the
 * marketing purpose declares a cookie that must outlive analytics' refusal.
 */
function controller(storage = new MemoryStorage(), id = `declared-${Math.random()}`) {
  return new ConsentController({
    notice: {
      id,
      version: '1',
      hash: `sha256:${'a'.repeat(64)}`,
      consentFingerprint: `sha256:${'f'.repeat(64)}`,
      purposes: [
        {
          id: 'analytics',
          legalBasis: 'consent',
          category: 'service-development',
          cookies: [{ name: 'akk_id' }, { name: 'akk_visit_*' }, { name: 'akk_scoped', path: '/scoped' }],
          storage: [
            { key: 'akk-analytics', type: 'local' },
            { key: 'akk-session-*', type: 'session' },
          ],
        },
        { id: 'marketing', legalBasis: 'consent', category: 'direct-marketing', cookies: [{ name: 'akk_ads' }] },
      ],
    },
    storage,
    globalPrivacyControl: false,
  });
}

/** The analytics "tag": a real script that runs once analytics is granted and sets what it declares. */
function analyticsTag(): HTMLScriptElement {
  const script = document.createElement('script');
  script.type = 'text/plain';
  script.dataset.consent = 'analytics';
  script.text = `
    document.cookie = 'akk_id=1; path=/';
    document.cookie = 'akk_visit_a=1; path=/';
    document.cookie = 'akk_visit_b=1; path=/';
    document.cookie = 'akk_scoped=1; path=/scoped';
    localStorage.setItem('akk-analytics', '1');
    sessionStorage.setItem('akk-session-1', '1');
    sessionStorage.setItem('akk-session-2', '1');
    window.analyticsRan = (window.analyticsRan ?? 0) + 1;
  `;
  return script;
}

declare global {
  interface Window {
    analyticsRan?: number;
  }
}

const cookieNames = () => document.cookie.split(';').map((pair) => pair.split('=')[0]!.trim()).filter((name) => name.startsWith('akk'));
/** The cookies a page on the path /scoped sees: read from a frame there (the server's "not found" page will do). */
async function scopedCookies(): Promise<string[]> {
  const frame = document.createElement('iframe');
  frame.src = '/scoped/page';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const names = frame.contentDocument!.cookie.split(';').map((pair) => pair.split('=')[0]!.trim()).filter((name) => name.startsWith('akk'));
  frame.remove();
  return names.sort();
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('A refused purpose leaves nothing behind', () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    window.analyticsRan = 0;
  });
  afterEach(() => {
    host.remove();
    for (const name of ['akk_id', 'akk_visit_a', 'akk_visit_b', 'akk_ads']) document.cookie = `${name}=; Max-Age=0; path=/`;
    document.cookie = 'akk_scoped=; Max-Age=0; path=/scoped';
    localStorage.removeItem('akk-analytics');
    sessionStorage.clear();
  });

  it('withdrawing analytics deletes the cookies and keys its script set; another purpose keeps its own', async () => {
    const c = controller();
    host.append(analyticsTag());
    const stop = activateGatedScripts(c, host);
    document.cookie = 'akk_ads=1; path=/';
    await c.acceptAll();
    await settle();
    expect(window.analyticsRan).to.equal(1);
    expect(cookieNames().sort()).to.deep.equal(['akk_ads', 'akk_id', 'akk_visit_a', 'akk_visit_b']);
    expect(await scopedCookies()).to.include('akk_scoped');
    expect(localStorage.getItem('akk-analytics')).to.equal('1');

    await c.withdraw('analytics');
    expect(cookieNames(), 'only marketing\'s cookie is left').to.deep.equal(['akk_ads']);
    expect(await scopedCookies()).to.deep.equal(['akk_ads']);
    expect(localStorage.getItem('akk-analytics')).to.equal(null);
    expect(sessionStorage.length).to.equal(0);
    expect(c.errors).to.deep.equal([]);
    stop();
  });

  it('a refusal deletes what is left from before, and so does the next page load while it stays refused', async () => {
    const storage = new MemoryStorage();
    const id = `declared-${Math.random()}`;
    document.cookie = 'akk_visit_old=1; path=/';
    await controller(storage, id).rejectAll();
    expect(cookieNames()).to.deep.equal([]);

    // A script that sets the cookie anyway; on the next page the stored refusal is read, and the cookie goes.
    document.cookie = 'akk_id=1; path=/';
    const nextPage = controller(storage, id);
    const sources: string[] = [];
    nextPage.addEventListener('consent-change', (e) => sources.push((e as Event & { source: string }).source));
    await nextPage.ready;
    expect(sources).to.deep.equal(['restored']);
    expect(cookieNames()).to.deep.equal([]);
  });

  it('a page that may not touch storage gets a consent-error, not an exception', async () => {
    const c = controller();
    const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', { configurable: true, get: () => { throw new DOMException('denied', 'SecurityError'); } });
    try {
      const errors: ConsentErrorEvent[] = [];
      c.addEventListener('consent-error', (e) => errors.push(e as ConsentErrorEvent));
      await c.rejectAll();
      expect(errors.map((e) => e.code)).to.deep.equal(['storage-write-failed']);
      expect(c.decisions).to.deep.equal({ analytics: 'denied', marketing: 'denied' });
    } finally {
      Object.defineProperty(window, 'localStorage', original);
    }
  });
});
