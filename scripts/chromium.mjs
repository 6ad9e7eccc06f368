// Where Debian's (or the developer's) Chromium lives; we never download one.
import { existsSync } from 'node:fs';

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
