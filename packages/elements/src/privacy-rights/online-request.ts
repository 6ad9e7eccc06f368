/**
 * The request sent online, for a signed-in customer: `POST
 * {endpoint}/requests` through `@akkoord/core/requests`, with the host's
 * credentials, and what came of it, said to the person. Only for a notice
 * that declares an online channel, with an endpoint and a subject.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { str } from '@lit/localize';
import type { LocalizedNotice } from '@akkoord/core/notice';
import type { RightsRequest } from '@akkoord/core/requests';
import type { RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';
import type { Values } from './request-form.js';

export type Online =
  | { state: 'idle' }
  | { state: 'sending' }
  | { state: 'received'; requestId: string; receivedAt: string }
  | { state: 'forbidden' | 'failed' | 'rejected' };

/** The request the receiver's contract asks for, from the form. */
export function rightsRequest(view: LocalizedNotice, right: RequestableRight, subject: string, v: Values): RightsRequest {
  return {
    noticeId: view.id,
    right,
    subject,
    details: {
      name: v.name.trim(),
      email: v.email.trim(),
      ...(v.customerNumber.trim() && { customerNumber: v.customerNumber.trim() }),
    },
    ...(v.message.trim() && { message: v.message.trim() }),
    identityProof: 'signed-in',
    ...(/^[a-z]{2,3}(-[A-Z]{2})?$/.test(view.locale) && { locale: view.locale }),
  };
}

export interface SendOptions {
  endpoint: string;
  credentials?: () => HeadersInit | Promise<HeadersInit>;
  /** The Idempotency-Key of this request's earlier tries, if any: a retry is not counted twice. */
  key?: string;
}

/** Sends it; resolves to what to show and the key to reuse for a retry. Never rejects. */
export async function sendOnline(request: RightsRequest, { endpoint, credentials, key }: SendOptions): Promise<{ online: Online; key?: string }> {
  try {
    const { sendRightsRequest, newRequestKey } = await import('@akkoord/core/requests');
    key ??= newRequestKey();
    const result = await sendRightsRequest({ endpoint, credentials, request, key });
    if (result.kind === 'received') {
      return { online: { state: 'received', requestId: result.answer.requestId, receivedAt: result.answer.receivedAt }, key };
    }
    return { online: { state: result.kind === 'forbidden' ? 'forbidden' : result.kind === 'rejected' ? 'rejected' : 'failed' }, key };
  } catch {
    return { online: { state: 'failed' }, key };
  }
}

export function renderOnlineStatus(online: Online, locale: string): TemplateResult {
  let content: unknown = nothing;
  switch (online.state) {
    case 'sending':
      content = msg('Sending your request…', { id: 'online.sending' });
      break;
    case 'received': {
      const date = formatDateTime(new Date(online.receivedAt), locale);
      content = html`${msg(str`We received your request on ${date}.`, { id: 'online.received' })}
        ${msg('Keep this reference:', { id: 'online.reference' })} <strong part="request-id">${online.requestId}</strong>`;
      break;
    }
    case 'forbidden':
      content = msg('You are not signed in as this customer, so the request was not sent. Sign in and try again.', { id: 'online.forbidden' });
      break;
    case 'rejected':
      content = msg('The request was not accepted. Check what you filled in, or use another way to make it.', { id: 'online.rejected' });
      break;
    case 'failed':
      content = msg('The request could not be sent. Try again in a moment; if it did arrive, it is not counted twice.', { id: 'online.failed' });
      break;
  }
  return html`<p part="online-status" class="online-status ${online.state}" role="status">${content}</p>`;
}

function formatDateTime(date: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}
