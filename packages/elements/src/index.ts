/**
 * @akkoord/elements: the classes, events and localization API, without side
 * effects. Import `@akkoord/elements/privacy-notice.js` (or the define module)
 * to register the tag.
 */
export { PrivacyNotice } from './privacy-notice/privacy-notice.js';
export { ConsentChangeEvent, ConsentErrorEvent, type ConsentErrorCode } from './events.js';
export { setLocale, getLocale, resolveUiLocale, type UiLocale } from './localization.js';
