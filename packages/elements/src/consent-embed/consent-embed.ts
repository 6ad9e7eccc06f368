import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { str } from '@lit/localize';
import type { FirstLayer, FirstLayerConsentPurpose, NoticeDocument } from '@akkoord/core/notice';
import type { ConsentChangeEvent, ConsentController } from '@akkoord/core/consent';
import { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { catalogs } from '../generated/catalogs/consent-embed.js';
import { ConsentBinding } from '../shared/consent-binding.js';
import { noticeError } from '../shared/notice-states.js';
// Loaded with the element, not after its notice: whether the purpose is granted is the first thing it needs.
import '../shared/controller-link.js';
import { styles } from './consent-embed.styles.js';

/** Why the element shows no embed and no placeholder, for the page (`consent-error`) and the reader. */
interface Misconfiguration {
  /** `src`: the address is refused; `setup`: the page left out what the embed needs. */
  kind: 'src' | 'setup';
  /** For the developer, in English. */
  message: string;
}

/** Web addresses only: `http:` is for a developer's own machine, as the receiver's `endpoint` allows. */
const LOADABLE_PROTOCOLS = new Set(['https:', 'http:']);

/**
 * An iframe (a video, a map, any page of another site) that waits for
 * consent. Before it, a placeholder of the embed's size says what would
 * load, from whom, and for which consent purpose of the notice, with two
 * choices: *load this once* (for this page view; nothing is recorded) and
 * *always allow* (grants the purpose through the page's consent controller,
 * with a receipt, as the preferences do). Once the purpose is granted (here,
 * in the banner, in another tab), every embed of that purpose loads; when it
 * is withdrawn, the iframe goes and the placeholder comes back.
 *
 * Nothing is requested from the embed's address before then: the iframe is
 * created only after consent. Only `https:` (and `http:` for local
 * development) addresses load; anything else (`javascript:`, `data:`) is
 * refused with a `consent-error` and a message in the placeholder's place.
 *
 * Elements that name the same notice and subject share one controller.
 *
 * @tagname consent-embed
 * @summary An iframe behind a placeholder, created only once its consent purpose is granted.
 *
 * @attr notice - URL of the notice's `manifest.json` or first-layer file, or of a notice document; `.notice` also takes the object.
 * @attr endpoint - The receiver's URL, where receipts go.
 * @attr subject - The customer's id; else a pseudonym kept in this browser.
 * @attr cookie-domain - The registrar's domain (`example.nl`) whose hosts share one decision, as on `<consent-banner>`.
 * @attr purpose - The id of the notice's consent purpose the embed needs (e.g. `marketing`).
 * @attr embed-src - The iframe's address (`https:`, or `http:` in development).
 * @attr provider - Who serves the embed, as the reader knows them (e.g. `YouTube (Google)`).
 * @attr title - What the embed shows: the iframe's accessible name, and the placeholder's title. Required.
 * @attr allow - Passed to the iframe's `allow` (permissions policy).
 * @attr referrerpolicy - Passed to the iframe's `referrerpolicy`.
 * @attr width - The embed's width in CSS pixels: the most it takes; narrower containers shrink it.
 * @attr height - The embed's height in CSS pixels, kept in proportion to `width` (16:9 without them).
 * @attr lang - Language (BCP 47).
 *
 * @fires consent-change - `ConsentChangeEvent`, once per change on the page.
 * @fires consent-error - `ConsentErrorEvent`; `embed-invalid` when the address is refused, the title is missing, or the purpose is not a consent purpose of the notice.
 *
 * @csspart base - The box of the embed's size, before and after consent.
 * @csspart placeholder - What is shown instead of the embed before consent.
 * @csspart title - The embed's title in the placeholder.
 * @csspart description - What loads, from whom, for which purpose.
 * @csspart actions - The two choices.
 * @csspart load-once-button - *Load this once*.
 * @csspart allow-button - *Always allow*.
 * @csspart note - What *always allow* means, and where to withdraw it.
 * @csspart frame - The iframe, once loaded.
 * @csspart error - The embed cannot be shown (`role=alert`).
 *
 * @cssprop --akkoord-embed-background - The placeholder's background (default: the theme's surface colour).
 */
export class ConsentEmbed extends LitElement {
  static override styles = styles;

  @property({ attribute: 'notice', converter: { fromAttribute: (v: string | null) => v ?? undefined } })
  notice?: string | FirstLayer | NoticeDocument;

  @property() endpoint?: string;
  @property() subject?: string;
  /** The host's credentials for the receiver (headers), for the signed-in `subject`. */
  @property({ attribute: false }) credentials?: () => HeadersInit | Promise<HeadersInit>;
  /** The registrar's domain whose hosts share one decision, through a small cookie on it (as on `<consent-banner>`). */
  @property({ attribute: 'cookie-domain' }) cookieDomain?: string;
  @property() purpose?: string;
  /**
   * The iframe's address. Not `src`: on the element a `src` would read as
   * something it loads at once, and page tools that rewrite or preload
   * `src` attributes (lazy loaders, tag managers, link checkers) would fetch
   * it before consent. `embed-src` is only ever read by this element.
   */
  @property({ attribute: 'embed-src' }) embedSrc?: string;
  @property() provider?: string;
  @property() override title = '';
  @property() allow?: string;
  @property({ attribute: 'referrerpolicy' }) referrerPolicy?: string;
  @property({ type: Number }) width?: number;
  @property({ type: Number }) height?: number;
  @property({ reflect: true }) override lang!: string;

  /** Loaded by *load this once*: for this page view only, until the purpose is refused. */
  @state() private loadedOnce = false;

  private readonly locale = new LocaleController(this, 'consent-embed', catalogs);
  private readonly consent = new ConsentBinding(this);
  private seen?: ConsentController;
  /** Set by this element's own buttons: the iframe that replaces them takes the focus. */
  private focusFrame = false;
  private reported?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: hear the controller again before its next change, not after it.
    this.follow(this.consent.controller);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.seen?.removeEventListener('consent-change', this.onChange);
    this.seen = undefined;
  }

  protected override willUpdate(): void {
    this.consent.update(this.locale.requested);
    this.follow(this.consent.controller);
  }

  private follow(controller: ConsentController | undefined): void {
    if (!controller || this.seen === controller) return;
    this.seen?.removeEventListener('consent-change', this.onChange);
    this.seen = controller;
    controller.addEventListener('consent-change', this.onChange);
  }

  /**
   * A decision in which the purpose is not granted (a withdrawal, *reject
   * all*, a refusal in the preferences, here or in another tab) also ends a
   * *load this once*: the reader has just said no to what it loads.
   */
  private readonly onChange = (event: Event) => {
    const { source, decisions } = event as ConsentChangeEvent;
    if (source !== 'restored' && this.purpose && decisions[this.purpose] !== 'granted') this.loadedOnce = false;
  };

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.sizeBox();
    const problem = this.misconfiguration(this.consent.layer);
    const key = problem ? `${problem.kind}|${problem.message}` : undefined;
    if (key && key !== this.reported) this.dispatchEvent(new ConsentErrorEvent('embed-invalid', problem!.message));
    this.reported = key;
    const frame = this.renderRoot.querySelector<HTMLIFrameElement>('iframe');
    if (this.focusFrame && frame) {
      this.focusFrame = false;
      frame.focus();
    }
  }

  /** What keeps the embed from being shown at all, whatever the reader decides. */
  private misconfiguration(layer: FirstLayer | undefined): Misconfiguration | undefined {
    const src = loadableUrl(this.embedSrc);
    if (!src) {
      return {
        kind: 'src',
        message: `<consent-embed> refuses embed-src="${this.embedSrc ?? ''}": only https: (and http: for local development) addresses load in an embed.`,
      };
    }
    if (!this.title.trim()) return { kind: 'setup', message: '<consent-embed> needs a title: it names the iframe for screen readers, and the placeholder.' };
    if (!this.purpose) return { kind: 'setup', message: '<consent-embed> needs a purpose: the id of the notice\'s consent purpose the embed waits for.' };
    if (layer && !consentPurpose(layer, this.purpose)) {
      const ids = layer.purposes.flatMap((p) => (p.legalBasis === 'consent' ? [p.id] : []));
      return {
        kind: 'setup',
        message: `<consent-embed purpose="${this.purpose}">: notice "${layer.id}" has no consent purpose "${this.purpose}"; its consent purposes are ${ids.join(', ') || '(none)'}.`,
      };
    }
    return undefined;
  }

  protected override render() {
    const layer = this.consent.layer;
    const shown = this.locale.show(this.locale.choose(layer?.locales, layer?.locale));
    return html`<div part="base" lang=${ifDefined(layer?.locale)}>${shown ? renderInLocale(shown.ui, () => this.content(layer)) : nothing}</div>`;
  }

  private content(layer: FirstLayer | undefined) {
    const problem = this.misconfiguration(layer);
    if (problem) {
      return html`<p part="error" role="alert">
        ${problem.kind === 'src'
          ? msg('This content cannot be shown: its address is not a web address (https).', { id: 'embed.error.src' })
          : msg('This content cannot be shown: the website has not set it up correctly.', { id: 'embed.error.setup' })}
      </p>`;
    }
    if (this.consent.error) {
      const error = this.consent.error;
      return noticeError(error, () => this.consent.retry());
    }
    const controller = this.consent.controller;
    // Until the stored decision is read, an empty box: a placeholder that a granted purpose replaces at once would flash.
    if (!layer || !controller || !this.consent.ready) return nothing;
    if (this.loadedOnce || controller.isGranted(this.purpose!)) {
      return html`<iframe
        part="frame"
        src=${loadableUrl(this.embedSrc)!}
        title=${this.title}
        allow=${ifDefined(this.allow || undefined)}
        referrerpolicy=${ifDefined((this.referrerPolicy || undefined) as ReferrerPolicy | undefined)}
      ></iframe>`;
    }
    const purpose = consentPurpose(layer, this.purpose!)!.title;
    const provider = this.provider?.trim() || new URL(loadableUrl(this.embedSrc)!).hostname;
    return html`<div part="placeholder" role="group" aria-labelledby="title">
      <p part="title" id="title">${this.title}</p>
      <p part="description">
        ${msg(str`This content comes from ${provider} and is shown only with your consent for “${purpose}”, because ${provider} receives data about your visit when it loads.`, {
          id: 'embed.description',
        })}
      </p>
      <div part="actions" class="actions">
        <button part="load-once-button" class="choice" type="button" @click=${this.loadOnce}>${msg('Load this once', { id: 'embed.load-once' })}</button>
        <button part="allow-button" class="choice" type="button" @click=${this.allowAlways} aria-describedby="note">
          ${msg('Always allow', { id: 'embed.allow' })}
        </button>
      </div>
      <p part="note" id="note">
        ${msg(str`“Always allow” gives your consent for “${purpose}” on this website: then this content and everything else for that purpose loads without asking. You can withdraw your consent at any time in the privacy settings.`, {
          id: 'embed.allow-note',
        })}
      </p>
    </div>`;
  }

  /**
   * The embed's box, the same before and after consent, so nothing on the
   * page moves when it loads. Set through the CSSOM, which a strict
   * `style-src` allows (a `style` attribute it would refuse), and without
   * Lit's `styleMap`, which would grow the Lit chunk the notice page loads.
   */
  private sizeBox(): void {
    const box = this.renderRoot.querySelector<HTMLElement>('[part="base"]');
    if (!box) return;
    const width = positive(this.width);
    const height = positive(this.height);
    box.style.setProperty('max-inline-size', width ? `${width}px` : '100%');
    box.style.setProperty('aspect-ratio', width && height ? `${width} / ${height}` : '16 / 9');
  }

  private readonly loadOnce = () => {
    this.focusFrame = true;
    this.loadedOnce = true;
  };

  private readonly allowAlways = async () => {
    const controller = await this.consent.connect();
    if (!controller || !this.purpose) return;
    await controller.grant(this.purpose, { source: 'user' });
    // Only once it is granted: a grant that failed must not pull the focus later, when another part of the page grants.
    if (controller.isGranted(this.purpose)) {
      this.focusFrame = true;
      this.requestUpdate();
    }
  };
}

/** The address as the iframe will load it, or undefined when it is no web address. */
function loadableUrl(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim(), document.baseURI);
    return LOADABLE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The notice's consent purpose with this id; purposes on another legal basis have no decision to wait for. */
function consentPurpose(layer: FirstLayer, id: string): FirstLayerConsentPurpose | undefined {
  return layer.purposes.find((p): p is FirstLayerConsentPurpose => p.legalBasis === 'consent' && p.id === id);
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}
