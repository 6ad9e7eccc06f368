/**
 * Where consent lives: IndexedDB through idb-keyval, in a database of our own,
 * or memory when IndexedDB is missing, blocked or throwing (private modes).
 * Every IndexedDB call is bounded in time: a blocked open never answers.
 */
import { createStore, get, update, type UseStore } from 'idb-keyval';
import type { StorageMode } from './types.js';

export const DATABASE_NAME = 'akkoord';
export const STORE_NAME = 'consent';
const TIMEOUT_MS = 3000;

export interface ConsentStorage {
  readonly mode: StorageMode;
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Writes `value` unless `keepExisting(existing)` says the stored value wins,
   * atomically; answers what is stored afterwards.
   */
  put<T>(key: string, value: T, keepExisting?: (existing: T | undefined) => boolean): Promise<T>;
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

  async put<T>(key: string, value: T, keepExisting: (existing: T | undefined) => boolean = () => false): Promise<T> {
    let stored = value;
    await withTimeout(
      update<T>(
        key,
        (existing) => {
          stored = keepExisting(existing) ? (existing as T) : value;
          return stored;
        },
        this.#store,
      ),
      `writing "${key}"`,
    );
    return stored;
  }
}

export class MemoryStorage implements ConsentStorage {
  readonly mode = 'memory';
  #values = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    return this.#values.get(key) as T | undefined;
  }

  async put<T>(key: string, value: T, keepExisting: (existing: T | undefined) => boolean = () => false): Promise<T> {
    const existing = this.#values.get(key) as T | undefined;
    const stored = keepExisting(existing) ? (existing as T) : value;
    this.#values.set(key, stored);
    return stored;
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
