/** Registers `<consent-banner>`; a second copy of Akkoord on the page keeps the first registration. */
import { ConsentBanner } from './consent-banner.js';
import { define } from '../shared/define.js';

define('consent-banner', ConsentBanner);

declare global {
  interface HTMLElementTagNameMap {
    'consent-banner': ConsentBanner;
  }
}

export { ConsentBanner };
