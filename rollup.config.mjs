// The one-file bundle for <script type="module"> embedding:
//   packages/elements/dist/akkoord.min.js        the entry (elements, Lit, core, the localize setup)
//   packages/elements/dist/chunks/<name>-<hash>.js  what loads later: the nl / nl-BE UI strings, ...
// tsc also writes to packages/elements/dist (per-file ESM), so only our own
// outputs are cleared before a build. Sizes: `npm run bench`.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';

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
 * Fewer, larger chunks: a page loads the entry, `common` (Lit, the UI-string
 * lookup, what every element shares) and its elements' chunk, in parallel
 * rather than a waterfall of small files, and gzip sees more at once.
 */
const COMMON = [
  /node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//,
  /elements\/src\/(localization|generated\/locale-codes|lazy-define)\.ts$/,
  /elements\/src\/shared\/(tokens|rich-text|define|legal-basis|fetch-json)\.ts$/,
  /core\/src\/notice\/(canonical|match-locale)\.ts$/,
  /core\/src\/consent\/events\.ts$/,
];
const BANNER = [
  /elements\/src\/consent-banner\//,
  /elements\/src\/shared\/(consent-binding|first-layer-source)\.ts$/,
  /core\/src\/consent\/(controller|storage|integrity|tabs|registry|gated-scripts|index)\.ts$/,
  /core\/src\/sync\/queue\.ts$/,
  /node_modules\/idb-keyval\//,
];
function chunkOf(id) {
  if (COMMON.some((pattern) => pattern.test(id))) return 'common';
  if (BANNER.some((pattern) => pattern.test(id))) return 'consent-banner';
  return undefined;
}

export default {
  input: { akkoord: root('packages/elements/src/akkoord.ts') },
  output: {
    dir: OUT,
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].min.js',
    // A lazy element's chunk is named after its tag (not "define"), so the bench and a reader can tell them apart.
    manualChunks: chunkOf,
    chunkFileNames: ({ facadeModuleId, name }) => {
      const element = /\/src\/([a-z-]+)\/define\.ts$/.exec(facadeModuleId ?? '')?.[1];
      return `chunks/${element ?? name}-[hash].js`;
    },
  },
  // The lazy chunks import helpers (lit-localize's `str`, ...) from the entry. 'strict' would move all
  // code into a shared chunk behind a re-exporting entry (two requests in a row); 'allow-extension'
  // lets the entry also export them, so the first load stays one file.
  preserveEntrySignatures: 'allow-extension',
  plugins: [
    clearPreviousBundle(),
    // `akkoord-source` resolves @akkoord/core to its TypeScript source; `production` picks Lit's production build.
    nodeResolve({
      extensions: ['.ts', '.mjs', '.js'],
      exportConditions: ['akkoord-source', 'production', 'browser', 'import', 'default'],
    }),
    esbuild({ target: 'es2022', tsconfig: root('tsconfig.json') }),
    terser({ ecma: 2022, module: true, format: { comments: false } }),
  ],
  onwarn(warning, warn) {
    // zod 4: harmless /*#__PURE__*/ placements and an internal circular import.
    if (warning.code === 'INVALID_ANNOTATION') return;
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules\/zod/.test(warning.message)) return;
    warn(warning);
  },
};
