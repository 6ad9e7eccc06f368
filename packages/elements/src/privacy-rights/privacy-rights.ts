import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { str } from '@lit/localize';
import type { LocalizedChannel, LocalizedNotice, NoticeDocument, RightId } from '@akkoord/core/notice';
import { ARTICLE_OF_RIGHT, REQUESTABLE_RIGHTS, applicableRights, purposesWithRight, rightsForBasis, type RequestableRight } from '@akkoord/core/rights';
import type { RightsRequest } from '@akkoord/core/sync';
import { LocaleController, msg, renderInLocale, type LocaleChoice } from '../localization.js';
import { catalogs } from '../generated/catalogs/privacy-rights.js';
import { addressLines, heading, lines } from '../shared/blocks.js';
import { NoticeDocumentController } from '../shared/notice-document.js';
import { NoticeLoadError } from '../shared/fetch-json.js';
import { basisLabel } from '../shared/legal-basis.js';
import { link, richText } from '../shared/rich-text.js';
import { PrivacyRequestEvent, type RequestChannelType } from './events.js';
import { articleLabel, meansLabel, requestSentence, requestSubject, rightExplanation, rightName } from './rights-text.js';
import { styles } from './privacy-rights.styles.js';

const isRequestable = (right: string): right is RequestableRight => (REQUESTABLE_RIGHTS as readonly string[]).includes(right);

/** Where the EU's data protection authorities are listed: a person may complain where they live or work (art. 77). */
const EDPB_MEMBERS = 'https://www.edpb.europa.eu/about-edpb/about-edpb/members_en';

