/**
 * A whole notice document for `<privacy-notice>`: from what `akkoord-notice
 * build` wrote (its `manifest.json`: the document is trusted when its hash
 * matches, since the registrar's CI validated exactly that), or a raw
 * document or object, validated here with the notice model loaded on demand
 * (zod is most of its weight).
 */
import type { NoticeDocument } from '../notice/schema.js';
import { hashJson } from '../notice/canonical.js';
import { fetchJson, NoticeLoadError } from './fetch-json.js';
import { isManifest } from './manifest.js';

/** Validates with the notice model, loaded now; throws `NoticeLoadError` listing the issues. */
export async function validated(input: unknown): Promise<NoticeDocument> {
  const { validateNotice } = await import('../notice/validate.js').catch((cause: unknown) => {
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

// The error every loader throws, from the module an element imports anyway.
export { NoticeLoadError } from './fetch-json.js';
