// akkoord-notice, the real command a registrar runs, on files in a temp dir.
// Runs against the build: `npm run build` (or `npx tsc -p packages/core/tsconfig.build.json`) first.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/core/bin/akkoord-notice.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/cli/minimal-notice.json', import.meta.url));
const LAUNCH = (id) => fileURLToPath(new URL(`../../packages/notices/notices/${id}.json`, import.meta.url));
const { hashJson } = await import('../../packages/core/dist/notice/canonical.js');
const { validateNotice } = await import('../../packages/core/dist/notice/validate.js');

/** Runs the CLI; resolves with its exit code and output, whatever the code. */
function cli(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** Canonical JSON written here, independently of core: sorted keys, no white space. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const sha256 = (text) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

let dir;
let minimal;
const file = async (name, content) => {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};
const variant = (change) => {
  const doc = structuredClone(minimal);
  change(doc);
  return doc;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-cli-'));
  minimal = JSON.parse(await readFile(FIXTURE, 'utf8'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('hashJson', () => {
  it('matches the known vector for {}', async () => {
    assert.equal(await hashJson({}), 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    assert.equal(sha256(canonical({})), 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('akkoord-notice check', () => {
  it('passes a valid notice: exit 0', async () => {
    const { code, stdout } = await cli('check', FIXTURE);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /minimal-notice\.json: valid, example-registrar version 2026-01-01/);
    assert.doesNotMatch(stdout, /^ +warning /m);
  });

  it('reports invalid JSON with its line and column: exit 1', async () => {
    const path = await file('broken.json', '{\n  "id": "x",\n  "locales": ["nl"]\n  "version": "1"\n}\n');
    const { code, stdout } = await cli('check', path);
    assert.equal(code, 1);
    assert.match(stdout, /broken\.json:4:3: invalid JSON/);
  });

  it('reports invalid JSON without a position from V8 at the right place', async () => {
    const path = await file('token.json', '{\n  "id": tru\n}');
    const { code, stdout } = await cli('check', path);
    assert.equal(code, 1);
    assert.match(stdout, /token\.json:2:\d+: invalid JSON: Unexpected token/);
  });

  it('names the path of each schema error, with its line: exit 1', async () => {
    const path = await file(
      'schema.json',
      variant((doc) => {
        doc.purposes[0].legalBasis = 'contractual';
        doc.purposes[1].title.en = '';
        delete doc.summary.withdrawal;
      }),
    );
    const { code, stdout } = await cli('check', path);
    assert.equal(code, 1);
    assert.match(stdout, /schema\.json: invalid, 3 errors/);
    assert.match(stdout, /^ {2}purposes\[0\]\.legalBasis: expected one legal basis, one of: consent, .* \(line \d+, column \d+\)$/m);
    assert.match(stdout, /^ {2}purposes\[1\]\.title\.en: /m);
    assert.match(stdout, /^ {2}summary\.withdrawal: missing/m);
  });

  it('reports exactly what validateNotice reports in the browser', async () => {
    const doc = variant((d) => {
      d.purposes[0].legalBasis = 'contractual';
      d.sections[0].body.en[0].text[0].href = 'javascript:alert(1)';
      d.locales.push('de');
    });
    const { stdout } = await cli('check', '--json', await file('same.json', doc));
    const reported = JSON.parse(stdout).files[0].errors.map(({ path, message }) => ({ path, message }));
    const result = validateNotice(doc);
    assert.equal(result.ok, false);
    assert.deepEqual(reported, result.issues);
  });

  it('requires an EU representative of a controller outside the EEA (art. 27): exit 1', async () => {
    const path = await file('us.json', variant((doc) => (doc.controller.establishedIn = 'US')));
    const { code, stdout } = await cli('check', path);
    assert.equal(code, 1);
    assert.match(stdout, /controller\.representative: .*outside the EEA \(US\).*art\. 27/);
  });

  it('passes warnings, and fails them with --strict', async () => {
    const path = await file('vague.json', variant((doc) => (doc.purposes[1].title.nl = 'Eventueel nieuws')));
    const lenient = await cli('check', path);
    assert.equal(lenient.code, 0, lenient.stdout);
    assert.match(lenient.stdout, /^ {2}warning purposes\[1\]\.title\.nl: "Eventueel" makes the purpose vague/m);
    const strict = await cli('check', '--strict', path);
    assert.equal(strict.code, 1);
    assert.match(strict.stdout, /--strict/);
  });

  it('fails an unreadable file and still checks the others: exit 1', async () => {
    const { code, stdout } = await cli('check', join(dir, 'nope.json'), FIXTURE);
    assert.equal(code, 1);
    assert.match(stdout, /nope\.json: cannot read the file: no such file/);
    assert.match(stdout, /minimal-notice\.json: valid/);
    assert.match(stdout, /2 files: 1 valid, 1 invalid/);
  });

  it('prints a machine-readable report with --json', async () => {
    const bad = await file('bad.json', variant((doc) => (doc.controller.establishedIn = 'US')));
    const { code, stdout } = await cli('check', '--json', FIXTURE, bad);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(report.files.map((f) => [f.status, f.ok]), [['valid', true], ['invalid', false]]);
    assert.equal(report.files[0].hash, sha256(canonical(minimal)));
    assert.equal(report.files[1].errors[0].path, 'controller.representative');
    assert.equal(typeof report.files[1].errors[0].line, 'number');
  });
});

describe('akkoord-notice check: the legal defects a privacy officer would refuse', () => {
  // One warning line per defect, each naming the article that the notice falls short of.
  const defects = [
    ['the art. 27 representative outside the EU', (d) => {
      d.controller.establishedIn = 'JP';
      d.controller.representative = {
        name: 'Rep Ltd.',
        address: { streetAddress: 'Sandling Road', addressLocality: 'Maidstone', addressCountry: 'GB' },
      };
    }, /^ {2}warning controller\.representative\.address\.addressCountry: .*GB, outside the EU; art\. 27\(3\)/m],
    ['special categories without a condition of art. 9(2)', (d) => {
      d.dataCategories.push({ id: 'health', title: { nl: 'Gezondheid', en: 'Health' }, special: true });
      d.purposes[0].dataCategories.push('health');
    }, /^ {2}warning purposes\[0\]\.specialCategoryCondition: .*\(health\).*art\. 9\(2\)/m],
    ['an obligation under a third country\'s law', (d) => {
      d.purposes[0].legalBasis = 'legal-obligation';
      d.purposes[0].obligationLaw = 'JP';
    }, /^ {2}warning purposes\[0\]\.obligationLaw: .*law of JP.*art\. 6\(3\)/m],
    ['a disclosure on request filed as a legal obligation', (d) => {
      d.purposes[0].legalBasis = 'legal-obligation';
      d.purposes[0].obligationLaw = 'NL';
      d.purposes[0].disclosedOnRequest = true;
    }, /^ {2}warning purposes\[0\]\.disclosedOnRequest: .*not a legal obligation \(art\. 6\(1\)\(c\)\)/m],
    ['contract for people who are not party to it', (d) => {
      d.purposes[0].audience = ['employees', 'family-members'];
    }, /^ {2}warning purposes\[0\]\.legalBasis: contract \(art\. 6\(1\)\(b\)\).*family members are not party/m],
    ['a country said to have no adequacy decision that has one', (d) => {
      d.transfers = [{ country: 'JP', adequacyDecision: false }];
    }, /^ {2}warning transfers\[0\]\.adequacyDecision: .*JP.*Implementing Decision \(EU\) 2019\/419 on 2019-01-23 \(art\. 45\(3\)\)/m],
    ['a transfer with neither adequacy nor safeguard', (d) => {
      d.transfers = [{ country: 'IN', adequacyDecision: false }];
    }, /^ {2}warning transfers\[0\]\.safeguard: .*IN.*art\. 13\(1\)\(f\).*art\. 46/m],
  ];
  for (const [what, change, line] of defects) {
    it(`warns of ${what}, naming the article; the file stays valid, and --strict fails it`, async () => {
      const path = await file('defect.json', variant(change));
      const lenient = await cli('check', path);
      assert.equal(lenient.code, 0, lenient.stdout);
      assert.match(lenient.stdout, line);
      assert.equal((await cli('check', '--strict', path)).code, 1);
    });
  }

  it('prints every defect of the launch notices for the registrars to decide, each with its article', async () => {
    const { code, stdout } = await cli('check', '--json', LAUNCH('gmo-registry'), LAUNCH('dcube-resource'));
    assert.equal(code, 0, stdout);
    const [gmo, dcube] = JSON.parse(stdout).files;
    const messages = Object.fromEntries(gmo.warnings.map((w) => [w.path, w.message]));
    const expected = {
      'controller.representative.address.addressCountry': /GB, outside the EU; art\. 27\(3\)/,
      'purposes[0].specialCategoryCondition': /health, physical-characteristics.*art\. 9\(2\)/,
      'purposes[11].obligationLaw': /law of JP.*art\. 6\(3\)/,
      'purposes[14].obligationLaw': /law of JP.*art\. 6\(3\)/,
      'purposes[14].disclosedOnRequest': /art\. 6\(1\)\(c\)/,
      'purposes[16].legalBasis': /art\. 6\(1\)\(b\).*family members and retirees/,
      'purposes[17].obligationLaw': /law of JP.*art\. 6\(3\)/,
      'transfers[0].adequacyDecision': /JP.*2019\/419.*art\. 45\(3\)/,
      'transfers[1].adequacyDecision': /US.*2023\/1795.*Data Privacy Framework.*certified/,
    };
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(expected).sort());
    for (const [path, message] of Object.entries(expected)) assert.match(messages[path], message, path);
    // D-Cube publishes no address and no retention; its disclosure to authorities is its own choice, not an obligation.
    assert.deepEqual(dcube.warnings.map((w) => w.path), ['controller.address', 'sections']);
  });
});

describe('akkoord-notice usage', () => {
  for (const args of [[], ['check'], ['frob', 'a.json'], ['check', '--frob', 'a.json'], ['check', '--out', 'x', 'a.json'], ['build', '--out']]) {
    it(`exits 2 on \`akkoord-notice ${args.join(' ')}\``, async () => {
      const { code, stderr } = await cli(...args);
      assert.equal(code, 2);
      assert.match(stderr, /akkoord-notice/);
    });
  }

  it('prints help: exit 0', async () => {
    for (const args of [['--help'], ['check', '--help'], ['build', '-h'], ['help', 'build']]) {
      const { code, stdout } = await cli(...args);
      assert.equal(code, 0);
      assert.match(stdout, /^Usage: akkoord-notice/);
    }
  });
});

describe('akkoord-notice build', () => {
  it('writes the document, each locale, the first layers and a manifest whose hash is the SHA-256 of the canonical JSON', async () => {
    const out = join(dir, 'out');
    const { code, stdout } = await cli('build', FIXTURE, '--out', out);
    assert.equal(code, 0, stdout);
    const at = join(out, 'example-registrar');
    assert.deepEqual((await readdir(at)).sort(), [
      'en.json', 'first-layer.en.json', 'first-layer.nl.json', 'manifest.json', 'nl.json', 'notice.json',
    ]);
    for (const name of ['notice.json', 'nl.json', 'first-layer.en.json', 'manifest.json']) {
      assert.match(stdout, new RegExp(`example-registrar/${name.replace(/\./g, '\\.')} +[\\d,]+ +[\\d,]+`));
    }

    const expected = sha256(canonical(minimal));
    const manifest = JSON.parse(await readFile(join(at, 'manifest.json'), 'utf8'));
    assert.equal(manifest.hash, expected);
    assert.equal(manifest.hash, await hashJson(minimal));
    assert.deepEqual(manifest.locales, ['nl', 'en']);
    assert.equal(manifest.id, 'example-registrar');
    assert.equal(manifest.version, '2026-01-01');
    assert.deepEqual(manifest.files.map((f) => f.path), ['notice.json', 'nl.json', 'en.json', 'first-layer.nl.json', 'first-layer.en.json']);

    const documentText = await readFile(join(at, 'notice.json'), 'utf8');
    assert.equal(documentText, canonical(minimal));
    assert.equal(sha256(documentText), expected);
    assert.equal(manifest.files[0].bytes, Buffer.byteLength(documentText));

    const nl = JSON.parse(await readFile(join(at, 'nl.json'), 'utf8'));
    assert.equal(nl.hash, expected);
    assert.equal(nl.locale, 'nl');
    assert.equal(nl.purposes[1].title, 'Nieuws en aanbiedingen');

    const first = JSON.parse(await readFile(join(at, 'first-layer.en.json'), 'utf8'));
    // The fingerprint covers the consent purposes only, in every locale.
    const consentPurposes = minimal.purposes
      .filter((p) => p.legalBasis === 'consent')
      .map(({ id, title, description, legalBasis, category, channel, dataCategories }) =>
        JSON.parse(JSON.stringify({ id, title, description, legalBasis, category, channel, dataCategories })),
      );
    assert.deepEqual(first, {
      id: 'example-registrar',
      version: '2026-01-01',
      hash: expected,
      consentFingerprint: sha256(canonical(consentPurposes)),
      locales: ['nl', 'en'],
      locale: 'en',
      controller: { name: 'Voorbeeld Registrar B.V.' },
      summary: {
        intro: 'We process your data to register your domain names.',
        notable: ['Your name is in WHOIS if you choose so.'],
        withdrawal: 'You withdraw your consent through Privacy settings.',
      },
      purposes: [
        // Only a consent purpose carries its id, category (for GPC) and description: the banner needs no more of the others.
        { title: 'Domain registration', legalBasis: 'contract' },
        { id: 'marketing', title: 'News and offers', legalBasis: 'consent', category: 'direct-marketing', description: 'We e-mail you about new extensions.' },
      ],
      rightsSectionId: 'your-rights',
      policyUrl: 'https://registrar.example/privacy',
    });
  });

  it(
    'keeps the text as authored: the spaces around a link, and so the hash of the authored document',
    async () => {
      const doc = variant((d) => (d.sections[0].body.en[0].text = ['See also ', { text: 'your rights', href: '#your-rights' }, '.']));
      const out = join(dir, 'spaces');
      const { code, stdout } = await cli('build', await file('spaces.json', doc), '--out', out);
      assert.equal(code, 0, stdout);
      const en = JSON.parse(await readFile(join(out, 'example-registrar', 'en.json'), 'utf8'));
      assert.deepEqual(en.sections[0].body[0].text, doc.sections[0].body.en[0].text);
      const manifest = JSON.parse(await readFile(join(out, 'example-registrar', 'manifest.json'), 'utf8'));
      assert.equal(manifest.hash, sha256(canonical(doc)));
    },
  );

  it('removes the files of a locale that was dropped since the last build', async () => {
    const out = join(dir, 'dropped');
    assert.equal((await cli('build', FIXTURE, '--out', out)).code, 0);
    const nlOnly = await file('nl-only.json', variant((doc) => {
      doc.locales = ['nl'];
      const keepNl = (node) => {
        if (Array.isArray(node)) node.forEach(keepNl);
        else if (node && typeof node === 'object') {
          if ('nl' in node && 'en' in node) delete node.en;
          Object.values(node).forEach(keepNl);
        }
      };
      keepNl(doc);
    }));
    const { code, stdout } = await cli('build', nlOnly, '--out', out);
    assert.equal(code, 0, stdout);
    assert.deepEqual((await readdir(join(out, 'example-registrar'))).sort(), ['first-layer.nl.json', 'manifest.json', 'nl.json', 'notice.json']);
  });

  it('writes nothing when a file is invalid: exit 1', async () => {
    const out = join(dir, 'none');
    const bad = await file('bad-build.json', variant((doc) => (doc.purposes[0].legalBasis = 'contractual')));
    const { code, stdout } = await cli('build', FIXTURE, bad, '--out', out);
    assert.equal(code, 1);
    assert.match(stdout, /purposes\[0\]\.legalBasis/);
    assert.match(stdout, /nothing written/);
    await assert.rejects(readdir(out), { code: 'ENOENT' });
  });

  it('refuses two files with the same id: exit 1', async () => {
    const copy = await file('copy.json', minimal);
    const { code, stdout } = await cli('build', FIXTURE, copy, '--out', join(dir, 'twice'));
    assert.equal(code, 1);
    assert.match(stdout, /"example-registrar" is also the id of/);
  });
});

describe('akkoord-notice build on the launch notices', () => {
  let out;
  const layer = async (id, locale) => JSON.parse(await readFile(join(out, id, `first-layer.${locale}.json`), 'utf8'));
  before(async () => {
    out = join(dir, 'launch');
    const { code, stdout } = await cli('build', LAUNCH('gmo-registry'), LAUNCH('dcube-resource'), '--out', out);
    assert.equal(code, 0, stdout);
  });

  it('names the representative with its country in the first layer, in its language', async () => {
    assert.deepEqual((await layer('gmo-registry', 'nl')).controller.representative, { name: 'GMO GlobalSign Ltd.', country: 'Verenigd Koninkrijk' });
    assert.deepEqual((await layer('gmo-registry', 'en')).controller.representative, { name: 'GMO GlobalSign Ltd.', country: 'United Kingdom' });
    assert.equal((await layer('dcube-resource', 'nl-BE')).controller.representative, undefined);
  });

  it('does not tell a first-layer reader, as a current fact, that Japan and the US lack an adequacy decision', async () => {
    for (const locale of ['nl', 'en']) {
      const text = JSON.stringify(await layer('gmo-registry', locale));
      assert.doesNotMatch(text, /adequa|beschermingsniveau|level of protection/i, locale);
      assert.match(text, /Japan/, locale);
    }
  });

  it('promises nothing the policies do not: no unsubscribe link in every mail, no settings "on this website", no one basis per purpose', async () => {
    for (const id of ['gmo-registry', 'dcube-resource']) {
      const text = await readFile(LAUNCH(id), 'utf8');
      assert.doesNotMatch(text, /afmeldlink|unsubscribe link/i, id);
      assert.doesNotMatch(text, /op deze website|on this website/i, id);
      assert.doesNotMatch(text, /Elk doel heeft één|Each purpose has one/i, id);
      assert.doesNotMatch(text, /zijn duidelijk vastgelegd|have clearly set out/i, id);
    }
  });
});

