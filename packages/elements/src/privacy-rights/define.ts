/** Registers `<privacy-rights>`; a second copy of Akkoord on the page keeps the first registration. */
import { PrivacyRights } from './privacy-rights.js';
import { define } from '../shared/define.js';

define('privacy-rights', PrivacyRights);

declare global {
  interface HTMLElementTagNameMap {
    'privacy-rights': PrivacyRights;
  }
}

export { PrivacyRights };
export { PrivacyRequestEvent } from './events.js';
