/**
 * @akkoord/elements: the classes, events and localization API, without side
 * effects. Import a define module (`@akkoord/elements/consent-banner.js`, ...)
 * to register its tag.
 */
export { ConsentBanner } from './consent-banner/consent-banner.js';
export { ConsentPreferences } from './consent-preferences/consent-preferences.js';
export { PrivacyNotice } from './privacy-notice/privacy-notice.js';
export { PrivacyRights } from './privacy-rights/privacy-rights.js';
export { PrivacyRequestEvent, type RequestChannelType } from './privacy-rights/events.js';
export { ConsentHistory } from './consent-history/consent-history.js';
export { ConsentEmbed } from './consent-embed/consent-embed.js';
export { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent, type ConsentErrorCode } from './events.js';
export { setLocale, getLocale, resolveUiLocale, type UiLocale } from './localization.js';
export { getConsentController, activateGatedScripts, type ConsentController } from '@akkoord/core/consent';
