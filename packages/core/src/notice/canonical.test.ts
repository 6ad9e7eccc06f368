import { expect } from '@open-wc/testing';
import { canonicalJson, hashJson } from './canonical.js';
import { matchLocale } from './match-locale.js';

describe('canonicalJson and hashJson', () => {
  it('hashes the known vector: SHA-256 of "{}"', async () => {
    expect(await hashJson({})).to.equal('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('hashes UTF-8 bytes: SHA-256 of "\\"é\\""', async () => {
    // printf '"é"' | sha256sum
    expect(await hashJson('é')).to.equal('sha256:f2886017e9c7abacf804b54d64787dce2b611c9544ba21f3affdd126a6e50086');
  });

  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'é' }] })).to.equal('{"a":[1,{"c":"é"}],"b":1}');
  });

  it('gives the same hash whatever the key order, and another hash for other content', async () => {
    const a = await hashJson({ id: 'x', locales: ['nl', 'en'] });
    const b = await hashJson({ locales: ['nl', 'en'], id: 'x' });
    const c = await hashJson({ locales: ['en', 'nl'], id: 'x' });
    expect(a).to.equal(b);
    expect(a).not.to.equal(c);
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).to.throw(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).to.throw(TypeError);
  });
});

describe('matchLocale', () => {
  it('finds the same language when the region differs', () => {
    expect(matchLocale(['nl-BE'], ['nl', 'en'], 'en')).to.equal('nl');
    expect(matchLocale(['nl-NL'], ['nl-BE', 'en'], 'en')).to.equal('nl-BE');
    expect(matchLocale(['en-GB', 'nl'], ['nl', 'en'], 'nl')).to.equal('en');
  });

  it('prefers an exact tag and falls back in order', () => {
    expect(matchLocale(['nl-BE'], ['nl', 'nl-BE'], 'nl')).to.equal('nl-BE');
    expect(matchLocale(['fr', 'de'], ['nl', 'en'], 'nl')).to.equal('nl');
  });
});
