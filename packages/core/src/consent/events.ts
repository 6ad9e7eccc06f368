/**
 * The events of Akkoord: small classes, bubbling and composed so that a host
 * can listen on any ancestor, through shadow roots. The controller dispatches
 * them on itself; elements dispatch them again on themselves.
 *
 * `ConsentErrorEvent` has a module of its own: an element reports a notice
 * that does not load before the controller is there, so the error event is
 * on the banner's first load and these two are not.
 */
import type { ConsentErrorEvent } from './error-event.js';
import type { ChangeSource, ConsentMethod, Decision } from './types.js';
import type { ConsentModeState } from './consent-mode-signals.js';

export { ConsentErrorEvent, type ConsentErrorCode } from './error-event.js';

export class ConsentChangeEvent extends Event {
  static readonly type = 'consent-change';
  constructor(
    readonly noticeId: string,
    readonly decisions: Readonly<Record<string, Decision>>,
    readonly method: ConsentMethod | undefined,
    readonly source: ChangeSource,
    /**
     * Google Consent Mode's signals for these decisions, when the notice maps
     * its purposes to them: what the Consent Mode adapter sends as `update`.
     */
    readonly consentMode?: ConsentModeState,
  ) {
    super(ConsentChangeEvent.type, { bubbles: true, composed: true });
  }

  /** A copy to dispatch again from another target (events dispatch once). */
  clone(): ConsentChangeEvent {
    return new ConsentChangeEvent(this.noticeId, this.decisions, this.method, this.source, this.consentMode);
  }
}

/**
 * What a sync did:
 * - `stored`: a receipt of this browser reached the receiver and came back countersigned;
 * - `rebased`: the same, but another device of the person had decided in between, so this
 *   browser built its receipt on that device's (the receiver keeps both, in one chain; which
 *   decision is in force follows the rule in the README's "One consent per customer");
 * - `restored`: the receiver held a later decision (another device, the back office), and
 *   this browser took it over, from its countersigned receipt.
 */
export type SyncOutcome = 'stored' | 'rebased' | 'restored';

/** A receipt and its countersignature, as the receiver holds them. */
export class ConsentSyncEvent extends Event {
  static readonly type = 'consent-sync';
  constructor(
    readonly receiptId: string,
    readonly receiptHash: string,
    readonly countersignature: string,
    readonly outcome: SyncOutcome = 'stored',
  ) {
    super(ConsentSyncEvent.type, { bubbles: true, composed: true });
  }

  clone(): ConsentSyncEvent {
    return new ConsentSyncEvent(this.receiptId, this.receiptHash, this.countersignature, this.outcome);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'consent-change': ConsentChangeEvent;
    'consent-error': ConsentErrorEvent;
    'consent-sync': ConsentSyncEvent;
  }
}
