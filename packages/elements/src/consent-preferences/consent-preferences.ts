import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { FirstLayer, LegalBasis, NoticeDocument } from '@akkoord/core/notice';
import type { Decision } from '@akkoord/core/consent';
import { str } from '@lit/localize';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { catalogs } from '../generated/catalogs/consent-preferences.js';
import { ConsentBinding } from '../shared/consent-binding.js';
import { noticeError } from '../shared/notice-states.js';
// Loaded with the element, not after its notice: it always needs the controller.
import '../shared/controller-link.js';
import { devLater } from '../shared/dev-later.js';
import { basisLabel } from '../shared/legal-basis.js';
import { heading } from '../shared/blocks.js';
import { richText } from '../shared/rich-text.js';
import { styles } from './consent-preferences.styles.js';

/**
 * Purpose-level consent: one switch per consent purpose, each with what it
 * means for the person, and the purposes that rest on another legal basis
 * listed beside them, without a switch. *Save*, *accept all* and *reject
 * all*; a status message says when the choices are saved.
 *
 * Used in the banner's dialog, and on its own on a customer's account page
 * (give it the customer's `subject`). Elements that name the same notice and
 * subject share one controller: a change here shows in the banner at once,
 * and in the page's other tabs.
 *
 * @tagname consent-preferences
 * @summary Purpose-level consent switches, beside the purposes on other legal bases.
 *
 * @attr notice - URL of the notice's `manifest.json` or first-layer file, or of a notice document; `.notice` also takes the object.
 * @attr endpoint - The receiver's URL, where receipts go.
 * @attr subject - The customer's id; else a pseudonym kept in this browser.
 * @attr cookie-domain - The registrar's domain (`example.nl`) whose hosts share one decision, as on `<consent-banner>`.
 * @attr heading-level - Level of the element's heading (1–6, default 2).
 * @attr lang - Language (BCP 47).
 *
 * @fires consent-change - `ConsentChangeEvent`, once per change on the page.
 * @fires consent-error - `ConsentErrorEvent`.
 * @fires consent-preferences-saved - `Event`: a choice was saved (*save*, *accept all*, *reject all*); the status says what.
 *
 * @csspart base - The root.
 * @csspart heading - The heading.
 * @csspart gpc-note - Says that a Global Privacy Control signal was honoured.
 * @csspart purpose - One consent purpose with its switch.
 * @csspart switch - A purpose's switch (`<input type="checkbox" role="switch">`).
 * @csspart other-purposes - The purposes on another legal basis.
 * @csspart actions - Save, accept all, reject all.
 * @csspart save-button - *Save*.
 * @csspart accept-button - *Accept all*.
 * @csspart reject-button - *Reject all*.
 * @csspart status - The message after saving (`role=status`).
 * @csspart error - The notice could not load (`role=alert`).
 * @csspart error-details - The `<details>` with the issues, for developers.
 * @csspart retry-button - Loads the notice again after a failed fetch.
 */
export class ConsentPreferences extends LitElement {
  static override styles = styles;

  @property({ attribute: 'notice', converter: { fromAttribute: (v: string | null) => v ?? undefined } })
  notice?: string | FirstLayer | NoticeDocument;

  @property() endpoint?: string;
  @property() subject?: string;
  /**
   * The host's credentials for the receiver (headers, e.g. `Authorization`),
   * for the signed-in `subject`: the controller reads the customer's consent
   * there, so every device shows the same choices.
   */
  @property({ attribute: false }) credentials?: () => HeadersInit | Promise<HeadersInit>;
  /** The registrar's domain whose hosts share one decision, through a small cookie on it (as on `<consent-banner>`). */
  @property({ attribute: 'cookie-domain' }) cookieDomain?: string;
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  @property({ reflect: true }) override lang!: string;

  /** The switches as the person set them, not yet saved. */
  @state() private draft: Record<string, Decision> = {};
  /** Whether to say "saved": the text itself is rendered in the element's language. */
  @state() private saved = false;

