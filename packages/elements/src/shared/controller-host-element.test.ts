import { expect, fixture, html } from '@open-wc/testing';
import { ControllerHostElement } from './controller-host-element.js';

/** A ControllerHostElement as the banner is written: explicit accessors, an attribute for `label`; it counts its updates. */
class Labelled extends ControllerHostElement {
  static readonly observedAttributes = ['label', 'lang'];
  #label?: string;
  #note?: { text: string };
  updates = 0;

  constructor() {
    super();
    this.adoptProperties(['label', 'note']);
  }

  get label(): string | undefined {
    return this.#label;
  }
  set label(value: string | undefined) {
    this.#label = value ?? undefined;
    this.requestUpdate();
  }

  get note(): { text: string } | undefined {
    return this.#note;
  }
  set note(value: { text: string } | undefined) {
    this.#note = value;
    this.requestUpdate();
  }

  override attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'label') this.label = value ?? undefined;
    else this.requestUpdate();
  }

  protected update(): void {
    this.updates++;
    this.textContent = `${this.label ?? ''}|${this.note?.text ?? ''}`;
  }
}

let count = 0;
const uniqueTag = () => `controller-host-element-test-${++count}`;

describe('ControllerHostElement', () => {
  it('updates once per batch of changes, from properties and attributes', async () => {
    const tag = uniqueTag();
    customElements.define(tag, class extends Labelled {});
    const el = document.createElement(tag) as Labelled;
    document.body.append(el);
    el.label = 'a';
    el.setAttribute('label', 'b');
    el.note = { text: 'n' };
    await el.updateComplete;
    expect(el.textContent).to.equal('b|n');
    expect(el.updates, 'one update for connecting and three changes').to.equal(1);
    el.removeAttribute('label');
    await el.updateComplete;
    expect(el.label).to.equal(undefined);
    expect(el.textContent).to.equal('|n');
    el.remove();
  });

  it('takes over a property set before its tag was defined (tags are defined on demand)', async () => {
    const tag = uniqueTag();
    const early = (await fixture(html`<div></div>`)).appendChild(document.createElement(tag)) as HTMLElement & { note?: unknown };
    early.note = { text: 'set early' };
    customElements.define(tag, class extends Labelled {});
    const el = early as unknown as Labelled;
    await el.updateComplete;
    expect(Object.prototype.hasOwnProperty.call(el, 'note'), 'no own value hides the accessor').to.be.false;
    expect(el.textContent).to.equal('|set early');
    el.note = { text: 'later' };
    await el.updateComplete;
    expect(el.textContent).to.equal('|later');
  });

  it('keeps the host page going when an update throws, and updates again', async () => {
    const tag = uniqueTag();
    let fail = true;
    customElements.define(
      tag,
      class extends Labelled {
        protected override update(): void {
          if (fail) throw new Error('a bug of ours');
          super.update();
        }
      },
    );
    const reported: unknown[] = [];
    // The test runner fails a test on any uncaught error (through window.onerror): this one is ours to look at.
    const runnerOnError = window.onerror;
    window.onerror = (_message, _source, _line, _column, error) => {
      reported.push(error);
      return true;
    };
    try {
      const el = (await fixture(html`<div></div>`)).appendChild(document.createElement(tag)) as Labelled;
      await el.updateComplete;
      expect(reported.map(String)).to.deep.equal(['Error: a bug of ours']);
      fail = false;
      el.label = 'fine';
      await el.updateComplete;
      expect(el.textContent).to.equal('fine|');
    } finally {
      window.onerror = runnerOnError;
    }
  });
});
