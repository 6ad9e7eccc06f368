import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateMap } from '@lit/localize';
import { LocaleController, msg, renderInLocale, type Catalog, type CatalogLoaders } from './localization.js';
import { ControllerHostElement } from './shared/controller-host-element.js';

// The bundle's form of an element's strings (scripts/build/rollup-strings-out-of-code.mjs): `msg` gets
// a message's number, every locale (English too) is a catalog keyed by those numbers.

/** A numbered catalog: an array, or (a regional variant) an object of the numbers it words differently. */
type Table = readonly string[] | Record<number, string>;
type Tables = Partial<Record<'en' | 'nl' | 'nl-BE', Table | Error>>;

let catalogCount = 0;

/** Loaders for `tables` that log which locale loaded; an Error stands for a catalog that fails to load. */
function numberedCatalog(tables: Tables) {
  const loads: string[] = [];
  const loader = (locale: keyof Tables) => () => {
    loads.push(locale);
    const table = tables[locale];
    if (table instanceof Error || !table) return Promise.reject(table ?? new Error('none'));
    return Promise.resolve({ templates: table as unknown as TemplateMap });
  };
  const loaders: CatalogLoaders = { en: loader('en'), nl: loader('nl'), 'nl-BE': loader('nl-BE') };
  // Each test its own catalog name: what has loaded or failed is remembered per catalog.
  return { name: `numbered-${++catalogCount}` as Catalog, loaders, loads };
}

/** Shows messages 0 and 1 of its catalog, as the banner does: nothing until the catalog it needs has loaded. */
class NumberedStrings extends ControllerHostElement {
  static readonly observedAttributes = ['lang'];
  static catalog: ReturnType<typeof numberedCatalog>;
  private readonly locale = new LocaleController(this, NumberedStrings.catalog.name, NumberedStrings.catalog.loaders);

  protected update(): void {
    const shown = this.locale.show(this.locale.choose());
    const number = (n: number) => (msg as unknown as (n: number) => string)(n);
    this.textContent = shown ? renderInLocale(shown.ui, () => `${number(0)}|${number(1)}`) : '';
  }
}
customElements.define('numbered-strings', NumberedStrings);

const ENGLISH = ['Accept all', 'Reject all'];
const DUTCH = ['Alles accepteren', 'Alles weigeren'];

async function show(tables: Tables, lang: string) {
  const catalog = (NumberedStrings.catalog = numberedCatalog(tables));
  const el = await fixture<NumberedStrings>(html`<numbered-strings lang=${lang}></numbered-strings>`);
  return { el, loads: catalog.loads };
}

describe('UI strings out of the code (the bundle\'s numbered catalogs)', () => {
  it('a Dutch reader loads the Dutch catalog only, never the English one', async () => {
    const { el, loads } = await show({ en: ENGLISH, nl: DUTCH }, 'nl');
    await waitUntil(() => el.textContent === 'Alles accepteren|Alles weigeren', `shows ${el.textContent}`);
    expect(loads).to.deep.equal(['nl']);
  });

  it('English loads like any catalog, when it is asked for', async () => {
    const { el, loads } = await show({ en: ENGLISH, nl: DUTCH }, 'nl');
    await waitUntil(() => el.textContent === 'Alles accepteren|Alles weigeren');
    el.lang = 'en';
    await waitUntil(() => el.textContent === 'Accept all|Reject all', `shows ${el.textContent}`);
    expect(loads).to.deep.equal(['nl', 'en']);
  });

  it('nl-BE has only what Belgians word differently; the rest is Dutch', async () => {
    const { el, loads } = await show({ en: ENGLISH, nl: DUTCH, 'nl-BE': { 1: 'Alles afwijzen' } }, 'nl-BE');
    await waitUntil(() => el.textContent === 'Alles accepteren|Alles afwijzen', `shows ${el.textContent}`);
    expect(loads).to.have.members(['nl-BE', 'nl']);
  });

  it('a catalog that does not load falls back to English', async () => {
    const { el, loads } = await show({ en: ENGLISH, nl: new Error('offline') }, 'nl');
    await waitUntil(() => el.textContent === 'Accept all|Reject all', `shows ${el.textContent}`);
    expect(loads).to.deep.equal(['nl', 'en']);
  });

  it('when not even English loads, it shows nothing rather than numbers or empty buttons', async () => {
    const { el, loads } = await show({ en: new Error('offline'), nl: new Error('offline') }, 'nl');
    await waitUntil(() => loads.length === 2);
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(el.textContent).to.equal('');
  });

  it('an element with its English in the code keeps it, and loads no English catalog', async () => {
    const loads: string[] = [];
    const loaders = {
      nl: () => (loads.push('nl'), Promise.resolve({ templates: { 'probe.accept': 'Alles accepteren' } })),
      'nl-BE': () => (loads.push('nl-BE'), Promise.resolve({ templates: {} })),
    } satisfies CatalogLoaders;
    class InlineEnglish extends ControllerHostElement {
      static readonly observedAttributes = ['lang'];
      private readonly locale = new LocaleController(this, 'inline-english' as Catalog, loaders);
      protected update(): void {
        const shown = this.locale.show(this.locale.choose());
        this.textContent = shown ? renderInLocale(shown.ui, () => msg('Accept all', { id: 'probe.accept' })) : '';
      }
    }
    customElements.define('inline-english', InlineEnglish);
    const el = await fixture<InlineEnglish>(html`<inline-english lang="en"></inline-english>`);
    await el.updateComplete;
    expect(el.textContent).to.equal('Accept all');
    el.lang = 'nl';
    await waitUntil(() => el.textContent === 'Alles accepteren', `shows ${el.textContent}`);
    expect(loads).to.deep.equal(['nl']);
  });
});
