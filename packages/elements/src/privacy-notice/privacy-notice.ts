import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { LocalizedNotice, NoticeDocument, Party } from '@akkoord/core/notice';
import { devLater } from '../shared/dev-later.js';
import { plainText } from '@akkoord/core/notice/rich-text';
import { NoticeDocumentController } from '../shared/notice-document.js';
import { basisLabel } from '../shared/legal-basis.js';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
import { catalogs } from '../generated/catalogs/privacy-notice.js';
import { addressLines, blocks, countryName, heading, lines } from '../shared/blocks.js';
import { link, richText } from '../shared/rich-text.js';
import { styles } from './privacy-notice.styles.js';

const SUMMARY_ID = 'akkoord-summary';
const FULL_ID = 'akkoord-full';
const TEL = /^tel:\+[0-9-]+$/;

/**
 * A layered privacy notice. The first layer says who is responsible, what the
 * data is used for and on which legal basis, what a reader would not expect,
 * how to withdraw consent and where the rights are; the second holds every
 * section, each a title and a summary that open to the full text.
 *
 * The notice is a URL (`notice` attribute) or a notice document (`.notice`
 * property). The URL names what `akkoord-notice build` wrote, its
 * `manifest.json` (validated in the registrar's CI; its hash is checked
 * here), or a raw document, validated here with the model loaded on demand. A bad URL or an invalid document
 * shows a readable error in the reader's language and fires `consent-error`;
 * nothing is thrown into the page. `#section-id` in the page's URL opens that
 * section and scrolls to it; printing shows every section expanded.
 *
 * Language, first match wins: the element's `lang`, the page-wide
 * `setLocale()`, the nearest `[lang]` ancestor (read on connect and when
 * `lang` changes, not watched), `navigator.languages`, the notice's
 * `defaultLocale`. `nl-BE` and `nl-NL` give Dutch. Changing `lang` re-renders
 * at once; open sections stay open.
 *
 * @tagname privacy-notice
 * @summary A layered, localized privacy notice from a notice document.
 *
 * @attr notice - URL of the notice document (JSON), relative to the document's base URL. The `.notice` property also takes the document itself.
 * @attr lang - Language of the notice and its UI strings (BCP 47, e.g. `nl`, `nl-BE`, `en`).
 * @attr heading-level - Level of the element's top headings (1–6, default 2); the rest follow below it.
 *
 * @fires consent-error - `ConsentErrorEvent`: the notice could not be fetched (`code: 'notice-fetch-failed'`) or is invalid (`'notice-invalid'`, with `issues`); the code of a purpose's cookie table could not load (`'script-failed'`).
 *
 * @csspart base - The root; carries the shown language in `lang`.
 * @csspart status - The loading message (`role=status`).
 * @csspart error - The error message (`role=alert`).
 * @csspart error-details - The `<details>` with the issues, for developers.
 * @csspart retry-button - Loads the notice again after a failed fetch.
 * @csspart summary - The first layer.
 * @csspart heading - The top heading of each layer.
 * @csspart subheading - The headings inside the first layer.
 * @csspart intro - The first layer's introduction.
 * @csspart controller - Who is responsible: the controller, DPO, EU representative, joint controllers.
 * @csspart party - One organization's name and contact details (`<address>`).
 * @csspart party-role - The role above a party ("Data protection officer").
 * @csspart purposes - The list of purposes.
 * @csspart purpose - One purpose.
 * @csspart purpose-title - A purpose's title.
 * @csspart legal-basis - A purpose's legal basis label (`data-basis` names it).
 * @csspart cookie-table-scroller - Around a purpose's cookie table: scrolls it sideways on a narrow screen (focusable, named by the caption).
 * @csspart cookie-table - The cookies and storage keys a purpose declares: name, kind, provider, domain, lifetime, use.
 * @csspart cookie-row - One cookie or storage key (`data-name` is its name or pattern).
 * @csspart notable - The list of processing a reader would not expect.
 * @csspart withdrawal - How to withdraw consent.
 * @csspart rights - The list of rights.
 * @csspart right - One right.
 * @csspart links - The links from the first layer to the rights and the full notice.
 * @csspart link - A link in notice text.
 * @csspart sections - The second layer.
 * @csspart section - One section (`<details>`, `id` is the section's id).
 * @csspart section-summary - A section's `<summary>`: title and short summary.
 * @csspart section-title - A section's title.
 * @csspart section-abstract - A section's one-paragraph summary.
 * @csspart section-body - A section's full text.
 * @csspart note - A note block in the full text.
 * @csspart footer - The notice's version.
 *
 * @cssprop [--akkoord-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--akkoord-font-size=1rem] - Base font size.
 * @cssprop [--akkoord-line-height=1.5] - Line height.
 * @cssprop [--akkoord-color-text=#1f2328] - Text (dark scheme: #e6edf3).
 * @cssprop [--akkoord-color-text-muted=#4e5661] - Secondary text, ≥4.5:1 on the background and surface (dark: #a7b0bb).
 * @cssprop [--akkoord-color-background=#ffffff] - Background (dark: #0d1117).
 * @cssprop [--akkoord-color-surface=#f3f5f7] - Background of summaries, labels and notes (dark: #161b22).
 * @cssprop [--akkoord-color-border=#6e7781] - Borders, ≥3:1 on the background (dark: #8b949e).
 * @cssprop [--akkoord-color-link=#0550ae] - Links (dark: #79c0ff).
 * @cssprop [--akkoord-color-error=#a40e26] - The error message's text and border (dark: #ffa198).
 * @cssprop [--akkoord-focus-ring-color=#0550ae] - Focus ring (dark: #79c0ff).
 * @cssprop [--akkoord-focus-ring-width=3px] - Focus ring width.
 * @cssprop [--akkoord-focus-ring-offset=2px] - Gap between a control and its focus ring.
 * @cssprop [--akkoord-space=1rem] - Spacing unit.
 * @cssprop [--akkoord-radius=0.375rem] - Corner radius.
 */
