/**
 * The one-file bundle for `<script type="module" src="akkoord.min.js">`.
 * It holds Lit and the localization; each element loads when its tag shows
 * up in the page, so a page pays only for the elements it has, and a
 * `<privacy-notice>` page never loads the consent controller.
 *
 * For a page without elements (its own UI), `loadConsent()` gives the
 * controller API: `(await loadConsent()).getConsentController({...})`, and
 * the classes of the controller's events (`ConsentChangeEvent`,
 * `ConsentSyncEvent`) for `instanceof`.
 */
import { defineOnDemand } from './lazy-define.js';

defineOnDemand();

// An event class comes with the code that fires it: the elements report `consent-error` before the
// controller is there; `consent-change` and `consent-sync` come from the controller, so their classes
// come with `loadConsent()` and stay off the banner's first load.
export { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
export { setLocale, getLocale } from './localization.js';
export const loadConsent = () => import('@akkoord/core/consent');
