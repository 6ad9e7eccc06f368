/**
 * Binds an element to the page's consent controller for its notice: loads
 * the first layer in the element's language (`@akkoord/core/notice-loading`),
 * reports a failure as every element does (notice-failure.ts), gets the
 * shared controller (elements that name the same notice and subject share
 * one), re-renders the element on every change, and passes the
 * controller's events on.
 *
 * The controller's module loads on demand. The banner asks for it late
 * (`deferController`): a first visit, which a single IndexedDB read can tell
 * (first-visit.ts), paints at once, and the controller follows when the
 * browser is idle or the person reaches for a choice, whichever is first.
 *
 * What needs the controller (the shared controller, gated scripts, the
 * relay of its events) is in controller-link.ts, which loads with it.
 *
 * Hosts: a LitElement, or any element with the same small controller API
 * (controller-host-element.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FirstLayer, NoticeDocument } from '@akkoord/core/notice';
import type { ConsentController } from '@akkoord/core/consent';
// Not from consent/events: that module would pull the controller's event classes into the first load.
import { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
import { gpcDecidesFirst, isFirstVisit } from '@akkoord/core/consent/first-visit';
import { loadFirstLayer } from '@akkoord/core/notice-loading/first-layer';
import { devLater as dev } from './dev-later.js';
import { noticeFailure, type NoticeLoadError } from './notice-failure.js';
import { whenIdle } from './when-idle.js';

export interface ConsentHost extends ReactiveControllerHost, HTMLElement {
  notice?: string | FirstLayer | NoticeDocument;
  endpoint?: string;
  subject?: string;
  /** The host's credentials for the receiver: with `subject`, the controller reads the customer's consent there. */
  credentials?: () => HeadersInit | Promise<HeadersInit>;
  /** The registrar's domain whose hosts share one decision (the controller's `cookieDomain`; else the `cookie-domain` attribute). */
  cookieDomain?: string;
}

export interface BindingOptions {
  /** Paint a first visit without the controller; load it when idle or on `connect()`. */
  deferController?: boolean;
}

type ControllerLink = typeof import('./controller-link.js');
/**
 * How long a deferred controller may wait for an idle moment. Decisions of
 * other tabs before it loads are in IndexedDB, which it reads on load.
 */
const IDLE_TIMEOUT_MS = 1000;

let linkModule: Promise<ControllerLink> | undefined;
let link: ControllerLink | undefined;
const loadLink = () =>
  (linkModule ??= import('./controller-link.js').then((loaded) => (link = loaded)).catch((cause: unknown) => {
    linkModule = undefined; // a later reach for a choice tries again
    throw cause;
  }));

export class ConsentBinding implements ReactiveController {
  controller?: ConsentController;
  /** True once the controller has read the stored decision. */
  ready = false;
  layer?: FirstLayer;
  error?: NoticeLoadError;
  #source?: ConsentHost['notice'];
  #wanted?: string;
  /**
   * A first visit seen without the controller: nothing is decided, so the
   * person must be asked. Cleared when a controller is ready (controller-link.ts).
   */
  firstVisit = false;
  #connecting?: Promise<ConsentController | undefined>;
  #idle?: () => void;

  constructor(
    readonly host: ConsentHost,
    private readonly options: BindingOptions = {},
  ) {
    host.addController(this);
  }

  /** Whether it is known yet if the person must be asked: from the controller, or from a first visit. */
  get known(): boolean {
    return this.ready || this.firstVisit;
  }

  /** Whether the person must be asked; a first visit says yes before the controller has loaded. */
  get needsDecision(): boolean {
    return this.ready ? this.controller!.needsDecision : this.firstVisit;
  }

  get gpcHonoured(): boolean {
    return this.ready ? this.controller!.gpcHonoured : false;
  }

  hostConnected(): void {
    dev((checks) => checks.watchForMissingNotice(this.host));
    if (this.controller) link?.listen(this.host, this.controller);
  }

  hostDisconnected(): void {
    if (this.controller) link?.unlisten(this.host, this.controller);
    this.#idle?.();
  }

  /** Loads (again) when the notice or the reader's languages changed; cheap to call on every update. */
  update(requested: readonly string[]): void {
    const source = this.host.notice;
    // A new subject (a customer signs in) or endpoint needs another controller, as a new notice does.
    const wanted = [requested.join(','), this.host.subject ?? '', this.host.endpoint ?? ''].join('|');
    if (!source || (source === this.#source && wanted === this.#wanted)) return;
    this.#source = source;
    this.#wanted = wanted;
    this.#connecting = undefined;
    const current = () => this.#source === source && this.#wanted === wanted;
    // The first-visit read runs beside the notice's fetch, not after it.
    const firstVisit = this.options.deferController && !this.host.subject && !this.controller ? isFirstVisit() : Promise.resolve(false);
    loadFirstLayer(source, requested).then(
      async (layer) => {
        if (!current()) return;
        this.layer = layer;
        this.error = undefined;
        if (!this.controller && (await this.#paintsFirstVisit(layer, firstVisit))) {
          if (!current()) return;
          this.firstVisit = true;
          this.host.requestUpdate();
          this.#idle?.();
          this.#idle = whenIdle(() => void this.connect(), IDLE_TIMEOUT_MS);
          return;
        }
        if (current()) void this.connect();
      },
      (cause: unknown) => {
        if (!current()) return;
        this.error = noticeFailure(this.host, cause);
        this.host.requestUpdate();
      },
    );
  }

  /** Loads the notice again (after `error`), on the host's next update. */
  retry(): void {
    this.#source = undefined;
    this.error = undefined;
    this.host.requestUpdate();
  }

  /**
   * The controller for the current notice, loading it now if it has not
   * loaded (the person reached for a choice before the browser was idle).
   * Undefined before the notice has loaded, or when its module cannot load.
   */
  connect(): Promise<ConsentController | undefined> {
    const layer = this.layer;
    if (!layer) return Promise.resolve(undefined);
    const wanted = this.#wanted;
    // The controller's half (controller-link.ts) binds it, unless the notice or subject changed meanwhile.
    this.#connecting ??= loadLink().then(
      (loaded) => (this.layer === layer && this.#wanted === wanted ? loaded.bind(this, layer) : this.controller),
      (cause: unknown) => {
        this.#connecting = undefined; // a later reach for a choice tries again
        this.host.dispatchEvent(new ConsentErrorEvent('script-failed', `Akkoord's consent module could not load: ${String(cause)}`));
        return undefined;
      },
    );
    return this.#connecting;
  }

  /**
   * Only the deferred banner, only without a host subject, only a notice that
   * asks consent, only no GPC to apply, and only while no other element has
   * loaded the controller (it may hold a decision this read cannot see).
   */
  async #paintsFirstVisit(layer: FirstLayer, firstVisit: Promise<boolean>): Promise<boolean> {
    if (linkModule) return false;
    const asks = layer.purposes.some((p) => p.legalBasis === 'consent');
    return asks && !gpcDecidesFirst(layer) && (await firstVisit);
  }
}
