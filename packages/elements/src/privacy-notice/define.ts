/**
 * Registers `<privacy-notice>`. A registrar may load Akkoord twice (a tag
 * manager and an npm build): the first registration wins, and a different
 * class already holding the tag gets a warning instead of an exception.
 */
import { PrivacyNotice } from './privacy-notice.js';

const tag = 'privacy-notice';
const existing = customElements.get(tag);
if (!existing) {
  customElements.define(tag, PrivacyNotice);
} else if (existing !== PrivacyNotice) {
  console.warn(`<${tag}> is already defined by another script (another copy or version of Akkoord?); keeping that one.`);
}

declare global {
  interface HTMLElementTagNameMap {
    'privacy-notice': PrivacyNotice;
  }
}

export { PrivacyNotice };
