/**
 * Whether this browser has never decided: the one question the banner must
 * answer before it paints a first visit, asked without the controller, so
 * that the controller (and its HMAC key, the record schema, the tabs and
 * the outbox) loads after the banner is on screen, not before it.
 *
 * Only "yes, a first visit" is a fast path. Anything else (a pseudonym is
 * stored, IndexedDB is missing, blocked, slow or failing) answers false, and
 * the caller waits for the controller, which reads, checks and reports it all.
 *
 * One read in plain IndexedDB, opened as idb-keyval opens it (no version; the
 * store made on first open), so idb-keyval stays off the banner's first load.
 */
import { DATABASE_NAME, STORE_NAME, SUBJECT_KEY } from './database.js';

/** Longer than a healthy read on a busy page; a blocked database takes the controller's path. */
const TIMEOUT_MS = 1000;

export function isFirstVisit(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
    const answer = (firstVisit: boolean) => {
      clearTimeout(timer);
      resolve(firstVisit);
    };
    try {
      const open = indexedDB.open(DATABASE_NAME);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE_NAME);
      open.onerror = () => answer(false);
      open.onsuccess = () => {
        const db = open.result;
        try {
          const read = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME).get(SUBJECT_KEY);
          read.onsuccess = () => answer(read.result === undefined);
          read.onerror = () => answer(false);
        } catch {
          answer(false); // no such store: not a database of ours to judge
        } finally {
          db.close();
        }
      };
    } catch {
      answer(false); // no IndexedDB at all
    }
  });
}
