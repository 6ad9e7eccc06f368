/**
 * What a `<consent-banner>` in the page needs before it can paint, started
 * by the script tag's entry beside the banner's code instead of after it:
 * its UI strings and its notice file. Left to the banner, they would be
 * asked for only once its code had arrived and run: one round trip more.
 *
 * Only a head start: the banner loads and checks everything itself as
 * before, and takes over what was started here when it asks for the same
 * thing (the same string modules; the same notice URL, through `fetchJson`).
 * A guess that misses (a notice in another language, a notice set later by
 * script) costs a request, never a wrong banner.
 */
import { fetchJsonEarly } from '@akkoord/core/notice-loading/fetch-json';
import { catalogs } from './generated/catalogs/consent-banner.js';
import { prefetchUiLocale, resolveUiLocale } from './localization.js';

export function startFirstPaint(banner: Element): void {
  const notice = banner.getAttribute('notice');
  if (!notice) return;
  try {
    fetchJsonEarly(notice);
  } catch {
    // Not a URL: the banner reports it when it loads the notice itself; the page must not hear it from here.
  }
  // The banner's language as its LocaleController will most likely choose it: its own or the nearest `lang`, else the browser's.
  const ui = resolveUiLocale(banner.closest('[lang]')?.getAttribute('lang') || navigator.language);
  if (ui) prefetchUiLocale(ui, catalogs);
}
