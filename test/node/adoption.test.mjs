// Every way a developer adopts Akkoord (README, "Ways to adopt it"), as they
// would, against the build of `npm test`, driven in Chromium:
//   1. one <script type="module"> from a CDN-style path on another origin (packages/elements/dist as published),
//      on an English and on a Dutch page;
//   2. npm and a bundler: test/adoption/bundler-app built by Vite, which resolves @akkoord/elements to dist/;
//   3. React 19: test/adoption/react-app through @akkoord/elements/react.js, built by esbuild;
//   4. headless: test/adoption/headless, the controller of @akkoord/core/consent and the page's own UI;
//   5. today, before the packages are on the registry: `npm pack` of @akkoord/core and @akkoord/elements,
//      the tarballs installed into a new app of its own, and the bundler app built there by Vite.
// The apps build into a temp dir, never with the `akkoord-source` condition: they get what npm would give them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADOPTION = join(ROOT, 'test/adoption');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'packages/elements/package.json'), 'utf8')).version;
const CDN_PATH = `/npm/@akkoord/elements@${VERSION}/dist/`;
const NOTICE = '/akkoord/notices/gmo-registry/manifest.json';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.map': 'application/json', '.css': 'text/css' };

/** A static server: `routes` maps a path prefix to a folder; `rewrite(text, path)` may change an HTML file's text. */
function serve(routes, { headers = {}, rewrite = (text) => text } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    requests.push(path);
    const prefix = Object.keys(routes).find((p) => path.startsWith(p));
    if (prefix) {
      const base = resolve(routes[prefix]);
      let file = resolve(base, `.${path.slice(prefix.length - 1)}`);
      if (file.startsWith(base + sep) || file === base) {
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
        if (existsSync(file)) {
          const type = TYPES[extname(file)] ?? 'application/octet-stream';
          const body = type === 'text/html' ? rewrite(readFileSync(file, 'utf8'), path) : readFileSync(file);
          res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
          return;
        }
      }
    }
    res.writeHead(404, headers).end('not found');
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done({ server, requests, origin: `http://127.0.0.1:${server.address().port}` })),
  );
}

/** The consent records in the page's IndexedDB (database "akkoord", store "consent"), as [key, record]. */
const storedRecords = (page) =>
  page.evaluate(
    () =>
      new Promise((done, fail) => {
        const open = indexedDB.open('akkoord');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('consent', 'readonly').objectStore('consent');
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () => {
            db.close();
            done(keys.result.map((key, i) => [String(key), values.result[i]]).filter(([key]) => key.startsWith('record:')));
          };
        };
      }),
  );

