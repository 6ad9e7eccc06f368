/**
 * Whether this browser has never decided: the one question the banner must
 * answer before it paints a first visit, asked without the controller, so
 * that the controller (and its HMAC key, the record schema, the tabs and
 * the outbox) loads after the banner is on screen, not before it.
 *
 * Only "yes, a first visit" is a fast path. Anything else (a pseudonym is
 * stored, another host of the registrar shared a decision, IndexedDB is
 * missing, blocked, slow or failing) answers false, and
 * the caller waits for the controller, which reads, checks and reports it all.
 *
 * Plain IndexedDB, so idb-keyval stays off the banner's first load, and
 * nothing is created: a browser without our database has never decided
 * (the controller makes it, with the first decision or a later read).
 */
import { DATABASE_NAME, SHARED_DECISION_COOKIE, STORE_NAME, SUBJECT_KEY } from './database.js';
import { globalPrivacyControl, gpcPurposes } from './gpc.js';
import type { ConsentNotice } from './types.js';

/** Longer than a healthy read on a busy page; a blocked database takes the controller's path. */
const TIMEOUT_MS = 1000;

/**
 * Whether a first visit to `notice` must wait for the controller all the
 * same: it writes GPC's refusals before anyone is asked.
 */
export function gpcDecidesFirst(notice: Pick<ConsentNotice, 'purposes'>): boolean {
  return globalPrivacyControl() && gpcPurposes(notice).length > 0;
}

export function isFirstVisit(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
    const answer = (firstVisit: boolean) => {
      clearTimeout(timer);
      resolve(firstVisit);
    };
    try {
      // A decision another host of the registrar shared (shared-decision.ts) is the controller's to read and check.
      if (document.cookie.includes(SHARED_DECISION_COOKIE)) return answer(false);
      // Where the browser lists its databases, a first visit is known without opening one.
      const listed = typeof indexedDB.databases === 'function' ? indexedDB.databases() : Promise.resolve(undefined);
      listed.then(
        (databases) => (databases && !databases.some((d) => d.name === DATABASE_NAME) ? answer(true) : read(answer)),
        () => answer(false),
      );
    } catch {
      answer(false); // no IndexedDB at all, or cookies a sandboxed frame may not read
    }
  });
}

/** Reads the pseudonym; a database that does not exist yet is not made here (its upgrade is aborted). */
function read(answer: (firstVisit: boolean) => void): void {
  let missing = false;
  try {
    const open = indexedDB.open(DATABASE_NAME);
    open.onupgradeneeded = () => {
      missing = true;
      open.transaction?.abort();
    };
    open.onerror = () => answer(missing);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const request = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME).get(SUBJECT_KEY);
        request.onsuccess = () => answer(request.result === undefined);
        request.onerror = () => answer(false);
      } catch {
        answer(false); // no such store: not a database of ours to judge
      } finally {
        db.close();
      }
    };
  } catch {
    answer(false); // no IndexedDB at all
  }
}
