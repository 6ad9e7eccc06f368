/**
 * The request as an e-mail: a `mailto:` link with subject and body in the
 * person's language, and the same text to copy, for an e-mail program the
 * link does not reach.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { str } from '@lit/localize';
import type { LocalizedChannel, LocalizedNotice } from '@akkoord/core/notice';
import type { RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';
import { heading } from '../shared/blocks.js';
import type { PreparedRequest } from './letter.js';
import type { Values } from './request-form.js';
import { answerLine, customerNumberLine, requestSentence, requestSubject } from './rights-text.js';

/** Whether the text was copied, or selected for the person to copy. */
export type CopyStatus = '' | 'copied' | 'selected';

export interface CopyView {
  status: CopyStatus;
  onCopy: () => void;
}

export function renderEmail(view: LocalizedNotice, prepared: PreparedRequest, level: number, copy: CopyView): TemplateResult {
  const channel = view.requestChannels.find((c): c is Extract<LocalizedChannel, { type: 'email' }> => c.type === 'email');
  if (!channel) return html``;
  const { subject, body } = emailText(prepared.values, channel);
  // RFC 6068: line breaks in a mailto body are CRLF.
  const href = `mailto:${channel.address}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body.replace(/\n/g, '\r\n'))}`;
  const address = channel.address;
  return html`<section part="email-draft" aria-labelledby="email-title">
    ${heading(level, msg('Your e-mail, ready to send', { id: 'email.title' }), { id: 'email-title' })}
    <p><a part="mailto-link" href=${href}>${msg(str`Open it in your e-mail program (to ${address})`, { id: 'email.open' })}</a></p>
    <label for="email-text">${msg('Or copy the text into an e-mail yourself:', { id: 'email.text-label' })}</label>
    <textarea part="email-text" id="email-text" readonly rows="12" .value=${`${subject}\n\n${body}`}></textarea>
    <button part="copy-button" class="secondary" type="button" @click=${copy.onCopy}>${msg('Copy the text', { id: 'email.copy' })}</button>
    <p role="status" class="copy-status">
      ${copy.status === 'copied'
        ? msg('The text is copied.', { id: 'email.copied' })
        : copy.status === 'selected'
          ? msg('The text is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.', { id: 'email.copy-manual' })
          : nothing}
    </p>
  </section>`;
}

/** The e-mail's subject and body, in the person's language. */
export function emailText(v: Values, channel: Extract<LocalizedChannel, { type: 'email' }>): { subject: string; body: string } {
  const right = v.right as RequestableRight;
  const paragraphs = [
    msg('Dear Sir or Madam,', { id: 'letter.greeting' }),
    requestSentence(right),
    ...(v.message.trim() ? [`${msg('In my own words:', { id: 'letter.details' })}\n${v.message.trim()}`] : []),
    ...(v.customerNumber.trim() ? [customerNumberLine(v.customerNumber)] : []),
    answerLine(v.email),
    ...(channel.proofOfIdentity ? [msg('If you need proof of my identity, please tell me what you need.', { id: 'email.identity' })] : []),
    `${msg('Yours faithfully,', { id: 'letter.closing' })}\n${v.name.trim()}`,
  ];
  return { subject: requestSubject(right), body: paragraphs.join('\n\n') };
}

/**
 * Copies the e-mail's text. Without clipboard access (an older browser, an
 * insecure page, a refused permission) it selects the text for the person.
 */
export async function copyText(area: HTMLTextAreaElement): Promise<CopyStatus> {
  try {
    await navigator.clipboard.writeText(area.value);
    return 'copied';
  } catch {
    area.focus();
    area.select();
    return 'selected';
  }
}
