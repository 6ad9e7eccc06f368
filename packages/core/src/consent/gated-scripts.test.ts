import { expect } from '@open-wc/testing';
import { ConsentController } from './controller.js';
import { activateGatedScripts } from './gated-scripts.js';
import { MemoryStorage } from './storage.js';

declare global {
  interface Window {
    gatedRuns?: string[];
  }
}

function controller() {
  return new ConsentController({
    notice: {
      id: `gated-${Math.random()}`,
      version: '1',
      hash: `sha256:${'a'.repeat(64)}`,
      consentFingerprint: `sha256:${'f'.repeat(64)}`,
      purposes: [
        { id: 'marketing', legalBasis: 'consent', category: 'direct-marketing' },
        { id: 'feature-announcements', legalBasis: 'consent', category: 'direct-marketing' },
      ],
    },
    storage: new MemoryStorage(),
    globalPrivacyControl: false,
  });
}

function gated(purposes: string, code: string): HTMLScriptElement {
  const script = document.createElement('script');
  script.type = 'text/plain';
  script.dataset.consent = purposes;
  script.text = code;
  return script;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('activateGatedScripts', () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    window.gatedRuns = [];
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('runs nothing before consent, then each script once, in document order', async () => {
    host.append(
      gated('marketing', "window.gatedRuns.push('first')"),
      gated('feature-announcements', "window.gatedRuns.push('other purpose')"),
      gated('marketing', "window.gatedRuns.push('second')"),
    );
    const c = controller();
    const stop = activateGatedScripts(c, host);
    await c.ready;
    await settle();
    expect(window.gatedRuns).to.deep.equal([]);

    await c.rejectAll();
    await settle();
    expect(window.gatedRuns).to.deep.equal([]);

    await c.grant('marketing');
    await settle();
    expect(window.gatedRuns).to.deep.equal(['first', 'second']);

    await c.withdraw('marketing');
    await c.grant('marketing');
    await settle();
    expect(window.gatedRuns, 'a script runs once, not on every grant').to.deep.equal(['first', 'second']);
    stop();
  });

  it('runs a gated script added after consent was given, and one that needs two purposes only with both', async () => {
    const c = controller();
    const stop = activateGatedScripts(c, host);
    await c.grant('marketing');
    host.append(gated('marketing feature-announcements', "window.gatedRuns.push('both')"));
    host.append(gated('marketing', "window.gatedRuns.push('late')"));
    await settle();
    expect(window.gatedRuns).to.deep.equal(['late']);
    await c.grant('feature-announcements');
    await settle();
    expect(window.gatedRuns).to.deep.equal(['late', 'both']);
    stop();
  });

  it('loads an external gated script only after consent', async () => {
    const c = controller();
    const script = document.createElement('script');
    script.type = 'text/plain';
    script.dataset.consent = 'marketing';
    script.src = `data:text/javascript,window.gatedRuns.push('external')`;
    host.append(script);
    const stop = activateGatedScripts(c, host);
    await c.ready;
    await settle();
    expect(window.gatedRuns).to.deep.equal([]);
    await c.acceptAll();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(window.gatedRuns).to.deep.equal(['external']);
    stop();
  });
});
