/** Registers `<privacy-notice>`; a second copy of Akkoord on the page keeps the first registration. */
import { PrivacyNotice } from './privacy-notice.js';
import { define } from '../shared/define.js';

define('privacy-notice', PrivacyNotice);

declare global {
  interface HTMLElementTagNameMap {
    'privacy-notice': PrivacyNotice;
  }
}

export { PrivacyNotice };
