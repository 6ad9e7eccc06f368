/**
 * The letter prints alone on a full page, without CSS from the host: a page
 * with a header, other content around the element, and <privacy-rights>
 * slotted into a host component's shadow root beside that component's own
 * content. In emulated print media, once a letter is prepared, the letter
 * is all that shows; before it, and after the form changes, the page prints
 * as it is. (test/node/print-letter.test.mjs counts the pages the demo's
 * account page prints.)
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import './define.js';
import type { PrivacyRights } from './privacy-rights.js';

const MANIFEST = '/packages/notices/dist/data/gmo-registry/manifest.json';
const PERSON = {
  right: 'access',
  name: 'Anna de Vries',
  email: 'anna@example.nl',
  street: 'Keizersgracht 1',
  postalCode: '1015 AA',
  locality: 'Amsterdam',
  country: 'Nederland',
};

/** A host component of the page: its own heading, then what it is given. */
class AccountPanel extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = '<h2>Account panel</h2><p>Panel text</p><div class="slot-box"><slot></slot></div><p>Panel footer</p>';
  }
}
if (!customElements.get('test-account-panel')) customElements.define('test-account-panel', AccountPanel);

/** The texts that render, across shadow roots, and whether each is in the letter. */
function visibleTexts(letter: Element | null): { text: string; inLetter: boolean }[] {
  const found: { text: string; inLetter: boolean }[] = [];
  const visit = (root: ParentNode) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent)
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      if (own && el.checkVisibility()) found.push({ text: own, inLetter: letter?.contains(el) ?? false });
    }
  };
  visit(document.body);
  return found;
}

async function page(): Promise<{ rights: PrivacyRights }> {
  const root = await fixture(html`<div>
    <header><p>Site header</p></header>
    <main>
      <h1>Your account</h1>
      <p>Account text</p>
      <test-account-panel>
        <privacy-rights notice=${MANIFEST} lang="en"></privacy-rights>
      </test-account-panel>
      <p>After the panel</p>
    </main>
  </div>`);
  const rights = root.querySelector('privacy-rights')!;
  expect(await rights.loadComplete).to.equal(true);
  return { rights };
}

async function prepareLetter(rights: PrivacyRights): Promise<Element> {
  for (const [name, value] of Object.entries(PERSON)) {
    const control = rights.shadowRoot!.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)!;
    control.value = value;
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }
  await rights.updateComplete;
  rights.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="postal"]')!.click();
  await rights.updateComplete;
  await rights.updateComplete;
  return rights.shadowRoot!.querySelector('[part~="letter"]')!;
}

const outsideTheLetter = (letter: Element | null) => visibleTexts(letter).filter((t) => !t.inLetter).map((t) => t.text);

describe('<privacy-rights> prints the letter alone', () => {
  afterEach(async () => {
    fixtureCleanup();
    await emulateMedia({ media: 'screen' });
  });

  it('in print, the page shows only the letter once it is prepared, and all of itself before', async () => {
    const { rights } = await page();
    await emulateMedia({ media: 'print' });
    expect(outsideTheLetter(null)).to.include.members(['Site header', 'Your account', 'Account panel', 'After the panel']);

    await emulateMedia({ media: 'screen' });
    const letter = await prepareLetter(rights);
    expect(letter).to.exist;
    // On screen nothing changes.
    expect(outsideTheLetter(letter)).to.include.members(['Site header', 'Your account', 'Account panel', 'Panel footer', 'After the panel']);

    await emulateMedia({ media: 'print' });
    expect(outsideTheLetter(letter)).to.deep.equal([]);
    const inLetter = visibleTexts(letter).map((t) => t.text).join(' ');
    for (const words of ['Anna de Vries', 'Keizersgracht 1', 'Dear Sir or Madam,', 'Yours faithfully,']) expect(inLetter).to.contain(words);
  });

  it('prints the page again when the form changes, and leaves no trace when the element goes', async () => {
    const sheetsBefore = document.adoptedStyleSheets.length;
    const { rights } = await page();
    await prepareLetter(rights);
    const name = rights.shadowRoot!.querySelector<HTMLInputElement>('[name="name"]')!;
    name.value = 'Anna de Vries-Jansen';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    await rights.updateComplete;
    await emulateMedia({ media: 'print' });
    expect(outsideTheLetter(null)).to.include.members(['Site header', 'Account panel', 'After the panel']);

    await emulateMedia({ media: 'screen' });
    await prepareLetter(rights);
    const panel = rights.parentElement!;
    rights.remove();
    expect(document.querySelectorAll('[data-akkoord-print-path]')).to.have.length(0);
    expect(panel.shadowRoot!.querySelectorAll('[data-akkoord-print-path]')).to.have.length(0);
    expect(document.adoptedStyleSheets).to.have.length(sheetsBefore);
    expect(panel.shadowRoot!.adoptedStyleSheets).to.have.length(0);
  });
});