type Field = 'right' | 'name' | 'email' | 'customerNumber' | 'street' | 'postalCode' | 'locality' | 'country' | 'message';
type Values = Record<Field, string>;
const EMPTY: Values = { right: '', name: '', email: '', customerNumber: '', street: '', postalCode: '', locality: '', country: '', message: '' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a field; the message is looked up when rendering, in the element's language. */
type FieldError = 'required' | 'right' | 'email';

type Online =
  | { state: 'idle' }
  | { state: 'sending' }
  | { state: 'received'; requestId: string; receivedAt: string }
  | { state: 'forbidden' | 'failed' | 'rejected' };

/**
 * The person's rights under the GDPR, from the notice document, and how to
 * use them through the channels the notice declares.
 *
 * Every right that applies to at least one purpose is explained in plain
 * words in the page's language, with the notice's own text about it, the
 * article, and the purposes it applies to. Which rights apply to a purpose
 * follows its legal basis (the DPV mapping in `@akkoord/core/rights`): a
 * purpose under a legal obligation alone offers no portability, erasure or
 * objection. The right to object comes first, under its own heading and
 * apart from the others (art. 21(4)). The complaint names the supervisory
 * authorities of the notice with their contact details, and says that a
 * person may also complain where they live or work.
 *
 * Requests go only where the notice says, one form for all channels:
 * - `postal`: the form is checked on screen and becomes a letter to print
 *   (A4: when printing, only the letter shows), with the registrar's
 *   address, registered post if asked, the documents to enclose (the
 *   notice's `enclosures`, else a copy of an identity document) and a
 *   signature line;
 * - `email`: a `mailto:` link with subject and body in the person's
 *   language, and the same text to copy;
 * - `self-service`: a link to the registrar's own application;
 * - `online`: `POST {endpoint}/requests` with the host's `credentials`, for a
 *   signed-in customer (`subject`); the answer's reference is shown to keep.
 *   Only when the notice declares an online channel AND `endpoint` is set.
 *
 * The page's other content still prints around the letter: a host page
 * that wants the letter alone on paper hides its own content in print.
 *
 * @tagname privacy-rights
 * @summary The GDPR rights per purpose, the supervisory authority, and requests through the registrar's channels.
 *
 * @attr notice - URL of the notice's `manifest.json` or of a notice document; the `.notice` property also takes the document.
 * @attr endpoint - The receiver's URL, for an `online` request channel (https, or http on localhost).
 * @attr subject - The signed-in customer's id: online requests are about this subject.
 * @attr heading-level - Level of the element's top heading (1–6, default 2).
 * @attr lang - Language (BCP 47); else `setLocale()`, the nearest `[lang]`, the browser's languages, the notice's default.
 *
 * @fires privacy-request - `PrivacyRequestEvent`: a letter or e-mail was prepared, or an online request was received (`channel`, `right`, `requestId`); no personal data.
 * @fires consent-error - `ConsentErrorEvent`: the notice could not be fetched or is invalid.
 *
 * @csspart base - The root; carries the shown language in `lang`.
 * @csspart status - The loading message.
 * @csspart error - The error message (`role=alert`).
 * @csspart heading - The top heading.
 * @csspart intro - The introduction.
 * @csspart objection - The right to object, apart from the others.
 * @csspart rights - The other rights.
 * @csspart right - One right (`data-right` names it).
 * @csspart right-title - A right's heading.
 * @csspart article - A right's GDPR article.
 * @csspart explanation - A right's plain explanation.
 * @csspart notice-text - What the notice says about a right.
 * @csspart scope - The purposes a right applies to.
 * @csspart request-button - Starts a request for this right.
 * @csspart authority - A supervisory authority with its contact details.
 * @csspart by-purpose - The rights of each purpose (`<details>`).
 * @csspart requests - How to make a request: the channels and the form.
 * @csspart refused - The means the registrar does not accept.
 * @csspart channel - One request channel (`data-channel` is its type).
 * @csspart self-service-link - The link to the registrar's own application.
 * @csspart request-form - The request form.
 * @csspart field-error - A field's error message.
 * @csspart form-error - The message above the form when fields need attention.
 * @csspart action - The form's buttons (prepare the letter, prepare the e-mail, send).
 * @csspart letter-section - The prepared letter with its print button.
 * @csspart letter - The letter itself: the only thing that prints.
 * @csspart print-button - Prints the letter.
 * @csspart email-draft - The prepared e-mail.
 * @csspart mailto-link - Opens the e-mail in the person's e-mail program.
 * @csspart email-text - The e-mail's text, to copy.
 * @csspart copy-button - Copies the e-mail's text.
 * @csspart online-status - The online request's outcome (`role=status`).
 * @csspart request-id - The reference of a received online request.
 *
 * @cssprop [--akkoord-color-objection=#0550ae] - The border that sets the right to object apart (dark: #79c0ff).
 * @cssprop [--akkoord-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--akkoord-color-text=#1f2328] - Text (dark: #e6edf3).
 * @cssprop [--akkoord-color-text-muted=#4e5661] - Secondary text (dark: #a7b0bb).
 * @cssprop [--akkoord-color-background=#ffffff] - Background (dark: #0d1117).
 * @cssprop [--akkoord-color-surface=#f3f5f7] - Background of boxes (dark: #161b22).
 * @cssprop [--akkoord-color-border=#6e7781] - Borders and fields (dark: #8b949e).
 * @cssprop [--akkoord-color-link=#0550ae] - Links (dark: #79c0ff).
 * @cssprop [--akkoord-color-error=#a40e26] - Error messages and invalid fields (dark: #ffa198).
 * @cssprop [--akkoord-color-button=#0550ae] - Buttons (dark: #79c0ff).
 * @cssprop [--akkoord-color-button-text=#ffffff] - Button text (dark: #0d1117).
 * @cssprop [--akkoord-focus-ring-color=#0550ae] - Focus ring (dark: #79c0ff).
 * @cssprop [--akkoord-space=1rem] - Spacing unit.
 * @cssprop [--akkoord-radius=0.375rem] - Corner radius.
 */
export class PrivacyRights extends LitElement {
  static override styles = styles;

  /** The notice: a URL (manifest or document, relative to `document.baseURI`) or a notice document. */
  @property({ attribute: 'notice', converter: { fromAttribute: (value: string | null) => value ?? undefined } })
  notice?: string | NoticeDocument;

  /** The receiver, for a notice with an `online` request channel. */
  @property() endpoint?: string;

  /** The signed-in customer's id: what an online request is about. */
  @property() subject?: string;

  /**
   * The host's credentials for online requests: headers to send with them,
   * e.g. `() => ({ Authorization: 'Bearer …' })`. The receiver's `authorize`
   * hook must admit them for `subject`.
   */
  @property({ attribute: false }) credentials?: () => HeadersInit | Promise<HeadersInit>;

  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  @property({ reflect: true }) override lang!: string;

  @state() private values: Values = { ...EMPTY };
  @state() private errors: Partial<Record<Field, FieldError>> = {};
  /** The letter or e-mail made from the form, as it was when prepared. */
  @state() private prepared?: { channel: 'postal' | 'email'; values: Values; date: Date };
  @state() private online: Online = { state: 'idle' };
  @state() private copyStatus: '' | 'copied' | 'selected' = '';

  private readonly locale = new LocaleController(this, 'privacy-rights', catalogs);
  // A form filled in for one notice does not carry over to another.
  private readonly content = new NoticeDocumentController(this, this.locale, () => this.resetForm());
  /** One Idempotency-Key per online request, the same for its retries; a changed form is a new request. */
  private requestKey?: string;

  /** Resolves once the notice has loaded and rendered in the current language: `true`, or `false` on error. */
  get loadComplete(): Promise<boolean> {
    return this.content.loadComplete;
  }

  /** The notice's locale and the UI locale to render in. */
  private get shown(): LocaleChoice | undefined {
    return this.content.shown;
  }

  /** The notice in the shown locale, once loaded. */
  private get view(): LocalizedNotice | undefined {
    return this.content.view;
  }

  private resetForm(): void {
    this.values = { ...EMPTY };
    this.errors = {};
    this.prepared = undefined;
    this.online = { state: 'idle' };
    this.requestKey = undefined;
  }

  protected override render() {
    const shown = this.shown;
    if (!shown) return nothing;
    return renderInLocale(shown.ui, () => {
      const content = this.content.task.render({
        pending: () => html`<p part="status" role="status">${msg('Loading the privacy notice…', { id: 'notice.loading' })}</p>`,
        complete: () => (this.view ? this.renderRights(this.view) : nothing),
        error: (error) => this.renderError(error),
      });
      return html`<div part="base" class=${this.prepared?.channel === 'postal' ? 'has-letter' : ''} lang=${shown.content ?? shown.ui}>
        ${content}
      </div>`;
    });
  }

  private get level(): number {
    const level = Math.trunc(Number(this.headingLevel));
    return level >= 1 && level <= 6 ? level : 2;
  }

  // -------------------------------------------------------------------------
  // The rights

  private renderRights(view: LocalizedNotice): TemplateResult {
    const level = this.level;
    const applicable = applicableRights(view.purposes);
    const objection = applicable.includes('objection') || view.rights.some((r) => r.right === 'objection');
    const others = applicable.filter((right) => right !== 'objection');
    return html`
      ${heading(level, msg('Your privacy rights', { id: 'rights.title' }), { part: 'heading' })}
      <p part="intro">
        ${msg(
          'Using these rights is free. We answer within one month; for complex requests we may take two months longer, and then we tell you so within the first month.',
          { id: 'rights.intro' },
        )}
      </p>

      ${objection
        ? html`<section part="objection" class="objection" aria-labelledby="right-objection">
            ${this.renderRight(view, 'objection', level + 1)}
          </section>`
        : nothing}

      <section part="rights" aria-labelledby="other-rights">
        ${heading(level + 1, objection ? msg('Your other rights', { id: 'rights.others' }) : msg('Your rights', { id: 'rights.all' }), {
          id: 'other-rights',
        })}
        ${others.map((right) => html`<div part="right" class="right" data-right=${right}>${this.renderRight(view, right, level + 2)}</div>`)}
      </section>

      <details part="by-purpose">
        <summary>${msg('Which rights apply to each purpose', { id: 'rights.by-purpose' })}</summary>
        <ul class="purposes">
          ${view.purposes.map(
            (purpose) => html`<li data-purpose=${purpose.id} data-basis=${purpose.legalBasis}>
              <strong>${purpose.title}</strong> <span class="basis">${basisLabel(purpose.legalBasis)}</span>
              <ul class="purpose-rights">
                ${rightsForBasis(purpose.legalBasis).map((right) => html`<li data-right=${right}>${rightName(right)}</li>`)}
              </ul>
            </li>`,
          )}
        </ul>
      </details>

      ${this.renderRequests(view)}
    `;
  }

  private renderRight(view: LocalizedNotice, right: RightId, level: number): TemplateResult {
    const declared = view.rights.find((r) => r.right === right);
    const titleId = `right-${right}`;
    const purposes = purposesWithRight(view.purposes, right);
    const canRequest = isRequestable(right) && this.formActions(view).length > 0;
    const title = right === 'objection' && !declared ? msg('Your right to object', { id: 'rights.objection.title' }) : (declared?.title ?? rightName(right));
    return html`
      ${heading(level, title, { id: titleId, part: 'right-title' })}
      <p part="article" class="article">${articleLabel(ARTICLE_OF_RIGHT[right])}</p>
      <p part="explanation">${rightExplanation(right)}</p>
      ${declared ? html`<p part="notice-text" class="notice-text">${richText(declared.description, view.policyUrl)}</p>` : nothing}
      ${this.renderScope(view, right, purposes)}
      ${right === 'complaint' ? this.renderAuthorities(view) : nothing}
      ${canRequest
        ? html`<button part="request-button" class="secondary" type="button" aria-describedby=${titleId} @click=${() => this.chooseRight(right as RequestableRight)}>
            ${right === 'objection' ? msg('Object', { id: 'rights.object-button' }) : msg('Make a request', { id: 'rights.request-button' })}
          </button>`
        : nothing}
    `;
  }

  private renderScope(view: LocalizedNotice, right: RightId, purposes: LocalizedNotice['purposes']): unknown {
    if (right === 'complaint') return nothing;
    if (purposes.length === view.purposes.length) {
      return html`<p part="scope">${msg('Applies to everything we use your data for.', { id: 'rights.scope.all' })}</p>`;
    }
    if (right === 'objection') {
      return html`<div part="scope">
        <p>${msg('You can object to our use of your data for:', { id: 'rights.objection.applies' })}</p>
        <ul>
          ${purposes.map((p) => html`<li data-purpose=${p.id}>${p.title}</li>`)}
        </ul>
      </div>`;
    }
    const count = purposes.length;
    const total = view.purposes.length;
    return html`<details part="scope">
      <summary>${msg(str`Applies to ${count} of our ${total} purposes`, { id: 'rights.scope.some' })}</summary>
      <ul>
        ${purposes.map((p) => html`<li data-purpose=${p.id}>${p.title}</li>`)}
      </ul>
    </details>`;
  }

  private renderAuthorities(view: LocalizedNotice): TemplateResult {
    return html`
      ${view.supervisoryAuthorities.map(
        (authority) => html`<address part="authority" data-country=${authority.country}>
          <strong>${authority.name}</strong><br />
          ${authority.address ? html`${lines(addressLines(authority.address, view.locale))}<br />` : nothing}
          ${lines(
            [authority.email ? link(authority.email, `mailto:${authority.email}`) : undefined, link(authority.url, authority.url)].filter(
              (item) => item !== undefined,
            ),
          )}
        </address>`,
      )}
      <p>
        ${msg('You may also complain to the authority of the EU country where you live, where you work, or where the infringement took place.', {
          id: 'rights.complaint.where',
        })}
        ${link(msg('All data protection authorities in the EU', { id: 'rights.complaint.list' }), EDPB_MEMBERS)}
      </p>
    `;
  }

  // -------------------------------------------------------------------------
  // Requests

  /** The form's actions: the channels that take a request made here. */
  private formActions(view: LocalizedNotice): RequestChannelType[] {
    const actions: RequestChannelType[] = [];
    for (const channel of view.requestChannels) {
      if (channel.type === 'postal' || channel.type === 'email') actions.push(channel.type);
      // Online only where the notice declares it AND the host gave a receiver and a signed-in customer.
      else if (channel.type === 'online' && this.endpoint && this.subject) actions.push('online');
    }
    return [...new Set(actions)];
  }

  private requestable(view: LocalizedNotice): RequestableRight[] {
    return applicableRights(view.purposes).filter(isRequestable);
  }

  private renderRequests(view: LocalizedNotice): TemplateResult {
    const level = this.level + 1;
    const refused = view.refusedRequestMeans;
    const listFormat = (items: string[]) => {
      try {
        return new Intl.ListFormat(this.shown?.ui ?? 'en', { type: 'disjunction' }).format(items);
      } catch {
        return items.join(', ');
      }
    };
    const actions = this.formActions(view);
    const controller = view.controller.name;
    return html`
      <section part="requests" aria-labelledby="requests-title">
        ${heading(level, msg('Making a request', { id: 'requests.title' }), { id: 'requests-title' })}
        ${refused.length
          ? html`<p part="refused">${msg(str`${controller} does not accept requests ${listFormat(refused.map(meansLabel))}.`, { id: 'requests.refused' })}</p>`
          : nothing}
        ${view.requestChannels.map((channel) => this.renderChannel(channel, level + 1))}
        ${actions.length ? this.renderForm(view, actions, level + 1) : nothing}
        ${this.prepared?.channel === 'postal' ? this.renderLetter(view, level + 1) : nothing}
        ${this.prepared?.channel === 'email' ? this.renderEmail(view, level + 1) : nothing}
        ${actions.includes('online') ? this.renderOnlineStatus() : nothing}
      </section>
    `;
  }

  private renderChannel(channel: LocalizedChannel, level: number): TemplateResult {
    switch (channel.type) {
      case 'self-service':
        return html`<div part="channel" data-channel="self-service">
          ${heading(level, channel.label)}
          <p>${richText(channel.instructions, this.view?.policyUrl)}</p>
          <p>${link(channel.label, channel.url, 'self-service-link')}</p>
        </div>`;
      case 'email':
        return html`<div part="channel" data-channel="email">
          ${heading(level, msg('By e-mail', { id: 'requests.email' }))}
          <p>${richText(channel.instructions, this.view?.policyUrl)}</p>
          <p>${link(channel.address, `mailto:${channel.address}`)}</p>
          ${channel.proofOfIdentity ? html`<p class="note">${richText(channel.proofOfIdentity, this.view?.policyUrl)}</p>` : nothing}
        </div>`;
      case 'postal':
        return html`<div part="channel" data-channel="postal">
          ${heading(level, msg('By post', { id: 'requests.postal' }))}
          <p>${richText(channel.instructions, this.view?.policyUrl)}</p>
          <p>${msg('Send your letter to:', { id: 'requests.recipient' })}</p>
          <address>
            <strong>${channel.recipient.name}</strong><br />
            ${lines(addressLines(channel.recipient.address, this.view?.locale ?? 'en'))}
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
          <p>${richText(channel.instructions, this.view?.policyUrl)}</p>
          ${this.endpoint && this.subject
            ? html`<p class="note">
                ${msg('You send this as the signed-in customer, so no other proof of identity is needed unless we ask for it.', {
                  id: 'requests.online.identity',
                })}
              </p>`
            : this.endpoint
              ? html`<p class="note">${msg('To send a request online, sign in first.', { id: 'requests.sign-in' })}</p>`
              : nothing}
        </div>`;
      default:
        return html``;
    }
  }

  private renderForm(view: LocalizedNotice, actions: RequestChannelType[], level: number): TemplateResult {
    const postal = actions.includes('postal');
    const addressRequired = postal && actions.length === 1;
    const errorText = (error: FieldError | undefined) => {
      switch (error) {
        case 'required':
          return msg('Fill in this field.', { id: 'form.error.required' });
        case 'right':
          return msg('Choose a right.', { id: 'form.error.right' });
        case 'email':
          return msg('Enter an e-mail address such as name@example.com.', { id: 'form.error.email' });
        default:
          return '';
      }
    };
    const field = (
      name: Field,
      label: string,
      options: { type?: 'text' | 'email'; required?: boolean; autocomplete?: 'off' | 'name' | 'email' | 'street-address' | 'postal-code' | 'address-level2' | 'country-name'; hint?: string } = {},
    ) => {
      const error = this.errors[name];
      const describedBy = [options.hint ? `hint-${name}` : '', error ? `error-${name}` : ''].filter(Boolean).join(' ');
      return html`<div class="field">
        <label for="field-${name}">${label}${options.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
        ${options.hint ? html`<p class="hint" id="hint-${name}">${options.hint}</p>` : nothing}
        ${name === 'message'
          ? html`<textarea
              id="field-${name}"
              name=${name}
              rows="5"
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy || nothing}
              .value=${this.values[name]}
              @input=${this.onInput}
            ></textarea>`
          : html`<input
              id="field-${name}"
              name=${name}
              type=${options.type ?? 'text'}
              autocomplete=${options.autocomplete ?? 'off'}
              ?required=${options.required ?? false}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy || nothing}
              .value=${this.values[name]}
              @input=${this.onInput}
            />`}
        ${error ? html`<p part="field-error" class="field-error" id="error-${name}">${errorText(error)}</p>` : nothing}
      </div>`;
    };
    const rightError = this.errors.right;
    return html`<form part="request-form" novalidate aria-labelledby="form-title" @submit=${this.onSubmit}>
      ${heading(level, msg('Your request', { id: 'form.title' }), { id: 'form-title' })}
      <p class="hint">${msg('Fields marked with * are required.', { id: 'form.required-note' })}</p>
      ${Object.keys(this.errors).length
        ? html`<p part="form-error" class="form-error" role="alert">${msg('Check the fields marked below.', { id: 'form.error.summary' })}</p>`
        : nothing}
      <div class="field">
        <label for="field-right">${msg('Which right do you want to use?', { id: 'form.right' })}<span class="required" aria-hidden="true"> *</span></label>
        <select
          id="field-right"
          name="right"
          required
          aria-invalid=${rightError ? 'true' : 'false'}
          aria-describedby=${rightError ? 'error-right' : nothing}
          @change=${this.onInput}
        >
          <option value="" ?selected=${!this.values.right}>${msg('Choose a right', { id: 'form.right.choose' })}</option>
          ${this.requestable(view).map(
            (right) => html`<option value=${right} ?selected=${this.values.right === right}>${rightName(right)} (${articleLabel(ARTICLE_OF_RIGHT[right])})</option>`,
          )}
        </select>
        ${rightError ? html`<p part="field-error" class="field-error" id="error-right">${errorText(rightError)}</p>` : nothing}
      </div>
      ${field('name', msg('Your name', { id: 'form.name' }), { required: true, autocomplete: 'name' })}
      ${field('email', msg('Your e-mail address, for the answer', { id: 'form.email' }), { type: 'email', required: true, autocomplete: 'email' })}
      ${field('customerNumber', msg('Customer number (if you have one)', { id: 'form.customer-number' }))}
      ${postal
        ? html`<fieldset>
            <legend>${msg('Your postal address', { id: 'form.address' })}</legend>
            ${addressRequired ? nothing : html`<p class="hint">${msg('Needed for a letter.', { id: 'form.address-note' })}</p>`}
            ${field('street', msg('Street and number', { id: 'form.street' }), { required: addressRequired, autocomplete: 'street-address' })}
            ${field('postalCode', msg('Postal code', { id: 'form.postal-code' }), { autocomplete: 'postal-code' })}
            ${field('locality', msg('Town or city', { id: 'form.locality' }), { required: addressRequired, autocomplete: 'address-level2' })}
            ${field('country', msg('Country', { id: 'form.country' }), { required: addressRequired, autocomplete: 'country-name' })}
          </fieldset>`
        : nothing}
      ${field('message', msg('Your request in your own words (optional)', { id: 'form.message' }), {
        hint: msg('For a correction: what is wrong, and what is right. For an objection: your reasons, if you want to give them.', {
          id: 'form.message-hint',
        }),
      })}
      <div class="actions">
        ${actions.map((action) => {
          const label =
            action === 'postal'
              ? msg('Prepare the letter', { id: 'form.prepare-letter' })
              : action === 'email'
                ? msg('Prepare the e-mail', { id: 'form.prepare-email' })
                : msg('Send the request', { id: 'form.send-online' });
          return html`<button part="action" class="choice" type="submit" name="action" value=${action} data-action=${action}
            ?disabled=${action === 'online' && this.online.state === 'sending'}>${label}</button>`;
        })}
      </div>
    </form>`;
  }

  private renderLetter(view: LocalizedNotice, level: number): TemplateResult {
    const channel = view.requestChannels.find((c): c is Extract<LocalizedChannel, { type: 'postal' }> => c.type === 'postal');
    const prepared = this.prepared!;
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

  private renderEmail(view: LocalizedNotice, level: number): TemplateResult {
    const channel = view.requestChannels.find((c): c is Extract<LocalizedChannel, { type: 'email' }> => c.type === 'email');
    if (!channel) return html``;
    const { subject, body } = emailText(this.prepared!.values, channel);
    // RFC 6068: line breaks in a mailto body are CRLF.
    const href = `mailto:${channel.address}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body.replace(/\n/g, '\r\n'))}`;
    const address = channel.address;
    return html`<section part="email-draft" aria-labelledby="email-title">
      ${heading(level, msg('Your e-mail, ready to send', { id: 'email.title' }), { id: 'email-title' })}
      <p><a part="mailto-link" href=${href}>${msg(str`Open it in your e-mail program (to ${address})`, { id: 'email.open' })}</a></p>
      <label for="email-text">${msg('Or copy the text into an e-mail yourself:', { id: 'email.text-label' })}</label>
      <textarea part="email-text" id="email-text" readonly rows="12" .value=${`${subject}\n\n${body}`}></textarea>
      <button part="copy-button" class="secondary" type="button" @click=${this.copy}>${msg('Copy the text', { id: 'email.copy' })}</button>
      <p role="status" class="copy-status">
        ${this.copyStatus === 'copied'
          ? msg('The text is copied.', { id: 'email.copied' })
          : this.copyStatus === 'selected'
            ? msg('The text is selected: press Ctrl+C (or ⌘C on a Mac) to copy it.', { id: 'email.copy-manual' })
            : nothing}
      </p>
    </section>`;
  }

  private renderOnlineStatus(): TemplateResult {
    const online = this.online;
    let content: unknown = nothing;
    switch (online.state) {
      case 'sending':
        content = msg('Sending your request…', { id: 'online.sending' });
        break;
      case 'received': {
        const date = formatDateTime(new Date(online.receivedAt), this.view?.locale ?? 'en');
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

  private renderError(error: unknown): TemplateResult {
    const failure = error instanceof NoticeLoadError ? error : new NoticeLoadError('notice-invalid', String(error));
    return html`<div part="error" role="alert">
      <p>
        <strong>
          ${failure.code === 'notice-fetch-failed'
            ? msg('The privacy notice could not be loaded.', { id: 'notice.error.fetch' })
            : msg('The privacy notice could not be shown because it contains errors.', { id: 'notice.error.invalid' })}
        </strong>
        ${msg('Please try again later, or contact the owner of this website.', { id: 'notice.error.hint' })}
      </p>
      ${failure.code === 'notice-fetch-failed'
        ? html`<button class="secondary" type="button" @click=${() => this.content.task.run()}>${msg('Try again', { id: 'notice.error.retry' })}</button>`
        : nothing}
    </div>`;
  }

  // -------------------------------------------------------------------------
  // Form handling

  private readonly onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const name = target.name as Field;
    this.values = { ...this.values, [name]: target.value };
    if (this.errors[name]) {
      const { [name]: _fixed, ...rest } = this.errors;
      this.errors = rest;
    }
    this.requestKey = undefined; // another request now
    // A letter or e-mail always says what the form says: a changed form is prepared again.
    this.prepared = undefined;
    this.copyStatus = '';
  };

  /** Starts a request for this right: the form shows it, and focus moves there. */
  private async chooseRight(right: RequestableRight): Promise<void> {
    this.values = { ...this.values, right };
    if (this.errors.right) {
      const { right: _fixed, ...rest } = this.errors;
      this.errors = rest;
    }
    this.requestKey = undefined;
    this.prepared = undefined;
    await this.updateComplete;
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#field-right');
    if (select) {
      select.value = right;
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      select.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
      select.focus({ preventScroll: true });
    }
  }

  private validate(action: RequestChannelType): Partial<Record<Field, FieldError>> {
    const v = this.values;
    const errors: Partial<Record<Field, FieldError>> = {};
    if (!v.right) errors.right = 'right';
    if (!v.name.trim()) errors.name = 'required';
    if (!v.email.trim()) errors.email = 'required';
    else if (!EMAIL.test(v.email.trim())) errors.email = 'email';
    if (action === 'postal') {
      if (!v.street.trim()) errors.street = 'required';
      if (!v.locality.trim()) errors.locality = 'required';
      if (!v.country.trim()) errors.country = 'required';
    }
    return errors;
  }

  private readonly onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const action = ((event.submitter as HTMLButtonElement | null)?.value ?? '') as RequestChannelType;
    const view = this.view;
    if (!view || !this.formActions(view).includes(action)) return;
    const errors = this.validate(action);
    this.errors = errors;
    if (Object.keys(errors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const right = this.values.right as RequestableRight;
    if (action === 'online') {
      await this.send(view, right);
      return;
    }
    this.prepared = { channel: action, values: { ...this.values }, date: new Date() };
    this.copyStatus = '';
    this.dispatchEvent(new PrivacyRequestEvent(action, right));
    await this.updateComplete;
    const section = this.renderRoot.querySelector<HTMLElement>(action === 'postal' ? '[part="letter-section"]' : '[part="email-draft"]');
    const title = section?.querySelector<HTMLElement>('h1, h2, h3, h4, h5, h6');
    if (title) {
      title.tabIndex = -1;
      title.focus();
    }
  };

  /** `POST {endpoint}/requests`, only for a notice with an online channel (checked by `formActions`). */
  private async send(view: LocalizedNotice, right: RequestableRight): Promise<void> {
    const endpoint = this.endpoint;
    const subject = this.subject;
    if (!endpoint || !subject) return;
    const v = this.values;
    const request: RightsRequest = {
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
    this.online = { state: 'sending' };
    try {
      const { RequestClient, newRequestKey } = await import('@akkoord/core/sync/requests');
      const key = (this.requestKey ??= newRequestKey());
      const client = new RequestClient({ endpoint, headers: this.credentials });
      const result = await client.send(request, key);
      if (result.kind === 'received') {
        this.online = { state: 'received', requestId: result.answer.requestId, receivedAt: result.answer.receivedAt };
        const channel: RequestChannelType = 'online';
        this.dispatchEvent(new PrivacyRequestEvent(channel, right, result.answer.requestId));
      } else if (result.kind === 'forbidden') this.online = { state: 'forbidden' };
      else if (result.kind === 'rejected') this.online = { state: 'rejected' };
      else this.online = { state: 'failed' };
    } catch {
      this.online = { state: 'failed' };
    }
  }

  private readonly copy = async () => {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[part~="email-text"]');
    if (!area) return;
    try {
      await navigator.clipboard.writeText(area.value);
      this.copyStatus = 'copied';
    } catch {
      // No clipboard access (an older browser, an insecure page, a refused permission): select it for the person.
      area.focus();
      area.select();
      this.copyStatus = 'selected';
    }
  };
}

// ---------------------------------------------------------------------------

function enclosures(channel: Extract<LocalizedChannel, { type: 'postal' }>): string[] {
  if (channel.enclosures?.length) return channel.enclosures;
  // The notice names none: what registrars usually ask for (said so beside the list).
  return [
    msg('A copy of an identity document. You may black out the photo and your national identification number.', {
      id: 'requests.enclose.default',
    }),
  ];
}

function customerNumberLine(number: string): string {
  const value = number.trim();
  return msg(str`My customer number is ${value}.`, { id: 'letter.customer-number' });
}

function answerLine(email: string): string {
  const address = email.trim();
  return msg(str`Please send your answer to ${address}. The GDPR asks you to answer within one month (article 12(3)).`, {
    id: 'letter.answer-to',
  });
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


function formatDate(date: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

function formatDateTime(date: Date, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}
