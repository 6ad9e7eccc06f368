// WTR's own summary shares its line with a progress bar, and its dynamic
// terminal erases what a reporter prints in stop(); so the totals are written
// when the process exits: to AKKOORD_SUMMARY_FILE when scripts/test/test.mjs runs
// us (it adds them to the Node tests' totals), else as a bare line.
import { writeFileSync } from 'node:fs';

export function summaryReporter() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const count = (suite) => {
    for (const test of suite.tests ?? []) {
      if (test.skipped) totals.skipped++;
      else if (test.passed) totals.passed++;
      else totals.failed++;
    }
    for (const child of suite.suites ?? []) count(child);
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        const results = session.testResults;
        if (results) count(results);
        // A file that failed to load has no results, and must not pass unseen.
        if (!session.passed && !results?.tests?.length && !results?.suites?.length) totals.failed++;
      }
    },
    stop() {
      process.once('exit', () => {
        if (process.env.AKKOORD_SUMMARY_FILE) writeFileSync(process.env.AKKOORD_SUMMARY_FILE, JSON.stringify(totals));
        else process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
      });
    },
  };
}
