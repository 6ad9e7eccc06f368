/**
 * Where elements get a notice from. A registrar publishes what
 * `akkoord-notice build` wrote (validated in their CI) and points an element
 * at its `manifest.json`, or straight at one file of it; a raw document, or
 * one that does not match the hash its manifest names, is validated here
 * instead, with the model loaded on demand (zod is most of its weight).
 */
import { hashJson, matchLocale, type FirstLayer, type NoticeDocument, type NoticeIssue } from '@akkoord/core/notice';
import type { ConsentErrorCode } from '@akkoord/core/consent';

export class NoticeLoadError extends Error {
  constructor(
    readonly code: Extract<ConsentErrorCode, 'notice-fetch-failed' | 'notice-invalid'>,
    message: string,
    readonly issues: readonly NoticeIssue[] = [],
  ) {
    super(message);
  }
}

interface Manifest {
  hash: string;
  locales: string[];
  defaultLocale: string;
  files: { path: string; kind: string; locale?: string }[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isManifest = (value: unknown): value is Manifest =>
  isObject(value) && Array.isArray(value.files) && Array.isArray(value.locales) && typeof value.hash === 'string';
const isFirstLayer = (value: unknown): value is FirstLayer =>
  isObject(value) &&
  typeof value.consentFingerprint === 'string' &&
  Array.isArray(value.purposes) &&
  Array.isArray(value.locales) &&
  isObject(value.summary) &&
  isObject(value.controller);

export async function fetchJson(url: string | URL, signal?: AbortSignal): Promise<{ json: unknown; url: URL }> {
  let text: string;
  let resolved: URL;
  try {
    resolved = new URL(url, document.baseURI);
    const response = await fetch(resolved, { signal, headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    text = await response.text();
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new NoticeLoadError('notice-fetch-failed', `Could not fetch the notice from ${String(url)}: ${(cause as Error)?.message ?? cause}`);
  }
  try {
    return { json: JSON.parse(text), url: resolved };
  } catch (cause) {
    throw new NoticeLoadError('notice-invalid', `${resolved.href} is not JSON: ${(cause as Error).message}`);
  }
}

/** Validates with the notice model, loaded now; throws `NoticeLoadError` listing the issues. */
export async function validated(input: unknown): Promise<NoticeDocument> {
  const { validateNotice } = await import('@akkoord/core/notice').catch((cause: unknown) => {
    throw new NoticeLoadError('notice-fetch-failed', `Could not load the notice model: ${String(cause)}`);
  });
  const result = validateNotice(input);
  if (!result.ok) {
    throw new NoticeLoadError('notice-invalid', `The notice is not a valid notice document (${result.issues.length} issues).`, result.issues);
  }
  return result.notice;
}

/** A whole notice document, with its hash, from a manifest URL, a document URL or an object. */
export async function loadDocument(
  source: string | NoticeDocument,
  signal?: AbortSignal,
): Promise<{ doc: NoticeDocument; hash: string }> {
  if (typeof source !== 'string') {
    const doc = await validated(source);
    return { doc, hash: await hashJson(doc) };
  }
  const first = await fetchJson(source, signal);
  if (!isManifest(first.json)) {
    const doc = await validated(first.json);
    return { doc, hash: await hashJson(doc) };
  }
  const manifest = first.json;
  const file = manifest.files.find((f) => f.kind === 'document');
  if (!file) throw new NoticeLoadError('notice-invalid', `${first.url.href} names no document file`);
  const { json } = await fetchJson(new URL(file.path, first.url), signal);
  const hash = await hashJson(json);
  // The build validated exactly this document; anything else is checked here.
  if (hash === manifest.hash) return { doc: json as NoticeDocument, hash };
  return { doc: await validated(json), hash };
}

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
  const { doc, hash } = await loadDocument(source, signal);
  return deriveFirstLayer(doc, hash, requested);
}

async function firstLayerFile(url: URL, signal?: AbortSignal): Promise<FirstLayer> {
  const { json } = await fetchJson(url, signal);
  if (!isFirstLayer(json)) throw new NoticeLoadError('notice-invalid', `${url.href} is not a first-layer file of akkoord-notice build`);
  return json;
}

async function deriveFirstLayer(doc: NoticeDocument, hash: string, requested: readonly string[]): Promise<FirstLayer> {
  const { firstLayer } = await import('@akkoord/core/notice');
  return firstLayer(doc, matchLocale(requested, doc.locales, doc.defaultLocale), hash);
}
