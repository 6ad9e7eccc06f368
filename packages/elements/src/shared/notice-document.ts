/**
 * The whole notice document an element shows (<privacy-notice>,
 * <privacy-rights>): loaded from the host's `notice` (a manifest URL, a
 * document URL or the object) by `@akkoord/core/notice-loading` in a Task,
 * a failure reported as every element reports it (notice-failure.ts), and
 * before each render the language chosen by the element's LocaleController
 * and the document localized for it, once per document and language.
 * `render()` gives the loading and error states of notice-states.ts.
 */
import { nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { LocalizedNotice, NoticeDocument } from '@akkoord/core/notice';
import { localizeNotice } from '@akkoord/core/notice/localize';
import { loadDocument } from '@akkoord/core/notice-loading/document';
import type { LocaleChoice, LocaleController } from '../localization.js';
import { devLater } from './dev-later.js';
import { noticeFailure } from './notice-failure.js';
import { noticeError, noticePending } from './notice-states.js';

type NoticeSource = string | NoticeDocument;
type Host = ReactiveControllerHost & HTMLElement & { notice?: NoticeSource };

/** A notice document to show: validated here, or by `akkoord-notice build` (its hash proves which). */
interface Loaded {
  doc: NoticeDocument;
  hash: string;
}

export class NoticeDocumentController implements ReactiveController {
  /** What to render now: the notice's locale and the UI locale; `undefined` until the first UI catalog has loaded. */
  shown?: LocaleChoice;
  /** The document in the shown locale, once it has loaded. */
  view?: LocalizedNotice;
  /** The document `view` was made from. */
  doc?: NoticeDocument;
  readonly task: Task<readonly [NoticeSource | undefined], Loaded>;
  #viewLocale?: string;

  /** `onNewDocument` runs when a document is shown that was not just before (not on a change of language). */
  constructor(
    private readonly host: Host,
    private readonly locale: LocaleController,
    private readonly onNewDocument?: () => void,
  ) {
    this.task = new Task(host, {
      args: () => [host.notice] as const,
      task: ([source], { signal }) => this.#load(source, signal),
    });
    host.addController(this);
  }

  hostConnected(): void {
    devLater((checks) => checks.watchForMissingNotice(this.host));
  }

  hostUpdate(): void {
    const loaded = this.task.status === TaskStatus.COMPLETE ? this.task.value : undefined;
    const doc = loaded?.doc;
    this.shown = this.locale.show(this.locale.choose(doc?.locales, doc?.defaultLocale));
    const locale = this.shown?.content;
    // (While a new UI catalog loads, the last choice may name a locale this document lacks: show nothing yet.)
    if (!loaded || !doc || !locale || !doc.locales.includes(locale)) {
      this.view = this.doc = this.#viewLocale = undefined;
    } else if (this.doc !== doc || this.#viewLocale !== locale) {
      if (this.doc !== doc) this.onNewDocument?.();
      // Checked when what is shown changes, not on every update (a form re-renders on each key).
      devLater((checks) => checks.checkLang(this.host, doc.locales));
      this.view = localizeNotice(doc, locale, loaded.hash);
      this.doc = doc;
      this.#viewLocale = locale;
    }
  }

  /** The notice in its state: loading, the error screen, or `complete` with the localized document. */
  render(complete: (view: LocalizedNotice) => unknown): unknown {
    return this.task.render({
      pending: noticePending,
      complete: () => (this.view ? complete(this.view) : nothing),
      error: (error) => noticeError(error, () => void this.task.run()),
    });
  }

  /**
   * Resolves once the current notice has loaded and rendered in the current
   * language: `true`, or `false` when it failed (the error state shows).
   * Never rejects.
   */
  get loadComplete(): Promise<boolean> {
    return (async () => {
      await this.host.updateComplete; // a notice set just now starts loading in this update
      const ok = await this.task.taskComplete.then(
        () => true,
        () => false,
      );
      await this.host.updateComplete;
      await this.locale.settled;
      await this.host.updateComplete;
      return ok;
    })();
  }

  async #load(source: NoticeSource | undefined, signal: AbortSignal): Promise<Loaded | typeof initialState> {
    if (source === undefined || source === null || source === '') return initialState;
    try {
      return await loadDocument(source, signal);
    } catch (cause) {
      if (signal.aborted) throw cause; // a newer notice replaced this one
      throw noticeFailure(this.host, cause);
    }
  }
}
