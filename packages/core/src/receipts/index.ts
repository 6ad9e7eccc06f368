export { buildReceipt, receiptHash, ReceiptBuildError } from './build.js';
export { ConsentReceiptSchema, ReceiptExtensionSchema, ReceiptPurposeSchema, UUID_V4, type ConsentReceipt, type ReceiptPurpose } from './schema.js';
export { KANTARA_VERSION, PURPOSE_CATEGORY, COLLECTION_METHOD, piiCategory } from './kantara.js';
