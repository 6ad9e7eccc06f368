import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { FirstLayer, LegalBasis, NoticeDocument } from '@akkoord/core/notice';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { ConsentBinding } from '../shared/consent-binding.js';
import { basisGroupLabel } from '../shared/legal-basis.js';
import { pageLink, richText } from '../shared/rich-text.js';
import { styles } from './consent-banner.styles.js';

/**
 * The first layer of consent: who processes what and why, each purpose with
 * its legal basis, what a reader would not expect, how to withdraw, and
 * *accept all*, *reject all* and *choose*, as three equal buttons.
 *
 * It shows only when the person must be asked (no decision, an expired one,
 * or a material change of the notice). It is a non-modal region: the page
 * stays usable, and a focused element of the page is scrolled out from under
 * it. Only a click on a button decides; scrolling, Esc, waiting or clicking
 * elsewhere never do. After a decision it collapses to a small *privacy
 * settings* button that opens the preferences in a dialog, so withdrawing is
 * as easy as giving.
 *
 * @tagname consent-banner
 * @summary The consent banner: the first layer, and a persistent way back to the choices.
 *
 * @attr notice - URL of the notice's `manifest.json` or first-layer file (from `akkoord-notice build`), or of a notice document. The `.notice` property also takes the object.
 * @attr endpoint - The receiver's URL: every decision becomes a receipt sent there (https, or http on localhost).
 * @attr subject - The customer's id, when the host knows it; else a random pseudonym kept in this browser.
 * @attr privacy-href - Where the full privacy notice is (default: the notice's `policyUrl`).
 * @attr lang - Language (BCP 47); else the nearest `[lang]`, the browser's languages, the notice's default.
 *
 * @fires consent-change - `ConsentChangeEvent`: decisions, method and source (`user`, `api`, `restored`, `other-tab`).
 * @fires consent-sync - `ConsentSyncEvent`: a receipt came back countersigned.
 * @fires consent-error - `ConsentErrorEvent`: the notice could not load, storage failed, a receipt was refused.
 *
 * @csspart region - The banner (a labelled region).
 * @csspart title - Its heading.
 * @csspart body - The first layer's text.
 * @csspart purposes - The consent purposes.
 * @csspart other-purposes - The other purposes, grouped by legal basis.
 * @csspart gpc-note - Says that a Global Privacy Control signal was honoured.
 * @csspart links - Links to the rights and the full notice.
 * @csspart actions - The three choices.
 * @csspart accept-button - *Accept all*.
 * @csspart reject-button - *Reject all*.
 * @csspart choose-button - *Choose*: opens the preferences.
 * @csspart settings-button - The persistent *privacy settings* button after a decision.
 * @csspart dialog - The preferences dialog.
 * @csspart close-button - Closes the dialog; decides nothing.
 *
 * @cssprop [--akkoord-color-button=#0550ae] - Background of the three choices, the same for all three (dark: #79c0ff).
 * @cssprop [--akkoord-color-button-text=#ffffff] - Their text (dark: #0d1117).
 * @cssprop [--akkoord-banner-max-width=60rem] - The banner's width on large screens.
 */
export class ConsentBanner extends LitElement {
  static override styles = styles;

  @property({ attribute: 'notice', converter: { fromAttribute: (v: string | null) => v ?? undefined } })
  notice?: string | FirstLayer | NoticeDocument;

  @property() endpoint?: string;
  @property() subject?: string;
  @property({ attribute: 'privacy-href' }) privacyHref?: string;
  @property({ reflect: true }) override lang!: string;

  @state() private dialogOpen = false;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('[part="region"]') private region?: HTMLElement;

  private readonly locale = new LocaleController(this, 'consent-banner');
  private readonly consent = new ConsentBinding(this);
  private invoker?: HTMLElement;
  private resizer?: ResizeObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('focusin', this.keepFocusVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('focusin', this.keepFocusVisible);
    this.resizer?.disconnect();
  }

