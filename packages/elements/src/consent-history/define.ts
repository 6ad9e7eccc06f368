/** Registers `<consent-history>`; a second copy of Akkoord on the page keeps the first registration. */
import { ConsentHistory } from './consent-history.js';
import { define } from '../shared/define.js';

define('consent-history', ConsentHistory);

declare global {
  interface HTMLElementTagNameMap {
    'consent-history': ConsentHistory;
  }
}

export { ConsentHistory };
