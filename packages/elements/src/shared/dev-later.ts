/**
 * The developer-error checks (dev-errors.ts), imported a second after they
 * are asked for, when the browser is idle: they tell a developer what to
 * fix, and must not take bytes or time from an element's first paint.
 */
import { whenIdle } from './when-idle.js';

const DEV_DELAY_MS = 1000;

export function devLater(check: (checks: typeof import('./dev-errors.js')) => void): void {
  // Offline, or when they cannot load, the checks are skipped: a dev check must never put an error in the page's console.
  setTimeout(() => whenIdle(() => void (navigator.onLine && import('./dev-errors.js').then(check, () => {})), 2000), DEV_DELAY_MS);
}
