// `npm test`: every check, in order of cost, then one closing line
// "N passed, N failed" that counts the Node and the browser tests together.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failures.push(label);
    console.log(`✗ ${label} (${seconds} s)`);
  } else console.log(`✓ ${label} (${seconds} s)`);
  return result.status === 0;
}

const work = mkdtempSync(join(tmpdir(), 'akkoord-test-'));

run('build (localize, packages, bundle)', 'node', ['scripts/build/build.mjs']);
run('type check', 'npx', ['tsc', '-p', 'tsconfig.json']);
run('lit-analyzer', 'npx', ['lit-analyzer', 'packages/elements/src', '--strict', '--quiet']);

// The Node tests open every story of the built Storybook.
run('build-storybook', 'npm', ['run', '--silent', 'build-storybook']);

const nodeSummary = join(work, 'node.json');
run('node tests', 'node', ['scripts/test/node-tests.mjs'], { AKKOORD_SUMMARY_FILE: nodeSummary });
add(nodeSummary, 'node tests');

const browserSummary = join(work, 'browser.json');
run('browser tests (Chromium)', 'npx', ['web-test-runner', '--config', 'web-test-runner.config.mjs'], {
  AKKOORD_SUMMARY_FILE: browserSummary,
});
add(browserSummary, 'browser tests');

function add(file, label) {
  if (!existsSync(file)) {
    // The runner died before it could count: that is a failure, not zero tests.
    totals.failed++;
    if (!failures.includes(label)) failures.push(label);
    return;
  }
  const counted = JSON.parse(readFileSync(file, 'utf8'));
  for (const key of Object.keys(totals)) totals[key] += counted[key] ?? 0;
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failures.length || totals.failed ? 1 : 0);
