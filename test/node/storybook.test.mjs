// Every story and docs page of the built Storybook (storybook-static/), opened
// in Debian's Chromium: the story renders its element, its play function
// passes, the accessibility checks of @storybook/addon-a11y pass, and nothing
// logs an error beyond what a story expects. Every element has a docs page;
// on it each story shows as it does alone (a story that changes the page, as
// the GPC story does, changes nothing for the others there), and its API
// tables list only public API.
//
//   npm run build && npm run build-storybook && node --test test/storybook.test.mjs
//
// Skipped when storybook-static/ does not exist.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_ARGS, findChromium } from '../../scripts/test/chromium.mjs';

const STATIC = fileURLToPath(new URL('../../storybook-static/', import.meta.url));
const INDEX = join(STATIC, 'index.json');
const SKIP = existsSync(INDEX) ? false : 'storybook-static/ was not found: run `npm run build-storybook` first (about 10 s)';

/** How long one story may take to render, play and pass its accessibility checks. */
const STORY_TIMEOUT_MS = 15_000;
/** devLater waits a second, then for an idle moment (at most 2 s more); then the checks' chunk loads. */
const DEV_MESSAGE_WAIT_MS = 6_000;

/**
 * Console errors a story causes on purpose, each matched on its text and the
 * URL it names. Each must occur, and nothing else may.
 */
const EXPECTED_ERRORS = {
  // The notice URL answers 404: Chromium logs the failed request itself.
  // ...and the element tells the developer, once, what to fix.
  'elements-privacy-notice--fetch-error': [
    { text: /^Failed to load resource: the server responded with a status of 404 \(Not Found\)$/, url: /\/notices\/missing\.json$/ },
    { text: /^\[Akkoord\] <privacy-notice notice="notices\/missing\.json">: Could not fetch the notice/, url: /./ },
  ],
  'elements-privacy-notice--invalid-document': [
    { text: /^\[Akkoord\] <privacy-notice>.*not a valid notice document.*akkoord-notice check/s, url: /./ },
  ],
};

/**
 * The language each launch-notice story shows for each toolbar language: GMO
 * Registry has nl and en, D-Cube Resource nl-BE and en.
 */
const SHOWN_LOCALE = {
  'elements-privacy-notice--gmo-registry': { nl: 'nl', 'nl-BE': 'nl', en: 'en' },
  'elements-privacy-notice--d-cube-resource': { nl: 'nl-BE', 'nl-BE': 'nl-BE', en: 'en' },
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const index = SKIP ? { entries: {} } : JSON.parse(readFileSync(INDEX, 'utf8'));
const entries = Object.values(index.entries);
const stories = entries.filter((entry) => entry.type === 'story');
const docs = entries.filter((entry) => entry.type === 'docs');
// An element's docs page renders all its stories: it may show the errors they show (a dev
// message is logged once per page, so not every one need occur there).
for (const entry of docs) {
  const prefix = entry.id.replace(/docs$/, '');
  const expected = Object.entries(EXPECTED_ERRORS).filter(([id]) => id.startsWith(prefix)).flatMap(([, errors]) => errors);
  if (expected.length) EXPECTED_ERRORS[entry.id] = expected.map((x) => ({ ...x, mayNotOccur: true }));
}

/** The element a story shows, from its id: `elements-consent-banner--first-visit` → `consent-banner`. */
const tagOf = (id) => /^elements-([a-z-]+)--/.exec(id)?.[1];

/**
 * What a story shows before its play function, on its docs page as alone: what its element's shadow
 * root holds (`has`), and what it must not (`not`), as another story's change of the page would make it.
 */
const SHOWN_ON_DOCS = {
  // A first visit is asked, whatever the GPC story does to the page.
  'elements-consent-banner--first-visit': { has: '[part~="region"]' },
  'elements-consent-banner--global-privacy-control': { has: '[part~="settings-button"]' },
  // The history's page shows its first story: three decisions, each verified.
  'elements-consent-history--history': { has: '[part~="verification"][data-status="verified"]', not: '[data-status="failed"]' },
};

/**
 * The members of each element's class that are no API a page can use (`#private`, `private`,
 * `protected`), from the manifest the docs are made from: none may be a row of its API tables.
 */
const MANIFEST = fileURLToPath(new URL('../../packages/elements/custom-elements.json', import.meta.url));
const nonPublicMembers = {};
if (existsSync(MANIFEST)) {
  for (const module of JSON.parse(readFileSync(MANIFEST, 'utf8')).modules ?? []) {
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      // A part, slot, event or CSS property may share a name with a private member: those rows are public.
      const publicNames = new Set(
        [declaration.attributes, declaration.cssParts, declaration.slots, declaration.events, declaration.cssProperties]
          .flatMap((list) => (list ?? []).map((item) => item.name))
          .concat((declaration.members ?? []).filter((m) => (m.privacy ?? 'public') === 'public').map((m) => m.name)),
      );
      nonPublicMembers[declaration.tagName] = (declaration.members ?? [])
        .filter((m) => m.name.startsWith('#') || (m.privacy ?? 'public') !== 'public')
        .map((m) => m.name)
        .filter((name) => !publicNames.has(name));
    }
  }
}

