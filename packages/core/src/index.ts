export * from './notice/index.js';
