/**
 * UI strings: the one place Akkoord's localization is configured.
 *
 * The strings are ordinary @lit/localize runtime-mode messages: `msg()` with
 * an `id` on every call, extracted to XLIFF in `locales/` by `lit-localize
 * extract` and compiled to `generated/locales/<locale>.js` by `lit-localize
 * build`. What differs is who looks them up.
 *
 * Design: we install nothing into @lit/localize. Its `configureLocalization()`
 * (and `configureReentrantLocalization()`) put ONE `msg()` implementation into
 * the page's copy of @lit/localize and throw on a second call. A registrar's
 * app that also uses @lit/localize and shares that copy with us (npm dedupes
 * it) would then break, or break us, depending on who configured first; and
 * its one page-wide locale could not follow each element's `lang`. So `msg`
 * below is our own implementation of @lit/localize's `MsgFn` (the extractor
 * finds it by the type's brand), reading the catalog of the element that is
 * rendering at that moment (`renderInLocale`). The host's
 * `configureLocalization`, `setLocale` and `lit-localize-status` events never
 * reach our elements, and nothing of ours reaches the host's. Loading Akkoord
 * twice (tag manager and npm) gives two independent copies of this module,
 * and nothing throws. `privacy-notice/privacy-notice-coexistence.test.ts` checks it.
 *
 * Locales: `en` (the source), `nl`, and `nl-BE`. `nl-BE.xlf` translates only
 * where Belgian wording differs; its catalogs hold only those messages
 * (scripts/build/split-catalogs.mjs), and a lookup goes along [nl-BE, nl]. So
 * nl-BE without a Belgian target is Dutch, never English.
 *
 * Catalogs load through explicit maps of dynamic imports, which bundlers can
 * follow (not an import of a computed path), one per element and locale
 * (scripts/build/split-catalogs.mjs cuts them from lit-localize's per-locale
 * modules): a Dutch page with only the banner loads the banner's strings,
 * and each element brings its own map.
 *
 * Strings out of the code: in `akkoord.min.js`, the banner's English is a
 * catalog like the others (scripts/build/rollup-strings-out-of-code.mjs), so a
 * Dutch page does not download it. Its `msg` calls then pass the message's
 * number instead of the English, its loaders include `en`, and its
 * catalogs are keyed by those numbers.
 */
import type { MsgFn, MsgOptions, StrResult, TemplateLike, TemplateMap } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matchLocale } from '@akkoord/core/notice/match-locale';
import type { ElementTag } from './elements.js';
import { allLocales, sourceLocale } from './generated/locale-codes.js';

export type UiLocale = (typeof allLocales)[number];
type TargetLocale = Exclude<UiLocale, typeof sourceLocale>;

/**
 * The catalogs: one per element, so a page loads the strings of the elements
 * it shows, and one per part of an element that loads only when needed
 * (scripts/build/split-catalogs.mjs lists those; the part registers its
 * catalog with a LocaleController of its own on the element).
 */
export type Catalog = ElementTag | 'cookie-table';
type CatalogModule = Promise<{ templates: TemplateMap }>;

/**
 * Each element's catalog loaders (generated/catalogs/<element>.ts, written by
 * scripts/build/split-catalogs.mjs), registered by its LocaleController: the
 * loaders travel in the element's chunk, not in the one every page loads.
 * A loader for the source locale means the element's code has no English
 * of its own (the bundle's strings out of the code).
 */
export type CatalogLoaders = Record<TargetLocale, () => CatalogModule> & { [sourceLocale]?: () => CatalogModule };
const loaders = new Map<Catalog, CatalogLoaders>();

/** Where a UI locale looks for a message, most specific first. */
const CHAINS: Record<UiLocale, readonly UiLocale[]> = { en: ['en'], nl: ['nl'], 'nl-BE': ['nl-BE', 'nl'] };

/** The catalogs a locale needs: none for the source locale when the English is in the code. */
function chainOf(locale: UiLocale, catalog: Catalog): readonly UiLocale[] {
  return locale === sourceLocale && !loaders.get(catalog)?.[sourceLocale] ? [] : CHAINS[locale];
}

const key = (catalog: Catalog, locale: UiLocale) => `${catalog}|${locale}`;
const loaded = new Set<string>([]);
/** Every loaded map of a UI locale, each element's in its chain order: what `msg` looks in. */
const maps = new Map<UiLocale, TemplateMap[]>();
const loading = new Map<string, Promise<void>>();
/** Catalogs that failed to load: their elements use the source locale rather than retry in a loop. */
const failed = new Set<string>();
/** The catalogs of the elements on this page, for `setLocale`. */
const used = new Set<Catalog>();

/**
 * The UI locale for a BCP 47 tag: its language and region if we have them
 * (`nl-BE`), else its language (`nl-NL` → `nl`), else `undefined`.
 */
