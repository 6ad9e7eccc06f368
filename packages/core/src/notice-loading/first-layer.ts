/**
 * The banner's first layer, in as few bytes and requests as possible: a
 * first-layer file of `akkoord-notice build` (its siblings hold the other
 * locales) or its manifest; a whole document only as a fallback, with the
 * model loaded on demand.
 */
import type { FirstLayer } from '../notice/first-layer.js';
import type { NoticeDocument } from '../notice/schema.js';
import { matchLocale } from '../notice/match-locale.js';
import { fetchJson, NoticeLoadError } from './fetch-json.js';
import { isFirstLayer, isManifest } from './manifest.js';

/**
 * The banner's first layer in the locale that best matches `requested`:
 * from a manifest, from a first-layer file (its siblings hold the other
 * locales), or derived from a whole document.
 */
export async function loadFirstLayer(
  source: string | FirstLayer | NoticeDocument,
  requested: readonly string[],
  signal?: AbortSignal,
): Promise<FirstLayer> {
  if (typeof source !== 'string') return isFirstLayer(source) ? source : fromDocument(source, requested, signal);
  const { json, url } = await fetchJson(source, signal);
  if (isFirstLayer(json)) {
    const wanted = matchLocale(requested, json.locales, json.locale);
    if (wanted === json.locale) return json;
    return firstLayerFile(new URL(`first-layer.${wanted}.json`, url), signal);
  }
  if (isManifest(json)) {
    const wanted = matchLocale(requested, json.locales, json.defaultLocale);
    const file = json.files.find((f) => f.kind === 'first-layer' && f.locale === wanted);
    if (file) return firstLayerFile(new URL(file.path, url), signal);
  }
  return fromDocument(source, requested, signal);
}

async function firstLayerFile(url: URL, signal?: AbortSignal): Promise<FirstLayer> {
  const { json } = await fetchJson(url, signal);
  if (!isFirstLayer(json)) throw new NoticeLoadError('notice-invalid', `${url.href} is not a first-layer file of akkoord-notice build`);
  return json;
}

/** The fallback, off the banner's first load: a whole document, and the first layer derived from it. */
async function fromDocument(source: string | NoticeDocument, requested: readonly string[], signal?: AbortSignal): Promise<FirstLayer> {
  const { firstLayerOfDocument } = await import('./first-layer-of-document.js');
  return firstLayerOfDocument(source, requested, signal);
}

// The error every loader throws, from the module an element imports anyway.
export { NoticeLoadError } from './fetch-json.js';
