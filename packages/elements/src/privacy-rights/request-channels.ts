/**
 * The request channels the notice declares, each with what the person needs
 * to use it: a self-service link, an e-mail address, a postal address with
 * the documents to enclose, or the note on sending online.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { LocalizedChannel } from '@akkoord/core/notice';
import { msg } from '../localization.js';
import { addressLines, heading, lines } from '../shared/blocks.js';
import { link, richText } from '../shared/rich-text.js';
import { enclosures } from './rights-text.js';

/** Where the channels are shown: the notice's page and locale, and the host's receiver and customer. */
export interface ChannelPage {
  policyUrl?: string;
  locale: string;
  endpoint?: string;
  subject?: string;
}

export function renderChannel(channel: LocalizedChannel, level: number, page: ChannelPage): TemplateResult {
  switch (channel.type) {
    case 'self-service':
      return html`<div part="channel" data-channel="self-service">
        ${heading(level, channel.label)}
        <p>${richText(channel.instructions, page.policyUrl)}</p>
        <p>${link(channel.label, channel.url, 'self-service-link')}</p>
      </div>`;
    case 'email':
      return html`<div part="channel" data-channel="email">
        ${heading(level, msg('By e-mail', { id: 'requests.email' }))}
        <p>${richText(channel.instructions, page.policyUrl)}</p>
        <p>${link(channel.address, `mailto:${channel.address}`)}</p>
        ${channel.proofOfIdentity ? html`<p class="note">${richText(channel.proofOfIdentity, page.policyUrl)}</p>` : nothing}
      </div>`;
    case 'postal':
      return html`<div part="channel" data-channel="postal">
        ${heading(level, msg('By post', { id: 'requests.postal' }))}
        <p>${richText(channel.instructions, page.policyUrl)}</p>
        <p>${msg('Send your letter to:', { id: 'requests.recipient' })}</p>
        <address>
          <strong>${channel.recipient.name}</strong><br />
          ${lines(addressLines(channel.recipient.address, page.locale))}
        </address>
        ${channel.registeredMail ? html`<p><strong>${msg('Send it by registered post.', { id: 'requests.registered' })}</strong></p>` : nothing}
        ${channel.formUrl ? html`<p>${link(msg('The registrar’s own form', { id: 'requests.form-link' }), channel.formUrl)}</p>` : nothing}
        <p>${msg('Enclose:', { id: 'requests.enclose' })}</p>
        <ul>
          ${enclosures(channel).map((item) => html`<li>${item}</li>`)}
        </ul>
        ${channel.enclosures?.length
          ? nothing
          : html`<p class="note">
              ${msg('The privacy notice does not say which documents to enclose; this is what organisations usually ask for.', {
                id: 'requests.enclose.default-note',
              })}
            </p>`}
      </div>`;
    case 'online':
      return html`<div part="channel" data-channel="online">
        ${heading(level, msg('Online', { id: 'requests.online' }))}
        <p>${richText(channel.instructions, page.policyUrl)}</p>
        ${page.endpoint && page.subject
          ? html`<p class="note">
              ${msg('You send this as the signed-in customer, so no other proof of identity is needed unless we ask for it.', {
                id: 'requests.online.identity',
              })}
            </p>`
          : page.endpoint
            ? html`<p class="note">${msg('To send a request online, sign in first.', { id: 'requests.sign-in' })}</p>`
            : nothing}
      </div>`;
    default:
      return html``;
  }
}
