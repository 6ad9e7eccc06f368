import { css } from 'lit';
import { choiceButtons, tokens } from '../shared/tokens.js';

export const styles = [
  tokens,
  choiceButtons,
  css`
    :host {
      --akkoord-banner-max-width: 60rem;
      display: block;
      font-family: var(--akkoord-font-family);
      font-size: var(--akkoord-font-size);
      line-height: var(--akkoord-line-height);
      color: var(--akkoord-color-text);
    }
    .panel {
      position: fixed;
      inset: auto 0 0 0;
      z-index: 2147483000;
      box-sizing: border-box;
      max-width: var(--akkoord-banner-max-width);
      max-height: 70vh;
      margin: 0 auto;
      display: flex;
      flex-direction: column;
      background: var(--akkoord-color-background);
      border: 1px solid var(--akkoord-color-border);
      border-bottom: 0;
      border-radius: var(--akkoord-radius) var(--akkoord-radius) 0 0;
      box-shadow: 0 -2px 12px rgb(0 0 0 / 0.2);
    }
    h2 {
      font-size: 1.25em;
      margin: 0;
      padding: var(--akkoord-space) var(--akkoord-space) 0;
    }
    .body {
      overflow: auto;
      padding: 0 var(--akkoord-space);
      font-size: 0.9375em;
    }
    .body ul {
      padding-inline-start: 1.25em;
      margin: 0.5em 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--akkoord-space) / 2);
      padding: var(--akkoord-space);
    }
    .settings {
      position: fixed;
      left: var(--akkoord-space);
      bottom: var(--akkoord-space);
      z-index: 2147483000;
      flex: none;
    }
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
      padding-inline-end: var(--akkoord-space);
    }
    .dialog-head h2 {
      padding-bottom: 0;
    }
    .dialog-head button {
      min-height: 2.75rem;
      font: inherit;
      padding: 0.25em 0.75em;
      color: var(--akkoord-color-text);
      background: var(--akkoord-color-surface);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
      cursor: pointer;
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
    .settings-spacer {
      height: calc(2.75rem + 2 * var(--akkoord-space));
    }
    @media print {
      .panel,
      .settings,
      .settings-spacer,
      .spacer {
        display: none;
      }
    }
  `,
];
