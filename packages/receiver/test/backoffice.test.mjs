// The back office over HTTP, against the real `akkoord-receiver` process, on
// SQLite and on a real PostgreSQL cluster: API keys made with the CLI and
// their scopes on every back-office route, the bulk check and the stream of
// consenting subjects against the subjects' chains, and one-click
// unsubscribe as a mail client sends it. Every JSON answer, and every line
// of the stream, is checked against the OpenAPI document.
// Needs the build: core and receiver (tsc), then `node packages/receiver/dist/write-openapi.js`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import { BIN, NOTICE_FILES, hashJson, loadNotice, makeReceipt, openApiChecker, receiptHash, startReceiver } from './harness.mjs';
import { postgresMissing, startPostgres } from './postgres-cluster.mjs';

const { verifyCompact } = await import('../../core/dist/sync/jws.js');

const contract = openApiChecker();
const PUBLIC_URL = 'https://consent.example.test/akkoord';
const noPostgres = postgresMissing();

/** Validates one value against a schema of the OpenAPI document's components. */
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', { validate: (s) => !Number.isNaN(Date.parse(s)) });
ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
ajv.addSchema({ ...contract.document, $id: 'https://akkoord.invalid/openapi.json' });
function assertFits(component, value) {
  const validate = ajv.getSchema(`https://akkoord.invalid/openapi.json#/components/schemas/${component}`);
  assert.ok(validate(value), `${JSON.stringify(value)} is not a ${component}: ${ajv.errorsText(validate.errors)}`);
}

