/** Registers `<consent-preferences>`; a second copy of Akkoord on the page keeps the first registration. */
import { ConsentPreferences } from './consent-preferences.js';
import { define } from '../shared/define.js';

define('consent-preferences', ConsentPreferences);

declare global {
  interface HTMLElementTagNameMap {
    'consent-preferences': ConsentPreferences;
  }
}

export { ConsentPreferences };
