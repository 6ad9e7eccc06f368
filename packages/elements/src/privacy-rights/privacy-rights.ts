import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { str } from '@lit/localize';
import type { LocalizedNotice, NoticeDocument } from '@akkoord/core/notice';
import type { RequestableRight } from '@akkoord/core/rights';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { catalogs } from '../generated/catalogs/privacy-rights.js';
import { heading } from '../shared/blocks.js';
import { NoticeDocumentController } from '../shared/notice-document.js';
import { copyText, renderEmail, type CopyStatus } from './email-draft.js';
import { PrivacyRequestEvent, type RequestChannelType } from './events.js';
import { renderLetter, type PreparedRequest } from './letter.js';
import { renderOnlineStatus, rightsRequest, sendOnline, type Online } from './online-request.js';
import { printAlone } from './print-alone.js';
import { renderChannel } from './request-channels.js';
import { EMPTY, formActions, renderForm, validate, withoutError, type Field, type FieldErrors, type Values } from './request-form.js';
import { renderRights } from './rights-display.js';
import { meansLabel } from './rights-text.js';
import { styles } from './privacy-rights.styles.js';

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
 *   (on A4, alone: see below), with the registrar's
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
 * While a letter is prepared, printing gives the letter alone, whether
 * through its print button or the browser's own Print: the element hides
 * the rest of the page in print itself, also around it in a host
 * component's shadow root, and the host adds no CSS. On screen nothing
 * changes, and a changed form (no letter) prints the page as it is.
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
 * @csspart status - The loading message (`role=status`).
 * @csspart error - The error message (`role=alert`).
 * @csspart error-details - The `<details>` with the issues, for developers.
 * @csspart retry-button - Loads the notice again after a failed fetch.
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
  @state() private errors: FieldErrors = {};
  /** The letter or e-mail made from the form, as it was when prepared. */
  @state() private prepared?: PreparedRequest;
  @state() private online: Online = { state: 'idle' };
  @state() private copyStatus: CopyStatus = '';

  private readonly locale = new LocaleController(this, 'privacy-rights', catalogs);
  // A form filled in for one notice does not carry over to another.
  private readonly content = new NoticeDocumentController(this, this.locale, () => this.resetForm());
  /** One Idempotency-Key per online request, the same for its retries; a changed form is a new request. */
  private requestKey?: string;

  /** Resolves once the notice has loaded and rendered in the current language: `true`, or `false` on error. */
  get loadComplete(): Promise<boolean> {
    return this.content.loadComplete;
  }

  /** Undoes `printAlone` while a letter is prepared. */
  private releasePrint?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.prepared) this.requestUpdate(); // back on the page: `updated` takes the print again
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.holdPrint(false);
  }

  protected override updated(): void {
    this.holdPrint(this.prepared?.channel === 'postal' && this.isConnected);
  }

  /** While a letter is prepared, the page prints the letter alone. */
  private holdPrint(letter: boolean): void {
    if (letter && !this.releasePrint) this.releasePrint = printAlone(this);
    else if (!letter && this.releasePrint) {
      this.releasePrint();
      this.releasePrint = undefined;
    }
  }

  private resetForm(): void {
    this.values = { ...EMPTY };
    this.errors = {};
    this.prepared = undefined;
    this.online = { state: 'idle' };
    this.requestKey = undefined;
  }

  protected override render() {
    const shown = this.content.shown;
    if (!shown) return nothing;
    return renderInLocale(shown.ui, () => {
      const content = this.content.render((view) => html`
        ${renderRights(view, this.level, { possible: this.actions(view).length > 0, choose: (right) => void this.chooseRight(right) })}
        ${this.renderRequests(view)}
      `);
      return html`<div part="base" class=${this.prepared?.channel === 'postal' ? 'has-letter' : ''} lang=${shown.content ?? shown.ui}>
        ${content}
      </div>`;
    });
  }

  private get level(): number {
    const level = Math.trunc(Number(this.headingLevel));
    return level >= 1 && level <= 6 ? level : 2;
  }

  /** The form's actions; online only with a receiver and a signed-in customer. */
  private actions(view: LocalizedNotice): RequestChannelType[] {
    return formActions(view, Boolean(this.endpoint && this.subject));
  }

  private renderRequests(view: LocalizedNotice): TemplateResult {
    const level = this.level + 1;
    const refused = view.refusedRequestMeans;
    const listFormat = (items: string[]) => {
      try {
        return new Intl.ListFormat(this.content.shown?.ui ?? 'en', { type: 'disjunction' }).format(items);
      } catch {
        return items.join(', ');
      }
    };
    const actions = this.actions(view);
    const controller = view.controller.name;
    const page = { policyUrl: view.policyUrl, locale: view.locale, endpoint: this.endpoint, subject: this.subject };
    const prepared = this.prepared;
    return html`
      <section part="requests" aria-labelledby="requests-title">
        ${heading(level, msg('Making a request', { id: 'requests.title' }), { id: 'requests-title' })}
        ${refused.length
          ? html`<p part="refused">${msg(str`${controller} does not accept requests ${listFormat(refused.map(meansLabel))}.`, { id: 'requests.refused' })}</p>`
          : nothing}
        ${view.requestChannels.map((channel) => renderChannel(channel, level + 1, page))}
        ${actions.length
          ? renderForm({
              view,
              actions,
              level: level + 1,
              values: this.values,
              errors: this.errors,
              sending: this.online.state === 'sending',
              onInput: this.onInput,
              onSubmit: this.onSubmit,
            })
          : nothing}
        ${prepared?.channel === 'postal' ? renderLetter(view, prepared, level + 1) : nothing}
        ${prepared?.channel === 'email' ? renderEmail(view, prepared, level + 1, { status: this.copyStatus, onCopy: this.copy }) : nothing}
        ${actions.includes('online') ? renderOnlineStatus(this.online, view.locale) : nothing}
      </section>
    `;
  }

  // -------------------------------------------------------------------------
  // Form handling

  private readonly onInput = (event: Event) => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const name = target.name as Field;
    this.values = { ...this.values, [name]: target.value };
    this.errors = withoutError(this.errors, name);
    this.requestKey = undefined; // another request now
    // A letter or e-mail always says what the form says: a changed form is prepared again.
    this.prepared = undefined;
    this.copyStatus = '';
  };

  /** Starts a request for this right: the form shows it, and focus moves there. */
  private async chooseRight(right: RequestableRight): Promise<void> {
    this.values = { ...this.values, right };
    this.errors = withoutError(this.errors, 'right');
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

  private readonly onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const action = ((event.submitter as HTMLButtonElement | null)?.value ?? '') as RequestChannelType;
    const view = this.content.view;
    if (!view || !this.actions(view).includes(action)) return;
    const errors = validate(this.values, action);
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

  /** Sends the form online: only for a notice with an online channel (checked by `actions`). */
  private async send(view: LocalizedNotice, right: RequestableRight): Promise<void> {
    const endpoint = this.endpoint;
    const subject = this.subject;
    if (!endpoint || !subject) return;
    const request = rightsRequest(view, right, subject, this.values);
    this.online = { state: 'sending' };
    const { online, key } = await sendOnline(request, { endpoint, credentials: this.credentials, key: this.requestKey });
    this.requestKey = key;
    this.online = online;
    if (online.state === 'received') this.dispatchEvent(new PrivacyRequestEvent('online', right, online.requestId));
  }

  private readonly copy = async () => {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[part~="email-text"]');
    if (area) this.copyStatus = await copyText(area);
  };
}
