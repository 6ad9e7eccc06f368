// Node's test runner on the tests that need Node (the CLI, Node's WebCrypto),
// against the built packages. Totals go to AKKOORD_SUMMARY_FILE.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { globSync } from './glob.mjs';

// Cross-package tests in test/node; each package's own in packages/<name>/test.
const packageTests = readdirSync('packages')
  .map((name) => `packages/${name}/test`)
  .filter((dir) => existsSync(dir));
const files = ['test/node', ...packageTests].flatMap((dir) => globSync(dir, /\.test\.mjs$/));
const totals = { passed: 0, failed: 0, skipped: 0 };
const stream = run({ files, concurrency: 2 });
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip || e.todo) totals.skipped++;
  else totals.passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  // A failing `todo` test is known work, not a regression.
  if (e.todo) totals.skipped++;
  else totals.failed++;
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  if (process.env.AKKOORD_SUMMARY_FILE) writeFileSync(process.env.AKKOORD_SUMMARY_FILE, JSON.stringify(totals));
  else console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exitCode = totals.failed ? 1 : 0;
});