export function resolveUiLocale(tag: string | null | undefined): UiLocale | undefined {
  if (!tag) return undefined;
  const [language = '', ...rest] = tag.toLowerCase().split(/[-_]/);
  const region = rest.find((subtag) => /^[a-z]{2}$|^\d{3}$/.test(subtag));
  const candidates = region ? [`${language}-${region}`, language] : [language];
  for (const candidate of candidates) {
    const found = allLocales.find((locale) => locale.toLowerCase() === candidate);
    if (found) return found;
  }
  return undefined;
}

/** Load an element's catalog for a UI locale (once); `msg` can use it as soon as this resolves. */
export function loadUiLocale(locale: UiLocale, catalog: Catalog): Promise<void> {
  if (isUiLocaleLoaded(locale, catalog)) return Promise.resolve();
  const id = key(catalog, locale);
  let pending = loading.get(id);
  if (!pending) {
    const catalogLoaders = loaders.get(catalog);
    pending = Promise.all(
      chainOf(locale, catalog).map((target) => {
        const load = catalogLoaders?.[target];
        return load ? load() : Promise.reject(new Error(`no UI strings registered for <${catalog}> in ${target}`));
      }),
    ).then(
      (modules) => {
        loaded.add(id);
        maps.set(locale, [...(maps.get(locale) ?? []), ...modules.map((m) => m.templates)]);
      },
      (error: unknown) => {
        failed.add(id);
        throw error;
      },
    );
    loading.set(id, pending);
  }
  return pending;
}

/**
 * Starts loading an element's catalog for a UI locale before the element's
 * code has arrived (first-paint.ts). The same loaders import the same
 * modules, so the element's own `loadUiLocale` later finds them loading.
 */
export function prefetchUiLocale(locale: UiLocale, catalogLoaders: CatalogLoaders): void {
  for (const target of CHAINS[locale]) catalogLoaders[target]?.().catch(() => {});
}

export function isUiLocaleLoaded(locale: UiLocale, catalog: Catalog): boolean {
  return chainOf(locale, catalog).length === 0 || loaded.has(key(catalog, locale));
}

let current: readonly TemplateMap[] = [];

/** Run `render` with `msg` answering in `locale` (which must be loaded; else the source is used). */
export function renderInLocale<T>(locale: UiLocale, render: () => T): T {
  const previous = current;
  current = maps.get(locale) ?? [];
  try {
    return render();
  } finally {
    current = previous;
  }
}

const isStr = (value: TemplateLike): value is StrResult => typeof value === 'object' && 'strTag' in value;

function join(strings: readonly string[], values: readonly unknown[], order?: readonly number[]): string {
  let out = strings[0] ?? '';
  for (let i = 1; i < strings.length; i++) out += String(values[order ? order[i - 1]! : i - 1]) + strings[i];
  return out;
}

/**
 * @lit/localize's `msg()`, answered from the catalog of the element being
 * rendered. Strings and `str` templates only; every call needs an `id`.
 * In the bundle, a call whose English went out of the code passes the
 * message's number alone; its catalog always has it (the element renders
 * only once its catalog has loaded).
 */
export const msg = ((template: TemplateLike | number, options?: MsgOptions) => {
  const numbered = typeof template === 'number';
  const id = numbered ? template : options?.id;
  if (id !== undefined) {
    for (const catalog of current) {
      const entry = (catalog as Record<string | number, TemplateLike | undefined>)[id];
      if (typeof entry === 'string') return entry;
      if (entry && isStr(entry) && !numbered && isStr(template)) return join(entry.strings, template.values, entry.values as number[]);
    }
  }
  if (numbered) return '';
  return isStr(template) ? join(template.strings, template.values) : template;
}) as MsgFn;

// ---------------------------------------------------------------------------
// Which language an element speaks.

let pageLocale: string | undefined;
let request = 0;
const changes = new EventTarget();

/**
 * Set the page-wide language of Akkoord's elements, as a BCP 47 tag (`'nl'`,
 * `'nl-BE'`, `'en'`), or `undefined` to go back to the page's own. It ranks
 * below an element's `lang` attribute and above its ancestors' `lang`.
 * Resolves when the elements can render in it; they re-render at once,
 * without a reload.
 */
export async function setLocale(tag: string | undefined): Promise<void> {
  const ticket = ++request;
  const ui = resolveUiLocale(tag);
  if (ui) await Promise.all([...used].map((catalog) => loadUiLocale(ui, catalog)));
  if (ticket !== request) return; // a later call won
  pageLocale = tag || undefined;
  changes.dispatchEvent(new Event('change'));
}

/** The tag given to `setLocale`, if any. */
export function getLocale(): string | undefined {
  return pageLocale;
}

