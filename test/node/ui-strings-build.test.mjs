// The UI strings' build (scripts/build/localize.mjs, the first step of
// `npm run build`, so of `npm start` and `npm test` too) into a temporary
// directory: it prints nothing, because nothing is missing. nl-BE translates
// only what Belgian Dutch says differently; its generated module takes nl's
// translation for the rest, never the English source.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('UI strings build (scripts/build/localize.mjs)', () => {
  it('prints no warning, and nl-BE is Dutch where it has no wording of its own', () => {
    const out = mkdtempSync(join(tmpdir(), 'akkoord-strings-'));
    try {
      const run = spawnSync(process.execPath, ['scripts/build/localize.mjs', '--out-dir', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(`${run.stdout}${run.stderr}`.trim(), '', 'the build prints nothing');
      const nlBE = readFileSync(join(out, 'nl-BE.ts'), 'utf8');
      // Its own wording where Belgian Dutch differs ...
      assert.match(nlBE, /'banner\.gpc': `[^`]*uitgeschakeld\. U kan het/);
      // ... and nl's for the rest, not the English source.
      assert.match(nlBE, /'banner\.title': `Uw privacy`/);
      assert.doesNotMatch(nlBE, /'banner\.title': `Your privacy`/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
