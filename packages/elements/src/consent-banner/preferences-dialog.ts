/**
 * The banner's *privacy settings* dialog: a native modal `<dialog>` (APG
 * modal pattern: focus moves in, Tab stays inside, Esc closes it and decides
 * nothing) holding `<consent-preferences>`. It loads with the preferences,
 * the first time the person opens it, never on the banner's first load.
 */
import type { FirstLayer } from '@akkoord/core/notice';
import { msg } from '../localization.js';
import { h } from '../shared/rich-text-dom.js';
import '../consent-preferences/define.js';
// A first decision made here replaces the banner with the settings control, which gets focus when the
// dialog closes: it must be there by then, so it loads with the dialog.
import './settings-control.js';

const DIALOG_CSS = `
    dialog {
      box-sizing: border-box;
      width: min(40rem, 100vw - 2 * var(--akkoord-space));
      max-height: calc(100vh - 2 * var(--akkoord-space));
      padding: 0;
      color: var(--akkoord-color-text);
      background: var(--akkoord-color-background);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.5);
    }
    .dialog-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--akkoord-space);
      padding: var(--akkoord-space) var(--akkoord-space) 0;
    }
    .dialog-head h2 {
      padding: 0;
    }
    /* Closing decides nothing: a quiet button, not one of the three choices, but plainly a button. */
    .dialog-head button {
      min-height: 2.75rem;
      font: inherit;
      font-weight: 600;
      padding: 0.25em 1em;
      color: var(--akkoord-color-button);
      background: var(--akkoord-color-background);
      border: 2px solid var(--akkoord-color-button);
      border-radius: var(--akkoord-radius);
      cursor: pointer;
    }
    /* The choices stay in view while the purposes scroll under them. */
    consent-preferences::part(actions) {
      position: sticky;
      bottom: 0;
      background: var(--akkoord-color-background);
      border-top: 1px solid var(--akkoord-color-border);
    }
    /* After a save the dialog closes; this says what was saved, above the settings button. */
    .saved-status:not(:empty) {
      position: fixed;
      inset-inline-end: var(--akkoord-settings-offset);
      bottom: calc(2.75rem + 1.5 * var(--akkoord-settings-offset));
      z-index: 2147483000;
      max-width: min(30rem, 100vw - 2 * var(--akkoord-settings-offset));
      margin: 0;
      padding: 0.5em 0.75em;
      font-size: 0.875em;
      background: var(--akkoord-color-surface);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    :host([settings-position='start']) .saved-status {
      inset-inline: var(--akkoord-settings-offset) auto;
    }
    :host([settings-control='hidden']) .saved-status {
      bottom: var(--akkoord-settings-offset);
    }
    /* The preferences in the dialog take the banner's theme, whatever the page set on the banner. */
    consent-preferences {
      --akkoord-color-background: inherit;
      --akkoord-color-border: inherit;
      --akkoord-color-button: inherit;
      --akkoord-color-button-text: inherit;
      --akkoord-color-error: inherit;
      --akkoord-color-link: inherit;
      --akkoord-color-surface: inherit;
      --akkoord-color-text: inherit;
      --akkoord-color-text-muted: inherit;
      --akkoord-focus-ring-color: inherit;
      --akkoord-focus-ring-offset: inherit;
      --akkoord-focus-ring-width: inherit;
      --akkoord-font-family: inherit;
      --akkoord-font-size: inherit;
      --akkoord-line-height: inherit;
      --akkoord-radius: inherit;
      --akkoord-space: inherit;
      --akkoord-transition: inherit;
    }
`;

let sheet: CSSStyleSheet | undefined;

export interface PreferencesContext {
  layer: FirstLayer;
  subject?: string;
  endpoint?: string;
  credentials?: () => HeadersInit | Promise<HeadersInit>;
}

export class PreferencesDialog {
  readonly element: HTMLDialogElement;
  readonly #title = h('h2', { id: 'dialog-title' });
  readonly #close = h('button', { part: 'close-button', type: 'button' });
  /** Where a save is announced once the dialog has closed: outside it, so it is still there. */
  readonly #status = h('p', { part: 'saved-status', class: 'saved-status', role: 'status' });
  #statusTimer?: ReturnType<typeof setTimeout>;

  /** Adds the dialog (closed) to `container`; `onClose` runs whenever it closes. */
  constructor(root: ShadowRoot, container: HTMLElement, onClose: () => void) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(DIALOG_CSS);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    this.#close.addEventListener('click', () => this.element.close());
    this.element = h('dialog', { part: 'dialog', 'aria-labelledby': 'dialog-title' }, h('div', { class: 'dialog-head' }, this.#title, this.#close)) as HTMLDialogElement;
    this.element.addEventListener('close', () => {
      this.element.querySelector('consent-preferences')?.remove();
      onClose();
    });
    // A save is the end of the errand: the dialog closes, focus goes back, and the status says what was saved.
    this.element.addEventListener('consent-preferences-saved', (event) => {
      const saved = (event.target as Element).shadowRoot?.querySelector('[part="status"]')?.textContent?.trim() ?? '';
      // A first decision replaces the banner's view (its buttons by the settings button) once the banner has
      // heard of it, which may take longer than a frame: the dialog closes when the settings button is there,
      // so that focus has somewhere to go back to (or after a second, whatever happened).
      void settingsButtonIn(root).then(() => {
        this.element.close();
        this.#announce(saved);
      });
    });
    container.append(this.element, this.#status);
  }

  /** Labels in the current UI language (call inside `renderInLocale`); open preferences follow a new notice or language. */
  update(context: PreferencesContext): void {
    this.#title.textContent = msg('Privacy settings', { id: 'banner.settings' });
    this.#close.textContent = msg('Close', { id: 'banner.close' });
    const preferences = this.element.querySelector('consent-preferences');
    if (preferences) configure(preferences, context);
  }

  #announce(text: string): void {
    clearTimeout(this.#statusTimer);
    this.#status.textContent = text;
    // Read out at once; on screen long enough to read, then out of the page's way.
    this.#statusTimer = setTimeout(() => (this.#status.textContent = ''), 8000);
  }

  open(context: PreferencesContext): void {
    if (this.element.open) return;
    this.#announce('');
    const preferences = document.createElement('consent-preferences');
    configure(preferences, context);
    this.element.append(preferences);
    this.element.showModal(); // focus moves into the dialog; Tab stays there until it closes
  }
}

/** Resolves when `root` holds the settings button (at once if it does), or after a second. */
function settingsButtonIn(root: ShadowRoot): Promise<void> {
  const present = () => root.querySelector('[part="settings-button"]') !== null;
  if (present()) return Promise.resolve();
  return new Promise((done) => {
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      done();
    };
    const observer = new MutationObserver(() => present() && stop());
    const timer = setTimeout(stop, 1000);
    observer.observe(root, { childList: true, subtree: true });
  });
}

function configure(preferences: Element, { layer, subject, endpoint, credentials }: PreferencesContext): void {
  Object.assign(preferences, { notice: layer, subject, endpoint, credentials });
  preferences.setAttribute('lang', layer.locale);
}
