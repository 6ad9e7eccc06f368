// Retention with a moved clock (no sleeping): receipts posted to the real
// receiver over HTTP; pruning runs as of a time five years on, against the
// same database file. Only receipts whose consent ended (a later decision on
// the same notice) more than the period ago go, only from the start of the
// chain; what remains still verifies (export + verify-bundle) and still takes
// new receipts. Needs the build.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTICE_FILES, hashJson, loadNotice, makeReceipt, parseNotice, receiptHash, startReceiver, postReceipt as post } from './harness.mjs';
import { cli } from './proof-helpers.mjs';

const { pruneReceipts, parseDuration, prunablePrefix } = await import('../dist/retention.js');
const { openSqliteSql } = await import('../dist/sql.js');

const YEAR = 365.25 * 24 * 3600 * 1000;
let dir;
let gmo;
/** A second notice of the same registrar (its own id), so a subject's chain spans two notices. */
let other;
let noticeFiles;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'akkoord-retention-'));
  gmo = await loadNotice('gmo-registry');
  const document = { ...JSON.parse(await readFile(NOTICE_FILES['gmo-registry'], 'utf8')), id: 'gmo-registry-portal' };
  const otherFile = join(dir, 'gmo-registry-portal.json');
  await writeFile(otherFile, JSON.stringify(document));
  const notice = parseNotice(document);
  other = { notice, hash: await hashJson(notice) };
  noticeFiles = [NOTICE_FILES['gmo-registry'], otherFile];
});
after(() => rm(dir, { recursive: true, force: true }));

describe('retention', () => {
  let data;
  let receiver;
  const subject = 'psn_retained';
  const stored = [];
  before(async () => {
    data = join(dir, 'data');
    receiver = await startReceiver({ dataDir: data, args: ['--demo-auth', '--notices', ...noticeFiles] });
    // GMO granted, then the other notice granted, then GMO refused, then GMO granted again.
    let previous = null;
    for (const [notice, options] of [
      [gmo, { grant: true }],
      [other, { grant: true }],
      [gmo, { grant: false, method: 'reject-all' }],
      [gmo, { grant: true }],
    ]) {
      const receipt = await makeReceipt(notice, { subject, previous, ...options });
      const answer = await post(receiver.url, receipt);
      assert.equal(answer.status, 201);
      stored.push({ receipt, ...answer.body });
      previous = await receiptHash(receipt);
    }
  });
  after(() => receiver?.stop());

  const history = async () =>
    (await (await fetch(`${receiver.url}/subjects/${subject}/receipts`, { headers: { Authorization: `Bearer demo:${subject}` } })).json()).receipts.map(
      (r) => r.receipt.consentReceiptID,
    );

  it('keeps everything until the period has passed since the consent ended', async () => {
    const db = openSqliteSql(join(data, 'receipts.db'));
    try {
      // The first GMO receipt ended when the second GMO receipt was stored; a day short of five years after that:
      const ended = Date.parse(stored[2].storedAt);
      const report = await pruneReceipts(db, { retentionMs: parseDuration('5y'), now: new Date(ended + 5 * YEAR - 24 * 3600 * 1000) });
      assert.deepEqual(report, { subjects: 0, receipts: 0, deadLetters: 0 });
    } finally {
      await db.close();
    }
    assert.equal((await history()).length, 4);
    const cliRun = await cli('prune', '--data', data);
    assert.equal(cliRun.code, 0, cliRun.stderr);
    assert.match(cliRun.stdout, /Removed 0 receipts/);
    const tooShort = await cli('prune', '--retention', '1h', '--data', data);
    assert.equal(tooShort.code, 2);
    assert.match(tooShort.stderr, /at least 1d/);
  });

  it('then removes only the oldest receipts that are over, from the start of the chain, and the rest still verifies', async () => {
    const db = openSqliteSql(join(data, 'receipts.db'));
    try {
      const tenYears = new Date(Date.parse(stored[3].storedAt) + 10 * YEAR);
      const report = await pruneReceipts(db, { retentionMs: parseDuration('5y'), now: tenYears });
      // The first GMO receipt is over; the other notice's one after it is its notice's latest and stays, so the
      // refused GMO receipt behind it stays too, though it is over: only a chain's start is cut.
      assert.deepEqual(report, { subjects: 1, receipts: 1, deadLetters: 0 });
      const [start] = await db.all('SELECT previous_hash, pruned FROM chain_starts WHERE subject = $1', [subject]);
      assert.deepEqual(start, { previous_hash: stored[0].receiptHash, pruned: 1 });
      // Running again changes nothing.
      assert.equal((await pruneReceipts(db, { retentionMs: parseDuration('5y'), now: tenYears })).receipts, 0);
    } finally {
      await db.close();
    }
    assert.deepEqual(await history(), stored.slice(1).map((s) => s.receipt.consentReceiptID));

    // The chain still takes the next receipt, on its head.
    const next = await makeReceipt(gmo, { subject, previous: stored[3].receiptHash, grant: false, method: 'reject-all' });
    assert.equal((await post(receiver.url, next)).status, 201);

    // And an export of it verifies: the manifest says where the chain now starts.
    const out = join(dir, 'bundle');
    assert.equal((await cli('export', '--out', out, '--subject', subject, '--data', data)).code, 0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.chainStarts[subject], { previousReceiptHash: stored[0].receiptHash, reason: 'retention' });
    const verified = await cli('verify-bundle', out);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /OK: 4 receipts/);
  });

  it('decides "over" by the decision in force: a later decision ends an earlier one, whatever order they arrived in', () => {
    const row = (id, notice, decidedAt, storedAt) => ({
      seq: id,
      receipt_id: `r${id}`,
      notice_id: notice,
      receipt_hash: `h${id}`,
      body: JSON.stringify({ akkoord: { decidedAt } }),
      stored_at: storedAt,
    });
    const cutoff = '2030-01-01T00:00:00.000Z';
    // r1 decided first, replaced by r2 long ago: over.
    assert.equal(prunablePrefix([row(1, 'n', 1, '2020-01-01T00:00:00.000Z'), row(2, 'n', 2, '2020-02-01T00:00:00.000Z')], cutoff), 1);
    // r1 arrived first but was decided after r2 (another device, offline): r1 is in force, so it stays.
    assert.equal(prunablePrefix([row(1, 'n', 5, '2020-01-01T00:00:00.000Z'), row(2, 'n', 2, '2020-02-01T00:00:00.000Z')], cutoff), 0);
    // Replaced, but only recently: it stays.
    assert.equal(prunablePrefix([row(1, 'n', 1, '2020-01-01T00:00:00.000Z'), row(2, 'n', 2, '2031-01-01T00:00:00.000Z')], cutoff), 0);
    // The head stays, whatever.
    assert.equal(prunablePrefix([row(1, 'n', 1, '2020-01-01T00:00:00.000Z')], cutoff), 0);
  });

  it('reads durations as people write them, and refuses others', () => {
    assert.equal(parseDuration('5y'), 5 * YEAR);
    assert.equal(parseDuration('30d'), 30 * 24 * 3600 * 1000);
    assert.equal(parseDuration('250ms'), 250);
    assert.throws(() => parseDuration('5 years'), /not a duration/);
  });
});
