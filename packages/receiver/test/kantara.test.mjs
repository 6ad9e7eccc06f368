// Our receipts, without the `akkoord` extension member, validate against
// the published Kantara Consent Receipt 1.1 JSON Schema (draft-04) once its
// `//` comments are stripped. Needs core built.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import { loadNotice, makeReceipt } from './harness.mjs';

const SCHEMA_FILE = new URL('./fixtures/kantara/kantara-consent-receipt-v1_1-schema.json', import.meta.url);

/**
 * Drops the lines whose first non-blank characters are `//`. Only whole
 * comment lines: a `//` inside a string (the `$schema` URL) stays.
 */
export function stripLineComments(text) {
  return text
    .split('\n')
    .filter((line) => !/^\s*\/\//.test(line))
    .join('\n');
}

const source = readFileSync(SCHEMA_FILE, 'utf8');
const schema = JSON.parse(stripLineComments(source));
const ajv = new AjvDraft04({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const gmo = await loadNotice('gmo-registry');

const kantaraOnly = (receipt) => {
  const copy = structuredClone(receipt);
  delete copy.akkoord;
  return copy;
};

describe('Kantara CR 1.1 schema', () => {
  it('strips exactly the comment lines, and keeps the URLs that contain //', () => {
    const commentLines = source.split('\n').filter((line) => line.includes('//'));
    assert.equal(commentLines.filter((l) => /^\s*\/\//.test(l)).length, 2, 'the two header comments');
    assert.equal(schema.$schema, 'http://json-schema.org/draft-04/schema#');
    assert.ok(!stripLineComments(source).split('\n').some((l) => /^\s*\/\//.test(l)));
    assert.deepEqual(schema.required.sort(), [
      'collectionMethod', 'consentReceiptID', 'consentTimestamp', 'jurisdiction', 'piiControllers',
      'piiPrincipalId', 'policyUrl', 'sensitive', 'services', 'spiCat', 'version',
    ]);
  });

  it('accepts the example receipt from CONFORMANCE.md', () => {
    const example = {
      version: 'KI-CR-v1.1.0', jurisdiction: 'BE', consentTimestamp: 1767225600,
      collectionMethod: 'web banner: preferences', consentReceiptID: '0b6f2c0e-8d7a-4a51-9a0e-2f3c1d4e5f60',
      language: 'nl', piiPrincipalId: 'psn_7f3a9b2e',
      piiControllers: [{ piiController: 'Registrar BV', contact: 'DPO', address: { streetAddress: '…', addressCountry: 'BE' }, email: 'privacy@example.be', phone: 'tel:+32-2-000-0000' }],
      policyUrl: 'https://example.be/privacy#sha256=…',
      services: [{ service: 'Domeinregistratie', purposes: [{ purpose: 'Seminaraankondigingen', purposeCategory: ['6 - Marketing'], consentType: 'EXPLICIT', piiCategory: ['2 - Contact'], primaryPurpose: false, termination: 'withdrawal or 12 months', thirdPartyDisclosure: false }] }],
      sensitive: false, spiCat: [],
    };
    assert.ok(validate(example), ajv.errorsText(validate.errors));
  });

  for (const [label, options] of [
    ['accept all', { method: 'accept-all' }],
    ['reject all (no purposes consented to)', { method: 'reject-all', grant: false }],
    ['preferences', { method: 'preferences', decisions: { marketing: 'granted', 'seminar-announcements': 'denied', 'feature-announcements': 'granted' } }],
    ['a GPC default', { method: 'gpc', grant: false }],
    ['English', { locale: 'en' }],
  ]) {
    it(`validates a receipt built by core's buildReceipt for the GMO notice: ${label}`, async () => {
      const receipt = await makeReceipt(gmo, options);
      assert.ok(validate(kantaraOnly(receipt)), ajv.errorsText(validate.errors));
    });
  }

  it('rejects what the schema forbids (the check is not vacuous)', async () => {
    const receipt = kantaraOnly(await makeReceipt(gmo));
    const broken = (change) => {
      const copy = structuredClone(receipt);
      change(copy);
      return validate(copy);
    };
    assert.equal(broken((r) => delete r.piiControllers[0].address), false);
    assert.equal(broken((r) => (r.consentTimestamp = 1.5)), false);
    assert.equal(broken((r) => (r.services[0].purposes[0].thirdPartyDisclosure = true)), false);
    assert.equal(broken((r) => delete r.spiCat), false);
  });
});
