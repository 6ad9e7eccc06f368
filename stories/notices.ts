/**
 * What the element stories share: where the launch notices are served, the
 * language from the toolbar, a fresh visitor per render, and GPC on demand.
 */
import type { ArgTypes } from '@storybook/web-components-vite';
import { waitFor } from 'storybook/test';

/** Set by .storybook/main.ts: whether `npm run build` wrote the notices' data (served at notices-built/). */
declare const __AKKOORD_NOTICES_BUILT__: boolean;

export const NOTICES_BUILT = typeof __AKKOORD_NOTICES_BUILT__ === 'boolean' && __AKKOORD_NOTICES_BUILT__;

export type NoticeId = 'gmo-registry' | 'dcube-resource';

/**
 * URLs are relative to the page (the elements resolve them against
 * `document.baseURI`), so the stories also work when the static Storybook
 * is published under a sub-path.
 */
export const manifestUrl = (id: NoticeId) => `notices-built/${id}/manifest.json`;
export const documentUrl = (id: NoticeId) => `notices/${id}.json`;

/** The notice a story uses: what `akkoord-notice build` wrote, else the raw document (validated in the browser). */
export const noticeUrl = (id: NoticeId) => (NOTICES_BUILT ? manifestUrl(id) : documentUrl(id));

const noticeChoices: Record<string, string> = {
  ...(NOTICES_BUILT && {
    [manifestUrl('gmo-registry')]: 'GMO Registry (built manifest)',
    [manifestUrl('dcube-resource')]: 'D-Cube Resource (built manifest)',
  }),
  [documentUrl('gmo-registry')]: 'GMO Registry (raw document, validated here)',
  [documentUrl('dcube-resource')]: 'D-Cube Resource (raw document, validated here)',
  'notices/missing.json': 'A URL that answers 404',
};

/** The `lang` choices: empty follows the toolbar. */
const langChoices: Record<string, string> = {
  '': '(toolbar language)',
  nl: 'nl',
  'nl-BE': 'nl-BE',
  en: 'en',
  fr: 'fr (no notice has it: the default locale)',
};

export const argTypes = {
  notice: {
    description: 'URL of a manifest.json, a first-layer file or a notice document (relative to the page).',
    control: { type: 'select', labels: noticeChoices },
    options: Object.keys(noticeChoices),
  },
  lang: {
    description: 'The element’s language (BCP 47). Empty: the toolbar’s language.',
    control: { type: 'select', labels: langChoices },
    options: Object.keys(langChoices),
  },
  subject: {
    description: 'The customer’s id. Empty: a new random visitor on every render, so no stored decision hides the banner.',
    control: 'text',
  },
  'heading-level': {
    description: 'Level of the element’s top headings (1–6).',
    control: { type: 'number', min: 1, max: 6, step: 1 },
  },
  'privacy-href': {
    description: 'Where the full privacy notice is (default: the notice’s policyUrl).',
    control: 'text',
  },
} satisfies ArgTypes;

/** The element's `lang`: the story's own, else the toolbar's. */
export const langOf = (args: { lang?: string }, globals: Record<string, unknown>): string =>
  args.lang || (typeof globals.locale === 'string' ? globals.locale : '') || 'nl';

/**
 * A subject nobody has decided for yet. Consent is stored in IndexedDB per
 * notice and subject, and IndexedDB outlives a story, so a story that shows a
 * first visit needs a subject of its own.
 */
export function freshSubject(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `story-visitor-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Parameters for a story that changes something of the whole page before it
 * renders (the GPC signal, `fetch`, the URL's hash): on its element's Docs
 * page it renders in a frame of its own, so that the change reaches no other
 * story there, and each story on that page shows as it does alone.
 */
export const ownFrameOnDocs = (iframeHeight: number) => ({ docs: { story: { inline: false, iframeHeight } } });

/**
 * `beforeEach` for a browser that sends Global Privacy Control. The
 * controller reads `navigator.globalPrivacyControl` when it is made, after
 * the notice has loaded, so the signal stays on for the story's life; the
 * cleanup puts back what was there when the story is left.
 */
export function withGlobalPrivacyControl(): () => void {
  const own = Object.getOwnPropertyDescriptor(navigator, 'globalPrivacyControl');
  Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
  return () => {
    if (own) Object.defineProperty(navigator, 'globalPrivacyControl', own);
    else delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  };
}

/**
 * For play functions: the element's shadow part, once it has rendered. `host`
 * may be a function, for an element that is not there yet either (the
 * preferences inside the banner's dialog).
 */
export function part<T extends Element = HTMLElement>(
  host: Element | null | undefined | (() => Element | null | undefined),
  name: string,
  timeout = 5000,
): Promise<T> {
  return waitFor(
    () => {
      const element = typeof host === 'function' ? host() : host;
      const found = element?.shadowRoot?.querySelector<T>(`[part~="${name}"]`);
      if (!found) throw new Error(`<${element?.localName ?? '?'}> shows no [part="${name}"] yet`);
      return found;
    },
    { timeout },
  );
}
