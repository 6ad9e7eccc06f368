// The one-file bundle for <script type="module"> embedding:
//   packages/elements/dist/akkoord.min.js        the entry (elements, Lit, core, the localize setup)
//   packages/elements/dist/chunks/<name>-<hash>.js  what loads later: the elements, their UI strings per language, ...
// tsc also writes to packages/elements/dist (per-file ESM), so only our own
// outputs are cleared before a build. Sizes: `npm run bench`.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { stringsOutOfCode } from './scripts/build/rollup-strings-out-of-code.mjs';
import { ELEMENT_TAGS } from './packages/elements/element-tags.mjs';

const root = (path) => fileURLToPath(new URL(path, import.meta.url));
const OUT = root('packages/elements/dist');

/** Removes the previous bundle and its chunks (their names carry hashes, so stale ones would pile up). */
const clearPreviousBundle = () => ({
  name: 'akkoord-clear-previous-bundle',
  buildStart() {
    for (const path of ['chunks', 'akkoord.min.js', 'akkoord.min.js.map']) rmSync(`${OUT}/${path}`, { recursive: true, force: true });
  },
});

/**
 * Fewer, larger chunks, cut along what a page needs first:
 * - `akkoord`, the entry itself: what every element shares and Lit is not
 *   part of (the UI-string lookup, tag loading, notice fetching and the
 *   report of its failure, the theme's CSS text), and the head start a
 *   banner gets (first-paint.ts, with the banner's string loaders). The
 *   chunks import it by its plain name (see akkoord.ts for a script URL
 *   with a query string).
 * - `consent-banner`: the banner, which paints with plain DOM, and its
 *   binding to the controller. Its first load is the entry, then this
 *   chunk, its UI strings and its notice file side by side.
 * - `consent`: the consent controller and idb-keyval, which the banner
 *   loads after it is on screen, and the other consent elements with themselves.
 * - `lit`: Lit and the helpers that render with it; the notice, the
 *   preferences, the rights and the history load it.
 */
const CHUNKS = {
  // The entry's own name: rollup puts these modules into the entry, not into a chunk of their own.
  akkoord: [
    /elements\/src\/(akkoord|localization|generated\/locale-codes|lazy-define|first-paint)\.ts$/,
    /elements\/src\/generated\/catalogs\/consent-banner\.ts$/,
    /elements\/src\/shared\/(define|links|theme|notice-failure|dev-later|when-idle)\.ts$/,
    /core\/src\/notice-loading\/(fetch-json|manifest)\.ts$/,
    /core\/src\/notice\/match-locale\.ts$/,
    /core\/src\/consent\/(error-event|database|gpc)\.ts$/,
  ],
  'consent-banner': [
    /elements\/src\/consent-banner\/(consent-banner|consent-banner\.styles|basis-groups|define)\.ts$/,
    /elements\/src\/shared\/(consent-binding|controller-host-element|rich-text-dom)\.ts$/,
    /core\/src\/notice-loading\/first-layer\.ts$/,
    /core\/src\/consent\/first-visit\.ts$/,
  ],
  consent: [
    /core\/src\/consent\/(controller|events|storage|integrity|tabs|registry|gated-scripts|index)\.ts$/,
    /core\/src\/sync\/queue\.ts$/,
    /node_modules\/idb-keyval\//,
    /elements\/src\/shared\/controller-link\.ts$/,
  ],
  // Hashing canonical JSON: the notice page (a manifest's document) and the controller (records).
  canonical: [/core\/src\/notice\/canonical\.ts$/],
  lit: [
    /node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//,
    /elements\/src\/shared\/(rich-text|tokens|notice-states)\.ts$/,
  ],
};
/**
 * Our CSS lives in template literals (theme.ts, *.styles.ts), which terser
 * leaves as written. Comments and layout whitespace go; spaces inside values
 * (`calc(a - b)`, `0 0 0 0`) and between selectors stay.
 */
const minifyCssText = () => ({
  name: 'akkoord-minify-css-text',
  transform(code, id) {
    if (!/(\/shared\/(theme|tokens)|\.styles|preferences-dialog|settings-control)\.ts$/.test(id)) return null;
    const minified = code.replace(/(css)?`([^`]*)`/g, (_, tag = '', text) => {
      const css = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,])\s*/g, '$1')
        .replace(/;}/g, '}')
        .replace(/([\w-]): /g, '$1:')
        // A leading zero says nothing: `0.5em` is `.5em`.
        .replace(/([\s:(,/-])0\.(\d)/g, '$1.$2')
        .trim();
      return `${tag}\`${css}\``;
    });
    return { code: minified, map: null };
  },
});