/** A static file server for storybook-static/ on 127.0.0.1, on a free port. */
function serve(root) {
  const server = createServer(async (request, response) => {
    try {
      let path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      // Chromium asks every new origin for one; Storybook's frame has none, and that is no story's error.
      if (path === '/favicon.ico') return void response.writeHead(204).end();
      if (path.endsWith('/')) path += 'index.html';
      const file = resolve(root, `.${path}`);
      if (!file.startsWith(root)) throw Object.assign(new Error('outside the root'), { code: 'ENOENT' });
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(file);
      // Hashed assets may be cached: the next story's page loads them from memory.
      const cache = path.startsWith('/assets/') || path.startsWith('/sb-') ? 'max-age=3600, immutable' : 'no-cache';
      response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Before the preview runs: hear when a story finishes (with its reports) and when a docs page has rendered. */
function listenToStorybook() {
  window.__akkoordStory = { finished: undefined, docsRendered: false, playErrors: [] };
  let channel;
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value) {
      channel = value;
      value.on('storyFinished', (event) => (window.__akkoordStory.finished = event));
      value.on('docsRendered', () => (window.__akkoordStory.docsRendered = true));
      value.on('playFunctionThrewException', (error) => window.__akkoordStory.playErrors.push(error));
    },
  });
}

// A skipped test rather than a skipped suite, so that the runner counts it as skipped.
if (SKIP) it('Storybook (storybook-static/)', { skip: SKIP }, () => {});
else describe('Storybook (storybook-static/)', () => {
  let server;
  let browser;
  let context;
  let base;

  before(async () => {
    [server, browser] = await Promise.all([
      serve(STATIC.endsWith(sep) ? STATIC : `${STATIC}${sep}`),
      chromium.launch({
        executablePath: findChromium(),
        headless: true,
        args: HEADLESS_ARGS,
      }),
    ]);
    base = `http://127.0.0.1:${server.address().port}/`;
    // One context for all: the next page takes Storybook's assets from its cache. Stories that
    // decide use a random subject, so what one stores in IndexedDB never shows in another.
    context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    await context.addInitScript(listenToStorybook);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server ? server.close(done) : done()));
  });

  /**
   * Opens one entry of the index in a new page and runs `check` on it; fails
   * on any console error or page error that the entry does not expect.
   */
  async function open(id, viewMode, locale, check) {
    const page = await context.newPage();
    const errors = [];
    try {
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push({ text: message.text(), url: message.location().url ?? '' });
      });
      page.on('pageerror', (error) => errors.push({ text: `uncaught: ${error.stack ?? error.message}`, url: '' }));
      await page.goto(`${base}iframe.html?id=${encodeURIComponent(id)}&viewMode=${viewMode}&globals=locale:${locale}`);
      try {
        await check(page);
      } catch (error) {
        if (errors.length) error.message += `\nConsole errors:\n${errors.map((e) => `  ${e.text} (${e.url})`).join('\n')}`;
        throw error;
      }

      const expected = EXPECTED_ERRORS[id] ?? [];
      // An element's message to the developer comes a moment after it shows its error (shared/dev-later.ts:
      // a second, then the next idle moment): wait for each one the entry expects, up to a limit.
      const due = expected.filter((x) => !x.mayNotOccur);
      const deadline = Date.now() + DEV_MESSAGE_WAIT_MS;
      while (due.some((x) => !errors.some((e) => x.text.test(e.text) && x.url.test(e.url))) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const unexpected = errors.filter((e) => !expected.some((x) => x.text.test(e.text) && x.url.test(e.url)));
      assert.deepEqual(unexpected, [], `${id}: unexpected console errors`);
      for (const x of expected.filter((x) => !x.mayNotOccur)) {
        assert.ok(
          errors.some((e) => x.text.test(e.text) && x.url.test(e.url)),
          `${id}: the expected error ${x.text} (${x.url}) did not occur; update EXPECTED_ERRORS`,
        );
      }
    } finally {
      await page.close();
    }
  }

  it('finds the stories and docs pages in index.json', () => {
    assert.ok(stories.length > 0, 'index.json lists no stories');
    for (const tag of ['privacy-notice', 'consent-banner', 'consent-preferences', 'privacy-rights', 'consent-history', 'consent-embed']) {
      assert.ok(stories.some((s) => tagOf(s.id) === tag), `no story shows <${tag}>`);
      assert.ok(docs.some((d) => d.id === `elements-${tag}--docs`), `<${tag}> has no docs page`);
    }
    for (const id of [...Object.keys(EXPECTED_ERRORS), ...Object.keys(SHOWN_LOCALE), ...Object.keys(SHOWN_ON_DOCS)]) {
      assert.ok(index.entries[id], `${id} is named in this test but is not a story any more`);
    }
  });

  for (const story of stories) {
    const tag = tagOf(story.id);
    const locales = SHOWN_LOCALE[story.id] ? Object.keys(SHOWN_LOCALE[story.id]) : ['nl'];
    for (const locale of locales) {
      it(`${story.title} / ${story.name} (${locale})`, { timeout: STORY_TIMEOUT_MS + DEV_MESSAGE_WAIT_MS + 5_000 }, async () => {
        assert.ok(tag, `${story.id}: a story id under "Elements/" names its element`);
        await open(story.id, 'story', locale, async (page) => {
          const handle = await page.waitForFunction(() => window.__akkoordStory.finished, null, { timeout: STORY_TIMEOUT_MS });
          const finished = await handle.jsonValue();
          const state = await page.evaluate(
            ([tag]) => {
              const el = document.querySelector(`#storybook-root ${tag}`);
              const root = el?.shadowRoot;
              return {
                defined: customElements.get(tag) !== undefined,
                present: el !== null,
                lang: el?.getAttribute('lang') ?? null,
                rendered: Boolean(root?.querySelector('*')) && (root?.textContent ?? '').trim().length > 0,
                shownLocale: root?.querySelector('[part="base"]')?.getAttribute('lang') ?? null,
                playErrors: window.__akkoordStory.playErrors,
                errorDisplay: document.body.classList.contains('sb-show-errordisplay')
                  ? document.querySelector('#error-message')?.textContent ?? 'Storybook shows an error'
                  : null,
              };
            },
            [tag],
          );
          assert.deepEqual(state.playErrors, [], `${story.id}: the play function failed`);
          assert.equal(state.errorDisplay, null, `${story.id}: Storybook shows an error`);
          assert.ok(state.defined, `<${tag}> is defined`);
          assert.ok(state.present, `<${tag}> is in the story`);
          assert.ok(state.rendered, `<${tag}>'s shadow root has content`);
          assert.equal(state.lang, locale, `<${tag}> takes the toolbar's language as its lang`);
          if (SHOWN_LOCALE[story.id]) assert.equal(state.shownLocale, SHOWN_LOCALE[story.id][locale], 'the notice locale shown');

          const a11y = finished.reporters.filter((r) => r.type === 'a11y');
          assert.equal(a11y.length, 1, `${story.id}: the accessibility checks ran`);
          const violations = (a11y[0].result?.violations ?? []).map(
            (v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(' >>> ')).join(', ')}`,
          );
          assert.deepEqual(violations, [], `${story.id}: accessibility violations`);
          assert.equal(a11y[0].result?.error, undefined, `${story.id}: the accessibility checks could not run`);
          assert.ok(a11y[0].result.passes.length > 0, `${story.id}: the accessibility checks checked something`);
          assert.equal(finished.status, 'success', `${story.id}: Storybook reports the story as failed`);
        });
      });
    }
  }

  for (const entry of docs) {
    it(`${entry.title} (docs)`, { timeout: 2 * STORY_TIMEOUT_MS + DEV_MESSAGE_WAIT_MS + 5_000 }, async () => {
      await open(entry.id, 'docs', 'nl', async (page) => {
        await page.waitForFunction(() => window.__akkoordStory.docsRendered, null, { timeout: STORY_TIMEOUT_MS });
        const text = await page.locator('#storybook-docs').innerText();
        assert.ok(text.includes(entry.title.split('/').pop()), `${entry.id}: the docs page shows its title`);
        // A story in a frame of its own loads when it comes into view.
        for (const canvas of await page.locator('#storybook-docs .docs-story').all()) await canvas.scrollIntoViewIfNeeded();
        // Each story the page shows (a <Canvas>) renders its element, in the page or in its own frame.
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll('#storybook-docs .docs-story')].every((canvas) =>
              [canvas, ...[...canvas.querySelectorAll('iframe')].map((frame) => frame.contentDocument).filter(Boolean)]
                .flatMap((root) => [...root.querySelectorAll('privacy-notice, consent-banner, consent-preferences, privacy-rights, consent-history, consent-embed')])
                .some((el) => (el.shadowRoot?.textContent ?? '').trim().length > 0),
            ),
          null,
          { timeout: STORY_TIMEOUT_MS },
        );
        // What a story shows alone, it shows here: no other story's change of the page reached it.
        const prefix = entry.id.replace(/docs$/, '');
        for (const [id, { has, not }] of Object.entries(SHOWN_ON_DOCS).filter(([id]) => id.startsWith(prefix))) {
          const shown = () =>
            page.evaluate(
              ([id, has, not]) => {
                // A story in the page's list, or the page's first (primary) story.
                const canvas = (document.getElementById(`story--${id}`) ?? document.getElementById(`story--${id}--primary`))?.closest('.docs-story');
                const roots = [canvas, ...[...(canvas?.querySelectorAll('iframe') ?? [])].map((frame) => frame.contentDocument)].filter(Boolean);
                const shadows = roots.flatMap((root) => [...root.querySelectorAll('*')].map((el) => el.shadowRoot).filter(Boolean));
                return { has: shadows.some((shadow) => shadow.querySelector(has)), not: Boolean(not) && shadows.some((shadow) => shadow.querySelector(not)) };
              },
              [id, has, not],
            );
          const deadline = Date.now() + STORY_TIMEOUT_MS;
          while (!(await shown()).has && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
          const state = await shown();
          assert.ok(state.has, `${entry.id}: ${id} shows ${has}, as it does alone`);
          assert.ok(!state.not, `${entry.id}: ${id} shows ${not}, which it does not alone`);
        }
        // No story's signal or hash is left in the page for the others (stories that set one render in a frame).
        const left = await page.evaluate(() => ({ gpc: navigator.globalPrivacyControl ?? null, hash: location.hash }));
        assert.deepEqual(left, { gpc: null, hash: '' }, `${entry.id}: a story changed the docs page for the others`);
        // The API tables: public API only.
        const tag = tagOf(entry.id);
        if (tag && nonPublicMembers[tag]) {
          const rows = await page.locator('#storybook-docs table tbody tr td:first-child').allInnerTexts();
          const names = rows.map((row) => row.trim().split(/\s/)[0]);
          const shown = names.filter((name) => name.startsWith('#') || nonPublicMembers[tag].includes(name));
          assert.deepEqual(shown, [], `${entry.id}: the API tables list what is not public API`);
          assert.ok(names.includes('lang'), `${entry.id}: the API tables list the element's attributes (${names.join(', ')})`);
        }
      });
    });
  }
});
