// The export for an auditor, end to end: receipts posted to the real
// receiver over HTTP, `akkoord-receiver export` writes the bundle, and
// `akkoord-receiver verify-bundle` (and the library's verifyBundle) checks it
// with no database: intact it passes; one flipped byte fails, naming where.
// Also the ISO/IEC TS 27560 rendering of a grant, a refusal and a withdrawal.
// Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNotice, makeReceipt, openApiChecker, receiptHash, startReceiver, postReceipt as post } from './harness.mjs';
import { cli } from './proof-helpers.mjs';

// Through the package's own export, as an auditor's script would import it.
const { verifyBundle } = await import('@akkoord/receiver/verify-bundle');
const { toIso27560 } = await import('../dist/iso27560.js');

let dir;
let gmo;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-export-'));
  gmo = await loadNotice('gmo-registry');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('export and verify-bundle', () => {
  let data;
  let receiver;
  const subject = 'psn_audited';
  const receipts = [];
  before(async () => {
    data = join(dir, 'data');
    receiver = await startReceiver({ dataDir: data });
    // The audited subject: grant, refuse, grant again, then withdraw one purpose (preferences).
    let previous = null;
    const consentIds = gmo.notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id);
    const steps = [
      { grant: true, method: 'accept-all' },
      { grant: false, method: 'reject-all' },
      { grant: true, method: 'accept-all' },
      { method: 'preferences', decisions: Object.fromEntries(consentIds.map((id, i) => [id, i === 0 ? 'denied' : 'granted'])) },
    ];
    for (const step of steps) {
      const receipt = await makeReceipt(gmo, { subject, previous, ...step });
      assert.equal((await post(receiver.url, receipt)).status, 201);
      previous = await receiptHash(receipt);
      receipts.push(receipt);
    }
    // Someone else, who must not be in a one-subject export.
    assert.equal((await post(receiver.url, await makeReceipt(gmo, { subject: 'psn_other' }))).status, 201);
  });
  after(() => receiver?.stop());

  it('writes a bundle of one subject that verifies offline, and names the line of one flipped byte', async () => {
    const out = join(dir, 'bundle');
    const exported = await cli('export', '--out', out, '--subject', subject, '--data', data);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /Exported 4 receipts of 1 subjects, 1 notice versions/);
    const files = (await readdir(out)).sort();
    assert.deepEqual(files, ['jwks.json', 'manifest.json', 'manifest.jws', 'notices', 'receipts.ndjson']);
    const lines = (await readFile(join(out, 'receipts.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.receipt.consentReceiptID), receipts.map((r) => r.consentReceiptID));
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.selection, { subject });
    assert.equal(manifest.receipts, 4);
    assert.deepEqual(manifest.chainStarts, {});
    // The keys are the receiver's published ones.
    const published = await (await fetch(`${receiver.url}/.well-known/jwks.json`)).json();
    assert.deepEqual(JSON.parse(await readFile(join(out, 'jwks.json'), 'utf8')), published);

    const ok = await cli('verify-bundle', out);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /OK: 4 receipts of 1 subjects verify/);
    const library = await verifyBundle(out);
    assert.deepEqual({ ok: library.ok, receipts: library.receipts, notices: library.notices }, { ok: true, receipts: 4, notices: 1 });
    // Pinned to the keys the receiver publishes: still fine.
    const keysFile = join(dir, 'published.jwks');
    await writeFile(keysFile, JSON.stringify(published));
    assert.equal((await cli('verify-bundle', out, '--keys', keysFile)).code, 0);

    // One byte of the third receipt changed (its subject): the verifier names the file, the line and the receipt.
    const flipped = join(dir, 'flipped');
    await cp(out, flipped, { recursive: true });
    const text = await readFile(join(flipped, 'receipts.ndjson'), 'utf8');
    const third = text.split('\n')[2];
    const at = text.indexOf(third) + third.indexOf('psn_audited') + 4;
    await writeFile(join(flipped, 'receipts.ndjson'), text.slice(0, at) + 'X' + text.slice(at + 1));
    const failed = await cli('verify-bundle', flipped);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, new RegExp(`FAILED: receipts.ndjson, line 3, receipt ${receipts[2].consentReceiptID}: `));
    const why = await verifyBundle(flipped);
    assert.equal(why.ok, false);
    assert.deepEqual([why.failure.file, why.failure.line, why.failure.receiptId], ['receipts.ndjson', 3, receipts[2].consentReceiptID]);
  });

  it('fails on every single flipped byte, wherever it is in the bundle', async () => {
    const out = join(dir, 'bundle-all');
    assert.equal((await cli('export', '--out', out, '--subject', subject, '--data', data)).code, 0);
    const names = ['receipts.ndjson', 'manifest.json', 'manifest.jws', 'jwks.json', ...(await readdir(join(out, 'notices'))).map((n) => `notices/${n}`)];
    const copy = join(dir, 'bundle-copy');
    await cp(out, copy, { recursive: true });
    for (const name of names) {
      const original = await readFile(join(out, name));
      // A few positions per file, spread over it (every byte of every file would take minutes).
      for (const fraction of [0.03, 0.35, 0.5, 0.77, 0.97]) {
        const i = Math.floor(original.length * fraction);
        const changed = Buffer.from(original);
        changed[i] = changed[i] === 0x41 ? 0x42 : 0x41;
        await writeFile(join(copy, name), changed);
        const result = await verifyBundle(copy);
        assert.equal(result.ok, false, `${name} byte ${i} changed must fail`);
      }
      await writeFile(join(copy, name), original);
    }
    assert.equal((await verifyBundle(copy)).ok, true, 'restored, it verifies again');
  });

  it('fails when a receipt is left out, or two change places', async () => {
    const out = join(dir, 'bundle-edit');
    assert.equal((await cli('export', '--out', out, '--subject', subject, '--data', data)).code, 0);
    const lines = (await readFile(join(out, 'receipts.ndjson'), 'utf8')).trim().split('\n');
    await writeFile(join(out, 'receipts.ndjson'), `${[lines[0], lines[2], lines[3]].join('\n')}\n`);
    const dropped = await verifyBundle(out);
    assert.equal(dropped.ok, false);
    assert.equal(dropped.failure.line, 2);
    assert.match(dropped.failure.problem, /chain is broken/);
    await writeFile(join(out, 'receipts.ndjson'), `${[lines[1], lines[0], lines[2], lines[3]].join('\n')}\n`);
    const swapped = await verifyBundle(out);
    assert.equal(swapped.ok, false);
    assert.equal(swapped.failure.line, 1);
  });

  it('exports everything since a date, with each chain starting where the selection cut it', async () => {
    const out = join(dir, 'since');
    const all = await cli('export', '--out', out, '--since', '2000-01-01', '--data', data, '--format', 'iso27560');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /Exported 5 receipts of 2 subjects/);
    assert.equal((await cli('verify-bundle', out)).code, 0);
    // The ISO records sit beside the receipts, one per receipt, and are covered by the manifest.
    const records = (await readFile(join(out, 'iso27560.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records.length, 5);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.ok(manifest.files['iso27560.ndjson']);
    assert.deepEqual(manifest.formats, ['kantara', 'iso27560']);
    const first = gmo.notice.purposes.find((p) => p.legalBasis === 'consent').id;
    const statuses = records
      .filter((r) => r['dpv:hasDataSubject']['dct:identifier'] === subject)
      .map((r) => r['dpv:hasRecordOfActivity'].find((a) => a['dpv:hasPurpose']['dct:identifier'] === first)['dpv:hasConsentStatus']['@id']);
    // The first consent purpose: granted, refused (it was granted: a withdrawal), granted, withdrawn.
    assert.deepEqual(statuses, ['dpv:ConsentGiven', 'dpv:ConsentWithdrawn', 'dpv:ConsentGiven', 'dpv:ConsentWithdrawn']);

    // From a date after the first two: the bundle starts mid-chain, and says so in its signed manifest.
    const stored = (await readFile(join(out, 'receipts.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const cut = join(dir, 'since-cut');
    assert.equal((await cli('export', '--out', cut, '--since', stored[2].storedAt, '--data', data)).code, 0);
    const cutManifest = JSON.parse(await readFile(join(cut, 'manifest.json'), 'utf8'));
    assert.deepEqual(cutManifest.chainStarts[subject], { previousReceiptHash: stored[1].receiptHash, reason: 'since' });
    assert.equal((await cli('verify-bundle', cut)).code, 0);
  });

  it('writes the same bundle as one file, which verifies the same way', async () => {
    const file = join(dir, 'one-file.json');
    const exported = await cli('export', '--out', file, '--subject', subject, '--data', data, '--format', 'iso27560');
    assert.equal(exported.code, 0, exported.stderr);
    const bundle = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(bundle.format, 'akkoord-export-file');
    assert.deepEqual(Object.keys(bundle.files).filter((n) => !n.startsWith('notices/')).sort(), [
      'iso27560.ndjson',
      'jwks.json',
      'manifest.json',
      'manifest.jws',
      'receipts.ndjson',
    ]);
    const ok = await cli('verify-bundle', file);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /OK: 4 receipts/);
    // The second receipt's subject changed inside the file: named by its line in receipts.ndjson.
    const lines = bundle.files['receipts.ndjson'].split('\n');
    lines[1] = lines[1].replace('psn_audited', 'psn_auditeD');
    await writeFile(file.replace('.json', '-changed.json'), JSON.stringify({ ...bundle, files: { ...bundle.files, 'receipts.ndjson': lines.join('\n') } }));
    const failed = await verifyBundle(file.replace('.json', '-changed.json'));
    assert.deepEqual([failed.ok, failed.failure.file, failed.failure.line, failed.failure.receiptId], [false, 'receipts.ndjson', 2, receipts[1].consentReceiptID]);
    const again = await cli('export', '--out', file, '--subject', subject, '--data', data);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists already/);
  });

  it('serves one subject\'s bundle at GET /export, to a key with the scope export only', async () => {
    const openApi = openApiChecker();
    const key = async (scope) => /^(akk_\S+)$/m.exec((await cli('keys', 'create', '--scope', scope, '--data', data)).stdout)[1];
    const exporter = await key('export');
    const reader = await key('events:read');
    const get = (query, bearer) => fetch(`${receiver.url}/export?${query}`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
    const none = await get(`subject=${subject}`);
    assert.equal(none.status, 401);
    openApi.response('GET', '/export', 401, await none.json());
    const wrong = await get(`subject=${subject}`, reader);
    assert.equal(wrong.status, 403);
    openApi.response('GET', '/export', 403, await wrong.json());
    const missing = await get('format=kantara', exporter);
    assert.equal(missing.status, 400);
    openApi.response('GET', '/export', 400, await missing.json());

    const answer = await get(`subject=${subject}&format=iso27560`, exporter);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-disposition'), /attachment; filename="akkoord-export-psn_audited.json"/);
    const body = await answer.json();
    openApi.response('GET', '/export', 200, body);
    const file = join(dir, 'over-http.json');
    await writeFile(file, JSON.stringify(body));
    const verified = await verifyBundle(file);
    assert.equal(verified.ok, true, JSON.stringify(verified));
    assert.equal(verified.receipts, 4);
    assert.ok(!body.files['receipts.ndjson'].includes('psn_other'), "another subject's receipts are not in it");
  });

  it('refuses unclear requests and a non-empty target, and says why', async () => {
    const both = await cli('export', '--out', join(dir, 'x'), '--subject', subject, '--since', '2020-01-01', '--data', data);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --subject <id> or --since <date>/);
    const date = await cli('export', '--out', join(dir, 'x'), '--since', 'yesterday', '--data', data);
    assert.match(date.stderr, /not a date/);
    const full = await cli('export', '--out', join(dir, 'bundle'), '--subject', subject, '--data', data);
    assert.equal(full.code, 2);
    assert.match(full.stderr, /is not empty/);
    const missing = await cli('verify-bundle', join(dir, 'nothing-here'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /manifest.json: cannot be read/);
  });
});

describe('ISO/IEC TS 27560 records', () => {
  const base = async (options) => (await makeReceipt(gmo, { subject: 'psn_iso', ...options }));
  const consentIds = () => gmo.notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id);

  function checkShape(record, receipt) {
    assert.deepEqual(Object.keys(record['@context']).sort(), ['dct', 'dpv', 'eu-gdpr', 'xsd']);
    assert.equal(record['@context'].dpv, 'https://w3id.org/dpv#');
    assert.equal(record['@type'], 'dpv:ConsentReceipt');
    assert.equal(record['@id'], `urn:uuid:${receipt.consentReceiptID}`);
    assert.equal(record['dct:conformsTo']['@id'], 'https://w3id.org/dpv/guides/consent-27560#record-eu-gdpr');
    for (const key of ['dpv:hasDataSubject', 'dpv:hasDataController', 'dpv:hasNotice', 'dpv:hasJurisdiction', 'dpv:hasRecordOfActivity']) {
      assert.ok(record[key], `${key} is there`);
    }
    assert.equal(record['dpv:hasDataSubject']['@type'], 'dpv:DataSubject');
    assert.equal(record['dpv:hasDataController'][0]['@type'], 'dpv:DataController');
    assert.equal(record['dpv:hasNotice']['dct:source'], receipt.akkoord.noticeHash);
    const records = record['dpv:hasRecordOfActivity'];
    assert.deepEqual(records.map((r) => r['dpv:hasPurpose']['dct:identifier']), Object.keys(receipt.akkoord.decisions).sort());
    for (const r of records) {
      assert.equal(r['@type'], 'dpv:ConsentRecord');
      for (const key of ['dpv:hasPurpose', 'dpv:hasConsentStatus', 'dpv:isIndicatedAtTime', 'dpv:isIndicatedBy', 'dpv:hasIndicationMethod', 'dpv:hasLegalBasis', 'dpv:hasDuration']) {
        assert.ok(r[key], `${key} on each record`);
      }
      assert.equal(r['dpv:hasLegalBasis']['@id'], 'eu-gdpr:A6-1-a');
      assert.equal(r['dpv:isIndicatedAtTime']['@value'], new Date(receipt.akkoord.decidedAt).toISOString());
      assert.equal(r['dpv:hasPurpose']['dct:title'] !== undefined, true, 'titled from the notice');
      // What the notice says of the purpose: its DPV class, the personal data it uses, how long it is kept.
      const purpose = gmo.notice.purposes.find((p) => p.id === r['dpv:hasPurpose']['dct:identifier']);
      if (purpose.category === 'direct-marketing') assert.equal(r['dpv:hasPurpose']['@type'], 'dpv:DirectMarketing');
      assert.deepEqual(r['dpv:hasPersonalData'].map((d) => d['dct:identifier']), purpose.dataCategories);
      assert.ok(r['dpv:hasPersonalData'].every((d) => d['@type'] === 'dpv:PersonalData' && d['dct:title']));
      if (purpose.retention) assert.equal(typeof r['dpv:hasStorageCondition']['dct:description'], 'string');
    }
    return records.map((r) => r['dpv:hasConsentStatus']['@id']);
  }

  it('renders a grant as ConsentGiven for every purpose', async () => {
    const receipt = await base({ grant: true });
    const statuses = checkShape(toIso27560(receipt, { notice: gmo.notice }), receipt);
    assert.ok(statuses.length > 0 && statuses.every((s) => s === 'dpv:ConsentGiven'));
  });

  it('renders a first refusal as ConsentRefused', async () => {
    const receipt = await base({ grant: false, method: 'reject-all' });
    const statuses = checkShape(toIso27560(receipt, { notice: gmo.notice }), receipt);
    assert.ok(statuses.every((s) => s === 'dpv:ConsentRefused'));
  });

  it('renders the denial of what was granted before as ConsentWithdrawn, and leaves the rest given', async () => {
    const ids = consentIds();
    const decisions = Object.fromEntries(ids.map((id, i) => [id, i === 0 ? 'denied' : 'granted']));
    const receipt = await base({ method: 'preferences', decisions });
    const before = Object.fromEntries(ids.map((id) => [id, 'granted']));
    const record = toIso27560(receipt, { notice: gmo.notice, previousDecisions: before });
    const byPurpose = Object.fromEntries(record['dpv:hasRecordOfActivity'].map((r) => [r['dpv:hasPurpose']['dct:identifier'], r['dpv:hasConsentStatus']['@id']]));
    checkShape(record, receipt);
    assert.equal(byPurpose[ids[0]], 'dpv:ConsentWithdrawn');
    for (const id of ids.slice(1)) assert.equal(byPurpose[id], 'dpv:ConsentGiven');
  });
});
