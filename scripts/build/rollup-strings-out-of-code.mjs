// A rollup plugin for akkoord.min.js: an element's English UI strings leave
// its code and become a catalog like the Dutch ones, so that a page loads
// the strings of its own language only.
//
// Why: the banner's first load has a budget (10 kB gzip, bench/budgets.json). With
// the English in the code, a Dutch page paid for both languages, and for
// message ids (`'banner.basis.legitimate-interests'`) in the code and again
// in its catalog. Here every message of the element gets a number:
//   msg('Accept all', { id: 'consent.accept-all' })  →  msg(3)
// and each locale's catalog is an array (or, for a regional variant, an
// object of the numbers it words differently), loaded as before by the
// element's LocaleController. localization.ts knows both forms.
//
// Only the bundle changes. The source, the per-file ESM of the npm package
// and the tests keep lit-localize's runtime form (English in the code,
// catalogs keyed by id). The English comes from the code itself, the other
// locales from the committed catalogs of scripts/build/split-catalogs.mjs. The
// build fails on a `msg` call it cannot number (a `str` template, no id),
// rather than ship a string that would show as a number.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { parseAst } from 'rollup/parseAst';

/** Every `msg(...)` call in an ESTree program, with its arguments. */
function msgCalls(ast) {
  const calls = [];
  const walk = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'msg') calls.push(node);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') walk(value);
    }
  };
  walk(ast);
  return calls;
}

/** `msg('English', { id: 'x' })` as `{ id, english }`, or an error message. */
function plainMessage(call) {
  const [template, options] = call.arguments;
  const idProperty = options?.type === 'ObjectExpression' && options.properties.find((p) => p.key?.name === 'id' || p.key?.value === 'id');
  if (template?.type !== 'Literal' || typeof template.value !== 'string') return { error: 'its template is not a plain string' };
  if (idProperty?.value.type !== 'Literal' || typeof idProperty.value.value !== 'string') return { error: 'it has no literal id' };
  return { id: idProperty.value.value, english: template.value };
}

const toJs = async (file) => (await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm' })).code;

/**
 * @param {{ catalog: string, folder: string, catalogs: string, locales: string[] }} options
 *   catalog: the element (`consent-banner`); folder: its source folder, whose
 *   modules are rewritten; catalogs: generated/catalogs; locales: the target
 *   locales (lit-localize.json).
 */
export function stringsOutOfCode({ catalog, folder, catalogs, locales: targets }) {
  // Each regional locale after its language (nl before nl-BE), which its table falls back to.
  const locales = [...targets].sort((a, b) => a.split('-').length - b.split('-').length || a.localeCompare(b));
  const isElementModule = (id) => id.startsWith(`${folder}/`) && id.endsWith('.ts') && !id.endsWith('.test.ts');
  const catalogFile = (locale) => join(catalogs, locale ? `${catalog}.${locale}.ts` : `${catalog}.ts`);
  let numbers; // id → number
  let tables; // locale → module source

  return {
    name: 'akkoord-strings-out-of-code',

    async buildStart() {
      const english = new Map();
      for (const name of readdirSync(folder).sort()) {
        const file = join(folder, name);
        if (!isElementModule(file)) continue;
        for (const call of msgCalls(parseAst(await toJs(file)))) {
          const message = plainMessage(call);
          if (message.error) this.error(`${file}: a msg() call cannot leave the code: ${message.error}`);
          const known = english.get(message.id);
          if (known !== undefined && known !== message.english) this.error(`${file}: message ${message.id} has two English texts`);
          english.set(message.id, message.english);
        }
      }
      const ids = [...english.keys()].sort();
      numbers = new Map(ids.map((id, number) => [id, number]));

      const translated = {};
      for (const locale of locales) {
        const file = catalogFile(locale);
        const { templates } = await import(`data:text/javascript,${encodeURIComponent(await toJs(file))}`);
        translated[locale] = templates;
      }
      tables = { en: `export const templates = ${JSON.stringify(ids.map((id) => english.get(id)))};\n` };
      for (const locale of locales) {
        const language = locale.split('-')[0];
        const fallback = locale === language ? undefined : translated[language];
        if (!fallback) {
          // A language: lit-localize gives it every message (an untranslated one in English).
          const missing = ids.filter((id) => typeof translated[locale][id] !== 'string');
          if (missing.length) this.error(`${catalogFile(locale)} lacks ${missing.join(', ')}: run \`npm run localize:build\``);
          tables[locale] = `export const templates = ${JSON.stringify(ids.map((id) => translated[locale][id]))};\n`;
        } else {
          // A regional variant (split-catalogs keeps what its XLIFF translates): only where it words a
          // message differently from its language, which gives the rest.
          const own = ids.flatMap((id, number) => {
            const text = translated[locale][id];
            return typeof text === 'string' && text !== fallback[id] ? [[number, text]] : [];
          });
          tables[locale] = `export const templates = {${own.map(([n, text]) => `${n}:${JSON.stringify(text)}`).join(',')}};\n`;
        }
      }
    },

    resolveId(source, importer) {
      // The English catalog exists only in the bundle.
      if (importer === catalogFile() && source === `./${catalog}.en.js`) return catalogFile('en');
      return null;
    },

    load(id) {
      if (id === catalogFile()) {
        const entries = ['en', ...locales].map((locale) => `  '${locale}': () => import('./${catalog}.${locale}.js'),`);
        return `export const catalogs = {\n${entries.join('\n')}\n};\n`;
      }
      for (const locale of ['en', ...locales]) if (id === catalogFile(locale)) return tables[locale];
      return null;
    },

    transform(code, id) {
      if (!isElementModule(id)) return null;
      const ast = this.parse(code);
      // Calls are found by the name `msg`: under another name they would keep their English, on every page.
      for (const node of ast.body) {
        if (node.type !== 'ImportDeclaration') continue;
        const renamed = node.specifiers.find((s) => s.imported?.name === 'msg' && s.local.name !== 'msg');
        if (renamed) this.error(`imports msg as ${renamed.local.name}; keep the name msg, which this build rewrites`);
      }
      const calls = msgCalls(ast);
      if (!calls.length) return null;
      let out = code;
      // Back to front, so that earlier positions stay valid.
      for (const call of calls.sort((a, b) => b.start - a.start)) {
        const message = plainMessage(call);
        const number = message.error ? undefined : numbers.get(message.id);
        if (number === undefined) this.error(`a msg() call the build did not number (${message.error ?? message.id})`);
        // The call's line breaks stay, so that the lines after it keep their place in the source map.
        const lineBreaks = '\n'.repeat(code.slice(call.start, call.end).split('\n').length - 1);
        out = `${out.slice(0, call.start)}msg(${number})${lineBreaks}${out.slice(call.end)}`;
      }
      return { code: out, map: null };
    },
  };
}
