/** Shared vocabulary of consent: no runtime code, so it costs the banner nothing. */

export type Decision = 'granted' | 'denied';

/**
 * How the decision was made; a receipt's collection method says the same.
 * `email-unsubscribe` is made by the receiver, never in a browser: the
 * person withdrew one purpose through a mail's one-click unsubscribe link.
 */
export type ConsentMethod = 'accept-all' | 'reject-all' | 'preferences' | 'api' | 'gpc' | 'email-unsubscribe';

/**
 * What caused a change: the person, the host's code, a stored record (or a
 * decision carried over at sign-in), another tab, or the receiver (a
 * decision made on another device or by the registrar's back office).
 */
export type ChangeSource = 'user' | 'api' | 'restored' | 'other-tab' | 'receiver';

/** Where decisions are kept; `memory` when IndexedDB cannot be used (private modes). */
export type StorageMode = 'indexeddb' | 'memory';

/**
 * What the controller needs to know of a notice: a subset that both the full
 * document and the banner's compact first-layer extract carry.
 */
export interface ConsentNotice {
  id: string;
  version: string;
  /** SHA-256 of the whole document: which text was shown. */
  hash: string;
  /** SHA-256 of the consent purposes only: a change here is material and asks again. */
  consentFingerprint: string;
  /**
   * Consent purposes need their id and category (GPC turns off the
   * direct-marketing ones), and the cookies and storage keys they declare
   * (deleted when the purpose is refused or withdrawn); the others none.
   */
  purposes: readonly ConsentNoticePurpose[];
  /** How long decisions are kept, when the notice says (else 12 months for a grant, 6 for a refusal). */
  consentLifetime?: ConsentLifetime;
}

/** In calendar months: after that the person is asked again. */
export interface ConsentLifetime {
  /** A decision that grants every consent purpose. */
  grantedMonths?: number;
  /** A decision that refuses one or more. */
  refusedMonths?: number;
}

export interface ConsentNoticePurpose {
  id?: string;
  legalBasis: string;
  category?: string;
  /** A name may be a pattern: `*` stands for any characters. Without domain, the page's host; without path, "/". */
  cookies?: readonly { name: string; domain?: string; path?: string }[];
  storage?: readonly { key: string; type: 'local' | 'session' }[];
  /** The Google Consent Mode signals this purpose covers (consent-mode-signals.ts). */
  consentMode?: readonly string[];
}

/** The pseudonym a decision was made under before sign-in, and that decision's receipt id. */
export interface CarriedOver {
  subject: string;
  receiptId: string;
}

/** One decision, as stored in IndexedDB (schema version 2). */
export interface ConsentRecord {
  schemaVersion: 2;
  subject: string;
  noticeId: string;
  noticeVersion: string;
  noticeHash: string;
  consentFingerprint: string;
  locale: string;
  decisions: Record<string, Decision>;
  method: ConsentMethod;
  /** Epoch milliseconds, UTC. */
  decidedAt: number;
  expiresAt: number;
  /** UUID v4 of the receipt this decision becomes. */
  receiptId: string;
  /** A decision made as a pseudonym, carried over to the customer at sign-in: where it came from. */
  carriedOver?: CarriedOver;
  /** A decision made on another host of the registrar and shared through its cookie (shared-decision.ts): that host. */
  sharedFrom?: { host: string };
  /** HMAC-SHA-256 over the canonical record without this field, base64url. */
  integrity: string;
}