  protected override willUpdate(): void {
    this.consent.update(this.locale.requested);
  }

  protected override render() {
    const layer = this.consent.layer;
    const controller = this.consent.controller;
    const shown = this.locale.show(this.locale.choose(layer?.locales, layer?.locale));
    // Nothing until the notice and the stored decision are known: no flash of a banner that is not needed.
    if (!layer || !controller || !shown || !this.consent.ready) return nothing;
    return renderInLocale(shown.ui, () => html`
      <div lang=${layer.locale}>
        ${controller.needsDecision ? this.renderFirstLayer(layer) : this.renderSettingsButton()}
        ${this.renderDialog(layer)}
      </div>
    `);
  }

  protected override updated(): void {
    this.observePanel();
  }

  private renderFirstLayer(layer: FirstLayer) {
    const controller = this.consent.controller!;
    const consentPurposes = layer.purposes.filter((p) => p.legalBasis === 'consent');
    const otherPurposes = layer.purposes.filter((p) => p.legalBasis !== 'consent');
    const privacyHref = this.privacyHref || layer.policyUrl;
    const rep = layer.controller.representative;
    return html`
      <div class="spacer"></div>
      <section part="region" class="panel" aria-labelledby="title">
        <h2 id="title" part="title">${msg('Your privacy', { id: 'banner.title' })}</h2>
        <div part="body" class="body">
          <p>${richText(layer.summary.intro, privacyHref)}</p>
          <p>
            ${msg('Responsible:', { id: 'banner.controller' })} <strong>${layer.controller.name}</strong>${rep
              ? html`; ${msg('representative in the EU:', { id: 'banner.representative' })} ${rep.name}`
              : nothing}
          </p>
          ${consentPurposes.length
            ? html`<p>${msg('We ask your consent for:', { id: 'banner.consent-purposes' })}</p>
                <ul part="purposes">
                  ${consentPurposes.map((p) => html`<li data-basis="consent"><strong>${p.title}</strong></li>`)}
                </ul>`
            : nothing}
          ${otherPurposes.length
            ? html`<p>${msg('Without asking you, on another legal basis:', { id: 'banner.other-purposes' })}</p>
                <ul part="other-purposes">
                  ${byBasis(otherPurposes).map(
                    ([basis, purposes]) => html`<li data-basis=${basis}>
                      <strong>${basisGroupLabel(basis)}</strong> ${purposes.map((p) => p.title).join('; ')}
                    </li>`,
                  )}
                </ul>`
            : nothing}
          ${layer.summary.notable.length ? html`<ul>${layer.summary.notable.map((n) => html`<li>${richText(n, privacyHref)}</li>`)}</ul>` : nothing}
          <p>${richText(layer.summary.withdrawal, privacyHref)}</p>
          ${controller.gpcHonoured
            ? html`<p part="gpc-note" role="note">
                ${msg('Your browser sends a Global Privacy Control signal, so we have turned marketing off. You can still switch it on.', {
                  id: 'banner.gpc',
                })}
              </p>`
            : nothing}
          <p part="links">
            ${pageLink(msg('Your rights', { id: 'banner.rights' }), layer.rightsSectionId ? `${privacyHref}#${layer.rightsSectionId}` : privacyHref)}
            · ${pageLink(msg('Full privacy notice', { id: 'banner.full-notice' }), privacyHref)}
          </p>
        </div>
        <div part="actions" class="actions">
          <button part="accept-button" class="choice" type="button" @click=${() => this.decide('accept')}>
            ${msg('Accept all', { id: 'consent.accept-all' })}
          </button>
          <button part="reject-button" class="choice" type="button" @click=${() => this.decide('reject')}>
            ${msg('Reject all', { id: 'consent.reject-all' })}
          </button>
          <button part="choose-button" class="choice" type="button" aria-haspopup="dialog" @click=${this.openDialog}>
            ${msg('Choose', { id: 'banner.choose' })}
          </button>
        </div>
      </section>
    `;
  }

  private renderSettingsButton() {
    // The spacer keeps the page's last line clear of the fixed button.
    return html`<div class="settings-spacer"></div><button part="settings-button" class="choice settings" type="button" aria-haspopup="dialog" @click=${this.openDialog}>
      ${msg('Privacy settings', { id: 'banner.settings' })}
    </button>`;
  }

  private renderDialog(layer: FirstLayer) {
    // Esc fires `cancel` and closes the dialog: nothing is decided.
    return html`<dialog part="dialog" aria-labelledby="dialog-title" @close=${this.onDialogClose}>
      <div class="dialog-head">
        <h2 id="dialog-title">${msg('Privacy settings', { id: 'banner.settings' })}</h2>
        <button part="close-button" type="button" @click=${() => this.dialog?.close()}>${msg('Close', { id: 'banner.close' })}</button>
      </div>
      ${this.dialogOpen
        ? html`<consent-preferences .notice=${layer} .subject=${this.subject} .endpoint=${this.endpoint} lang=${layer.locale}></consent-preferences>`
        : nothing}
    </dialog>`;
  }

  private async decide(choice: 'accept' | 'reject'): Promise<void> {
    const controller = this.consent.controller;
    if (!controller) return;
    const hadFocus = this.matches(':focus-within');
    await (choice === 'accept' ? controller.acceptAll({ source: 'user' }) : controller.rejectAll({ source: 'user' }));
    await this.updateComplete;
    // The buttons are gone: focus goes to what replaced them, not to the page's start.
    if (hadFocus) this.renderRoot.querySelector<HTMLElement>('[part="settings-button"]')?.focus();
  }

  private readonly openDialog = async (event: Event) => {
    this.invoker = event.currentTarget as HTMLElement;
    // The preferences load on first use: they are not on the banner's first load.
    await import('../consent-preferences/define.js');
    this.dialogOpen = true;
    await this.updateComplete;
    this.dialog?.showModal(); // focus moves into the dialog; Tab stays there until it closes
  };

  private readonly onDialogClose = async () => {
    this.dialogOpen = false;
    await this.updateComplete;
    const back = this.invoker?.isConnected ? this.invoker : this.renderRoot.querySelector<HTMLElement>('[part="settings-button"], [part="choose-button"]');
    back?.focus();
  };

  /** The in-flow spacer keeps the page's end reachable above the fixed panel. */
  private observePanel(): void {
    const panel = this.region;
    if (!panel) return;
    // Set in the next frame: a layout change inside the observer's callback would loop.
    this.resizer ??= new ResizeObserver(() =>
      requestAnimationFrame(() => {
        const spacer = this.renderRoot.querySelector<HTMLElement>('.spacer');
        if (spacer) spacer.style.height = `${Math.ceil(this.region?.getBoundingClientRect().height ?? 0)}px`;
      }),
    );
    this.resizer.disconnect();
    this.resizer.observe(panel);
  }

  /** WCAG 2.4.11: a page element that gets focus is scrolled out from under the banner. */
  private readonly keepFocusVisible = (event: FocusEvent) => {
    const target = event.target as Element | null;
    const panel = this.region;
    if (!panel || !target || this.contains(target) || target === this) return;
    const overlap = target.getBoundingClientRect().bottom - panel.getBoundingClientRect().top;
    if (overlap > 0) window.scrollBy({ top: overlap + 8, behavior: 'instant' as ScrollBehavior });
  };
}

/** Purposes grouped by legal basis, in the order the notice first names each basis. */
function byBasis<P extends { legalBasis: LegalBasis }>(purposes: readonly P[]): [LegalBasis, P[]][] {
  const groups = new Map<LegalBasis, P[]>();
  for (const purpose of purposes) groups.set(purpose.legalBasis, [...(groups.get(purpose.legalBasis) ?? []), purpose]);
  return [...groups];
}