  private readonly locale = new LocaleController(this, 'consent-preferences', catalogs);
  private readonly consent = new ConsentBinding(this);
  private seen?: object;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.consent.controller?.removeEventListener('consent-change', this.resetDraft);
    this.seen = undefined;
  }

  protected override willUpdate(): void {
    devLater((checks) => checks.checkHeadingLevel(this));
    this.consent.update(this.locale.requested);
    const controller = this.consent.controller;
    if (controller && this.consent.ready && this.seen !== controller) {
      this.seen = controller;
      this.draft = { ...controller.decisions };
      controller.addEventListener('consent-change', this.resetDraft);
    }
  }

  /** A change from anywhere (the banner, another tab, the host's code) shows at once. */
  private readonly resetDraft = () => {
    this.draft = { ...(this.consent.controller?.decisions ?? {}) };
  };

  protected override render() {
    const layer = this.consent.layer;
    const controller = this.consent.controller;
    const shown = this.locale.show(this.locale.choose(layer?.locales, layer?.locale));
    if (shown && this.consent.error) {
      const error = this.consent.error;
      return renderInLocale(shown.ui, () => html`<div part="base">${noticeError(error, () => this.consent.retry())}</div>`);
    }
    if (!layer || !controller || !shown || !this.consent.ready) return nothing;
    const consentPurposes = layer.purposes.filter((p) => p.legalBasis === 'consent');
    const others = layer.purposes.filter((p) => p.legalBasis !== 'consent');
    return renderInLocale(shown.ui, () => html`
      <div part="base" lang=${layer.locale}>
        ${heading(
          this.headingLevel,
          consentPurposes.length ? msg('Your choices', { id: 'prefs.title' }) : msg('How we use your data', { id: 'prefs.title-none' }),
          { part: 'heading' },
        )}
        ${controller.gpcHonoured
          ? html`<p part="gpc-note" role="note">
              ${msg('Your browser sends a Global Privacy Control signal, so we have turned marketing off. You can still switch it on.', { id: 'banner.gpc' })}
            </p>`
          : nothing}
        ${consentPurposes.length
          ? html`<p>${msg('You decide per purpose. Nothing is on until you switch it on, and you can switch it off at any time.', { id: 'prefs.intro' })}</p>`
          : html`<p>${msg('This website asks no consent: every purpose rests on another legal basis.', { id: 'prefs.none' })}</p>`}
        ${consentPurposes.map((purpose) => {
          const on = this.draft[purpose.id] === 'granted';
          return html`
            <div part="purpose" class="purpose">
              <label>
                <input
                  part="switch"
                  type="checkbox"
                  role="switch"
                  aria-checked=${on ? 'true' : 'false'}
                  aria-describedby="description-${purpose.id}"
                  .checked=${on}
                  @change=${(event: Event) => this.toggle(purpose.id, (event.target as HTMLInputElement).checked)}
                />
                <span class="title">${purpose.title}</span>
              </label>
              <p id="description-${purpose.id}">${purpose.description ? richText(purpose.description, layer.policyUrl) : nothing}</p>
            </div>
          `;
        })}
        ${others.length
          ? html`<div part="other-purposes">
              ${heading(this.headingLevel + 1, msg('Without a choice: purposes on another legal basis', { id: 'prefs.others' }))}
              ${byBasis(others).map(
                ([basis, purposes]) => html`
                  <p class="basis" data-basis=${basis}><strong>${basisLabel(basis)}</strong></p>
                  <ul class="titles">
                    ${purposes.map((p) => html`<li>${p.title}</li>`)}
                  </ul>
                `,
              )}
            </div>`
          : nothing}
        ${consentPurposes.length
          ? html`<div part="actions" class="actions">
              <button part="save-button" class="choice" type="button" @click=${this.save}>${msg('Save choices', { id: 'prefs.save' })}</button>
              <button part="accept-button" class="choice" type="button" @click=${() => this.all('accept')}>
                ${msg('Accept all', { id: 'consent.accept-all' })}
              </button>
              <button part="reject-button" class="choice" type="button" @click=${() => this.all('reject')}>
                ${msg('Reject all', { id: 'consent.reject-all' })}
              </button>
            </div>`
          : nothing}
        <p part="status" role="status">${this.saved ? [msg('Your choices have been saved.', { id: 'prefs.saved' }), ' ', this.savedSummary(layer)] : nothing}</p>
      </div>
    `);
  }

  private toggle(id: string, on: boolean): void {
    this.draft = { ...this.draft, [id]: on ? 'granted' : 'denied' };
    this.saved = false;
  }

  private readonly save = async () => {
    const controller = this.consent.controller;
    if (!controller) return;
    // Every switch as shown is the decision: one left off is a refusal, never a grant.
    const decisions = Object.fromEntries(controller.consentPurposes.map((id) => [id, this.draft[id] ?? 'denied'])) as Record<string, Decision>;
    await controller.save(decisions, { source: 'user' });
    this.announceSaved();
  };

  private async all(choice: 'accept' | 'reject'): Promise<void> {
    const controller = this.consent.controller;
    if (!controller) return;
    await (choice === 'accept' ? controller.acceptAll({ source: 'user' }) : controller.rejectAll({ source: 'user' }));
    this.announceSaved();
  }

  private announceSaved(): void {
    this.saved = true;
    // The banner's dialog closes on this and passes the status on to the page.
    void this.updateComplete.then(() => this.dispatchEvent(new Event('consent-preferences-saved', { bubbles: true })));
  }

  /** What was saved, in a sentence: the purposes now consented to, or none. */
  private savedSummary(layer: FirstLayer): string {
    const granted = layer.purposes.filter((p) => p.legalBasis === 'consent' && this.consent.controller?.isGranted(p.id)).map((p) => p.title);
    return granted.length
      ? msg(str`With your consent: ${granted.join(', ')}.`, { id: 'prefs.saved-granted' })
      : msg('You have given no consent.', { id: 'prefs.saved-none' });
  }
}

/**
 * Purposes grouped by legal basis, in the order the notice first names each basis: one short
 * block per basis, as the banner shows them, so the choices are not behind a line per purpose.
 */
function byBasis<P extends { legalBasis: LegalBasis }>(purposes: readonly P[]): [LegalBasis, P[]][] {
  const groups = new Map<LegalBasis, P[]>();
  for (const purpose of purposes) groups.set(purpose.legalBasis, [...(groups.get(purpose.legalBasis) ?? []), purpose]);
  return [...groups];
}
