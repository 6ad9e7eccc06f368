/** Where Akkoord keeps consent in IndexedDB: a database of its own, one store. */
export const DATABASE_NAME = 'akkoord';
export const STORE_NAME = 'consent';
/** The key of the browser's pseudonym: made with the first decision, so its absence means a first visit. */
export const SUBJECT_KEY = 'subject';
