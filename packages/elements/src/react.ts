/**
 * React components for the elements, made by `@lit/react`: properties as
 * props, and the events as typed callback props (`onConsentChange` gets a
 * `ConsentChangeEvent`). Importing this module registers the three tags.
 *
 * ```tsx
 * import { ConsentBanner } from '@akkoord/elements/react.js';
 *
 * <ConsentBanner notice="/akkoord/notices/gmo-registry/manifest.json"
 *   onConsentChange={(e) => setMarketing(e.decisions.marketing)} />
 * ```
 *
 * `react` and `@lit/react` are optional peer dependencies: only this module
 * needs them.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import type { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent } from './events.js';
import { ConsentBanner as ConsentBannerElement } from './consent-banner/define.js';
import { ConsentPreferences as ConsentPreferencesElement } from './consent-preferences/define.js';
import { PrivacyNotice as PrivacyNoticeElement } from './privacy-notice/define.js';

const onConsentError = 'consent-error' as EventName<ConsentErrorEvent>;
const consentEvents = {
  onConsentChange: 'consent-change' as EventName<ConsentChangeEvent>,
  onConsentError,
  onConsentSync: 'consent-sync' as EventName<ConsentSyncEvent>,
};

/** `<consent-banner>`; `onConsentChange`, `onConsentError`, `onConsentSync`. */
export const ConsentBanner = createComponent({
  react: React,
  tagName: 'consent-banner',
  elementClass: ConsentBannerElement,
  events: consentEvents,
  displayName: 'ConsentBanner',
});

/** `<consent-preferences>`; `onConsentChange`, `onConsentError`, `onConsentSync`. */
export const ConsentPreferences = createComponent({
  react: React,
  tagName: 'consent-preferences',
  elementClass: ConsentPreferencesElement,
  events: consentEvents,
  displayName: 'ConsentPreferences',
});

/** `<privacy-notice>`; `onConsentError` (the notice could not load or is invalid). */
export const PrivacyNotice = createComponent({
  react: React,
  tagName: 'privacy-notice',
  elementClass: PrivacyNoticeElement,
  events: { onConsentError },
  displayName: 'PrivacyNotice',
});

export type { ConsentChangeEvent, ConsentErrorEvent, ConsentSyncEvent };
