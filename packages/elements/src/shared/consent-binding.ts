/**
 * Binds an element to the page's consent controller for its notice: loads
 * the first layer in the element's language, gets the shared controller
 * (elements that name the same notice and subject share one), re-renders the
 * element on every change, and passes the controller's events on.
 *
 * Events: the controller's events are dispatched again from the first
 * connected element of that controller only, so a host listening on the
 * document hears each change once, however many elements show it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { FirstLayer, NoticeDocument } from '@akkoord/core/notice';
import { activateGatedScripts, ConsentErrorEvent, getConsentController, type ConsentController } from '@akkoord/core/consent';
import { NoticeLoadError } from './fetch-json.js';
import { loadFirstLayer } from './first-layer-source.js';

export interface ConsentHost extends ReactiveControllerHost, HTMLElement {
  notice?: string | FirstLayer | NoticeDocument;
  endpoint?: string;
  subject?: string;
}

const speakers = new WeakMap<ConsentController, HTMLElement[]>();
const gated = new WeakSet<ConsentController>();
const EVENTS = ['consent-change', 'consent-error', 'consent-sync'] as const;

/**
 * The developer-error checks, imported on use: in the one-file bundle that
 * module belongs to the shared chunk (define.ts imports it), and a static
 * import from here would pull it into the banner's chunk instead.
 */
const dev = (check: (checks: typeof import('./dev-errors.js')) => void) => void import('./dev-errors.js').then(check);

export class ConsentBinding implements ReactiveController {
  controller?: ConsentController;
  /** True once the controller has read the stored decision: only then is it known whether to ask. */
  ready = false;
  layer?: FirstLayer;
  error?: NoticeLoadError;
  #source?: ConsentHost['notice'];
  #wanted?: string;

  constructor(private readonly host: ConsentHost) {
    host.addController(this);
  }

  hostConnected(): void {
    dev((checks) => checks.watchForMissingNotice(this.host));
    if (this.controller) this.#listen(this.controller);
  }

  hostDisconnected(): void {
    if (this.controller) this.#unlisten(this.controller);
  }

  /** Loads (again) when the notice or the reader's languages changed; cheap to call on every update. */
  update(requested: readonly string[]): void {
    const source = this.host.notice;
    // A new subject (a customer signs in) or endpoint needs another controller, as a new notice does.
    const wanted = [requested.join(','), this.host.subject ?? '', this.host.endpoint ?? ''].join('|');
    if (!source || (source === this.#source && wanted === this.#wanted)) return;
    this.#source = source;
    this.#wanted = wanted;
    const current = () => this.#source === source && this.#wanted === wanted;
    loadFirstLayer(source, requested).then(
      (layer) => {
        if (!current()) return;
        this.layer = layer;
        this.error = undefined;
        dev((checks) => checks.checkLang(this.host, layer.locales));
        this.#bind(layer);
        this.host.requestUpdate();
      },
      (cause: unknown) => {
        if (!current()) return;
        this.error = cause instanceof NoticeLoadError ? cause : new NoticeLoadError('notice-invalid', String(cause));
        this.host.dispatchEvent(new ConsentErrorEvent(this.error.code, this.error.message, this.error.issues));
        const error = this.error;
        dev((checks) => checks.reportNoticeError(this.host, error));
        this.host.requestUpdate();
      },
    );
  }

  #bind(layer: FirstLayer): void {
    dev((checks) => checks.checkEndpoint(this.host));
    const controller = getConsentController({
      notice: layer,
      subject: this.host.subject || undefined,
      locale: layer.locale,
      sync: this.host.endpoint ? { endpoint: this.host.endpoint } : undefined,
    });
    controller.locale = layer.locale;
    if (controller === this.controller) return;
    if (this.controller) this.#unlisten(this.controller);
    this.controller = controller;
    this.ready = false;
    this.#listen(controller);
    if (!gated.has(controller)) {
      gated.add(controller);
      activateGatedScripts(controller, document);
    }
    void controller.ready.then(() => {
      if (this.controller !== controller) return;
      this.ready = true;
      this.host.requestUpdate();
    });
  }

  #listen(controller: ConsentController): void {
    const list = speakers.get(controller) ?? [];
    if (!list.includes(this.host)) list.push(this.host);
    speakers.set(controller, list);
    for (const type of EVENTS) controller.addEventListener(type, this.#relay);
  }

  #unlisten(controller: ConsentController): void {
    const list = speakers.get(controller) ?? [];
    list.splice(list.indexOf(this.host), 1);
    for (const type of EVENTS) controller.removeEventListener(type, this.#relay);
  }

  readonly #relay = (event: Event) => {
    this.host.requestUpdate();
    const controller = this.controller;
    if (controller && speakers.get(controller)?.[0] === this.host) {
      this.host.dispatchEvent((event as Event & { clone(): Event }).clone());
    }
  };
}
