// The import graph of the built bundle (akkoord.min.js and its chunks), read
// from the files themselves: what a page loads at once (static imports) and
// what later (dynamic imports). Used by the size bench and the bundle tests.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAst } from 'rollup/parseAst';

/** The relative imports of a bundle file: static (loaded with it) and dynamic (loaded later). */
export function importsOf(file) {
  const ast = parseAst(readFileSync(file, 'utf8'));
  const found = { static: new Set(), dynamic: new Set() };
  const add = (kind, source) => {
    if (typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'))) {
      found[kind].add(resolve(dirname(file), source));
    }
  };
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') {
      add('static', node.source?.value);
    }
    if (node.type === 'ImportExpression') add('dynamic', node.source?.value);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') walk(value);
    }
  };
  walk(ast);
  return found;
}

/** A file and everything it imports statically, each once. Throws on an import whose file is missing. */
export function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  if (!existsSync(file)) throw new Error(`${file} is imported but missing: rebuild with \`npm run build\``);
  seen.add(file);
  for (const dep of importsOf(file).static) staticClosure(dep, seen);
  return seen;
}

/** `chunks/nl-BE-D19B3W.js` → `nl-BE` (rollup's chunkFileNames: '[name]-[hash:6].js'). */
export const chunkName = (file) => /([^/]+)-[\w-]{6}\.js$/.exec(file)?.[1];
