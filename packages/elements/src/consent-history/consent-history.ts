import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { str } from '@lit/localize';
import type { ConsentController, ConsentMethod } from '@akkoord/core/consent';
import type { FirstLayer, NoticeDocument } from '@akkoord/core/notice';
import type { HistoryEntry, LoadedHistory } from '@akkoord/core/history';
import { LocaleController, msg, renderInLocale } from '../localization.js';
import { catalogs } from '../generated/catalogs/consent-history.js';
import { ConsentBinding } from '../shared/consent-binding.js';
// Loaded with the element, not after its notice: it always needs the controller.
import '../shared/controller-link.js';
import { heading, lines } from '../shared/blocks.js';
import { noticeError } from '../shared/notice-states.js';
import { link } from '../shared/rich-text.js';
import { styles } from './consent-history.styles.js';

type Receipt = HistoryEntry['receipt'];

/**
 * The person's consent history, for a customer's account page: every
 * receipt of this subject, newest first, each with its date, how the choice
 * was made, what was allowed and refused, the notice version it was made
 * on, and whether its countersignature verifies against the receiver's
 * published keys. One receipt opens to all its fields (a readable receipt,
 * Kantara §4.7). *Download* gives the whole history as one JSON file: every
 * countersigned receipt and the keys that verify them (art. 20).
 *
 * It reads two copies: the countersigned receipts this browser keeps (from
 * the page's consent controller for `notice` and `subject`, shared with
 * `<consent-preferences>` and the banner) and, with an `endpoint`, the
 * receiver's (`GET {endpoint}/subjects/{subject}/receipts`, with the host's
 * `credentials`). Each receipt shows once, whichever copies hold it. When the
 * receiver's copy cannot be read, the browser's is shown and a note says so.
 * It reloads when a new receipt comes back countersigned.
 *
 * @tagname consent-history
 * @summary A subject's consent receipts, newest first, verified, and downloadable as JSON.
 *
 * @attr notice - URL of the notice's `manifest.json` or first-layer file, or of a notice document; `.notice` also takes the object.
 * @attr endpoint - The receiver's URL (https, or http on localhost).
 * @attr subject - The signed-in customer's id; else this browser's pseudonym.
 * @attr heading-level - Level of the element's heading (1–6, default 2).
 * @attr lang - Language (BCP 47).
 *
 * @fires consent-change - `ConsentChangeEvent`, passed on from the shared controller (once per page).
 * @fires consent-sync - `ConsentSyncEvent`: a receipt came back countersigned; the history reloads.
 * @fires consent-error - `ConsentErrorEvent`.
 *
 * @csspart base - The root.
 * @csspart heading - The heading.
 * @csspart status - Loading, and the note when the receiver's copy could not be read (`role=status`).
 * @csspart error - The notice could not load (`role=alert`).
 * @csspart error-details - The `<details>` with the issues, for developers.
 * @csspart retry-button - Loads the notice again after a failed fetch.
 * @csspart empty - Says that no choice has been recorded yet.
 * @csspart receipts - The list of receipts (`<ol>`), newest first.
 * @csspart receipt - One receipt (`data-receipt-id`).
 * @csspart receipt-title - Its date and time.
 * @csspart summary - Its method, allowed and refused purposes, notice version and verification (`<dl>`).
 * @csspart verification - Whether the countersignature verifies (`data-status`: `verified`, `failed`, `unchecked`).
 * @csspart receipt-details - The whole receipt (`<details>`).
 * @csspart download-button - Downloads the history as JSON.
 *
 * @cssprop [--akkoord-color-verified=#116329] - The mark of a verified countersignature (dark: #56d364).
 */
export class ConsentHistory extends LitElement {
  static override styles = styles;

  @property({ attribute: 'notice', converter: { fromAttribute: (v: string | null) => v ?? undefined } })
  notice?: string | FirstLayer | NoticeDocument;

  @property() endpoint?: string;
  @property() subject?: string;