export class PrivacyNotice extends LitElement {
  static override styles = styles;

  /**
   * The notice: a URL (from the `notice` attribute, or a string property)
   * fetched relative to `document.baseURI`, or a notice document object.
   * Either is validated before it renders. Assign a new object to re-render
   * a changed document.
   */
  @property({
    attribute: 'notice',
    converter: { fromAttribute: (value: string | null) => value ?? undefined },
  })
  notice?: string | NoticeDocument;

  /** The language to show (BCP 47); see the class description for the fallbacks. */
  @property({ reflect: true }) override lang!: string;

  /** The level of the element's top headings, 1–6. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  private readonly locale = new LocaleController(this, 'privacy-notice', catalogs);

  /** @internal The notice and the locale it shows in (the cookie table reads the UI locale here). */
  readonly content = new NoticeDocumentController(this, this.locale);

  /** The document the URL's fragment was last applied to. */
  private revealedFor?: NoticeDocument;
  private closedForPrint: HTMLDetailsElement[] = [];

  /**
   * Resolves once the current notice has loaded and rendered in the current
   * language: `true`, or `false` when it failed (the error state shows).
   * Never rejects.
   */
  get loadComplete(): Promise<boolean> {
    return this.content.loadComplete;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener('beforeprint', this.onBeforePrint);
    window.addEventListener('afterprint', this.onAfterPrint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener('beforeprint', this.onBeforePrint);
    window.removeEventListener('afterprint', this.onAfterPrint);
  }

  protected override render() {
    const { shown } = this.content;
    if (!shown) return nothing; // the first UI catalog is still loading: a few milliseconds
    return renderInLocale(shown.ui, () => {
      const content = this.content.render((view) => this.renderNotice(view));
      return html`<div part="base" lang=${shown.content ?? shown.ui} @click=${this.onClick}>${content}</div>`;
    });
  }

  protected override updated(): void {
    const { doc } = this.content;
    if (doc && doc !== this.revealedFor) {
      this.revealedFor = doc;
      this.revealFromHash();
    }
  }

  /**
   * A purpose's cookies and storage keys, once the table's module has loaded
   * (cookie-table.ts): it loads with the first notice that declares any, with
   * its styles and strings, so a notice page whose notice declares none pays
   * nothing for them.
   */
  /** @internal */
  cookieTable?: (purpose: LocalizedNotice['purposes'][number]) => unknown;

  private renderCookies(purpose: LocalizedNotice['purposes'][number]): unknown {
    if (this.cookieTable) return this.cookieTable(purpose);
    import('./cookie-table.js').then(
      (part) => part.attach(this),
      (error: unknown) => this.dispatchEvent(new ConsentErrorEvent('script-failed', String(error))),
    );
    return nothing;
  }

  private get level(): number {
    const level = Math.trunc(Number(this.headingLevel));
    if (level >= 1 && level <= 6) return level;
    devLater((checks) => checks.checkHeadingLevel(this));
    return 2;
  }

  private renderNotice(notice: LocalizedNotice): unknown {
    const level = this.level;
    const rightsSection = notice.sections.find((s) => s.topic === 'rights');
    const basis = (purpose: LocalizedNotice['purposes'][number]) =>
      html`<span part="legal-basis" data-basis=${purpose.legalBasis}>${basisLabel(purpose.legalBasis)}</span>`;
    const { controller, summary } = notice;
    const sub = (text: string) => heading(level + 1, text, { part: 'subheading' });

    // Keyed by document: a new notice starts with its sections closed; a new language keeps them as they are.
    return keyed(
      this.content.doc,
      html`
        <section part="summary" aria-labelledby=${SUMMARY_ID}>
          ${heading(level, msg('In short', { id: 'notice.summary' }), { id: SUMMARY_ID, part: 'heading' })}
          <p part="intro">${richText(summary.intro)}</p>

          ${sub(msg('Who is responsible for your data', { id: 'notice.controller' }))}
          <div part="controller">
            ${this.renderParty(controller, notice.locale)}
            ${controller.representative
              ? html`<p part="party-role">${this.representativeRole(controller.representative, notice.locale)}</p>
                  ${this.renderParty(controller.representative, notice.locale)}`
              : nothing}
            ${controller.dpo
              ? html`<p part="party-role">${msg('Data protection officer', { id: 'notice.dpo' })}</p>
                  ${this.renderParty(controller.dpo, notice.locale)}`
              : nothing}
            ${controller.jointControllers
              ? html`<p part="party-role">${msg('Joint controllers', { id: 'notice.joint-controllers' })}</p>
                  <p>
                    ${richText(controller.jointControllers.description)}
                    ${controller.jointControllers.url ? link(controller.jointControllers.url, controller.jointControllers.url) : nothing}
                  </p>`
              : nothing}
          </div>

          ${sub(msg('What your data is used for', { id: 'notice.purposes' }))}
          <ul part="purposes">
            ${notice.purposes.map(
              (purpose) => html`
                <li part="purpose" data-purpose=${purpose.id}>
                  <span part="purpose-title">${purpose.title}</span> ${basis(purpose)}
                  <p>${richText(purpose.description)}</p>
                  ${purpose.legitimateInterest
                    ? html`<p>${msg('Interest pursued:', { id: 'notice.legitimate-interest' })} ${richText(purpose.legitimateInterest)}</p>`
                    : nothing}
                  ${purpose.cookies || purpose.storage ? this.renderCookies(purpose) : nothing}
                </li>
              `,
            )}
          </ul>

          ${summary.notable.length
            ? html`${sub(msg('Good to know', { id: 'notice.notable' }))}
                <ul part="notable">
                  ${summary.notable.map((item) => html`<li>${richText(item)}</li>`)}
                </ul>`
            : nothing}

          ${sub(
            notice.purposes.some((p) => p.legalBasis === 'consent')
              ? msg('Withdrawing your consent', { id: 'notice.withdrawal' })
              : // A notice that asks no consent still says what happens to consent given elsewhere.
                msg('Consent', { id: 'notice.consent' }),
          )}
          <p part="withdrawal">${richText(summary.withdrawal)}</p>

          ${sub(msg('Your rights', { id: 'notice.rights' }))}
          <ul part="rights">
            ${notice.rights.map((right) => html`<li part="right" data-right=${right.right}>${right.title}</li>`)}
          </ul>
          <ul part="links">
            ${rightsSection
              ? html`<li>${link(msg('How to use your rights', { id: 'notice.rights-link' }), `#${rightsSection.id}`)}</li>`
              : nothing}
            <li>${link(msg('Read the full privacy notice', { id: 'notice.full-link' }), `#${FULL_ID}`)}</li>
          </ul>
        </section>

        <section part="sections" aria-labelledby=${FULL_ID}>
          ${heading(level, msg('Full privacy notice', { id: 'notice.full' }), { id: FULL_ID, part: 'heading', tabindex: -1 })}
          ${notice.sections.map(
            (section) => html`
              <details id=${section.id} part="section" data-topic=${section.topic}>
                <summary part="section-summary">
                  ${heading(level + 1, section.title, { part: 'section-title' })}
                  <p part="section-abstract">${plainText(section.summary)}</p>
                </summary>
                <div part="section-body">${blocks(section.body, level + 2)}</div>
              </details>
            `,
          )}
          <p part="footer">${msg('Version', { id: 'notice.version' })} ${notice.version}</p>
        </section>
      `,
    );
  }

  /** The role with the country it is established in: art. 27 asks for one in a member state, and not every notice has that. */
  private representativeRole(representative: Party, locale: string): string {
    const role = msg('Representative', { id: 'notice.representative' });
    return representative.address ? `${role} (${countryName(representative.address.addressCountry, locale)})` : role;
  }

  private renderParty(party: Party, locale: string): TemplateResult {
    const phone = party.phone && TEL.test(party.phone) ? party.phone : undefined;
    const contact = [
      party.email ? link(party.email, `mailto:${party.email}`) : undefined,
      phone ? html`<a part="link" href=${phone}>${phone.slice(4)}</a>` : undefined,
      party.url ? link(party.url, party.url) : undefined,
    ].filter((item) => item !== undefined);
    return html`<address part="party">
      <strong>${party.name}</strong><br />
      ${party.address ? html`${lines(addressLines(party.address, locale))}<br />` : nothing}${lines(contact)}
    </address>`;
  }

  // -------------------------------------------------------------------------
  // Deep links and print

  private readonly onHashChange = () => this.revealFromHash();

  private revealFromHash(): void {
    let id = '';
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return; // a malformed fragment names nothing of ours
    }
    if (id) this.reveal(id);
  }

  /** Open the section (or anything inside one) with this id, scroll to it and move focus there. */
  private reveal(id: string): boolean {
    const target = this.shadowRoot?.getElementById(id);
    if (!target) return false;
    for (let node: HTMLElement | null = target; node; node = node.parentElement) {
      if (node instanceof HTMLDetailsElement) node.open = true;
    }
    const focusable = target instanceof HTMLDetailsElement ? target.querySelector('summary') : target;
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    target.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
    focusable?.focus({ preventScroll: true });
    return true;
  }

  /** `#id` links in notice text point into our shadow root, where the page's own navigation can't follow. */
  private readonly onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    const href = anchor?.getAttribute('href');
    if (href?.startsWith('#') && this.reveal(href.slice(1))) event.preventDefault();
  };

  private readonly onBeforePrint = () => {
    const all = this.shadowRoot?.querySelectorAll<HTMLDetailsElement>('details[part="section"]') ?? [];
    this.closedForPrint = [...all].filter((details) => !details.open);
    for (const details of this.closedForPrint) details.open = true;
  };

  private readonly onAfterPrint = () => {
    for (const details of this.closedForPrint) details.open = false;
    this.closedForPrint = [];
  };
}
