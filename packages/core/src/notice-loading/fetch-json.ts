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

const get = (url: URL, signal?: AbortSignal) => fetch(url, { signal, headers: { Accept: 'application/json' } });

export async function fetchJson(url: string | URL, signal?: AbortSignal): Promise<{ json: unknown; url: URL }> {
  let text: string;
  let resolved: URL;
  try {
    // Relative to the page in a browser; Node has no page, so it needs an absolute URL.
    resolved = new URL(url, globalThis.document?.baseURI);
    const response = await (takeEarly(resolved.href) ?? get(resolved, signal));
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

/**
 * Files whose fetch started before the code that reads them had arrived
 * (`fetchJsonEarly`), by absolute URL. Each is taken once: a second load of
 * the same file (a retry) fetches it anew.
 */
const early = new Map<string, Promise<Response>>();

const takeEarly = (href: string) => {
  const response = early.get(href);
  early.delete(href);
  return response;
};

/**
 * Starts fetching a file that a later `fetchJson` of the same URL takes
 * over, so that the fetch overlaps with loading the code that will read it.
 * Its failure is reported there, by the reader, not here.
 */
export function fetchJsonEarly(url: string): void {
  const resolved = new URL(url, document.baseURI);
  const response = get(resolved);
  response.catch(() => {});
  early.set(resolved.href, response);
}
