/**
 * Global Privacy Control: the browser's signal, and the purposes it turns
 * off (consent purposes of direct marketing). One rule for the controller,
 * which writes those refusals, and for the banner, which must wait for them.
 */
import type { ConsentNotice } from './types.js';

/** `navigator.globalPrivacyControl === true`. */
export function globalPrivacyControl(): boolean {
  return typeof navigator !== 'undefined' && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

/** The ids of the purposes a GPC signal turns off. */
export function gpcPurposes(notice: Pick<ConsentNotice, 'purposes'>): string[] {
  return notice.purposes.flatMap((p) => (p.legalBasis === 'consent' && p.category === 'direct-marketing' && p.id ? [p.id] : []));
}
