/**
 * The one-file bundle for `<script type="module" src="akkoord.min.js">`:
 * `<consent-banner>` is in it; the other elements load when their tag shows
 * up in the page (their classes: `customElements.get(tag)`). It exports the
 * API a page needs without the elements: locale, events, and the controller
 * for hosts with their own UI.
 */
import './consent-banner/define.js';
import { defineOnDemand } from './lazy-define.js';

defineOnDemand();

export { ConsentBanner } from './consent-banner/consent-banner.js';
export { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent } from './events.js';
export { setLocale, getLocale } from './localization.js';
export { getConsentController, activateGatedScripts } from '@akkoord/core/consent';
