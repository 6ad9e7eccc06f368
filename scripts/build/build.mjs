// `npm run build`: UI strings, per-package ESM with .d.ts, the launch
// notices' per-locale data, and the one-file bundle for <script type="module">.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const step = (label, command, args) => {
  const started = Date.now();
  execFileSync(command, args, { stdio: 'inherit' });
  console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
};

for (const pkg of ['core', 'notices', 'elements', 'receiver']) rmSync(`packages/${pkg}/dist`, { recursive: true, force: true });
// lit-localize build, with nl-BE read as nl plus its own translations (localize.mjs says why).
step('UI strings (lit-localize build)', 'node', ['scripts/build/localize.mjs']);
step('UI strings per element (split-catalogs)', 'node', ['scripts/build/split-catalogs.mjs']);
for (const pkg of ['core', 'notices', 'elements', 'receiver']) {
  step(`@akkoord/${pkg} (tsc)`, 'npx', ['tsc', '-p', `packages/${pkg}/tsconfig.build.json`]);
}
step('receiver OpenAPI document', 'node', ['packages/receiver/dist/write-openapi.js']);
step('launch notices (akkoord-notice build)', 'node', ['scripts/build/notices.mjs']);
step('bundle (rollup)', 'npx', ['rollup', '-c', 'rollup.config.mjs', '--silent']);
// The elements' API from their JSDoc, for Storybook's docs and editors (package.json "customElements").
step('custom-elements.json (cem analyze)', 'npx', [
  'cem', 'analyze', '--litelement', '--quiet', '--outdir', 'packages/elements',
  '--globs', 'packages/elements/src/**/*.ts',
  '--exclude', 'packages/elements/src/generated/**', '--exclude', 'packages/elements/src/**/*.test.ts',
]);
