/**
 * Google Consent Mode v2: Google's tags read the person's choice from the
 * page's `dataLayer`. Before any tag runs, `setConsentModeDefault` says
 * "denied" for every signal (with `wait_for_update`, regions and
 * `ads_data_redaction` as the host wants); then every `consent-change` that
 * carries the signals (the controller adds them when the notice maps its
 * purposes, `consentMode` on a purpose) becomes an `update`: each decision,
 * and each page load of a returning visitor (the `restored` change).
 *
 * Load it first, as a file: `packages/elements/dist/consent-mode.min.js`
 * does both from its script tag's data attributes, with no inline script,
 * so it works under a strict Content-Security-Policy. Nothing here reaches
 * the network; it only writes to `dataLayer`.
 */
import { CONSENT_MODE_SIGNALS, type ConsentModeState } from './consent-mode-signals.js';

export { CONSENT_MODE_SIGNALS, consentModeState, type ConsentModeSignal, type ConsentModeState } from './consent-mode-signals.js';

export interface ConsentModeDefaults {
  /** How long Google's tags wait for an update before they act on the default, in ms (default 500). */
  waitForUpdate?: number;
  /** ISO 3166-1/2 regions (`NL`, `BE`, `US-CA`) the default is for; without, everywhere. */
  regions?: readonly string[];
  /** Ads tags drop ad click identifiers while `ad_storage` is denied. */
  adsDataRedaction?: boolean;
  /** Ads tags pass click information through URLs while cookies are denied. */
  urlPassthrough?: boolean;
}

declare global {
  interface Window {
    dataLayer?: unknown[];
  }
}

/**
 * Google's `gtag`: one `arguments` object per command on `dataLayer`, which
 * is what its tags read (an array in its place is not a command to them).
 */
function gtag(..._command: unknown[]): void {
  // eslint-disable-next-line prefer-rest-params
  (window.dataLayer ??= []).push(arguments);
}

/** Every signal denied until the person decides; call it before any of Google's tags load. */
export function setConsentModeDefault(defaults: ConsentModeDefaults = {}): void {
  const denied = Object.fromEntries(CONSENT_MODE_SIGNALS.map((signal) => [signal, 'denied']));
  gtag('consent', 'default', {
    ...denied,
    wait_for_update: defaults.waitForUpdate ?? 500,
    ...(defaults.regions?.length && { region: [...defaults.regions] }),
  });
  if (defaults.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
  if (defaults.urlPassthrough) gtag('set', 'url_passthrough', true);
}

export function updateConsentMode(state: ConsentModeState): void {
  gtag('consent', 'update', { ...state });
}

/**
 * Sends an `update` for every `consent-change` that reaches `target` with
 * Consent Mode signals: the document (the elements pass their controller's
 * events on there), or a controller itself for a page without elements
 * (connect it before `await controller.ready`, so the returning visitor's
 * `restored` change is heard). Returns a function that stops it.
 */
export function followConsentChanges(target: EventTarget = document): () => void {
  const listener = (event: Event) => {
    const state = (event as Event & { consentMode?: ConsentModeState }).consentMode;
    if (state) updateConsentMode(state);
  };
  target.addEventListener('consent-change', listener);
  return () => target.removeEventListener('consent-change', listener);
}
