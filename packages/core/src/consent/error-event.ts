/** `consent-error`: something failed, said in a code and a developer message; see events.ts. */
export type ConsentErrorCode =
  | 'notice-fetch-failed'
  | 'notice-invalid'
  | 'storage-unavailable'
  | 'storage-write-failed'
  | 'record-invalid'
  | 'record-tampered'
  | 'script-failed'
  | 'script-blocked'
  | 'receipt-rejected'
  | 'sync-failed'
  | 'insecure-context'
  | 'embed-invalid';

export class ConsentErrorEvent extends Event {
  static readonly type = 'consent-error';
  constructor(
    readonly code: ConsentErrorCode,
    readonly message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(ConsentErrorEvent.type, { bubbles: true, composed: true });
  }

  clone(): ConsentErrorEvent {
    return new ConsentErrorEvent(this.code, this.message, this.issues);
  }
}
