import { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
import type { FirstLayer, LegalBasis, NoticeDocument } from '@akkoord/core/notice';
import { LocaleController, msg, renderInLocale, type UiLocale } from '../localization.js';
import { catalogs } from '../generated/catalogs/consent-banner.js';
import { ConsentBinding } from '../shared/consent-binding.js';
import { ControllerHostElement } from '../shared/controller-host-element.js';
import { h, pageLinkNode, richTextNodes } from '../shared/rich-text-dom.js';
import { CHOICE_BUTTONS, TOKENS } from '../shared/theme.js';
import { basisGroupLabel } from './basis-groups.js';
import { BANNER_CSS } from './consent-banner.styles.js';
import type { PreferencesDialog } from './preferences-dialog.js';

type Notice = string | FirstLayer | NoticeDocument;
type View = 'ask' | 'settings';

let sheet: CSSStyleSheet | undefined;
/** One constructed sheet for every banner on the page. */
function bannerSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(TOKENS + CHOICE_BUTTONS + BANNER_CSS);
  }
  return sheet;
}

/**
 * The first layer of consent: who processes what and why, each purpose with
 * its legal basis, what a reader would not expect, how to withdraw, and
 * *accept all*, *reject all* and *choose*, as three equal buttons.
 *
 * It shows only when the person must be asked (no decision, an expired one,
 * or a material change of the notice). It is a non-modal region: the page
 * stays usable, and a focused element of the page is scrolled out from under
 * it. Only a click on a button decides; scrolling, Esc, waiting or clicking
 * elsewhere never do. After a decision it collapses to a small round
 * *privacy settings* button in a bottom corner that opens the preferences in
 * a dialog, so withdrawing is as easy as giving. The button keeps the page's
 * end clear of itself (an empty block of its height after the page's last
 * line), shows its name beside it on hover and keyboard focus, and takes the
 * theme's button colours. When a Global Privacy Control signal decided for
 * the visitor, a short note beside it says so (`role="status"`) until the
 * visitor dismisses it; it does not come back for that notice.
 *
 * A host that links to the preferences from its own page (a footer link)
 * hides the button with `settings-control="hidden"` and calls
 * `openPreferences()` from that link; focus goes back to the link when the
 * dialog closes.
 *
 * The dialog closes when the person saves, and a status beside the
 * settings button (`role="status"`) says what was saved.
 *
 * It paints with plain DOM, not Lit, so that a first visit shows after a few
 * kilobytes: the first-layer file, the UI strings and one IndexedDB read.
 * The consent controller loads once the banner is on screen (when the
 * browser is idle, or at once when the person reaches for a choice), and
 * the preferences (with Lit) only when *choose* opens them.
 *
 * @tagname consent-banner
 * @summary The consent banner: the first layer, and a persistent way back to the choices.
 *
 * @attr notice - URL of the notice's `manifest.json` or first-layer file (from `akkoord-notice build`), or of a notice document. The `.notice` property also takes the object.
 * @attr endpoint - The receiver's URL: every decision becomes a receipt sent there (https, or http on localhost).
 * @attr subject - The customer's id, when the host knows it; else a random pseudonym kept in this browser.
 * @attr privacy-href - Where the full privacy notice is (default: the notice's `policyUrl`).
 * @attr lang - Language (BCP 47); else the nearest `[lang]`, the browser's languages, the notice's default.
 * @attr settings-position - The corner of the *privacy settings* button: `end` (default: bottom right in a left-to-right page) or `start`.
 * @attr settings-control - `hidden`: no *privacy settings* button (nor its room at the page's end); the host calls `openPreferences()` from its own link instead.
 * @attr cookie-domain - The registrar's domain (`example.nl`) whose hosts share one decision, through a small cookie on it: a decision made on www holds on account too, and the newest wins. Give every consent element on every host the same value.
 *
 * @fires consent-change - `ConsentChangeEvent`: decisions, method and source (`user`, `api`, `restored`, `other-tab`, `receiver`).
 * @fires consent-sync - `ConsentSyncEvent`: a receipt came back countersigned.
 * @fires consent-error - `ConsentErrorEvent`: the notice could not load, storage failed, a receipt was refused.
 *
 * @csspart region - The banner (a labelled region).
 * @csspart title - Its heading.
 * @csspart body - The first layer's text.
 * @csspart purposes - The consent purposes.
 * @csspart more - The disclosure with the intro, the notable points and the other purposes.
 * @csspart other-purposes - The other purposes, grouped by legal basis.
 * @csspart gpc-note - Says that a Global Privacy Control signal was honoured.
 * @csspart links - Links to the rights and the full notice.
 * @csspart actions - The three choices.
 * @csspart accept-button - *Accept all*.
 * @csspart reject-button - *Reject all*.
 * @csspart choose-button - *Choose*: opens the preferences.
 * @csspart settings - The corner after a decision: the *privacy settings* button and the GPC note.
 * @csspart settings-button - The persistent *privacy settings* button after a decision (round; its name shows on hover and focus).
 * @csspart gpc-status - The note beside it that a Global Privacy Control signal decided (`role="status"`).
 * @csspart gpc-dismiss - Dismisses that note for good.
 * @csspart saved-status - After a save in the dialog, what was saved (`role="status"`).
 * @csspart dialog - The preferences dialog.
 * @csspart close-button - Closes the dialog; decides nothing.
 *
 * @cssprop [--akkoord-color-button=#0550ae] - Background of the three choices, the same for all three (dark: #79c0ff).
 * @cssprop [--akkoord-color-button-text=#ffffff] - Their text (dark: #0d1117).
 * @cssprop [--akkoord-banner-max-width=64rem] - The banner's width on large screens.
 * @cssprop [--akkoord-settings-offset=var(--akkoord-space)] - The *privacy settings* button's distance from the bottom and side of the window (raise it above a chat button, say); the room it keeps at the page's end grows with it.
 */
