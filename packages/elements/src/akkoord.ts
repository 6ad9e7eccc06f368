/**
 * The one-file bundle for `<script type="module" src="akkoord.min.js">`.
 * It holds what every element shares (the UI-string lookup, notice
 * fetching, the theme); each element loads when its tag shows up in the
 * page, so a page pays only for the elements it has, and a
 * `<privacy-notice>` page never loads the consent controller. For a banner,
 * it also starts the banner's UI strings and notice file beside the
 * banner's code (first-paint.ts): the banner paints two round trips after
 * the HTML, this file and then those three side by side.
 *
 * For a page without elements (its own UI), `loadConsent()` gives the
 * controller API: `(await loadConsent()).getConsentController({...})`, and
 * the classes of the controller's events (`ConsentChangeEvent`,
 * `ConsentSyncEvent`) for `instanceof`.
 */
import { defineOnDemand } from './lazy-define.js';
import { startFirstPaint } from './first-paint.js';
import { ConsentErrorEvent as ErrorEvent } from '@akkoord/core/consent/error-event';
import { getLocale as pageLocale, setLocale as setPageLocale } from './localization.js';

// An event class comes with the code that fires it: the elements report `consent-error` before the
// controller is there; `consent-change` and `consent-sync` come from the controller, so their classes
// come with `loadConsent()` and stay off the banner's first load.
const api = {
  ConsentErrorEvent: ErrorEvent,
  setLocale: setPageLocale,
  getLocale: pageLocale,
  loadConsent: () => import('@akkoord/core/consent'),
};

/**
 * The element chunks import what they share from this file by its plain
 * name (`../akkoord.min.js`). A host that adds a query string (WordPress's
 * `?ver=`) or a fragment to the script's URL loads this module a second
 * time under that URL: that copy starts nothing and hands out the plain
 * copy's exports, so `setLocale` reaches the elements and `instanceof`
 * sees the class they fire.
 */
const plain = import.meta.url.replace(/[?#].*/, '');
const own = plain === import.meta.url;
if (own) defineOnDemand({ 'consent-banner': startFirstPaint });

export const { ConsentErrorEvent, setLocale, getLocale, loadConsent }: typeof api = own ? api : await import(plain);
