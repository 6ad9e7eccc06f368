// The list of elements (src/elements.ts) for Node tools: the build scripts,
// rollup's config and the Node tests. Node cannot import TypeScript, so the
// file is compiled with esbuild (it has no imports) and loaded as a module.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const source = readFileSync(new URL('./src/elements.ts', import.meta.url), 'utf8');
const { code } = transformSync(source, { loader: 'ts', format: 'esm' });

/** @type {readonly string[]} */
export const { ELEMENT_TAGS } = await import(`data:text/javascript,${encodeURIComponent(code)}`);
