// The UI strings as a reader meets them: complete in Dutch, in one register
// (formal "u"), neutral (no confirmshaming, EDPB 03/2022; AP), and with
// accept and reject worded in parallel, in standard Dutch for NL and BE.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

function units(path) {
  const xml = readFileSync(new URL(`../../locales/${path}`, import.meta.url), 'utf8');
  const decode = (s) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)].map(([, id, body]) => ({
    id,
    source: decode(/<source>([\s\S]*?)<\/source>/.exec(body)?.[1] ?? ''),
    target: /<target>([\s\S]*?)<\/target>/.exec(body)?.[1] && decode(/<target>([\s\S]*?)<\/target>/.exec(body)[1]),
  }));
}

const nl = units('nl.xlf');
const nlBE = units('nl-BE.xlf');
const dutch = [...nl, ...nlBE].filter((u) => u.target);

/** Phrases that shame or steer a refusal, in either language. */
const STEERING = /\b(nee,? bedankt|no,? thanks|ik wil (geen|niet)|i don'?t (want|care)|liever niet|ik mis (het|graag)|miss out|jammer|helaas|are you sure|weet u het zeker|aanbevolen|recommended)\b/i;
/** Informal address, which would mix registers with "u". */
const INFORMAL = /\b(je|jij|jou|jouw|jullie)\b/i;
/** Officialese that plain Dutch avoids ("Heerlijk helder"). */
const OFFICIALESE = /\b(gelieve|indien|middels|dient u|teneinde)\b/i;

describe('UI strings', () => {
  it('are all translated into Dutch', () => {
    const missing = nl.filter((u) => !u.target).map((u) => u.id);
    assert.deepEqual(missing, [], `untranslated in locales/nl.xlf: ${missing.join(', ')}`);
  });

  it('override nl only where Belgian wording differs (nl-BE targets differ from nl)', () => {
    const byId = new Map(nl.map((u) => [u.id, u.target]));
    const same = nlBE.filter((u) => u.target && u.target === byId.get(u.id)).map((u) => u.id);
    assert.deepEqual(same, [], `nl-BE repeats nl for: ${same.join(', ')}`);
  });

  it('never shame or steer a refusal, in English or Dutch', () => {
    for (const u of [...nl.map((x) => ({ ...x, target: x.source })), ...dutch]) {
      assert.doesNotMatch(u.target, STEERING, `${u.id}: "${u.target}"`);
    }
  });

  it('address the reader as "u" throughout, without officialese', () => {
    for (const u of dutch) {
      assert.doesNotMatch(u.target, INFORMAL, `${u.id}: "${u.target}"`);
      assert.doesNotMatch(u.target, OFFICIALESE, `${u.id}: "${u.target}"`);
    }
  });

  it('word accept and reject in parallel: the same shape, one verb apart', () => {
    const find = (id) => nl.find((u) => u.id === id);
    const accept = find('consent.accept-all');
    const reject = find('consent.reject-all');
    assert.ok(accept && reject, 'consent.accept-all and consent.reject-all exist');
    assert.equal(accept.source.split(' ').length, reject.source.split(' ').length);
    assert.equal(accept.target.split(' ').length, reject.target.split(' ').length);
    assert.equal(accept.target.split(' ')[0], reject.target.split(' ')[0], 'both start with "Alles"');
  });
});