/** `akkoord-receiver keys …`: exit code and output. */
async function keysCli(args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'keys', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

let cluster;
let gmo;
before(async () => {
  gmo = await loadNotice('gmo-registry');
  if (!noPostgres) cluster = await startPostgres();
});
after(() => cluster?.stop());

const backends = {
  sqlite: async () => ({ storeArgs: [] }),
  ...(!noPostgres && { postgres: async () => ({ storeArgs: ['--database', await cluster.createDatabase('backoffice')] }) }),
};
if (noPostgres) it(`back office on postgres: ${noPostgres}`, { skip: noPostgres }, () => {});

for (const [backend, prepare] of Object.entries(backends)) {
  describe(`back office on ${backend}`, () => {
    let dir;
    let receiver;
    let storeArgs;
    /** A second notice with the same purposes, so a purpose id alone is ambiguous; only the stream test writes under it. */
    let events;
    const keys = {};
    const keyIds = {};

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `akkoord-backoffice-${backend}-`));
      ({ storeArgs } = await prepare());
      const variant = { ...structuredClone(gmo.notice), id: 'gmo-events', version: '2026-01-01' };
      events = { notice: variant, hash: await hashJson(variant), file: join(dir, 'gmo-events.json') };
      await writeFile(events.file, JSON.stringify(variant, null, 2));
      const where = ['--data', dir, ...storeArgs];
      for (const [name, scopes] of Object.entries({
        reader: ['consent:read'],
        minter: ['unsubscribe:mint'],
        exporter: ['export', 'events:read'],
        revoked: ['consent:read', 'unsubscribe:mint'],
      })) {
        const made = await keysCli(['create', ...where, '--name', name, ...scopes.flatMap((s) => ['--scope', s])]);
        assert.equal(made.code, 0, made.stderr);
        keys[name] = made.stdout.trim();
        assert.match(keys[name], /^akk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
        keyIds[name] = keys[name].slice(4, 20);
      }
      assert.equal((await keysCli(['revoke', keyIds.revoked, ...where])).code, 0);
      receiver = await startReceiver({
        dataDir: dir,
        args: [...storeArgs, '--notices', NOTICE_FILES['gmo-registry'], NOTICE_FILES['dcube-resource'], events.file, '--demo-auth', '--public-url', PUBLIC_URL],
      });
    });
    after(async () => {
      await receiver?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    /** One JSON request, its answer checked against the OpenAPI document. */
    async function call(method, path, { body, key, headers = {}, template = path.split('?')[0] } = {}) {
      const init = { method, headers: { ...headers } };
      if (key) init.headers.Authorization = `Bearer ${key}`;
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers['Content-Type'] = 'application/json';
      }
      const response = await fetch(`${receiver.url}${path}`, init);
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      const json = type.startsWith('application/json') ? JSON.parse(text) : undefined;
      contract.response(method, template, response.status, json, type);
      return { status: response.status, headers: response.headers, body: json, text };
    }
    const post = async (receipt) => {
      const answer = await call('POST', '/receipts', { body: receipt, headers: { 'Idempotency-Key': receipt.consentReceiptID } });
      assert.equal(answer.status, 201, answer.text);
      return answer.body;
    };
    const consentOf = async (subject) => (await call('GET', `/subjects/${subject}/consent`, { headers: { Authorization: `Bearer demo:${subject}` }, template: '/subjects/{subjectId}/consent' })).body;
    const historyOf = async (subject) => (await call('GET', `/subjects/${subject}/receipts`, { headers: { Authorization: `Bearer demo:${subject}` }, template: '/subjects/{subjectId}/receipts' })).body.receipts;
    const check = (purpose, subjects, notice = 'gmo-registry') => call('POST', '/consent/check', { key: keys.reader, body: { purpose, subjects, notice } });
    const subjectId = (label) => `${label}_${randomUUID().slice(0, 8)}`;
    const all = (state) => Object.fromEntries(['marketing', 'seminar-announcements', 'feature-announcements'].map((p) => [p, state]));

    it('CLI: keys list shows ids, names, scopes and dates, never a key; revoke names an unknown id', async () => {
      const listed = await keysCli(['list', '--data', dir, ...storeArgs]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^ID\s+NAME\s+SCOPES\s+CREATED\s+REVOKED/);
      for (const name of Object.keys(keys)) {
        assert.match(listed.stdout, new RegExp(`${keyIds[name]}\\s+${name}\\s`));
        assert.ok(!listed.stdout.includes(keys[name].slice(21)), 'no secret part of any key');
      }
      assert.match(listed.stdout, new RegExp(`${keyIds.revoked}.*consent:read,unsubscribe:mint\\s+\\S+\\s+\\d{4}-\\d\\d-\\d\\dT`));
      assert.match(listed.stdout, new RegExp(`${keyIds.reader}.*consent:read\\s+\\S+\\s+-$`, 'm'));
      const unknown = await keysCli(['revoke', '0123456789abcdef', '--data', dir, ...storeArgs]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no API key 0123456789abcdef/);
      const pasted = await keysCli(['revoke', keys.reader, '--data', dir, ...storeArgs]);
      assert.equal(pasted.code, 2, 'a whole key is not an id');
      assert.ok(!pasted.stderr.includes(keys.reader.slice(21)), 'the error does not repeat the key');
      const noScope = await keysCli(['create', '--data', dir, ...storeArgs]);
      assert.equal(noScope.code, 2);
      assert.match(noScope.stderr, /at least one --scope/);
      const badScope = await keysCli(['create', '--scope', 'consent:write', '--data', dir, ...storeArgs]);
      assert.equal(badScope.code, 2);
      assert.match(badScope.stderr, /"consent:write" is not a scope; the scopes are consent:read, events:read, unsubscribe:mint, export/);
    });

    it('every back-office route refuses a caller without a valid key for its scope, and tells it nothing else', async () => {
      const subject = subjectId('secret');
      await post(await makeReceipt(gmo, { subject }));
      const routes = [
        { method: 'POST', path: '/consent/check', body: { purpose: 'marketing', notice: 'gmo-registry', subjects: [subject] }, scope: 'reader' },
        { method: 'GET', path: '/purposes/marketing/subjects?notice=gmo-registry', template: '/purposes/{purpose}/subjects', scope: 'reader' },
        { method: 'POST', path: '/unsubscribe/tokens', body: { subject, purpose: 'marketing', notice: 'gmo-registry' }, scope: 'minter' },
      ];
      const forged = `akk_${keyIds.reader}_${'A'.repeat(43)}`;
      const callers = [
        { who: 'no credentials', headers: {}, status: 401 },
        { who: "a subject's token", headers: { Authorization: `Bearer demo:${subject}` }, status: 401 },
        { who: 'a made-up key', headers: { Authorization: `Bearer akk_0123456789abcdef_${'x'.repeat(43)}` }, status: 401 },
        { who: "a real key's id with a wrong secret", headers: { Authorization: `Bearer ${forged}` }, status: 401 },
        { who: 'a revoked key', headers: { Authorization: `Bearer ${keys.revoked}` }, status: 401 },
        { who: 'a key with other scopes', headers: { Authorization: `Bearer ${keys.exporter}` }, status: 403 },
      ];
      for (const route of routes) {
        for (const caller of callers) {
          const answer = await call(route.method, route.path, { body: route.body, headers: caller.headers, template: route.template });
          assert.equal(answer.status, caller.status, `${route.method} ${route.path} by ${caller.who}`);
          assert.equal(answer.body.error, caller.status === 401 ? 'unauthorized' : 'forbidden');
          if (caller.status === 401) assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="akkoord-back-office"');
          assert.ok(!answer.text.includes(subject), 'nothing about the subject');
          assert.ok(!answer.text.includes('akk_'), 'never the key');
        }
        // The other back-office key, valid but for another scope, is a 403 too.
        const other = route.scope === 'reader' ? keys.minter : keys.reader;
        assert.equal((await call(route.method, route.path, { body: route.body, key: other, template: route.template })).status, 403);
      }
      // A back-office key does not open a subject's records.
      const asKey = await call('GET', `/subjects/${subject}/consent`, { key: keys.reader, template: '/subjects/{subjectId}/consent' });
      assert.equal(asKey.status, 403);
      assert.ok(!asKey.text.includes('granted'));
    });

    it('POST /consent/check answers each subject from its chain: grants, withdrawals, a batch, two devices apart, never decided', async () => {
      const [granted, rejected, withdrew, batched, apart, never] = ['granted', 'rejected', 'withdrew', 'batched', 'apart', 'never'].map(subjectId);
      const g = await makeReceipt(gmo, { subject: granted });
      await post(g);
      const r = await makeReceipt(gmo, { subject: rejected, grant: false, method: 'reject-all' });
      await post(r);
      const w1 = await makeReceipt(gmo, { subject: withdrew, decidedAt: Date.now() - 5000 });
      await post(w1);
      const w2 = await makeReceipt(gmo, {
        subject: withdrew,
        method: 'preferences',
        previous: await receiptHash(w1),
        decisions: { ...all('granted'), marketing: 'denied' },
      });
      await post(w2);
      // A chain in one batch: granted, then denied.
      const b1 = await makeReceipt(gmo, { subject: batched, decidedAt: Date.now() - 3000 });
      const b2 = await makeReceipt(gmo, { subject: batched, method: 'reject-all', grant: false, previous: await receiptHash(b1) });
      const batch = await call('POST', '/receipts/batch', { body: { items: [b1, b2].map((receipt) => ({ idempotencyKey: receipt.consentReceiptID, receipt })) } });
      assert.deepEqual(batch.body.results.map((x) => x.status), [201, 201]);
      // Two devices that decided apart: the later decision arrives first; the earlier one, stored after it, is history.
      const later = await makeReceipt(gmo, { subject: apart, decidedAt: Date.now() - 1000, decisions: { ...all('denied'), marketing: 'granted' }, method: 'preferences' });
      await post(later);
      const earlier = await makeReceipt(gmo, { subject: apart, decidedAt: Date.now() - 60_000, grant: false, method: 'reject-all', previous: await receiptHash(later) });
      await post(earlier);

      const answer = await check('marketing', [granted, rejected, withdrew, batched, apart, never, granted]);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.notice, 'gmo-registry');
      assert.deepEqual(
        answer.body.results.map(({ subject, state, receiptId }) => [subject, state, receiptId]),
        [
          [granted, 'granted', g.consentReceiptID],
          [rejected, 'denied', r.consentReceiptID],
          [withdrew, 'denied', w2.consentReceiptID],
          [batched, 'denied', b2.consentReceiptID],
          [apart, 'granted', later.consentReceiptID],
          [never, 'unknown', undefined],
          [granted, 'granted', g.consentReceiptID],
        ],
      );
      assert.equal(answer.body.results[0].decidedAt, g.akkoord.decidedAt);
      // The same as each subject sees for itself.
      for (const result of answer.body.results.slice(0, 5)) {
        const own = (await consentOf(result.subject)).notices.find((n) => n.noticeId === 'gmo-registry');
        assert.equal(own.receiptId, result.receiptId, result.subject);
        assert.equal(own.decisions.marketing, result.state, result.subject);
      }
      // Another purpose of the same receipts.
      const seminar = await check('seminar-announcements', [withdrew, rejected]);
      assert.deepEqual(seminar.body.results.map((x) => x.state), ['granted', 'denied']);
    });

    it('POST /consent/check: a purpose of two notices needs one named; more than 10,000 subjects is a 400 that says so', async () => {
      const ambiguous = await call('POST', '/consent/check', { key: keys.reader, body: { purpose: 'marketing', subjects: ['a'] } });
      assert.equal(ambiguous.status, 400);
      assert.match(ambiguous.body.message, /Several notices ask consent for "marketing" \(gmo-events, gmo-registry\): name one as notice/);
      const unknown = await call('POST', '/consent/check', { key: keys.reader, body: { purpose: 'telepathy', subjects: ['a'] } });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.message, /No notice known to this receiver asks consent for "telepathy"/);
      const wrongNotice = await check('marketing', ['a'], 'dcube-resource');
      assert.equal(wrongNotice.status, 400);
      const many = Array.from({ length: 10_001 }, (_, i) => `s${i}`);
      const tooMany = await check('marketing', many);
      assert.equal(tooMany.status, 400);
      assert.match(tooMany.body.message, /at most 10,000 subjects; this one has 10,001/);
      const most = await check('marketing', many.slice(0, 10_000));
      assert.equal(most.status, 200);
      assert.equal(most.body.results.length, 10_000);
      assert.ok(most.body.results.every((x) => x.state === 'unknown'));
      const empty = await check('marketing', []);
      assert.equal(empty.status, 400);
    });

    it('GET /purposes/{purpose}/subjects streams every consenting subject as NDJSON, resumable from any line, nothing lost or repeated', async () => {
      // Only this test writes under gmo-events, so its lists are exactly these subjects.
      const subjects = Array.from({ length: 23 }, (_, i) => `stream_${String(i).padStart(2, '0')}_${randomUUID().slice(0, 4)}`);
      subjects.push('stream_€uro', 'stream_𝔘nicode');
      const expected = { granted: [], denied: [] };
      for (const [i, subject] of subjects.entries()) {
        const grant = i % 3 !== 0;
        const expired = i === 4;
        const decidedAt = expired ? Date.now() - 400 * 24 * 3600 * 1000 : Date.now();
        await post(await makeReceipt(events, { subject, grant, method: grant ? 'accept-all' : 'reject-all', decidedAt }));
        if (!expired) expected[grant ? 'granted' : 'denied'].push(subject);
      }
      const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
      expected.granted.sort(byteOrder);
      expected.denied.sort(byteOrder);

      const read = async (query) => {
        const response = await fetch(`${receiver.url}/purposes/seminar-announcements/subjects?notice=gmo-events&${query}`, {
          headers: { Authorization: `Bearer ${keys.reader}` },
        });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
        const lines = (await response.text()).split('\n');
        assert.equal(lines.pop(), '', 'every line ends with a newline');
        const parsed = lines.map((line) => JSON.parse(line));
        const end = parsed.pop();
        assertFits('SubjectStreamEnd', end);
        for (const line of parsed) assertFits('SubjectLine', line);
        assert.equal(end.count, parsed.length);
        return { lines: parsed, end };
      };

      const whole = await read('');
      assert.deepEqual(whole.lines.map((l) => l.subject), expected.granted);
      assert.equal(whole.end.next, null);

      // Pages of 5, each resumed from the end line's cursor.
      const paged = [];
      let after;
      for (let pages = 0; pages < 20; pages++) {
        const page = await read(`limit=5${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        paged.push(...page.lines.map((l) => l.subject));
        if (!page.end.next) break;
        after = page.end.next;
      }
      assert.deepEqual(paged, expected.granted);

      // A stream cut after any line resumes from that line's cursor.
      const cutAt = 6;
      const resumed = await read(`after=${encodeURIComponent(whole.lines[cutAt].cursor)}`);
      assert.deepEqual([...whole.lines.slice(0, cutAt + 1), ...resumed.lines].map((l) => l.subject), expected.granted);

      const denied = await read('state=denied');
      assert.deepEqual(denied.lines.map((l) => l.subject), expected.denied);
      const check = await call('POST', '/consent/check', { key: keys.reader, body: { purpose: 'seminar-announcements', notice: 'gmo-events', subjects: [subjects[4]] } });
      assert.equal(check.body.results[0].state, 'unknown', 'an expired decision is asked again, so it is no one to mail');

      for (const query of ['state=maybe', 'limit=0', 'limit=ten', 'after=not-a-cursor']) {
        const bad = await call('GET', `/purposes/seminar-announcements/subjects?notice=gmo-events&${query}`, { key: keys.reader, template: '/purposes/{purpose}/subjects' });
        assert.equal(bad.status, 400, query);
        assert.equal(bad.body.error, 'invalid-request');
      }
    });

    it('unsubscribe: minted URL and headers; GET shows a page in Dutch or English and changes nothing; a mail client’s POST withdraws one purpose', async () => {
      const subject = subjectId('mailed');
      const first = await makeReceipt(gmo, { subject });
      await post(first);
      const minted = await call('POST', '/unsubscribe/tokens', { key: keys.minter, body: { subject, purpose: 'marketing' } });
      // gmo-events asks for marketing too: the mint needs the notice, as the check does.
      assert.equal(minted.status, 400);
      const made = await call('POST', '/unsubscribe/tokens', { key: keys.minter, body: { subject, purpose: 'marketing', notice: 'gmo-registry' } });
      assert.equal(made.status, 201);
      const { url } = made.body;
      assert.ok(url.startsWith(`${PUBLIC_URL}/unsubscribe/`), url);
      assert.equal(made.body.listUnsubscribe, `<${url}>`);
      assert.equal(made.body.listUnsubscribePost, 'List-Unsubscribe=One-Click');
      assert.ok(Date.parse(made.body.expiresAt) > Date.now() + 300 * 24 * 3600 * 1000);
      const local = `${receiver.url}${new URL(url).pathname.slice(new URL(PUBLIC_URL).pathname.length)}`;

      for (const [language, heading, button] of [
        ['nl-NL,nl;q=0.9,en;q=0.8', 'Afmelden voor Nieuws en aanbiedingen per e-mail', 'Afmelden'],
        ['en-GB,en;q=0.9', 'Unsubscribe from News and offers by email', 'Unsubscribe'],
        ['de-DE, en;q=0.5', 'Unsubscribe from News and offers by email', 'Unsubscribe'],
      ]) {
        const page = await fetch(local, { headers: { 'Accept-Language': language } });
        assert.equal(page.status, 200);
        assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
        const csp = page.headers.get('content-security-policy');
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
        assert.doesNotMatch(csp, /unsafe-inline|script-src/);
        assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
        const html = await page.text();
        assert.ok(html.includes(`<h1>${heading}</h1>`), html);
        assert.match(html, new RegExp(`<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${button}</button></form>`));
        assert.doesNotMatch(html, /<script/);
        assert.ok(!html.includes(subject), 'the page does not show who the subject is');
      }
      assert.equal((await historyOf(subject)).length, 1, 'GET changed nothing');

      // As a mail client sends it: no cookies, no credentials, the RFC 8058 body.
      const done = await fetch(local, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        credentials: 'omit',
        redirect: 'manual',
      });
      assert.equal(done.status, 200);
      const doneHtml = await done.text();
      assert.match(doneHtml, /<html lang="nl">/, "the notice's language when the client names none");
      assert.match(doneHtml, /<h1>U bent afgemeld<\/h1>/);
      assert.match(doneHtml, /U ontvangt geen e-mails meer over Nieuws en aanbiedingen per e-mail van GMO Registry, Inc\./);

      const history = await historyOf(subject);
      assert.equal(history.length, 2);
      const { receipt, countersignature } = history[1];
      assert.equal(receipt.akkoord.method, 'email-unsubscribe');
      assert.equal(receipt.collectionMethod, 'e-mail: one-click unsubscribe link (RFC 8058)');
      assert.equal(receipt.akkoord.previousReceiptHash, await receiptHash(first), 'continues the chain');
      assert.equal(receipt.akkoord.noticeHash, first.akkoord.noticeHash);
      assert.deepEqual(receipt.akkoord.decisions, { ...first.akkoord.decisions, marketing: 'denied' }, 'only marketing changed');
      assert.equal(receipt.akkoord.locale, first.akkoord.locale);
      // Kantara lists what is consented to: the two purposes still granted.
      assert.equal(receipt.services[0].purposes.length, 2);
      const jwks = await (await fetch(`${receiver.url}/.well-known/jwks.json`)).json();
      const verified = await verifyCompact(countersignature, jwks);
      assert.ok(verified.ok, verified.reason);
      assert.deepEqual(JSON.parse(verified.payload), receipt);

      const checked = await check('marketing', [subject]);
      assert.deepEqual([checked.body.results[0].state, checked.body.results[0].receiptId], ['denied', receipt.consentReceiptID]);
      assert.equal((await check('seminar-announcements', [subject])).body.results[0].state, 'granted');
      const own = await consentOf(subject);
      assert.equal(own.latestReceiptHash, await receiptHash(receipt));
      assert.equal(own.notices.find((n) => n.noticeId === 'gmo-registry').method, 'email-unsubscribe');

      // The same link again: already unsubscribed, no second receipt.
      const again = await fetch(local, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: 'List-Unsubscribe=One-Click',
      });
      assert.equal(again.status, 200);
      const againBody = await again.json();
      contract.response('POST', '/unsubscribe/{token}', 200, againBody);
      assert.deepEqual(againBody, { outcome: 'already-unsubscribed', notice: 'gmo-registry', purpose: 'marketing' });
      const page = await fetch(local, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), headers: { 'Accept-Language': 'en' } });
      assert.match(await page.text(), /<h1>You were already unsubscribed<\/h1>/);
      assert.equal((await historyOf(subject)).length, 2);

      // The next decision in a browser continues from the unsubscribe's receipt.
      const next = await makeReceipt(gmo, { subject, previous: await receiptHash(receipt) });
      await post(next);
    });

    it('unsubscribe: the page’s form (multipart too) works; a subject that never consented is already unsubscribed; a bad body changes nothing', async () => {
      const subject = subjectId('form');
      await post(await makeReceipt(gmo, { subject }));
      const { url } = (await call('POST', '/unsubscribe/tokens', { key: keys.minter, body: { subject, purpose: 'seminar-announcements', notice: 'gmo-registry' } })).body;
      const local = `${receiver.url}${new URL(url).pathname.slice(new URL(PUBLIC_URL).pathname.length)}`;
      for (const [body, headers] of [
        [undefined, {}],
        ['List-Unsubscribe=Yes', { 'Content-Type': 'application/x-www-form-urlencoded' }],
        ['{"List-Unsubscribe":"One-Click"}', { 'Content-Type': 'application/json' }],
        [`List-Unsubscribe=One-Click&x=${'y'.repeat(9000)}`, { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ]) {
        const refused = await fetch(local, { method: 'POST', body, headers: { ...headers, 'Accept-Language': 'nl' } });
        assert.equal(refused.status, 400);
        const html = await refused.text();
        assert.match(html, /<h1>Afmelden is niet gelukt<\/h1>/);
        assert.match(html, /<button type="submit">Afmelden<\/button>/, 'with the button to try again');
      }
      assert.equal((await historyOf(subject)).length, 1, 'nothing changed');
      const form = new FormData();
      form.set('List-Unsubscribe', 'One-Click');
      const done = await fetch(local, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
      assert.equal(done.status, 200);
      const answer = await done.json();
      assert.equal(answer.outcome, 'unsubscribed');
      assert.equal((await check('seminar-announcements', [subject])).body.results[0].receiptId, answer.receiptId);

      const stranger = subjectId('stranger');
      const minted = (await call('POST', '/unsubscribe/tokens', { key: keys.minter, body: { subject: stranger, purpose: 'marketing', notice: 'gmo-registry' } })).body;
      const strangerUrl = `${receiver.url}${new URL(minted.url).pathname.slice(new URL(PUBLIC_URL).pathname.length)}`;
      const none = await fetch(strangerUrl, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' } });
      assert.equal((await none.json()).outcome, 'already-unsubscribed');
      assert.equal((await historyOf(stranger)).length, 0, 'no receipt for someone who never decided');
    });

    it('unsubscribe: forged, altered, foreign-purpose and expired tokens change nothing and say why', async () => {
      const subject = subjectId('target');
      await post(await makeReceipt(gmo, { subject }));
      const { url } = (await call('POST', '/unsubscribe/tokens', { key: keys.minter, body: { subject, purpose: 'marketing', notice: 'gmo-registry' } })).body;
      const token = url.slice(url.lastIndexOf('/') + 1);
      const [payload, mac] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      assert.deepEqual([claims.s, claims.n, claims.p], [subject, 'gmo-registry', 'marketing']);
      const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const secret = Buffer.from((await readFile(join(dir, 'unsubscribe-secret'), 'utf8')).trim(), 'hex');
      const signWith = (key, body) => `${body}.${createHmac('sha256', key).update(`akkoord-unsubscribe.v1.${body}`).digest('base64url')}`;

      const flip = (text, at) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
      const cases = [
        ['forged with another secret', signWith(randomBytes(32), payload), 'Deze afmeldlink werkt niet'],
        ['altered payload', `${flip(payload, 10)}.${mac}`, 'Deze afmeldlink werkt niet'],
        ['altered signature', `${payload}.${flip(mac, 5)}`, 'Deze afmeldlink werkt niet'],
        ['another purpose, same signature', `${encode({ ...claims, p: 'seminar-announcements' })}.${mac}`, 'Deze afmeldlink werkt niet'],
        ['another subject, same signature', `${encode({ ...claims, s: 'someone-else' })}.${mac}`, 'Deze afmeldlink werkt niet'],
        ['not a token', 'hello', 'Deze afmeldlink werkt niet'],
        ['expired', signWith(secret, encode({ ...claims, x: Math.floor(Date.now() / 1000) - 60 })), 'Deze afmeldlink is verlopen'],
      ];
      for (const [what, bad, heading] of cases) {
        for (const method of ['GET', 'POST']) {
          const response = await fetch(`${receiver.url}/unsubscribe/${bad}`, {
            method,
            headers: { 'Accept-Language': 'nl', ...(method === 'POST' && { 'Content-Type': 'application/x-www-form-urlencoded' }) },
            ...(method === 'POST' && { body: 'List-Unsubscribe=One-Click' }),
          });
          assert.equal(response.status, 400, `${method} ${what}`);
          const html = await response.text();
          assert.ok(html.includes(`<h1>${heading}</h1>`), `${method} ${what}: ${html}`);
          assert.doesNotMatch(html, /<form/, 'no button for a link that does not work');
          assert.match(response.headers.get('content-security-policy'), /default-src 'none'/);
        }
        const json = await fetch(`${receiver.url}/unsubscribe/${bad}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: 'List-Unsubscribe=One-Click',
        });
        const body = await json.json();
        contract.response('POST', '/unsubscribe/{token}', 400, body);
        assert.equal(body.error, 'invalid-request');
      }
      // A well-made token for a purpose the subject granted, but with another secret's signature, and all the rest: nothing changed.
      assert.equal((await historyOf(subject)).length, 1);
      assert.equal((await check('marketing', [subject])).body.results[0].state, 'granted');
    });

    it('never prints a back-office key, whatever was sent', () => {
      for (const key of Object.values(keys)) assert.ok(!receiver.output.includes(key.slice(21)), 'no key in the receiver output');
    });
  });
}

describe('back office: without --public-url', () => {
  it('makes no unsubscribe URLs, and honours none (404)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'akkoord-backoffice-nourl-'));
    try {
      const made = await keysCli(['create', '--data', dir, '--scope', 'unsubscribe:mint']);
      const receiver = await startReceiver({ dataDir: dir });
      try {
        const response = await fetch(`${receiver.url}/unsubscribe/tokens`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${made.stdout.trim()}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ subject: 's', purpose: 'marketing' }),
        });
        assert.equal(response.status, 404);
        assert.match((await response.json()).message, /--public-url/);
        assert.equal((await fetch(`${receiver.url}/unsubscribe/abc.def`)).status, 404);
      } finally {
        await receiver.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
