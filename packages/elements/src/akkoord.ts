/**
 * The one-file bundle for `<script type="module" src="akkoord.min.js">`.
 * It holds Lit and the localization; each element loads when its tag shows
 * up in the page, so a page pays only for the elements it has, and a
 * `<privacy-notice>` page never loads the consent controller.
 *
 * For a page without elements (its own UI), `loadConsent()` gives the
 * controller API: `(await loadConsent()).getConsentController({...})`.
 */
import { defineOnDemand } from './lazy-define.js';

defineOnDemand();

export { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent } from './events.js';
export { setLocale, getLocale } from './localization.js';
export const loadConsent = () => import('@akkoord/core/consent');
