/**
 * The elements Akkoord ships, by tag: the one list. Each tag has a folder
 * `<tag>/` with `<tag>.ts` (the class) and `define.ts` (registers the tag).
 *
 * What else lists them derives from here: the lazy loaders (`lazy-define.ts`,
 * typed by `ElementTag`), the UI-string catalogs (`Catalog` in
 * `localization.ts`; `scripts/build/split-catalogs.mjs` reads this file), the
 * bundle's element chunks (`rollup.config.mjs`). The package's `exports` and
 * `index.ts` cannot import it; `test/element-list.test.mjs` checks that
 * they match it.
 *
 * No imports here: Node tools read this file through `../element-tags.mjs`.
 */
export const ELEMENT_TAGS = ['consent-banner', 'consent-preferences', 'privacy-notice', 'privacy-rights', 'consent-history', 'consent-embed'] as const;

export type ElementTag = (typeof ELEMENT_TAGS)[number];
