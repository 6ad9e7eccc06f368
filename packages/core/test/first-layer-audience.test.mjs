// Whom a purpose concerns: the first layer (what the banner and the
// preferences show) keeps the purposes for a site's visitors and customers,
// and those that name no audience; the full notice keeps them all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { concernsSiteVisitors, firstLayer } from '../dist/notice/first-layer.js';

const gmo = () => JSON.parse(readFileSync(new URL('../../notices/notices/gmo-registry.json', import.meta.url), 'utf8'));

describe('first layer: whom a purpose concerns', () => {
  it('counts a purpose without an audience, or with visitors or customers among it, as the site visitors\' concern', () => {
    assert.equal(concernsSiteVisitors({}), true);
    assert.equal(concernsSiteVisitors({ audience: ['visitors'] }), true);
    assert.equal(concernsSiteVisitors({ audience: ['employees', 'customers'] }), true);
    assert.equal(concernsSiteVisitors({ audience: ['employees'] }), false);
    assert.equal(concernsSiteVisitors({ audience: ['candidates', 'family-members'] }), false);
  });

  it('leaves the purposes for employees and candidates out of the first layer, and keeps the rest in order', async () => {
    const notice = gmo();
    const [first, second, ...rest] = notice.purposes.filter((p) => p.legalBasis !== 'consent');
    first.audience = ['employees'];
    second.audience = ['candidates'];
    rest[0].audience = ['customers', 'employees'];
    const layer = await firstLayer(notice, 'en', `sha256:${'0'.repeat(64)}`);
    const titles = layer.purposes.map((p) => p.title);
    assert.ok(!titles.includes(first.title.en), 'an employees-only purpose is left out');
    assert.ok(!titles.includes(second.title.en), 'a candidates-only purpose is left out');
    assert.ok(titles.includes(rest[0].title.en), 'customers among the audience keep it');
    // The launch notice tags its own employee, candidate and family purposes too: they go as well.
    const expected = notice.purposes.filter((p) => p !== first && p !== second && concernsSiteVisitors(p));
    assert.ok(expected.length < notice.purposes.length - 2, 'the launch notice has purposes of its own that concern no visitor');
    assert.deepEqual(titles, expected.map((p) => p.title.en));
  });
});
