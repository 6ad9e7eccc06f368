/**
 * The Kantara Consent Receipt 1.1 vocabulary we map onto: its purpose and
 * PII categories (numbered strings, as the specification writes them) and
 * the collection methods of our decisions.
 */
import type { ConsentMethod } from '../consent/types.js';
import type { PurposeCategory } from '../notice/schema.js';

export const KANTARA_VERSION = 'KI-CR-v1.1.0';

/** Kantara purpose categories (CR 1.1 appendix) for ours. */
export const PURPOSE_CATEGORY: Record<PurposeCategory, string> = {
  'service-provision': '2 - Contracted Service',
  'customer-communication': '4 - Contact Requested',
  'direct-marketing': '6 - Marketing',
  billing: '3 - Delivery',
  'legal-compliance': '12 - Legally Required Data Retention',
  security: '15 - Protecting Our Interests',
  research: '16 - Improve Performance',
  'service-development': '16 - Improve Performance',
  'business-management': '15 - Protecting Our Interests',
  recruitment: '2 - Contracted Service',
  employment: '2 - Contracted Service',
};

/** Kantara PII categories for the data category ids our notices use; others count as contact data. */
const PII_CATEGORY: Record<string, string> = {
  name: '1 - Biographical',
  'first-name': '1 - Biographical',
  gender: '1 - Biographical',
  'birth-date': '1 - Biographical',
  background: '1 - Biographical',
  language: '1 - Biographical',
  address: '2 - Contact',
  email: '2 - Contact',
  phone: '2 - Contact',
  correspondence: '4 - Communications/Social',
  'ip-address': '5 - Network/Service',
  'login-data': '5 - Network/Service',
  'domain-data': '5 - Network/Service',
  health: '6 - Health',
  'payment-data': '7 - Financial',
  'bank-account': '7 - Financial',
  'billing-data': '7 - Financial',
  'identity-document': '8 - Official ID',
  'physical-characteristics': '3 - Biometric',
  'contract-data': '11 - Asset',
  'employment-data': '12 - HR',
};

export function piiCategory(dataCategoryId: string): string {
  return PII_CATEGORY[dataCategoryId] ?? '2 - Contact';
}

export const COLLECTION_METHOD: Record<ConsentMethod, string> = {
  'accept-all': 'web banner: accept all',
  'reject-all': 'web banner: reject all',
  preferences: 'web form: privacy preferences',
  api: 'registrar application (API)',
  gpc: 'Global Privacy Control signal (default: denied)',
  'email-unsubscribe': 'e-mail: one-click unsubscribe link (RFC 8058)',
};