/**
 * The indentation inside Lit's html`` templates never renders (HTML folds
 * white space), but terser keeps template text as written, and the notice
 * page's code has a budget. The indentation goes; each line break stays, so
 * that lines keep their place in the source map. Only the notice's modules
 * and the shared ones: no `white-space: pre` styles apply there.
 */
const templateIndentation = () => ({
  name: 'akkoord-template-indentation',
  transform(code, id) {
    if (!/elements\/src\/(privacy-notice|shared)\/[\w.-]+\.ts$/.test(id) || id.endsWith('.test.ts')) return null;
    const texts = [];
    const walk = (node) => {
      if (!node || typeof node.type !== 'string') return;
      if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'html') texts.push(...node.quasi.quasis);
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') walk(value);
      }
    };
    walk(this.parse(code));
    if (!texts.length) return null;
    let out = code;
    for (const text of texts.sort((a, b) => b.start - a.start)) {
      out = `${out.slice(0, text.start)}${out.slice(text.start, text.end).replace(/\n[ \t]+/g, '\n')}${out.slice(text.end)}`;
    }
    return { code: out, map: null };
  },
});

function chunkOf(id) {
  return Object.keys(CHUNKS).find((name) => CHUNKS[name].some((pattern) => pattern.test(id)));
}

const main = {
  input: { akkoord: root('packages/elements/src/akkoord.ts') },
  output: {
    dir: OUT,
    format: 'es',
    // Written next to each file, not named in it: the comment would cost every visitor ~50 B a file.
    sourcemap: 'hidden',
    // Rollup's own glue (dynamic-import namespace picks, ...) as arrows and const: the first load is budgeted.
    generatedCode: 'es2015',
    entryFileNames: '[name].min.js',
    // A lazy element's chunk is named after its tag (not "define"), so the bench and a reader can tell them apart.
    manualChunks: chunkOf,
    chunkFileNames: ({ facadeModuleId, name }) => {
      const element = ELEMENT_TAGS.find((tag) => facadeModuleId?.endsWith(`/src/${tag}/define.ts`));
      return `chunks/${element ?? name}-[hash:6].js`;
    },
  },
  // The chunks import what they share from the entry; 'allow-extension' lets the entry export it
  // beside its own exports ('strict' would move it into a chunk behind the entry: a round trip more).
  preserveEntrySignatures: 'allow-extension',
  plugins: [
    clearPreviousBundle(),
    minifyCssText(),
    // `akkoord-source` resolves @akkoord/core to its TypeScript source; `production` picks Lit's production build.
    nodeResolve({
      extensions: ['.ts', '.mjs', '.js'],
      exportConditions: ['akkoord-source', 'production', 'browser', 'import', 'default'],
    }),
    esbuild({ target: 'es2022', tsconfig: root('tsconfig.json') }),
    templateIndentation(),
    // The banner's first load is budgeted: its English becomes a catalog, so a Dutch page loads Dutch only.
    stringsOutOfCode({
      catalog: 'consent-banner',
      folder: root('packages/elements/src/consent-banner'),
      catalogs: root('packages/elements/src/generated/catalogs'),
      locales: JSON.parse(readFileSync(root('lit-localize.json'), 'utf8')).targetLocales,
    }),
    terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
  ],
  onwarn(warning, warn) {
    // zod 4: harmless /*#__PURE__*/ placements and an internal circular import.
    if (warning.code === 'INVALID_ANNOTATION') return;
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules\/zod/.test(warning.message)) return;
    warn(warning);
  },
};

/**
 * consent-mode.min.js: Google Consent Mode's default, loaded before any tag.
 * A classic script of its own (one file, no imports), so it runs in
 * document order, ahead of the tags that read it.
 */
const consentMode = {
  input: root('packages/elements/src/consent-mode.ts'),
  output: { file: `${OUT}/consent-mode.min.js`, format: 'iife', sourcemap: 'hidden' },
  plugins: [
    nodeResolve({ extensions: ['.ts', '.mjs', '.js'], exportConditions: ['akkoord-source', 'browser', 'import', 'default'] }),
    esbuild({ target: 'es2022', tsconfig: root('tsconfig.json') }),
    terser({ ecma: 2022, format: { comments: false } }),
  ],
};

export default [main, consentMode];
