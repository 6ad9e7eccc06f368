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
  if (typeof source !== 'string') {
    if (isFirstLayer(source)) return source;
    const { loadDocument } = await import('./document.js');
    const { doc, hash } = await loadDocument(source, signal);
    return deriveFirstLayer(doc, hash, requested);
  }
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
  const { loadDocument } = await import('./document.js');
  const { doc, hash } = await loadDocument(source, signal);
  return deriveFirstLayer(doc, hash, requested);
}

async function firstLayerFile(url: URL, signal?: AbortSignal): Promise<FirstLayer> {
  const { json } = await fetchJson(url, signal);
  if (!isFirstLayer(json)) throw new NoticeLoadError('notice-invalid', `${url.href} is not a first-layer file of akkoord-notice build`);
  return json;
}

async function deriveFirstLayer(doc: NoticeDocument, hash: string, requested: readonly string[]): Promise<FirstLayer> {
  const { firstLayer } = await import('../notice/first-layer.js');
  return firstLayer(doc, matchLocale(requested, doc.locales, doc.defaultLocale), hash);
}

// The error every loader throws, from the module an element imports anyway.
export { NoticeLoadError } from './fetch-json.js';