/** The `lang` of the nearest ancestor that has one, across shadow roots. */
function inheritedLang(element: Element): string | undefined {
  const hostOf = (node: Node) => {
    const root = node.getRootNode();
    return root instanceof ShadowRoot ? root.host : null;
  };
  let node: Element | null = element.parentElement ?? hostOf(element);
  while (node) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang') || undefined; // lang="" says "unknown"
    node = hostOf(node);
  }
  return undefined;
}

const language = (tag: string) => tag.split('-')[0]!.toLowerCase();

export interface LocaleChoice {
  /** The notice locale to show, when the available ones are known. */
  content?: string;
  /** The UI locale for our own strings. */
  ui: UiLocale;
}

/**
 * Gives an element its locale, in the order of DESIGN.md: its own `lang`,
 * else the page-wide `setLocale()`, else the nearest `[lang]` ancestor (read
 * when connecting and when the element's own `lang` changes, never watched:
 * a translation plugin rewriting `<html lang>` does not re-localize us), else
 * `navigator.languages`, else the document's default.
 *
 * `choose()` gives the wanted locales; `shown` is what to render now: the
 * wanted choice once its UI catalog has loaded, until then the last one, so
 * the element switches language in one step, without a flash of English.
 */
export class LocaleController implements ReactiveController {
  private inherited?: string;
  private ownLang?: string;
  private chosen?: LocaleChoice;
  private awaited?: UiLocale;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly catalog: Catalog,
    catalogLoaders: CatalogLoaders,
  ) {
    loaders.set(catalog, catalogLoaders);
    host.addController(this);
    used.add(catalog);
  }

  hostConnected(): void {
    this.inherited = inheritedLang(this.host);
    this.ownLang = this.host.lang;
    changes.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    changes.removeEventListener('change', this.onChange);
  }

  private readonly onChange = () => this.host.requestUpdate();

  /** Resolves when the UI catalog this element waits for (if any) has loaded or failed. */
  get settled(): Promise<void> {
    return this.awaited ? loadUiLocale(this.awaited, this.catalog).catch(() => undefined) : Promise.resolve();
  }

  /** The reader's languages, most wanted first; empty means "the document's default". */
  get requested(): readonly string[] {
    const own = this.host.lang;
    if (own !== this.ownLang) {
      this.ownLang = own;
      this.inherited = inheritedLang(this.host);
    }
    if (own) return [own];
    if (pageLocale) return [pageLocale];
    if (this.inherited) return [this.inherited];
    return typeof navigator === 'undefined' ? [] : navigator.languages ?? [];
  }

  /**
   * The locales wanted now, given the locales a document has. The UI follows
   * the content's language, so an element never mixes two: a reader asking
   * for `nl-BE` of a notice in `nl` and `en` gets nl content and nl-BE UI
   * strings, one asking for `nl` of a notice in `nl-BE` gets nl-BE for both,
   * and one asking for `fr` gets the document's default in both.
   */
  choose(available?: readonly string[], fallback?: string): LocaleChoice {
    const requested = this.requested;
    if (!available?.length) {
      const ui = requested.map(resolveUiLocale).find(Boolean) ?? resolveUiLocale(fallback) ?? sourceLocale;
      return { ui };
    }
    const content = matchLocale(requested, available, fallback ?? available[0]!);
    // The most specific variant of the content's language: the reader's own if it names a region, else the content's.
    const sameLanguage = requested.filter((tag) => language(tag) === language(content));
    const regional = sameLanguage.filter((tag) => tag.includes('-'));
    const ui = [...regional, content, ...sameLanguage].map(resolveUiLocale).find(Boolean) ?? sourceLocale;
    return { content, ui };
  }

  /**
   * The choice to render: `wanted` when its catalog is loaded, else the last
   * one shown (or `undefined` before the first) while it loads; the host
   * updates again when it has. A catalog that fails to load falls back to
   * the source locale.
   */
  show(wanted: LocaleChoice): LocaleChoice | undefined {
    if (failed.has(key(this.catalog, wanted.ui))) wanted = { ...wanted, ui: sourceLocale };
    if (isUiLocaleLoaded(wanted.ui, this.catalog)) return (this.chosen = wanted);
    // Not even the source locale's catalog loads: keep what is shown (at first, nothing), never a string's number.
    if (failed.has(key(this.catalog, wanted.ui))) return this.chosen;
    if (this.awaited !== wanted.ui) {
      const ui = (this.awaited = wanted.ui);
      const done = () => {
        if (this.awaited === ui) this.awaited = undefined;
        this.host.requestUpdate();
      };
      loadUiLocale(ui, this.catalog).then(done, done);
    }
    return this.chosen;
  }
}
