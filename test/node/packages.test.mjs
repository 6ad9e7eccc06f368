// Each @akkoord/* package as npm would publish it: what `npm pack` puts in
// the tarball, publint's rules, and whether TypeScript and Node resolve its
// exports (arethetypeswrong, ESM only). Runs against the build of `npm test`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const PACKAGES = ['core', 'notices', 'elements', 'receiver'];

async function packed(name) {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: `${ROOT}packages/${name}` });
  return JSON.parse(stdout)[0].files.map((f) => f.path);
}

for (const name of PACKAGES) {
  describe(`@akkoord/${name}`, () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}packages/${name}/package.json`, 'utf8'));

    it('declares an ESM package with an explicit exports map and no wildcard', () => {
      assert.equal(manifest.type, 'module');
      assert.ok(manifest.exports?.['.'], 'has a "." export');
      for (const [path, target] of Object.entries(manifest.exports)) {
        assert.ok(!path.includes('*'), `no wildcard export (${path})`);
        if (typeof target === 'object') {
          assert.ok(target.types && target.default, `${path} names types and default`);
        }
      }
      assert.ok(Array.isArray(manifest.files) && manifest.files.length, 'a files list');
      assert.ok(manifest.license, 'a license');
    });

    it('packs its build, README and LICENSE, and no sources, tests or maps of tests', async () => {
      const files = await packed(name);
      for (const required of ['package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(required), `${required} is packed`);
      if (name !== 'notices' || files.some((f) => f.startsWith('dist/'))) assert.ok(files.includes('dist/index.js'), 'dist/index.js is packed');
      assert.ok(files.some((f) => f.endsWith('.d.ts')), 'type declarations are packed');
      const stray = files.filter((f) => f.startsWith('src/') || /\.test\.(js|d\.ts)$/.test(f) || f.startsWith('test/'));
      assert.deepEqual(stray, [], 'nothing from src/ or tests');
      if (name === 'elements') {
        assert.ok(files.includes('custom-elements.json'), 'the custom elements manifest is packed');
        assert.ok(files.includes('dist/akkoord.min.js'), 'the one-file bundle is packed');
      }
      if (name === 'receiver') assert.ok(files.includes('openapi.json'), 'the OpenAPI contract is packed');
      if (name === 'notices') assert.ok(files.includes('notices/gmo-registry.json'), 'the notices are packed');
    });

    it('passes publint', async () => {
      const { stdout } = await run('npx', ['publint', '--strict', `packages/${name}`], { cwd: ROOT });
      assert.match(stdout, /All good!/);
    });

    it('resolves for TypeScript and Node as ESM (arethetypeswrong)', { timeout: 60_000 }, async () => {
      await run('npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'json'], { cwd: `${ROOT}packages/${name}` }).catch(
        (error) => assert.fail(`attw found problems:\n${error.stdout?.slice(0, 2000)}`),
      );
    });
  });
}
