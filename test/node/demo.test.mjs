// `npm start` (scripts/demo/start.mjs) as a user runs it: a child process on ports
// chosen here, its printed URLs, what the demo sites serve, and a clean stop
// on SIGINT. 127.0.0.1 only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, freePort, isRunning, startDemo, startDemoOnFreePorts, timeoutAfter } from '../fixtures/demo.mjs';

/** A GET with the path sent exactly as given (fetch would normalize "/a/../b"). */
function rawGet(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET that says which encodings it accepts; the body as it came over the wire. */
function getEncoded(port, path, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start', () => {
  let running;
  let ports;
  let demo;
  let urls;
  let receiverUrl;
  let receiverPid;

  before(async () => {
    running = await startDemoOnFreePorts('demo');
    ({ ports, demo, receiverUrl, receiverPid } = running);
    urls = [...demo.output().matchAll(/http:\/\/127\.0\.0\.1:\d+\/\S*/g)].map((m) => m[0]);
  });

  after(() => running?.stop());

  test('prints every page of both sites on the chosen ports', () => {
    for (const port of [ports.gmo, ports.dcube]) {
      for (const path of ['/', '/privacy', '/account']) {
        assert.ok(urls.includes(`http://127.0.0.1:${port}${path}`), `printed http://127.0.0.1:${port}${path}\n${demo.output()}`);
      }
    }
    if (receiverUrl) assert.equal(receiverUrl, `http://127.0.0.1:${ports.receiver}`);
    else assert.match(demo.output(), /Receiver: not started: |Receiver: .*the sites run without it/is);
  });

  const pages = [
    { site: 'gmo', path: '/', tags: ['<consent-banner', 'notice="/akkoord/notices/gmo-registry/manifest.json"', 'privacy-href="/privacy"', 'data-consent="marketing"', 'src="/demo/marketing.js"'] },
    { site: 'gmo', path: '/privacy', tags: ['<privacy-notice', 'notice="/akkoord/notices/gmo-registry/manifest.json"'] },
    { site: 'gmo', path: '/account', tags: ['<consent-preferences', 'subject="demo-customer-gmo-1"', '<consent-history', '<privacy-rights', 'src="/demo/account.js"'] },
    { site: 'dcube', path: '/', tags: ['<consent-banner', 'notice="/akkoord/notices/dcube-resource/manifest.json"', 'id="marketing-status"'] },
    { site: 'dcube', path: '/privacy', tags: ['<privacy-notice', 'notice="/akkoord/notices/dcube-resource/manifest.json"'] },
    { site: 'dcube', path: '/account', tags: ['<consent-preferences', 'subject="demo-customer-dcube-1"', '<consent-history', '<privacy-rights', 'src="/demo/account.js"'] },
  ];
  for (const { site, path, tags } of pages) {
    test(`${site} ${path}: 200, HTML with a strict CSP and our elements`, async () => {
      const response = await fetch(`http://127.0.0.1:${ports[site]}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self' 'unsafe-inline'/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      if (receiverUrl) assert.match(csp, new RegExp(`connect-src 'self' ${receiverUrl.replace(/[.]/g, '\\.')}`));
      const html = await response.text();
      assert.match(html, /<script type="module" src="\/akkoord\/akkoord\.min\.js"><\/script>/);
      for (const tag of tags) assert.ok(html.includes(tag), `${path} contains ${tag}`);
      // No inline script: every <script> has a src, or is a data block / gated placeholder that does not run.
      for (const [script] of html.matchAll(/<script\b[^>]*>/g)) {
        assert.ok(/\bsrc=/.test(script) || /type="application\/json"/.test(script), `not inline: ${script}`);
      }
      if (receiverUrl && site === 'gmo') assert.ok(html.includes(`endpoint="${receiverUrl}"`), 'the elements send receipts to the receiver');
    });
  }

  test('gated marketing script on GMO only; a note on D-Cube', async () => {
    const dcube = await (await fetch(`http://127.0.0.1:${ports.dcube}/`)).text();
    assert.ok(!dcube.includes('data-consent='), 'D-Cube asks no consent: no gated script');
    assert.match(dcube, /data-t="marketing\.none"/);
  });

  test('?lang= picks the language, else the site default', async () => {
    const get = async (port, path) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    assert.match(await get(ports.gmo, '/'), /<html lang="nl"/);
    assert.match(await get(ports.gmo, '/?lang=en'), /<html lang="en"/);
    assert.match(await get(ports.gmo, '/?lang=en'), /<consent-banner [^>]*lang="en"/);
    assert.match(await get(ports.gmo, '/?lang=fr'), /<html lang="nl"/);
    assert.match(await get(ports.dcube, '/privacy'), /<html lang="nl-BE"/);
    assert.match(await get(ports.dcube, '/privacy?lang=nl'), /<privacy-notice [^>]*lang="nl"/);
  });

  test('serves the bundle, its chunks and the built notices with their content types', async () => {
    const base = `http://127.0.0.1:${ports.gmo}`;
    const bundle = await fetch(`${base}/akkoord/akkoord.min.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type'), /^application\/javascript/);
    const code = await bundle.text();
    const chunk = /chunks\/[\w.-]+\.js/.exec(code);
    assert.ok(chunk, 'the bundle imports chunks');
    const chunkResponse = await fetch(`${base}/akkoord/${chunk[0]}`);
    assert.equal(chunkResponse.status, 200);
    assert.match(chunkResponse.headers.get('content-type'), /^application\/javascript/);
    // The files do not name their source maps (bytes for every visitor); the header does, for DevTools.
    assert.ok(!code.includes('sourceMappingURL'), 'no source-map comment in the bundle');
    assert.equal(bundle.headers.get('sourcemap'), 'akkoord.min.js.map');
    const map = await fetch(new URL(bundle.headers.get('sourcemap'), bundle.url));
    assert.equal(map.status, 200);
    assert.ok((await map.json()).sources.some((source) => source.endsWith('akkoord.ts')));

    for (const id of ['gmo-registry', 'dcube-resource']) {
      const manifest = await fetch(`${base}/akkoord/notices/${id}/manifest.json`);
      assert.equal(manifest.status, 200);
      assert.match(manifest.headers.get('content-type'), /^application\/json/);
      assert.equal((await manifest.json()).id, id);
    }
    const marketing = await fetch(`${base}/demo/marketing.js`);
    assert.equal(marketing.status, 200);
    assert.match(marketing.headers.get('content-type'), /^application\/javascript/);
  });

  test('pages and text files go out compressed: brotli, else gzip, as the browser accepts', async () => {
    for (const path of ['/', '/privacy?lang=en', '/akkoord/akkoord.min.js', '/akkoord/notices/gmo-registry/manifest.json', '/demo/site.css']) {
      const plain = await getEncoded(ports.gmo, path);
      assert.equal(plain.status, 200, path);
      assert.equal(plain.headers['content-encoding'], undefined, `${path}: identity when nothing is accepted`);
      const br = await getEncoded(ports.gmo, path, 'gzip, deflate, br');
      assert.equal(br.headers['content-encoding'], 'br', path);
      assert.equal(br.headers.vary, 'Accept-Encoding', path);
      const gzip = await getEncoded(ports.gmo, path, 'gzip, br;q=0');
      assert.equal(gzip.headers['content-encoding'], 'gzip', path);
      // The same content, smaller (a page is rendered anew for each request, the same each time).
      assert.equal(brotliDecompressSync(br.body).toString(), plain.body.toString(), `${path}: brotli gives the same bytes`);
      assert.equal(gunzipSync(gzip.body).toString(), plain.body.toString(), `${path}: gzip gives the same bytes`);
      assert.ok(br.body.length < plain.body.length && gzip.body.length < plain.body.length, `${path}: compressed is smaller`);
    }
  });

  test('every page has a meta description of its own, in its language', async () => {
    const descriptions = new Map();
    for (const [site, languages] of [['gmo', ['nl', 'en']], ['dcube', ['nl-BE', 'nl', 'en']]]) {
      for (const lang of languages) {
        for (const path of ['/', '/privacy', '/account']) {
          const html = await (await fetch(`http://127.0.0.1:${ports[site]}${path}?lang=${lang}`)).text();
          assert.match(html, new RegExp(`<html lang="${lang}"`));
          const content = /<meta name="description" content="([^"]{50,160})"/.exec(html)?.[1];
          assert.ok(content, `${site} ${path} ${lang}: a description of 50 to 160 characters`);
          descriptions.set(`${site} ${path} ${lang}`, content);
        }
      }
    }
    const texts = [...descriptions.values()];
    assert.equal(new Set(texts.filter((t) => t.includes('GMO'))).size, 6, 'GMO: a description per page and language');
    // D-Cube's Dutch (nl-BE and nl) share theirs: a description per page in Dutch and in English.
    assert.equal(new Set(texts.filter((t) => t.includes('D-Cube'))).size, 6, 'D-Cube: a description per page, in Dutch and English');
    assert.match(descriptions.get('gmo / nl'), /\bvan Akkoord\b/);
    assert.match(descriptions.get('gmo / en'), /\bof Akkoord\b/);
  });

  test("the language switch: each link's name begins with the text it shows", async () => {
    const html = await (await fetch(`http://127.0.0.1:${ports.dcube}/`)).text();
    const links = [...html.matchAll(/<a [^>]*data-lang="([^"]+)"[^>]*>(.*?)<\/a>/g)];
    assert.deepEqual(links.map((m) => m[1]), ['nl-BE', 'nl', 'en']);
    for (const [link, , shown] of links) {
      const name = /aria-label="([^"]*)"/.exec(link)?.[1] ?? shown;
      assert.ok(name.startsWith(`${shown}, `), `${link}: its name "${name}" begins with "${shown}"`);
    }
  });

  test('nothing outside the served roots: traversal gets 403/404', async () => {
    const attempts = [
      '/akkoord/../package.json',
      '/akkoord/../../../package.json',
      '/akkoord/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/akkoord/..%2f..%2f..%2fpackage.json',
      '/akkoord/notices/..%2f..%2f..%2f..%2fpackage.json',
      '/akkoord/notices/../../../../package.json',
      '/demo/../../package.json',
      '/demo/..%2f..%2fstart.mjs',
      '/demo/..%5c..%5cstart.mjs',
      '/akkoord//etc/passwd',
      '/akkoord/%2fetc%2fpasswd',
      '/akkoord/akkoord.min.js%00.map',
      '/akkoord/notices/duinweg-domeinen/../../../../package.json',
      '/akkoord/notices/duinweg-domeinen/..%2f..%2fnotice.json',
    ];
    for (const path of attempts) {
      for (const port of [ports.gmo, ports.dcube, ports.duinweg]) {
        const { status, body } = await rawGet(port, path);
        assert.ok(status === 403 || status === 404 || status === 400, `${path}: ${status}`);
        assert.ok(!body.includes('"workspaces"') && !body.includes('root:') && !body.includes('startReceiver'), `${path} leaked a file`);
      }
    }
    assert.equal((await rawGet(ports.gmo, '/nowhere')).status, 404);
  });

  test('stops on SIGINT: exit code 0 within a few seconds, servers and receiver gone', async () => {
    // The demo's own notices are built into a folder of this run, which the receiver names as it starts.
    const built = /\((\/\S+)\/duinweg-domeinen\/notice\.json\)/.exec(demo.output())?.[1];
    if (receiverUrl) assert.ok(built && existsSync(built), `the built notice's folder exists while the demo runs:\n${demo.output()}`);
    demo.child.kill('SIGINT');
    const result = await Promise.race([demo.exited, timeoutAfter(STOP_TIMEOUT_MS)]);
    assert.notEqual(result, 'timeout', `still running ${STOP_TIMEOUT_MS / 1000} s after SIGINT:\n${demo.output()}`);
    assert.deepEqual(result, { code: 0, signal: null }, demo.output());
    if (receiverPid) assert.equal(isRunning(receiverPid), false, `receiver (pid ${receiverPid}) is still running`);
    // The ports are free again.
    if (built) assert.equal(existsSync(built), false, `${built} is removed`);
    for (const port of [ports.gmo, ports.dcube, ports.duinweg, ...(receiverUrl ? [ports.receiver] : [])]) {
      await new Promise((resolve, reject) => {
        const probe = createServer().once('error', reject);
        probe.listen(port, '127.0.0.1', () => probe.close(resolve));
      });
    }
  });
});

