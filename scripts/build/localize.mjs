// `lit-localize build` (runtime mode, lit-localize.json), with a regional
// locale read as what it is: its language's translations with its own on top.
//
// locales/nl-BE.xlf translates only what Belgian Dutch says differently; for
// every other message nl is right. lit-localize knows no such fallback: it
// fills a message without a target with the English source and warns about
// each one, some two hundred expected warnings on every build. Here nl-BE's
// missing messages take nl's translation instead, so the generated nl-BE
// module is Dutch throughout and nothing is missing. split-catalogs.mjs still
// keeps in the nl-BE catalogs only the messages nl-BE.xlf translates itself;
// the lookup falls back to nl for the rest (localization.ts).
//
// A locale whose XLIFF lacks a translation that its language has not either
// (nl itself, or nl-BE for a message nl lacks too) still gets lit-localize's
// warning: that is a message nobody translated.
import { join, resolve } from 'node:path';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';

class RegionalOverlayLocalizer extends RuntimeLitLocalizer {
  #overlaid = false;

  readTranslationsSync() {
    const read = super.readTranslationsSync();
    if (this.#overlaid) return read;
    this.#overlaid = true;
    const { translations } = read;
    for (const [locale, messages] of translations) {
      const language = locale.split('-')[0];
      const base = language !== locale ? translations.get(language) : undefined;
      if (!base) continue;
      const own = new Set(messages.map((message) => message.name));
      messages.push(...base.filter((message) => !own.has(message.name)));
    }
    return read;
  }
}

// `--out-dir <dir>` writes the locale modules (and the locale codes) there instead: for a test that
// builds the strings without touching the tree.
const config = readConfigFileAndWriteSchema('./lit-localize.json');
const outDir = process.argv.includes('--out-dir') ? resolve(process.argv[process.argv.indexOf('--out-dir') + 1]) : undefined;
if (outDir) config.output = { ...config.output, outputDir: outDir, localeCodesModule: join(outDir, 'locale-codes.ts') };
const localizer = new RegionalOverlayLocalizer(config);
const { errors } = localizer.validateTranslations();
if (errors.length) {
  console.error(`The translations' placeholders do not match the source code:\n\n${errors.join('\n')}`);
  process.exit(1);
}
await localizer.build();
