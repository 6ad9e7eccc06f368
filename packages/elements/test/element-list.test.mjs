// The list of elements is written once, in packages/elements/src/elements.ts.
// TypeScript holds the code that can import it (the lazy loaders, the catalog
// type); what cannot import it (the package's JSON exports, the index's
// re-exports, the element folders) is checked against it here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { ELEMENT_TAGS } from '../element-tags.mjs';

const ELEMENTS = new URL('../', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(`${ELEMENTS}package.json`, 'utf8'));
const source = (path) => readFileSync(`${ELEMENTS}src/${path}`, 'utf8');
/** `consent-banner` → `ConsentBanner`, the class name each element exports. */
const className = (tag) => tag.replace(/(^|-)([a-z])/g, (_, __, letter) => letter.toUpperCase());

describe('the list of elements', () => {
  it('names each element folder (its class and define module), and nothing else', () => {
    const isElement = (name) => existsSync(`${ELEMENTS}src/${name}/${name}.ts`) && existsSync(`${ELEMENTS}src/${name}/define.ts`);
    const folders = readdirSync(`${ELEMENTS}src`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && isElement(entry.name))
      .map((entry) => entry.name);
    assert.deepEqual([...folders].sort(), [...ELEMENT_TAGS].sort());
  });

  it('has one package export per element, pointing at its define module', () => {
    const exported = Object.keys(manifest.exports).filter((path) => Object.values(manifest.exports[path]).some((target) => /\/define\.(ts|js|d\.ts)$/.test(target)));
    assert.deepEqual(exported.sort(), ELEMENT_TAGS.map((tag) => `./${tag}.js`).sort());
    for (const tag of ELEMENT_TAGS) {
      assert.deepEqual(manifest.exports[`./${tag}.js`], {
        'akkoord-source': `./src/${tag}/define.ts`,
        types: `./dist/${tag}/define.d.ts`,
        default: `./dist/${tag}/define.js`,
      });
    }
  });

  it('is exported, class by class, from the package index', () => {
    const index = source('index.ts');
    const reexported = [...index.matchAll(/^export \{ (\w+) \} from '\.\/([a-z-]+)\/\2\.js';$/gm)].map((m) => [m[2], m[1]]);
    assert.deepEqual(
      reexported.sort(),
      ELEMENT_TAGS.map((tag) => [tag, className(tag)]).sort(),
    );
  });

  it('loads every element on demand, and defines each under its own tag', () => {
    const lazy = source('lazy-define.ts');
    for (const tag of ELEMENT_TAGS) {
      assert.match(lazy, new RegExp(`'${tag}': \\(\\) => import\\('\\./${tag}/define\\.js'\\)`), `${tag} has a loader`);
      assert.match(source(`${tag}/define.ts`), new RegExp(`define\\('${tag}', ${className(tag)}\\)`), `${tag}/define.ts defines <${tag}>`);
    }
  });

  it('gives each element its UI-string catalogs', () => {
    for (const tag of ELEMENT_TAGS) assert.ok(existsSync(`${ELEMENTS}src/generated/catalogs/${tag}.ts`), `${tag}'s catalog loaders`);
  });
});
