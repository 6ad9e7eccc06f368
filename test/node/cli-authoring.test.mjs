// A notice in minutes, with the real command: `akkoord-notice init` writes a starter that validates and
// whose every placeholder `check` names; `schema` gives the JSON Schema the package ships (and the starter's
// "$schema" names); `check` reports every error and every warning of a broken document in one pass.
// Runs against the build (`npm run build`, or `npx tsc -p packages/core/tsconfig.build.json`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'packages/core/bin/akkoord-notice.js');
const SHIPPED = join(ROOT, 'packages/core/notice.schema.json');

let dir;
function cli(...args) {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir }, (error, stdout, stderr) => done({ code: error ? error.code : 0, stdout, stderr }));
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-authoring-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('akkoord-notice init', () => {
  it('writes a starter in nl and en that validates, and check names every placeholder left', async () => {
    const written = await cli('init');
    assert.equal(written.code, 0, written.stderr);
    const starter = JSON.parse(await readFile(join(dir, 'notice.json'), 'utf8'));
    assert.deepEqual(starter.locales, ['nl', 'en']);

    const check = await cli('check', '--json', 'notice.json');
    const [report] = JSON.parse(check.stdout).files;
    assert.equal(check.code, 0, 'the starter is valid as written');
    assert.deepEqual(report.errors, []);
    const placeholders = report.warnings.filter((w) => /placeholder/.test(w.message)).map((w) => w.path);
    for (const path of ['controller.name', 'controller.email', 'policyUrl', 'summary.intro.nl', 'summary.intro.en', 'purposes[1].cookies[0].provider']) {
      assert.ok(placeholders.includes(path), `check names the placeholder at ${path} (got ${placeholders.join(', ')})`);
    }
    assert.ok(report.warnings.every((w) => w.line > 0), 'each warning says its line');
    assert.equal((await cli('check', '--strict', 'notice.json')).code, 1, '--strict fails while placeholders are left');
  });

  it('never replaces a file that exists, unless told to', async () => {
    await writeFile(join(dir, 'mine.json'), '{"id":"mine"}');
    const refused = await cli('init', 'mine.json');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /mine\.json exists; edit it, or pass --force/);
    assert.equal(await readFile(join(dir, 'mine.json'), 'utf8'), '{"id":"mine"}');
    assert.equal((await cli('init', '--force', 'mine.json')).code, 0);
  });

  it('names the JSON Schema the package ships, where an installed package has it', async () => {
    await cli('init', '--force', 'schema-named.json');
    const { $schema } = JSON.parse(await readFile(join(dir, 'schema-named.json'), 'utf8'));
    assert.equal($schema, './node_modules/@akkoord/core/notice.schema.json');
    // In this repository node_modules/@akkoord/core is the package itself, as npm installs it.
    assert.ok(existsSync(resolve(ROOT, $schema)), `${$schema} exists next to an app that installed @akkoord/core`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8'));
    assert.ok(pkg.files.includes('notice.schema.json') && pkg.exports['./notice.schema.json'], 'the package publishes it');
  });
});

describe('akkoord-notice schema', () => {
  it('prints the JSON Schema derived from the zod schema, the same as the file the package ships', async () => {
    const printed = await cli('schema');
    assert.equal(printed.code, 0, printed.stderr);
    const schema = JSON.parse(printed.stdout);
    assert.deepEqual(schema, JSON.parse(readFileSync(SHIPPED, 'utf8')), 'packages/core/notice.schema.json is current: run `node packages/core/bin/akkoord-notice.js schema --out packages/core/notice.schema.json`');
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.ok(schema.required.includes('purposes') && schema.required.includes('controller'));
    const purpose = schema.properties.purposes.items;
    assert.deepEqual(purpose.properties.legalBasis.enum, ['consent', 'contract', 'legal-obligation', 'vital-interests', 'public-task', 'legitimate-interests']);
    assert.ok(purpose.properties.cookies, 'cookie declarations are in it');
    assert.ok(schema.properties.consentLifetime, 'the lifetimes are in it');
  });
});

describe('akkoord-notice check', () => {
  it('reports every error and every warning in one pass, also for a document that fails the schema', async () => {
    const starter = JSON.parse(await readFile(join(dir, 'notice.json'), 'utf8'));
    starter.purposes[0].legalBasis = 'because-we-can'; // the schema
    starter.purposes[1].id = 'registration'; // a rule across fields: one id twice
    starter.purposes[1].dataCategories = ['no-such-category']; // another rule across fields
    delete starter.summary.intro.en; // the schema, in one locale
    await writeFile(join(dir, 'broken.json'), JSON.stringify(starter, null, 2));
    const check = await cli('check', '--json', 'broken.json');
    assert.equal(check.code, 1);
    const [report] = JSON.parse(check.stdout).files;
    const errors = report.errors.map((e) => e.path);
    for (const path of ['purposes[0].legalBasis', 'summary.intro.en', 'purposes[1].id', 'purposes[1].dataCategories[0]']) {
      assert.ok(errors.includes(path), `an error at ${path} (got ${errors.join(', ')})`);
    }
    assert.ok(report.warnings.some((w) => w.path === 'controller.name'), 'and the warnings, in the same pass');
    const text = await cli('check', 'broken.json');
    assert.match(text.stdout, /broken\.json: invalid, \d+ errors, \d+ warnings/);
  });
});
