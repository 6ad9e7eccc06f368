// Where Debian's (or the developer's) Chromium lives; we never download one.
import { existsSync } from 'node:fs';

/**
 * The flags every headless Chromium of ours starts with (tests, benchmarks): no sandbox or GPU in a
 * container, /tmp instead of a small /dev/shm, and none of the browser's own background traffic.
 */
export const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  const path = process.env.CHROME_PATH || CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(
      `No Chromium found (looked at ${process.env.CHROME_PATH ? `CHROME_PATH=${process.env.CHROME_PATH}` : CANDIDATES.join(', ')}). ` +
        'Install it with `apt-get install -y chromium`, or point CHROME_PATH at a Chrome or Chromium binary.',
    );
  }
  return path;
}
