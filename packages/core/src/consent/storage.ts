/**
 * Where consent lives: IndexedDB through idb-keyval, in a database of our own,
 * or memory when IndexedDB is missing, blocked or throwing (private modes).
 * Every IndexedDB call is bounded in time: a blocked open never answers.
 */
import { createStore, get, promisifyRequest, type UseStore } from 'idb-keyval';
import { DATABASE_NAME, STORE_NAME } from './database.js';
import type { StorageMode } from './types.js';

export { DATABASE_NAME, STORE_NAME } from './database.js';
const TIMEOUT_MS = 3000;

export interface ConsentStorage {
  readonly mode: StorageMode;
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Writes `value` unless `keepExisting(existing)` says the stored value wins,
   * and `alsoWrite` in any case, in one transaction; answers what is stored
   * under `key` afterwards.
   */
  put<T>(key: string, value: T, keepExisting?: (existing: T | undefined) => boolean, alsoWrite?: [string, unknown][]): Promise<T>;
  /** Every entry whose key starts with `prefix`, in key order. */
  list<T>(prefix: string): Promise<[string, T][]>;
  /** Writes and deletes in one transaction: all of them happen, or none. */
  commit(writes: [string, unknown][], deletes?: string[]): Promise<void>;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

export class IndexedDbStorage implements ConsentStorage {
  readonly mode = 'indexeddb';
  #store: UseStore;

  constructor(store: UseStore = createStore(DATABASE_NAME, STORE_NAME)) {
    this.#store = store;
  }

  get<T>(key: string): Promise<T | undefined> {
    return withTimeout(get<T>(key, this.#store), `reading "${key}"`);
  }

  async put<T>(
    key: string,
    value: T,
    keepExisting: (existing: T | undefined) => boolean = () => false,
    alsoWrite: [string, unknown][] = [],
  ): Promise<T> {
    let stored = value;
    await withTimeout(
      this.#store('readwrite', async (store) => {
        const existing = (await promisifyRequest(store.get(key))) as T | undefined;
        stored = keepExisting(existing) ? (existing as T) : value;
        if (stored === value) store.put(value, key);
        for (const [otherKey, otherValue] of alsoWrite) store.put(otherValue, otherKey);
        return promisifyRequest(store.transaction);
      }),
      `writing "${key}"`,
    );
    return stored;
  }

  list<T>(prefix: string): Promise<[string, T][]> {
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    return withTimeout(
      this.#store('readonly', async (store) => {
        const [keys, values] = await Promise.all([
          promisifyRequest(store.getAllKeys(range)),
          promisifyRequest(store.getAll(range)),
        ]);
        return keys.map((key, i) => [String(key), values[i] as T] as [string, T]);
      }),
      `listing "${prefix}"`,
    );
  }

  commit(writes: [string, unknown][], deletes: string[] = []): Promise<void> {
    return withTimeout(
      this.#store('readwrite', (store) => {
        for (const [key, value] of writes) store.put(value, key);
        for (const key of deletes) store.delete(key);
        return promisifyRequest(store.transaction);
      }),
      'committing',
    );
  }
}

export class MemoryStorage implements ConsentStorage {
  readonly mode = 'memory';
  #values = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    return this.#values.get(key) as T | undefined;
  }

  async put<T>(
    key: string,
    value: T,
    keepExisting: (existing: T | undefined) => boolean = () => false,
    alsoWrite: [string, unknown][] = [],
  ): Promise<T> {
    const existing = this.#values.get(key) as T | undefined;
    const stored = keepExisting(existing) ? (existing as T) : value;
    this.#values.set(key, stored);
    for (const [otherKey, otherValue] of alsoWrite) this.#values.set(otherKey, otherValue);
    return stored;
  }

  async list<T>(prefix: string): Promise<[string, T][]> {
    return [...this.#values.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as [string, T][];
  }

  async commit(writes: [string, unknown][], deletes: string[] = []): Promise<void> {
    for (const [key, value] of writes) this.#values.set(key, value);
    for (const key of deletes) this.#values.delete(key);
  }
}

/**
 * IndexedDB when it answers a first read, else memory. The reason is returned
 * so that the controller can report it.
 */
export async function openStorage(): Promise<{ storage: ConsentStorage; problem?: string }> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    return { storage: new MemoryStorage(), problem: 'IndexedDB is not available in this browser' };
  }
  try {
    const storage = new IndexedDbStorage();
    await storage.get('probe');
    return { storage };
  } catch (error) {
    return { storage: new MemoryStorage(), problem: `IndexedDB cannot be used: ${describeError(error)}` };
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError(`IndexedDB did not answer within ${TIMEOUT_MS} ms ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