test('npm start: a taken port fails with a clear message', async () => {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = blocker.address().port;
  try {
    const demo = startDemo(
      { AKKOORD_DEMO_GMO_PORT: String(taken), AKKOORD_DEMO_DCUBE_PORT: String(await freePort()), AKKOORD_DEMO_DUINWEG_PORT: String(await freePort()) },
      ['--no-receiver'],
    );
    const result = await Promise.race([demo.exited, timeoutAfter(START_TIMEOUT_MS)]);
    if (result === 'timeout') demo.child.kill('SIGKILL');
    assert.notEqual(result, 'timeout', demo.output());
    assert.equal(result.code, 1, demo.output());
    assert.match(demo.output(), new RegExp(`port ${taken} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(demo.output(), /AKKOORD_DEMO_GMO_PORT=/);
  } finally {
    blocker.close();
  }
});

test("npm start's receipt log: a browser's pseudonym shortened, one line per receipt of a batch, refusals by code", async () => {
  const { linesFor } = await import('../../scripts/demo/receipt-log.mjs');
  const receipt = (subject, method, decisions) => ({ piiPrincipalId: subject, akkoord: { method, decisions } });
  const items = [
    { idempotencyKey: 'a', receipt: receipt('psn_7f3a9b2e00112233445566ff', 'accept-all', { marketing: 'granted', seminars: 'granted' }) },
    { idempotencyKey: 'b', receipt: receipt('customer-42', 'reject-all', { marketing: 'denied', seminars: 'denied' }) },
  ];
  const answer = { results: [{ idempotencyKey: 'a', status: 201 }, { idempotencyKey: 'b', status: 409, error: { error: 'chain-conflict' } }] };
  const lines = linesFor('/receipts/batch', JSON.stringify({ items }), 200, JSON.stringify(answer));
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^\[receipt\] \d\d:\d\d:\d\d psn_7f3a…66ff accept-all {2}granted: marketing, seminars {2}denied: none {2}→ 201 stored$/);
  assert.match(lines[1], / customer-42 reject-all {2}granted: none {2}denied: marketing, seminars {2}→ 409 refused: chain-conflict$/);
  // A whole batch refused (here 413) answers for each of its receipts; what is not JSON prints nothing.
  assert.match(linesFor('/receipts/batch', JSON.stringify({ items }), 413, JSON.stringify({ error: 'payload-too-large' }))[1], /→ 413 refused: payload-too-large$/);
  assert.deepEqual(linesFor('/receipts', 'not json', 400, ''), []);
});
