/**
 * The request as a letter to print: the sender, the registrar's postal
 * address (registered post if the notice asks it), the date, the request in
 * the person's language, the documents to enclose and a signature line.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { LocalizedChannel, LocalizedNotice } from '@akkoord/core/notice';
import type { RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';
import { addressLines, heading, lines } from '../shared/blocks.js';
import type { Values } from './request-form.js';
import { answerLine, customerNumberLine, enclosures, requestSentence, requestSubject } from './rights-text.js';

/** A letter or e-mail made from the form, as the form was when it was prepared. */
export interface PreparedRequest {
  channel: 'postal' | 'email';
  values: Values;
  date: Date;
}

export function renderLetter(view: LocalizedNotice, prepared: PreparedRequest, level: number): TemplateResult {
  const channel = view.requestChannels.find((c): c is Extract<LocalizedChannel, { type: 'postal' }> => c.type === 'postal');
  const v = prepared.values;
  const right = v.right as RequestableRight;
  const date = formatDate(prepared.date, view.locale);
  if (!channel) return html``;
  const sender = [v.name, v.street, [v.postalCode, v.locality].filter(Boolean).join(' '), v.country, v.email].filter(Boolean);
  return html`<section part="letter-section" aria-labelledby="letter-title">
    ${heading(level, msg('Your letter, ready to print', { id: 'letter.title' }), { id: 'letter-title' })}
    <p>${msg('Print the letter, sign it, enclose the documents it lists and send it.', { id: 'letter.steps' })}</p>
    <button part="print-button" class="choice" type="button" @click=${() => window.print()}>${msg('Print the letter', { id: 'letter.print' })}</button>
    <article part="letter" class="letter" aria-label=${requestSubject(right)}>
      <p class="sender">${lines(sender)}</p>
      <address class="recipient">
        ${channel.registeredMail ? html`<strong>${msg('By registered post', { id: 'letter.registered' })}</strong><br />` : nothing}
        ${channel.recipient.name}<br />
        ${lines(addressLines(channel.recipient.address, view.locale))}
      </address>
      <p class="date">${msg('Date:', { id: 'letter.date' })} ${date}</p>
      <p class="subject"><strong>${msg('Subject:', { id: 'letter.subject' })} ${requestSubject(right)}</strong></p>
      <p>${msg('Dear Sir or Madam,', { id: 'letter.greeting' })}</p>
      <p>${requestSentence(right)}</p>
      ${v.message.trim() ? html`<p>${msg('In my own words:', { id: 'letter.details' })}</p><p class="message">${v.message}</p>` : nothing}
      ${v.customerNumber.trim() ? html`<p>${customerNumberLine(v.customerNumber)}</p>` : nothing}
      <p>${answerLine(v.email)}</p>
      <p>${msg('Enclosed:', { id: 'letter.enclosed' })}</p>
      <ul>
        ${enclosures(channel).map((item) => html`<li>${item}</li>`)}
      </ul>
      <p>${msg('Yours faithfully,', { id: 'letter.closing' })}</p>
      <div class="signature">
        <span class="line" aria-hidden="true"></span>
        <span>${msg('Signature', { id: 'letter.signature' })}</span>
        <span>${v.name}</span>
      </div>
    </article>
  </section>`;
}

function formatDate(date: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}