  /**
   * The host's credentials for reading the receiver's copy: headers for
   * `GET {endpoint}/subjects/{subject}/receipts`, e.g.
   * `() => ({ Authorization: 'Bearer …' })`. The receiver's `authorize` hook
   * must admit them for this subject.
   */
  @property({ attribute: false }) credentials?: () => HeadersInit | Promise<HeadersInit>;

  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  @property({ reflect: true }) override lang!: string;

  @state() private history?: LoadedHistory & { subject: string };
  @state() private loading = false;

  private readonly locale = new LocaleController(this, 'consent-history', catalogs);
  private readonly consent = new ConsentBinding(this);
  private seen?: ConsentController;
  private ticket = 0;
  private pending: Promise<void> = Promise.resolve();

  /** Resolves once the history shown is the latest read (both copies, verified). Never rejects. */
  get loadComplete(): Promise<void> {
    return (async () => {
      await this.updateComplete;
      for (let settled: Promise<void> | undefined; settled !== this.pending; ) {
        settled = this.pending;
        await settled;
        await this.updateComplete;
      }
      await this.locale.settled;
      await this.updateComplete;
    })();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.seen?.removeEventListener('consent-sync', this.onSync);
    this.seen = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.consent.update(this.locale.requested);
    const controller = this.consent.controller;
    if (controller && this.consent.ready && this.seen !== controller) {
      this.seen?.removeEventListener('consent-sync', this.onSync);
      this.seen = controller;
      controller.addEventListener('consent-sync', this.onSync);
      void this.refresh();
    } else if (this.seen && (changed.has('endpoint') || changed.has('credentials'))) {
      void this.refresh();
    }
  }

  private readonly onSync = () => void this.refresh();

  /** Reads both copies again and verifies them. */
  refresh(): Promise<void> {
    const controller = this.consent.controller;
    if (!controller) return this.pending;
    const ticket = ++this.ticket;
    this.loading = true;
    this.pending = (async () => {
      const { readHistory } = await import('@akkoord/core/history');
      const subject = controller.subject;
      const result = await readHistory({
        subject,
        local: () => controller.syncedReceipts(),
        endpoint: this.endpoint,
        credentials: this.credentials,
      });
      if (ticket !== this.ticket) return;
      this.history = { ...result, subject };
      this.loading = false;
    })().catch((error: unknown) => {
      if (ticket !== this.ticket) return;
      this.history = { entries: [], keys: [], receiverError: error, subject: controller.subject };
      this.loading = false;
    });
    return this.pending;
  }

  protected override render() {
    const layer = this.consent.layer;
    const shown = this.locale.show(this.locale.choose(layer?.locales, layer?.locale));
    if (!shown) return nothing;
    return renderInLocale(shown.ui, () => {
      const history = this.history;
      const locale = layer?.locale ?? shown.ui;
      return html`<div part="base" lang=${locale}>
        ${heading(this.headingLevel, msg('Your consent history', { id: 'history.title' }), { part: 'heading' })}
        <p>
          ${msg('Every choice you made, newest first. Each one is a receipt that we countersigned: proof of what you chose, and when.', {
            id: 'history.intro',
          })}
        </p>
        ${this.consent.error ? noticeError(this.consent.error, () => this.consent.retry()) : nothing}
        <p part="status" role="status">
          ${this.loading && !history
            ? msg('Loading your consent history…', { id: 'history.loading' })
            : history?.receiverError !== undefined && this.endpoint
              ? msg('Our copy could not be read, so you see only the receipts this browser keeps.', { id: 'history.receiver-error' })
              : nothing}
        </p>
        ${history ? this.renderHistory(history, locale) : nothing}
      </div>`;
    });
  }