export class ConsentBanner extends ControllerHostElement {
  static readonly observedAttributes = ['notice', 'endpoint', 'subject', 'privacy-href', 'lang'];

  #notice?: Notice;
  #endpoint?: string;
  #subject?: string;
  #credentials?: () => HeadersInit | Promise<HeadersInit>;
  #privacyHref?: string;

  private readonly locale = new LocaleController(this, 'consent-banner', catalogs);
  private readonly consent = new ConsentBinding(this, { deferController: true });
  readonly #root: ShadowRoot;
  /** What is on screen now, so that an update that changes nothing leaves the DOM (and focus) alone. */
  #shown?: { key: string; layer: FirstLayer; ui: UiLocale };
  #content?: HTMLElement;
  #view?: HTMLElement;
  #dialog?: PreferencesDialog;
  #invoker?: HTMLElement;
  #deciding = false;
  #resizer?: ResizeObserver;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [bannerSheet()];
    this.adoptProperties(['notice', 'endpoint', 'subject', 'credentials', 'privacyHref']);
  }

  /** URL of a manifest, first-layer file or notice document; or the object itself. */
  get notice(): Notice | undefined {
    return this.#notice;
  }
  set notice(value: Notice | undefined) {
    this.#notice = value ?? undefined;
    this.requestUpdate();
  }

  get endpoint(): string | undefined {
    return this.#endpoint;
  }
  set endpoint(value: string | undefined) {
    this.#endpoint = value ?? undefined;
    this.requestUpdate();
  }

  get subject(): string | undefined {
    return this.#subject;
  }
  set subject(value: string | undefined) {
    this.#subject = value ?? undefined;
    this.requestUpdate();
  }

  /**
   * The host's credentials for the receiver (headers, e.g. `Authorization`),
   * for the signed-in `subject`: before it decides to show, the banner's
   * controller reads the customer's consent there.
   */
  get credentials(): (() => HeadersInit | Promise<HeadersInit>) | undefined {
    return this.#credentials;
  }
  set credentials(value: (() => HeadersInit | Promise<HeadersInit>) | undefined) {
    this.#credentials = value ?? undefined;
    this.requestUpdate();
  }

  get privacyHref(): string | undefined {
    return this.#privacyHref;
  }
  set privacyHref(value: string | undefined) {
    this.#privacyHref = value ?? undefined;
    this.requestUpdate();
  }

  override attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    const given = value ?? undefined;
    if (name === 'notice') this.notice = given;
    else if (name === 'endpoint') this.endpoint = given;
    else if (name === 'subject') this.subject = given;
    else if (name === 'privacy-href') this.privacyHref = given;
    else this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('focusin', this.#keepFocusVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('focusin', this.#keepFocusVisible);
    this.#resizer?.disconnect();
  }

  protected update(): void {
    this.consent.update(this.locale.requested);
    const layer = this.consent.layer;
    const shown = this.locale.show(this.locale.choose(layer?.locales, layer?.locale));
    // Nothing until the notice and the stored decision are known: no flash of a banner that is not needed.
    if (!layer || !shown || !this.consent.known) {
      this.#shown = undefined;
      this.#content?.remove();
      this.#content = this.#view = this.#dialog = undefined;
      this.#resizer?.disconnect();
      return;
    }
    const view: View = this.consent.needsDecision ? 'ask' : 'settings';
    const key = [view, shown.ui, this.consent.gpcHonoured, this.privacyHref].join('|');
    if (this.#shown?.key === key && this.#shown.layer === layer) return;
    this.#shown = { key, layer, ui: shown.ui };
    renderInLocale(shown.ui, () => this.#render(layer, view));
  }

  #render(layer: FirstLayer, view: View): void {
    if (!this.#content) {
      this.#view = h('div');
      this.#content = h('div', {}, this.#view);
      this.#root.append(this.#content);
    }
    this.#content.lang = layer.locale;
    // The button that had focus gets it back in the new DOM (a change of language re-renders the view);
    // after a decision, the choice that had it is gone, and the settings button gets it.
    const focused = (this.#root.activeElement as HTMLElement | null)?.getAttribute('part');
    const refocus = focused?.endsWith('-button') ? focused : undefined;
    if (view === 'ask') {
      this.#view!.replaceChildren(...this.#firstLayer(layer));
      if (refocus) this.#part(refocus)?.focus();
    } else this.#showSettings(refocus);
    this.#dialog?.update(this.#context(layer));
    this.#observePanel();
  }

  #firstLayer(layer: FirstLayer): Node[] {
    const consentPurposes = layer.purposes.filter((p) => p.legalBasis === 'consent');
    const otherPurposes = layer.purposes.filter((p) => p.legalBasis !== 'consent');
    const privacyHref = this.privacyHref || layer.policyUrl;
    const rep = layer.controller.representative;
    const rightsHref = layer.rightsSectionId ? `${privacyHref}#${layer.rightsSectionId}` : privacyHref;
    const region = h(
      'section',
      { part: 'region', class: 'panel', 'aria-labelledby': 'title' },
      h('h2', { id: 'title', part: 'title' }, msg('Your privacy', { id: 'banner.title' })),
      h(
        'div',
        { part: 'body', class: 'body' },
        h(
          'p',
          {},
          `${msg('Controller:', { id: 'banner.controller' })} `,
          h('strong', {}, layer.controller.name),
          rep && `; ${msg('representative:', { id: 'banner.representative' })} ${rep.name}${rep.country ? ` (${rep.country})` : ''}`,
        ),
        consentPurposes.length > 0 && h('p', {}, msg('We ask your consent for:', { id: 'banner.consent-purposes' })),
        consentPurposes.length > 0 &&
          h('ul', { part: 'purposes' }, ...consentPurposes.map((p) => h('li', { 'data-basis': 'consent' }, h('strong', {}, p.title)))),
        h('p', {}, ...richTextNodes(layer.summary.withdrawal, privacyHref)),
        // What the person reads before deciding stays in view; the rest (the intro, the
        // notable points, the purposes they need not decide) opens on request.
        h(
          'details',
          { part: 'more' },
          h('summary', {}, msg('More about your data', { id: 'banner.more' })),
          h('p', {}, ...richTextNodes(layer.summary.intro, privacyHref)),
          layer.summary.notable.length > 0 && h('ul', {}, ...layer.summary.notable.map((n) => h('li', {}, ...richTextNodes(n, privacyHref)))),
          otherPurposes.length > 0 && h('p', {}, msg('Without asking you, on another legal basis:', { id: 'banner.other-purposes' })),
          otherPurposes.length > 0 &&
            h(
              'ul',
              { part: 'other-purposes' },
              ...byBasis(otherPurposes).map(([basis, purposes]) =>
                h('li', { 'data-basis': basis }, h('strong', {}, basisGroupLabel(basis)), ` ${purposes.map((p) => p.title).join('; ')}`),
              ),
            ),
        ),
        this.consent.gpcHonoured &&
          h(
            'p',
            { part: 'gpc-note', role: 'note' },
            msg('Your browser sends a Global Privacy Control signal, so we have turned marketing off. You can still switch it on.', {
              id: 'banner.gpc',
            }),
          ),
        h(
          'p',
          { part: 'links' },
          pageLinkNode(msg('Your rights', { id: 'banner.rights' }), rightsHref),
          ' · ',
          pageLinkNode(msg('Full privacy notice', { id: 'banner.full-notice' }), privacyHref),
        ),
      ),
      h(
        'div',
        { part: 'actions', class: 'actions' },
        this.#button('accept-button', msg('Accept all', { id: 'consent.accept-all' }), () => this.#decide('accept')),
        this.#button('reject-button', msg('Reject all', { id: 'consent.reject-all' }), () => this.#decide('reject')),
        this.#button('choose-button', msg('Choose', { id: 'banner.choose' }), this.#openDialog, true),
      ),
    );
    // The person is about to choose: the controller starts loading now, not at the click.
    region.addEventListener('pointerover', this.#warmUp, { once: true });
    region.addEventListener('focusin', this.#warmUp, { once: true });
    return [h('div', { class: 'spacer' }), region];
  }

  /** The settings control is not on a first visit's first load: its module loads when it is first shown. */
  #showSettings(refocus?: string): void {
    const shown = this.#shown!;
    this.#view!.replaceChildren();
    void import('./settings-control.js').then(({ settingsControl }) => {
      if (this.#shown !== shown) return; // something else is on screen by now
      const gpcNoticeId = this.consent.gpcHonoured ? shown.layer.id : undefined;
      renderInLocale(shown.ui, () => this.#view!.replaceChildren(...settingsControl(this.#root, { open: this.#openDialog, gpcNoticeId })));
      if (refocus) this.#part('settings-button')!.focus();
    });
  }

  /**
   * Opens the preferences dialog, as the *privacy settings* button does: for a
   * host that hides the button (`settings-control="hidden"`) and opens the
   * preferences from its own link. Focus goes back to what had it (the link)
   * when the dialog closes. Before the notice has loaded it does nothing.
   */
  openPreferences(): Promise<void> {
    return this.#openDialog();
  }

  #button(part: string, text: string, onClick: (event: Event) => void, opensDialog = false): HTMLElement {
    const button = h('button', { part, class: 'choice', type: 'button', 'aria-haspopup': opensDialog ? 'dialog' : undefined }, text);
    button.addEventListener('click', onClick);
    return button;
  }

  #context(layer: FirstLayer) {
    return { layer, subject: this.subject, endpoint: this.endpoint, credentials: this.credentials };
  }

  #part(name: string): HTMLElement | null {
    return this.#root.querySelector<HTMLElement>(`[part="${name}"]`);
  }

  readonly #warmUp = () => void this.consent.connect();

  async #decide(choice: 'accept' | 'reject'): Promise<void> {
    if (this.#deciding) return; // a double click is one decision
    this.#deciding = true;
    try {
      const controller = await this.consent.connect();
      // The view that replaces the buttons gives focus to the settings button, not to the page's start.
      await (choice === 'accept' ? controller?.acceptAll({ source: 'user' }) : controller?.rejectAll({ source: 'user' }));
    } finally {
      this.#deciding = false;
    }
  }

  readonly #openDialog = async (event?: Event) => {
    this.#invoker = (event?.currentTarget ?? document.activeElement) as HTMLElement;
    // The dialog and the preferences (with Lit) load on first use: they are not on the banner's first load.
    // A load that fails (offline, or a Trusted Types policy that does not allow Lit's `lit-html`) is
    // reported, never thrown into the page.
    let Dialog: typeof PreferencesDialog;
    try {
      ({ PreferencesDialog: Dialog } = await import('./preferences-dialog.js'));
    } catch (cause) {
      this.dispatchEvent(new ConsentErrorEvent('script-failed', `The preferences could not load: ${cause}`));
      return;
    }
    const content = this.#content;
    const shown = this.#shown;
    if (!content || !shown) return;
    this.#dialog ??= new Dialog(this.#root, content, this.#onDialogClose);
    const context = this.#context(shown.layer);
    renderInLocale(shown.ui, () => this.#dialog!.update(context));
    this.#dialog.open(context);
  };

  readonly #onDialogClose = () => {
    const back = this.#invoker?.isConnected ? this.#invoker : this.#root.querySelector<HTMLElement>('[part="settings-button"], [part="choose-button"]');
    back?.focus();
  };

  /** The in-flow spacer keeps the page's end reachable above the fixed panel. */
  #observePanel(): void {
    const panel = this.#part('region');
    this.#resizer?.disconnect();
    if (!panel) return;
    // Set in the next frame: a layout change inside the observer's callback would loop.
    this.#resizer ??= new ResizeObserver(() =>
      requestAnimationFrame(() => {
        const spacer = this.#root.querySelector<HTMLElement>('.spacer');
        const region = this.#part('region');
        if (spacer && region) spacer.style.height = `${Math.ceil(region.getBoundingClientRect().height)}px`;
      }),
    );
    this.#resizer.observe(panel);
  }

  /** WCAG 2.4.11: a page element that gets focus is scrolled out from under the banner. */
  readonly #keepFocusVisible = (event: FocusEvent) => {
    // The element that has focus, not its shadow host: focus on a switch inside the
    // account page's <consent-preferences> would otherwise measure that whole element,
    // scroll the page on mousedown, and lose the click.
    const target = event.composedPath()[0] as Element | undefined;
    const panel = this.#part('region');
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
