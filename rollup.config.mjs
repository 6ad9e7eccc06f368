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

export default {
  input: { akkoord: root('packages/elements/src/akkoord.ts') },
  output: {
    dir: OUT,
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].min.js',
    // A lazy element's chunk is named after its tag (not "define"), so the bench and a reader can tell them apart.
    chunkFileNames: ({ facadeModuleId }) => {
      const element = /\/src\/([a-z-]+)\/define\.ts$/.exec(facadeModuleId ?? '')?.[1];
      return `chunks/${element ?? '[name]'}-[hash].js`;
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