  private renderHistory(history: LoadedHistory, locale: string): TemplateResult {
    if (!history.entries.length) {
      return html`<p part="empty">${msg('No choices have been recorded yet.', { id: 'history.empty' })}</p>`;
    }
    return html`
      <ol part="receipts">
        ${history.entries.map((entry) => this.renderEntry(entry, locale))}
      </ol>
      <p>
        ${msg('The download is a machine-readable file with every receipt, its countersignature, and the keys to check them.', {
          id: 'history.download-note',
        })}
      </p>
      <button part="download-button" class="choice" type="button" @click=${this.download}>${msg('Download my history (JSON)', { id: 'history.download' })}</button>
    `;
  }

  private renderEntry(entry: HistoryEntry, locale: string): TemplateResult {
    const { receipt } = entry;
    const { akkoord } = receipt;
    const titles = this.purposeTitles(receipt);
    // In the notice's order (a receipt from the receiver is canonical JSON, its keys sorted).
    const order = [...titles.keys()];
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
    const decided = Object.keys(akkoord.decisions).sort((a, b) => rank(a) - rank(b));
    const granted = decided.filter((id) => akkoord.decisions[id] === 'granted');
    const denied = decided.filter((id) => akkoord.decisions[id] === 'denied');
    const names = (ids: string[]) => (ids.length ? ids.map((id) => titles.get(id) ?? id).join(', ') : msg('nothing', { id: 'history.nothing' }));
    const titleId = `receipt-${receipt.consentReceiptID}`;
    const version = akkoord.noticeVersion;
    return html`<li part="receipt" data-receipt-id=${receipt.consentReceiptID}>
      ${heading(this.headingLevel + 1, formatDateTime(akkoord.decidedAt, locale), { id: titleId, part: 'receipt-title' })}
      <dl part="summary">
        <dt>${msg('How', { id: 'history.method' })}</dt>
        <dd>${methodLabel(akkoord.method)}</dd>
        <dt>${msg('Allowed', { id: 'history.granted' })}</dt>
        <dd data-decision="granted">${names(granted)}</dd>
        <dt>${msg('Refused', { id: 'history.denied' })}</dt>
        <dd data-decision="denied">${names(denied)}</dd>
        <dt>${msg('Privacy notice', { id: 'history.notice' })}</dt>
        <dd>${msg(str`version ${version}`, { id: 'history.notice-version' })}</dd>
        <dt>${msg('Countersignature', { id: 'history.countersignature' })}</dt>
        <dd part="verification" data-status=${entry.verification.status}>${verificationLabel(entry)}</dd>
      </dl>
      <details part="receipt-details">
        <summary>${msg('Show the whole receipt', { id: 'history.show' })}</summary>
        ${this.renderReceipt(entry, locale)}
      </details>
    </li>`;
  }

