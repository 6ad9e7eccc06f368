/** Fetching notice files, with errors an element can show and report. */
import type { ConsentErrorCode } from '@akkoord/core/consent';
import type { FirstLayer, NoticeIssue } from '@akkoord/core/notice';

export class NoticeLoadError extends Error {
  constructor(
    readonly code: Extract<ConsentErrorCode, 'notice-fetch-failed' | 'notice-invalid'>,
    message: string,
    readonly issues: readonly NoticeIssue[] = [],
  ) {
    super(message);
  }
}

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

export interface Manifest {
  hash: string;
  locales: string[];
  defaultLocale: string;
  files: { path: string; kind: string; locale?: string }[];
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
export const isManifest = (value: unknown): value is Manifest =>
  isObject(value) && Array.isArray(value.files) && Array.isArray(value.locales) && typeof value.hash === 'string';
export const isFirstLayer = (value: unknown): value is FirstLayer =>
  isObject(value) &&
  typeof value.consentFingerprint === 'string' &&
  Array.isArray(value.purposes) &&
  Array.isArray(value.locales) &&
  isObject(value.summary) &&
  isObject(value.controller);