/** Vite, as an app that installed @akkoord/elements would build (no akkoord-source condition); the modules it bundled. */
async function buildWithVite(out, { root = join(ADOPTION, 'bundler-app'), name = 'bundler-app' } = {}) {
  const { build } = await import('vite');
  const result = await build({
    root,
    base: `/${name}/`,
    configFile: false,
    logLevel: 'silent',
    cacheDir: join(out, `.vite-cache-${name}`),
    build: { outDir: join(out, name), emptyOutDir: true },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  return outputs.filter((o) => o.type === 'chunk').flatMap((chunk) => chunk.moduleIds);
}

/** The commands README's "Ways to adopt it" gives for today, before the packages are published. */
const PACK = ['pack', '--workspace', '@akkoord/core', '--workspace', '@akkoord/elements', '--pack-destination'];
const TARBALLS = ['akkoord-core-0.0.0.tgz', 'akkoord-elements-0.0.0.tgz'];

/**
 * What a developer does today: packs the built packages here, installs the tarballs into an app of
 * their own (its other dependencies, lit and zod, from the registry or npm's cache), and builds the
 * bundler app there with Vite. npm runs with none of this run's npm_* settings, as in a new shell.
 */
async function buildFromTarballs(out) {
  const exec = promisify(execFile);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const tarballs = join(out, 'tarballs');
  const app = join(out, 'tarball-app-source');
  mkdirSync(tarballs);
  mkdirSync(app);
  await exec('npm', [...PACK, tarballs, '--silent'], { cwd: ROOT, env });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'registrar-app', private: true, type: 'module' }, null, 2)}\n`);
  for (const file of ['index.html', 'main.ts']) copyFileSync(join(ADOPTION, 'bundler-app', file), join(app, file));
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...TARBALLS.map((file) => join(tarballs, file))], { cwd: app, env });
  return { app, modules: await buildWithVite(out, { root: app, name: 'tarball-app' }) };
}

/** esbuild, as an app's build would run it; the files it bundled. */
async function buildWithEsbuild(app, entry, out, options = {}) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(ADOPTION, app, entry)],
    outdir: join(out, app),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    ...options,
  });
  mkdirSync(join(out, app), { recursive: true });
  copyFileSync(join(ADOPTION, app, 'index.html'), join(out, app, 'index.html'));
  return Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input));
}

/** Asserts that a build took Akkoord from the packages' dist/, as from npm, never from src/. */
function fromDist(modules, expected) {
  const ours = modules.filter((id) => id.includes(`${sep}packages${sep}`));
  assert.ok(ours.includes(join(ROOT, expected)), `bundles ${expected}; got ${ours.slice(0, 5).join(', ')}`);
  const sources = ours.filter((id) => id.includes(`${sep}src${sep}`));
  assert.deepEqual(sources, [], 'no module from a package src/ (the akkoord-source condition is for this repo only)');
}

describe('Ways to adopt it (README), in Chromium', { timeout: 120_000 }, () => {
  let out, browser, site, cdn, built, typecheck;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'akkoord-adoption-'));
    // The React app type-checks as its consumer would, against the published .d.ts, while the rest runs.
    typecheck = promisify(execFile)('npx', ['tsc', '-p', join(ADOPTION, 'react-app/tsconfig.json')], { cwd: ROOT }).then(
      () => undefined,
      (error) => error,
    );
    built = await Promise.all([
      buildWithVite(out),
      buildWithEsbuild('react-app', 'app.tsx', out, {
        jsx: 'automatic',
        tsconfig: join(ADOPTION, 'react-app/tsconfig.json'),
        define: { 'process.env.NODE_ENV': '"production"' },
      }),
      buildWithEsbuild('headless', 'main.js', out),
      buildFromTarballs(out).catch((error) => error),
    ]);
    cdn = await serve({ [CDN_PATH]: join(ROOT, 'packages/elements/dist') }, { headers: { 'access-control-allow-origin': '*' } });
    site = await serve(
      {
        '/akkoord/notices/': join(ROOT, 'packages/notices/dist/data'),
        '/cdn-page/': join(ADOPTION, 'cdn'),
        '/cdn-page-nl/': join(ADOPTION, 'cdn'),
        '/bundler-app/': join(out, 'bundler-app'),
        '/react-app/': join(out, 'react-app'),
        '/headless/': join(out, 'headless'),
        '/tarball-app/': join(out, 'tarball-app'),
      },
      {
        rewrite: (html, path) => {
          const page = html.replaceAll('{{cdn}}', cdn.origin);
          // /cdn-page-nl/ is the same page, in Dutch.
          return path.startsWith('/cdn-page-nl/') ? page.replace('<html lang="en">', '<html lang="nl">') : page;
        },
      },
    );
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: HEADLESS_ARGS });
  });

  after(async () => {
    await browser?.close();
    site?.server.close();
    cdn?.server.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** A fresh visitor (empty IndexedDB) on `path`; page errors fail the test. */
  async function visit(path) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${site.origin}${path}`);
    return { context, page, errors };
  }

  test('1. one <script type="module"> from a CDN: the banner shows, "Accept all" is stored in IndexedDB and runs the gated script', async () => {
    const fixture = readFileSync(join(ADOPTION, 'cdn/index.html'), 'utf8');
    assert.ok(fixture.includes(`{{cdn}}${CDN_PATH}akkoord.min.js`), `test/adoption/cdn/index.html loads @akkoord/elements@${VERSION}`);
    const seen = { site: site.requests.length, cdn: cdn.requests.length };
    const { context, page, errors } = await visit('/cdn-page/');
    try {
      const banner = page.getByRole('region', { name: 'Your privacy' });
      await banner.waitFor({ timeout: 10_000 });
      assert.match(await banner.innerText(), /GMO Registry/);
      assert.deepEqual(bannerStrings(seen.cdn), ['en'], 'an English page loads the English strings only');
      assert.equal(await page.locator('#newsletter').isVisible(), false, 'the gated script waits for consent');

      // The script tag's module gives the error event's class; the controller's event classes come with loadConsent().
      await page.evaluate(async (url) => {
        const { ConsentErrorEvent, loadConsent } = await import(url);
        const { ConsentChangeEvent, ConsentErrorEvent: sameErrorEvent } = await loadConsent();
        window.changes = [];
        document.addEventListener('consent-change', (event) => window.changes.push(event instanceof ConsentChangeEvent && event.source));
        window.oneErrorClass = ConsentErrorEvent === sameErrorEvent;
      }, `${cdn.origin}${CDN_PATH}akkoord.min.js`);
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.getByRole('button', { name: 'Privacy settings' }).waitFor();
      assert.deepEqual(await page.evaluate(() => window.changes), ['user'], 'consent-change is a ConsentChangeEvent of loadConsent()');
      assert.equal(await page.evaluate(() => window.oneErrorClass), true);
      assert.equal(await banner.count(), 0, 'the banner gave way to the settings button');
      await page.locator('#newsletter').waitFor({ state: 'visible' });

      const records = await storedRecords(page);
      assert.equal(records.length, 1);
      const [key, record] = records[0];
      assert.match(key, /^record:gmo-registry:psn_/);
      assert.deepEqual(record.decisions, { marketing: 'granted', 'seminar-announcements': 'granted', 'feature-announcements': 'granted' });
      assert.equal(record.method, 'accept-all');

      await page.reload();
      await page.getByRole('button', { name: 'Privacy settings' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Accept all' }).count(), 0, 'not asked again');

      // Every script came from the CDN's versioned path; the page's own origin served only the page and the notice data.
      const scripts = cdn.requests.slice(seen.cdn).filter((path) => path.endsWith('.js'));
      assert.ok(scripts.includes(`${CDN_PATH}akkoord.min.js`) && scripts.some((path) => path.startsWith(`${CDN_PATH}chunks/`)));
      const own = site.requests.slice(seen.site);
      assert.deepEqual(own.filter((path) => !path.startsWith('/cdn-page/') && !path.startsWith('/akkoord/notices/')), []);
      assert.deepEqual(own.filter((path) => path.endsWith('.js')), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  /** The banner's UI-string chunks the CDN served since request number `from`, by locale (`chunks/consent-banner.nl-<hash>.js` → nl). */
  const bannerStrings = (from) =>
    cdn.requests
      .slice(from)
      .map((path) => /\/chunks\/consent-banner\.([a-zA-Z-]+)-[\w-]{6}\.js$/.exec(path)?.[1])
      .filter(Boolean);

  test('1a. the same script tag on a Dutch page: Dutch strings only, and English once setLocale asks for it', async () => {
    const seen = cdn.requests.length;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    try {
      await page.goto(`${site.origin}/cdn-page-nl/`);
      const banner = page.getByRole('region', { name: 'Uw privacy' });
      await banner.waitFor({ timeout: 10_000 });
      for (const name of ['Alles accepteren', 'Alles weigeren', 'Zelf kiezen']) {
        assert.equal(await banner.getByRole('button', { name }).count(), 1, name);
      }
      assert.match(await banner.innerText(), /Wij vragen uw toestemming voor/);
      assert.deepEqual(bannerStrings(seen), ['nl'], 'a Dutch page loads no English strings');

      await page.evaluate(async (url) => (await import(url)).setLocale('en'), `${cdn.origin}${CDN_PATH}akkoord.min.js`);
      const english = page.getByRole('region', { name: 'Your privacy' });
      await english.waitFor({ timeout: 10_000 });
      assert.equal(await english.getByRole('button', { name: 'Accept all' }).count(), 1);
      assert.deepEqual(bannerStrings(seen), ['nl', 'en']);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('2. npm and a bundler (Vite): the app imports @akkoord/elements/consent-banner.js, and hears consent-change', async () => {
    fromDist(built[0], 'packages/elements/dist/consent-banner/define.js');
    const { context, page, errors } = await visit('/bundler-app/');
    try {
      await page.getByRole('region', { name: 'Your privacy' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#status').innerText(), 'marketing: not decided');
      await page.getByRole('button', { name: 'Reject all' }).click();
      await page.getByText('marketing: denied').waitFor();
      await page.getByRole('button', { name: 'Privacy settings' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('3. React 19 through @lit/react: onConsentChange updates React state, also when the choice is withdrawn', async () => {
    fromDist(built[1], 'packages/elements/dist/react.js');
    const { context, page, errors } = await visit('/react-app/');
    try {
      await page.getByRole('region', { name: 'Your privacy' }).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#status').innerText(), 'marketing: not decided');
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.getByText('marketing: granted').waitFor();

      // Withdraw in the preferences dialog: the same prop hears it.
      await page.getByRole('button', { name: 'Privacy settings' }).click();
      await page.getByRole('switch', { name: 'News and offers by email' }).click();
      await page.getByRole('button', { name: 'Save choices' }).click();
      await page.getByText('marketing: denied').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('3a. the React app type-checks against the published types (onConsentChange gets a ConsentChangeEvent)', async () => {
    const error = await typecheck;
    assert.equal(error, undefined, `tsc -p test/adoption/react-app:\n${error?.stdout ?? ''}${error?.stderr ?? ''}`);
  });

  test('4. headless: getConsentController and the page\'s own banner; a grant runs the gated script; after a reload nobody is asked', async () => {
    fromDist(built[2], 'packages/core/dist/consent/index.js');
    const { context, page, errors } = await visit('/headless/');
    try {
      const banner = page.getByRole('region', { name: 'Privacy' });
      await banner.waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('consent-banner, privacy-notice, consent-preferences').count(), 0, 'no Akkoord element');
      assert.equal(await page.locator('#newsletter').isVisible(), false);

      await page.getByRole('button', { name: 'Yes, send me news' }).click();
      await banner.waitFor({ state: 'hidden' });
      await page.locator('#newsletter').waitFor({ state: 'visible' });
      const [[, record]] = await storedRecords(page);
      assert.deepEqual(record.decisions, { marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'denied' });

      await page.reload();
      await page.locator('#newsletter').waitFor({ state: 'visible' });
      assert.equal(await banner.isVisible(), false, 'the own banner stays hidden: the decision is known');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('5. today, from tarballs: npm pack here, npm install of the tarballs in an app, Vite builds it, the banner works', async () => {
    if (built[3] instanceof Error) assert.fail(`packing, installing or building failed:\n${built[3].stderr ?? ''}${built[3].message}`);
    const { app, modules } = built[3];
    // The app bundled the installed copies, as a registry install would give them.
    const installed = (pkg, file) => join(app, 'node_modules', pkg, file);
    assert.ok(modules.includes(installed('@akkoord/elements', 'dist/consent-banner/define.js')), `bundles the installed @akkoord/elements: ${modules.slice(0, 5).join(', ')}`);
    assert.ok(modules.some((id) => id.startsWith(installed('@akkoord/core', 'dist/'))), 'and the installed @akkoord/core');
    assert.deepEqual(modules.filter((id) => id.startsWith(join(ROOT, 'packages'))), [], 'nothing from this repository itself');
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    for (const pkg of ['@akkoord/core', '@akkoord/elements']) {
      assert.match(lock.packages[`node_modules/${pkg}`]?.resolved ?? '', /^file:.*\.tgz$/, `${pkg} was installed from its tarball`);
    }
    const { context, page, errors } = await visit('/tarball-app/');
    try {
      await page.getByRole('region', { name: 'Your privacy' }).waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.getByText('marketing: granted').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');

describe('README: the adoption paths and the docs links of the console errors', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const anchors = new Set([...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) => anchorOf(m[1])));

  test('every anchor that a console error links to is a README heading', () => {
    const source = readFileSync(join(ROOT, 'packages/elements/src/shared/dev-errors.ts'), 'utf8');
    const table = /const ANCHORS = \{([\s\S]*?)\}/.exec(source)?.[1] ?? '';
    const linked = [...table.matchAll(/: '([a-z0-9-]+)'/g)].map((m) => m[1]);
    assert.ok(linked.length >= 5, 'dev-errors.ts names its anchors');
    for (const anchor of linked) assert.ok(anchors.has(anchor), `README has a heading for #${anchor}`);
    assert.match(source, /https:\/\/github\.com\/akkoord\/akkoord/);
  });

  test("the packages' homepage and repository are where the console errors link", () => {
    const docs = /const DOCS = '([^']+)'/.exec(readFileSync(join(ROOT, 'packages/elements/src/shared/dev-errors.ts'), 'utf8'))?.[1];
    assert.ok(docs, 'dev-errors.ts names the docs it links to');
    for (const pkg of ['core', 'elements', 'notices', 'receiver']) {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8'));
      assert.equal(manifest.homepage, `${docs}#readme`, `@akkoord/${pkg}'s homepage is the README the errors link to`);
      assert.equal(manifest.repository?.url, `git+${docs}.git`, `@akkoord/${pkg}'s repository is that of the README`);
      assert.equal(manifest.repository?.directory, `packages/${pkg}`);
    }
  });

  test('"Ways to adopt it" shows what these tests run', () => {
    const section = /^## Ways to adopt it$([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    assert.ok(section, 'README has a "## Ways to adopt it" section');
    assert.ok(readme.indexOf('## Embed it with one script tag') < readme.indexOf('## Ways to adopt it'));
    assert.ok(section.includes(`@akkoord/elements@${VERSION}/dist/akkoord.min.js`));
    for (const line of [
      "import '@akkoord/elements/consent-banner.js';",
      "import { ConsentBanner } from '@akkoord/elements/react.js';",
      'onConsentChange={(event) => setMarketing(event.decisions.marketing',
      "import { activateGatedScripts, getConsentController } from '@akkoord/core/consent';",
      'const consent = getConsentController({ notice: firstLayer });',
    ]) {
      assert.ok(section.includes(line), `the section shows: ${line}`);
    }
    // Today's path, as the test above runs it.
    assert.ok(section.includes(`npm ${PACK.join(' ')} ../akkoord-tarballs`), 'the section gives the npm pack command the test runs');
    assert.ok(section.includes(`npm install ${TARBALLS.map((file) => `../akkoord-tarballs/${file}`).join(' ')}`), 'and the install of its tarballs');
    assert.match(section, /not published/);
    assert.ok(section.indexOf('Not on the npm registry yet') < section.indexOf('One script tag from a CDN'), 'what works today comes first');
    const apps = ['bundler-app/main.ts', 'react-app/app.tsx', 'headless/main.js'].map((f) => readFileSync(join(ADOPTION, f), 'utf8')).join('\n');
    for (const line of ["import '@akkoord/elements/consent-banner.js';", "import { ConsentBanner } from '@akkoord/elements/react.js';", 'const consent = getConsentController({ notice: firstLayer });']) {
      assert.ok(apps.includes(line), `the apps do what the README says: ${line}`);
    }
  });
});
