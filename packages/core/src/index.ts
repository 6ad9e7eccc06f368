export * from './notice/index.js';
export * from './consent/index.js';
export * from './receipts/index.js';
export * from './sync/index.js';
