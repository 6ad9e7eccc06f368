/**
 * The markup of each element as its stories render it, and the browser
 * tests render the same: a test takes its fixture from here instead of
 * retyping the element's attributes. Plain Lit templates, no Storybook:
 * the tests import this file without Storybook's runtime.
 *
 * A notice given as a URL goes in the `notice` attribute, as a page writes
 * it; a notice document (an object) goes in the property.
 */
import { html, nothing } from 'lit';
import type { NoticeDocument } from '@akkoord/core/notice';

export type NoticeInput = string | NoticeDocument | object;
/** The host's credentials for the receiver, as `credentials` takes them. */
export type Credentials = () => HeadersInit | Promise<HeadersInit>;

interface Common {
  notice?: NoticeInput;
  lang?: string;
}

interface WithReceiver {
  endpoint?: string;
  subject?: string;
  credentials?: Credentials;
}

const noticeAttribute = (notice: NoticeInput | undefined) => (typeof notice === 'string' ? notice : nothing);
const attribute = (value: string | number | undefined) => (value === undefined || value === '' ? nothing : value);

export interface BannerArgs extends Common, Omit<WithReceiver, 'credentials'> {
  privacyHref?: string;
  className?: string;
  /** The settings button's corner: `end` (the default) or `start`. */
  settingsPosition?: 'start' | 'end' | '';
  /** `hidden`: no settings button; the host opens the preferences with `openPreferences()`. */
  settingsControl?: 'hidden' | '';
}

export const consentBanner = ({ notice, lang, subject, endpoint, privacyHref, className, settingsPosition, settingsControl }: BannerArgs) => html`<consent-banner
  class=${attribute(className)}
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  subject=${attribute(subject)}
  endpoint=${attribute(endpoint)}
  lang=${attribute(lang)}
  privacy-href=${attribute(privacyHref)}
  settings-position=${attribute(settingsPosition)}
  settings-control=${attribute(settingsControl)}
></consent-banner>`;

export interface PreferencesArgs extends Common, Omit<WithReceiver, 'credentials'> {
  headingLevel?: number;
}

export const consentPreferences = ({ notice, lang, subject, endpoint, headingLevel }: PreferencesArgs) => html`<consent-preferences
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  subject=${attribute(subject)}
  endpoint=${attribute(endpoint)}
  lang=${attribute(lang)}
  heading-level=${attribute(headingLevel)}
></consent-preferences>`;

export interface NoticeArgs extends Common {
  headingLevel?: number;
  className?: string;
}

export const privacyNotice = ({ notice, lang, headingLevel, className }: NoticeArgs) => html`<privacy-notice
  class=${attribute(className)}
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  lang=${attribute(lang)}
  heading-level=${attribute(headingLevel)}
></privacy-notice>`;

export interface RightsArgs extends Common, WithReceiver {
  headingLevel?: number;
}

export const privacyRights = ({ notice, lang, headingLevel, endpoint, subject, credentials }: RightsArgs) => html`<privacy-rights
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  endpoint=${attribute(endpoint)}
  subject=${attribute(subject)}
  .credentials=${credentials}
  lang=${attribute(lang)}
  heading-level=${attribute(headingLevel)}
></privacy-rights>`;

export interface HistoryArgs extends Common, WithReceiver {
  headingLevel?: number;
}

export const consentHistory = ({ notice, lang, headingLevel, endpoint, subject, credentials }: HistoryArgs) => html`<consent-history
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  endpoint=${attribute(endpoint)}
  subject=${attribute(subject)}
  .credentials=${credentials}
  lang=${attribute(lang)}
  heading-level=${attribute(headingLevel)}
></consent-history>`;

export interface EmbedArgs extends Common, Omit<WithReceiver, 'credentials'> {
  purpose?: string;
  embedSrc?: string;
  provider?: string;
  title?: string;
  allow?: string;
  referrerPolicy?: string;
  width?: number;
  height?: number;
}

export const consentEmbed = ({ notice, lang, subject, endpoint, purpose, embedSrc, provider, title, allow, referrerPolicy, width, height }: EmbedArgs) => html`<consent-embed
  notice=${noticeAttribute(notice)}
  .notice=${notice}
  subject=${attribute(subject)}
  endpoint=${attribute(endpoint)}
  lang=${attribute(lang)}
  purpose=${attribute(purpose)}
  embed-src=${attribute(embedSrc)}
  provider=${attribute(provider)}
  title=${attribute(title)}
  allow=${attribute(allow)}
  referrerpolicy=${attribute(referrerPolicy)}
  width=${attribute(width)}
  height=${attribute(height)}
></consent-embed>`;
