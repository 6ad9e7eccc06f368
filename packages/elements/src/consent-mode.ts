/**
 * consent-mode.min.js: Google Consent Mode's default, set before any tag
 * runs, and an update on every consent change the elements announce. A
 * classic script (not a module, which would run too late), configured by
 * its own tag's data attributes, so the page needs no inline script:
 *
 *   <script src="/akkoord/consent-mode.min.js" data-regions="NL BE"
 *           data-wait-for-update="500" data-ads-data-redaction></script>
 *
 * It goes before Google's tags; the elements may load later.
 */
import { followConsentChanges, setConsentModeDefault } from '@akkoord/core/consent-mode';

const data = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
try {
  const wait = Number(data.waitForUpdate);
  setConsentModeDefault({
    waitForUpdate: data.waitForUpdate && Number.isFinite(wait) ? wait : undefined,
    regions: data.regions?.split(/[\s,]+/).filter(Boolean),
    adsDataRedaction: data.adsDataRedaction !== undefined,
    urlPassthrough: data.urlPassthrough !== undefined,
  });
  followConsentChanges(document);
} catch (error) {
  // Never into the page: a page whose dataLayer is not an array (another tool's) keeps working without us.
  console.error('[Akkoord] Consent Mode could not be set up:', error);
}
