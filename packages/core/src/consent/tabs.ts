/**
 * Tabs of one origin tell each other about decisions, so that a decision or a
 * withdrawal shows everywhere at once, without a reload.
 */
import type { ConsentRecord } from './types.js';

export const CHANNEL_NAME = 'akkoord-consent';

export interface TabMessage {
  noticeId: string;
  subject: string;
  record: ConsentRecord;
}

export class TabChannel {
  #channel?: BroadcastChannel;

  constructor(onMessage: (message: TabMessage) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(CHANNEL_NAME);
    this.#channel.onmessage = (event: MessageEvent) => {
      const data = event.data as Partial<TabMessage> | null;
      if (data && typeof data.noticeId === 'string' && typeof data.subject === 'string') onMessage(data as TabMessage);
    };
  }

  post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel or an uncloneable value must not break a decision.
    }
  }

  close(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }
}
