/** Where Akkoord keeps consent in IndexedDB: a database of its own, one store. */
export const DATABASE_NAME = 'akkoord';
export const STORE_NAME = 'consent';
/** The key of the browser's pseudonym: made with the first decision, so its absence means a first visit. */
export const SUBJECT_KEY = 'subject';
/**
 * The cookies that mirror a notice's decision for a registrar's other hosts
 * (shared-decision.ts): `akkoord_<notice id>`. Any of them tells the banner
 * that a first visit to this host may not be the person's first decision.
 */
export const SHARED_DECISION_COOKIE = 'akkoord_';
// A notice's id is a slug (lowercase letters, digits, hyphens): a cookie name as it is.
export const mirrorCookieName = (noticeId: string): string => `${SHARED_DECISION_COOKIE}${noticeId}`;
