export * from './schema.js';
export { validateNotice, parseNotice, InvalidNoticeError, formatIssue, type NoticeIssue, type NoticeValidation } from './validate.js';
export { canonicalJson, hashJson, sha256Text, sha256Label, SHA256_PATTERN } from './canonical.js';
export { localizeNotice, type LocalizedNotice, type LocalizedChannel } from './localize.js';
export { matchLocale } from './match-locale.js';
export { isInEEA } from './eea.js';
export { lintNotice, type NoticeWarning } from './lint.js';
export { consentFingerprint, toConsentNotice } from './fingerprint.js';
export { firstLayer, type FirstLayer, type FirstLayerConsentPurpose, type FirstLayerOtherPurpose, type FirstLayerPurpose } from './first-layer.js';
