// Browser tests in Debian's Chromium (no browser download): playwright drives
// the executable that CHROME_PATH names, or the usual system paths.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { summaryReporter } from './scripts/test/wtr-summary-reporter.mjs';
import { HEADLESS_ARGS, findChromium } from './scripts/test/chromium.mjs';
import { akkoordReceiverPlugin } from './test/rig/receiver-plugin.mjs';
import { screenshotPlugin } from './test/fixtures/screenshot-plugin.mjs';

const executablePath = findChromium();

export default {
  files: process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['akkoord-source', 'production', 'browser', 'import', 'default'] },
  concurrency: 1,
  // One file, the outbox's fault matrix, drives a real receiver through every fault case and
  // takes most of a minute on a quiet 2-core machine: the runner's default of 120 s per file
  // leaves too little room when the machine is busy.
  testsFinishTimeout: 300_000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    // The real receiver and a fault-injecting proxy for the sync tests (started on first use).
    akkoordReceiverPlugin(),
    // PNGs of the banner's layouts for review, in test/screenshots/.
    screenshotPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        headless: true,
        args: HEADLESS_ARGS,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter()],
  testFramework: { config: { timeout: 10000 } },
};
