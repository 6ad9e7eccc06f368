/**
 * The banner after a decision: a small round *privacy settings* button in a
 * bottom corner (its name shows beside it on hover and keyboard focus), and,
 * when a Global Privacy Control signal decided for the visitor, a short note
 * beside it that says so until the visitor dismisses it.
 *
 * It loads when the banner first shows it, never on a first visit's first
 * load: a visitor who is asked sees the first layer, not this.
 */
import { msg } from '../localization.js';
import { h } from '../shared/rich-text-dom.js';

const CONTROL_CSS = `
    :host {
      --akkoord-settings-offset: var(--akkoord-space);
    }
    .settings {
      position: fixed;
      bottom: var(--akkoord-settings-offset);
      inset-inline-end: var(--akkoord-settings-offset);
      z-index: 2147483000;
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      gap: 0.5rem;
      max-width: calc(100vw - 2 * var(--akkoord-settings-offset));
      font-size: 0.875em;
    }
    :host([settings-position='start']) .settings {
      inset-inline: var(--akkoord-settings-offset) auto;
      align-items: flex-start;
    }
    .settings-button {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      box-sizing: border-box;
      min-width: 2.75rem;
      height: 2.75rem;
      padding: 0 0.625rem;
      font: inherit;
      font-weight: 600;
      color: var(--akkoord-color-button-text);
      background: var(--akkoord-color-button);
      border: 2px solid var(--akkoord-color-button-text);
      border-radius: 1.375rem;
      box-shadow: 0 1px 6px rgb(0 0 0 / 0.3);
      cursor: pointer;
    }
    .settings-button svg {
      flex: none;
      width: 1.25rem;
      height: 1.25rem;
    }
    /* The name is always the button's accessible name; on screen it shows only while the button is pointed at or focused. */
    .settings-button:not(:hover, :focus-visible) .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .settings-button:is(:hover, :focus-visible) {
      padding-inline-end: 1rem;
    }
    .settings-spacer {
      height: calc(2.75rem + 2 * var(--akkoord-settings-offset));
    }
    :host([settings-control='hidden']) :is(.settings-button, .settings-spacer) {
      display: none;
    }
    .gpc-status:empty {
      display: none;
    }
    .gpc-status {
      display: flex;
      align-items: flex-start;
      gap: 0.5rem;
      max-width: 22rem;
      margin: 0;
      padding: 0.5em 0.5em 0.5em 0.75em;
      color: var(--akkoord-color-text);
      background: var(--akkoord-color-surface);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
      box-shadow: 0 1px 6px rgb(0 0 0 / 0.2);
    }
    .gpc-status button {
      flex: none;
      width: 2.75rem;
      height: 2.75rem;
      margin: -0.25em -0.25em -0.25em 0;
      font: inherit;
      font-size: 1.25em;
      line-height: 1;
      color: var(--akkoord-color-text);
      background: none;
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
      cursor: pointer;
    }
    @media print {
      .settings,
      .settings-spacer {
        display: none;
      }
    }
`;

let sheet: CSSStyleSheet | undefined;

/** Where the dismissal of the GPC note is kept, per notice. */
const gpcNoteKey = (noticeId: string) => `akkoord:gpc-note-dismissed:${noticeId}`;

/**
 * Whether the visitor dismissed the note for this notice. Kept in localStorage, not with the consent
 * record: it is a display preference of this browser, not a decision. No storage (private modes, a
 * blocked origin) means the note may come again, which is harmless.
 */
function dismissed(noticeId: string): boolean {
  try {
    return localStorage.getItem(gpcNoteKey(noticeId)) === '1';
  } catch {
    return false;
  }
}

function dismiss(noticeId: string): void {
  try {
    localStorage.setItem(gpcNoteKey(noticeId), '1');
  } catch {
    // Not kept: the note shows again on the next page, which is all that is lost.
  }
}

export interface SettingsControlOptions {
  /** Opens the preferences; the button is the event's `currentTarget`. */
  open: (event: Event) => void;
  /** The notice whose decision GPC made, when it did (the note is said once per notice); else undefined. */
  gpcNoticeId?: string;
}

/** The control's nodes (call inside `renderInLocale`); adds its style sheet to `root` once. */
export function settingsControl(root: ShadowRoot, { open, gpcNoticeId }: SettingsControlOptions): Node[] {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CONTROL_CSS);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  const button = h(
    'button',
    { part: 'settings-button', class: 'settings-button', type: 'button', 'aria-haspopup': 'dialog' },
    icon(),
    h('span', { class: 'label' }, msg('Privacy settings', { id: 'banner.settings' })),
  );
  button.addEventListener('click', open);
  // A live region is in the page before its text, so that a screen reader announces the text.
  const status = h('p', { part: 'gpc-status', class: 'gpc-status', role: 'status' });
  if (gpcNoticeId && !dismissed(gpcNoticeId)) {
    const text = msg('Your browser sends a Global Privacy Control signal, so we have turned marketing off. You can still switch it on.', {
      id: 'banner.gpc',
    });
    const close = h('button', { part: 'gpc-dismiss', type: 'button', 'aria-label': msg('Close', { id: 'banner.close' }) }, '×');
    close.addEventListener('click', () => {
      dismiss(gpcNoticeId);
      status.replaceChildren();
      button.focus();
    });
    requestAnimationFrame(() => status.replaceChildren(h('span', {}, text), close));
  }
  // The spacer keeps the page's last line clear of the fixed control.
  return [h('div', { class: 'settings-spacer' }), h('div', { part: 'settings', class: 'settings' }, status, button)];
}

/** A shield with a check: privacy, in 20 px, drawn in the button's text colour. */
function icon(): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