  /** One receipt in readable form: every field a person may want to check. */
  private renderReceipt(entry: HistoryEntry, locale: string): TemplateResult {
    const { receipt } = entry;
    const { akkoord } = receipt;
    const consented = receipt.services.flatMap((s) => s.purposes.map((p) => p.purpose).filter(Boolean));
    const kept =
      entry.sources.length > 1
        ? msg('In this browser and in our records', { id: 'history.kept.both' })
        : entry.sources[0] === 'browser'
          ? msg('In this browser', { id: 'history.kept.browser' })
          : msg('In our records', { id: 'history.kept.receiver' });
    return html`<dl class="receipt">
      <dt>${msg('Receipt number', { id: 'history.receipt-id' })}</dt>
      <dd><code>${receipt.consentReceiptID}</code></dd>
      <dt>${msg('Decided on', { id: 'history.decided-at' })}</dt>
      <dd>${formatDateTime(akkoord.decidedAt, locale)}</dd>
      <dt>${msg('Countersigned on', { id: 'history.stored-at' })}</dt>
      <dd>${formatDateTime(Date.parse(entry.storedAt), locale)}</dd>
      <dt>${msg('Valid until', { id: 'history.expires' })}</dt>
      <dd>${formatDate(akkoord.expiresAt, locale)}</dd>
      <dt>${msg('Who is responsible', { id: 'history.controllers' })}</dt>
      <dd>
        ${receipt.piiControllers.map(
          (c) => html`<address>
            <strong>${c.piiController}</strong><br />
            ${lines([c.address.streetAddress, [c.address.postalCode, c.address.addressLocality].filter(Boolean).join(' '), regionName(c.address.addressCountry, locale)])}<br />
            ${link(c.email, `mailto:${c.email}`)}
          </address>`,
        )}
      </dd>
      <dt>${msg('Purposes you consented to', { id: 'history.consented' })}</dt>
      <dd lang=${receipt.language}>${consented.length ? consented.join(', ') : msg('nothing', { id: 'history.nothing' })}</dd>
      <dt>${msg('Privacy notice', { id: 'history.notice' })}</dt>
      <dd>
        ${akkoord.noticeId}, ${msg(str`version ${akkoord.noticeVersion}`, { id: 'history.notice-version' })}<br />
        ${link(msg('The notice as it was shown', { id: 'history.policy-link' }), receipt.policyUrl)}<br />
        <code>${akkoord.noticeHash}</code>
      </dd>
      <dt>${msg('Language and jurisdiction', { id: 'history.language' })}</dt>
      <dd>${languageName(akkoord.locale, locale)}, ${regionName(receipt.jurisdiction, locale)}</dd>
      <dt>${msg('Previous receipt', { id: 'history.previous' })}</dt>
      <dd>${akkoord.previousReceiptHash ? html`<code>${akkoord.previousReceiptHash}</code>` : msg('none: this was the first', { id: 'history.first' })}</dd>
      <dt>${msg('Kept', { id: 'history.kept' })}</dt>
      <dd>${kept}</dd>
      <dt>${msg('Countersignature', { id: 'history.countersignature' })}</dt>
      <dd>
        ${verificationLabel(entry)}${entry.verification.status === 'verified' ? html`<br />${msg(str`Key ${entry.verification.kid}`, { id: 'history.key' })}` : nothing}
      </dd>
    </dl>`;
  }

  private purposeTitles(receipt: Receipt): Map<string, string> {
    const layer = this.consent.layer;
    return new Map(layer && layer.id === receipt.akkoord.noticeId ? layer.purposes.filter((p) => p.legalBasis === 'consent').map((p) => [p.id, p.title]) : []);
  }

  private readonly download = async () => {
    const history = this.history;
    if (!history) return;
    const { exportHistory } = await import('@akkoord/core/history');
    const file = await exportHistory(history.subject, history.entries, history.keys);
    const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `consent-history-${history.subject.replace(/[^A-Za-z0-9_-]+/g, '_')}.json`;
    anchor.hidden = true;
    this.renderRoot.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
}

function methodLabel(method: ConsentMethod): string {
  switch (method) {
    case 'accept-all':
      return msg('Accepted all', { id: 'history.method.accept-all' });
    case 'reject-all':
      return msg('Rejected all', { id: 'history.method.reject-all' });
    case 'preferences':
      return msg('Chose per purpose', { id: 'history.method.preferences' });
    case 'api':
      return msg('Set by the website', { id: 'history.method.api' });
    case 'gpc':
      return msg('Global Privacy Control signal of your browser', { id: 'history.method.gpc' });
    case 'email-unsubscribe':
      return msg('Unsubscribed through the link in an email', { id: 'history.method.email-unsubscribe' });
    default:
      return method;
  }
}

function verificationLabel(entry: HistoryEntry): string {
  switch (entry.verification.status) {
    case 'verified':
      return msg('Verified: signed by us, unchanged', { id: 'history.verified' });
    case 'failed':
      return msg('Does not verify: this receipt was changed, or not signed by us', { id: 'history.failed' });
    default:
      return msg('Not checked: our keys could not be read', { id: 'history.unchecked' });
  }
}

function formatDateTime(epochMs: number, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'medium' }).format(epochMs);
  } catch {
    return new Date(epochMs).toISOString();
  }
}

function formatDate(epochMs: number, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(epochMs);
  } catch {
    return new Date(epochMs).toISOString().slice(0, 10);
  }
}

function regionName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
