// The launch notices' per-locale data, built with the real CLI, exactly as a
// registrar runs it in their CI:
//   akkoord-notice build packages/notices/notices/*.json --out packages/notices/dist/data
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const DIR = 'packages/notices/notices';
const NOTICES = ['gmo-registry.json', 'dcube-resource.json'];

const result = spawnSync(
  process.execPath,
  ['packages/core/bin/akkoord-notice.js', 'build', ...NOTICES.map((name) => join(DIR, name)), '--out', 'packages/notices/dist/data'],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
