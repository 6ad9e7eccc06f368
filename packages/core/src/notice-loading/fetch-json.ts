/**
 * Fetching notice files, with errors an element can show and report: a
 * fetch that fails is `notice-fetch-failed` (worth a retry), a file that
 * is not what it should be is `notice-invalid` (a retry will not help).
 */
import type { ConsentErrorCode } from '../consent/error-event.js';
import type { NoticeIssue } from '../notice/validate.js';

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
    // Relative to the page in a browser; Node has no page, so it needs an absolute URL.
    resolved = new URL(url, globalThis.document?.baseURI);
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
