/**
 * The launch registrars' notice documents.
 *
 * The documents are plain JSON files in `notices/`, not modules: importing
 * this file costs a few bytes (two ids and a URL), never two whole notices,
 * and the JSON is served and hashed exactly as it was authored. `notices/`
 * sits beside both `src/` and the built `dist/`, so the same relative URL
 * works from either.
 *
 * Nothing here validates: a caller passes what `loadNotice` returns to
 * `parseNotice` from `@akkoord/core`, and CI runs `akkoord-notice check`.
 */

export const NOTICE_IDS = ['gmo-registry', 'dcube-resource'] as const;
export type LaunchNoticeId = (typeof NOTICE_IDS)[number];

/** Where a launch notice's JSON lives, next to this package's code. */
export function noticeUrl(id: LaunchNoticeId): URL {
  // Checked at run time too: a caller without types must not steer the path.
  if (!(NOTICE_IDS as readonly string[]).includes(id)) {
    throw new RangeError(`Unknown launch notice "${String(id)}"; expected one of ${NOTICE_IDS.join(', ')}`);
  }
  return new URL(`../notices/${id}.json`, import.meta.url);
}

/**
 * Fetches a launch notice as unvalidated JSON (in a browser; Node's `fetch`
 * does not read `file:` URLs, so read `noticeUrl(id)` with `fs` there).
 */
export async function loadNotice(id: LaunchNoticeId): Promise<unknown> {
  const response = await fetch(noticeUrl(id));
  if (!response.ok) throw new Error(`Could not load notice "${id}": HTTP ${response.status}`);
  return response.json();
}
