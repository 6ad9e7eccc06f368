/**
 * `privacy-request`: the person prepared or sent a request to use a right.
 * It says which right and through which channel, never the person's details,
 * so that a host can count requests without receiving personal data.
 */
import type { RequestableRight } from '@akkoord/core/rights';

export type RequestChannelType = 'postal' | 'email' | 'online';

export class PrivacyRequestEvent extends Event {
  static readonly type = 'privacy-request';
  constructor(
    /** `postal`: a letter is ready to print; `email`: an e-mail is ready; `online`: the receiver stored the request. */
    readonly channel: RequestChannelType,
    readonly right: RequestableRight,
    /** For `online`: the receiver's reference for the request. */
    readonly requestId?: string,
  ) {
    super(PrivacyRequestEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'privacy-request': PrivacyRequestEvent;
  }
}
