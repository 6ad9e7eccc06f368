export * from './notice/index.js';
export * from './consent/index.js';
