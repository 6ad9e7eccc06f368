/**
 * The banner's fallback when it is given a whole notice document, or a URL
 * of one, instead of a first-layer file: the document, and its first layer
 * derived here. A module of its own, so that neither the banner's first
 * load nor the notice page pays for the other's path.
 */
import type { FirstLayer } from '../notice/first-layer.js';
import type { NoticeDocument } from '../notice/schema.js';
import { matchLocale } from '../notice/match-locale.js';
import { loadDocument } from './document.js';

/** The first layer of a whole document, in the locale that best matches `requested`. */
export async function firstLayerOfDocument(
  source: string | NoticeDocument,
  requested: readonly string[],
  signal?: AbortSignal,
): Promise<FirstLayer> {
  const [{ doc, hash }, { firstLayer }] = await Promise.all([loadDocument(source, signal), import('../notice/first-layer.js')]);
  return firstLayer(doc, matchLocale(requested, doc.locales, doc.defaultLocale), hash);
}
