export { ConsentController, DEFAULT_CONSENT_LIFETIME, DEFAULT_MAX_AGE_MS, type ConsentControllerOptions, type DecideOptions, type SyncOptions } from './controller.js';
export { getConsentController, resetConsentControllers } from './registry.js';
export { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent, type ConsentErrorCode, type SyncOutcome } from './events.js';
export { IndexedDbStorage, MemoryStorage, DATABASE_NAME, STORE_NAME, type ConsentStorage } from './storage.js';
export { activateGatedScripts } from './gated-scripts.js';
export type * from './types.js';
