import { css } from 'lit';
import { baseText, choiceButtons, tokens } from '../shared/tokens.js';
import { noticeStateStyles } from '../shared/notice-states.js';

export const styles = [
  tokens,
  baseText,
  noticeStateStyles,
  choiceButtons,
  css`
    :host {
      display: block;
    }
    [part='base'] {
      padding: var(--akkoord-space);
    }
    h1, h2, h3, h4, h5, h6 {
      font-size: 1.125em;
      margin: 0 0 0.5em;
    }
    .purpose {
      border-top: 1px solid var(--akkoord-color-border);
      padding: 0.75em 0;
    }
    .purpose p {
      margin: 0.25em 0 0 3.5rem;
      color: var(--akkoord-color-text-muted);
    }
    label {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      font-weight: 600;
      cursor: pointer;
    }
    /* A switch: a track with a knob; checked moves the knob and fills the track. */
    input[role='switch'] {
      appearance: none;
      flex: none;
      position: relative;
      width: 2.75rem;
      height: 1.5rem;
      margin: 0;
      border: 2px solid var(--akkoord-color-border);
      border-radius: 1rem;
      background: var(--akkoord-color-surface);
      cursor: pointer;
    }
    input[role='switch']::before {
      content: '';
      position: absolute;
      top: 2px;
      left: 2px;
      width: 1rem;
      height: 1rem;
      border-radius: 50%;
      background: var(--akkoord-color-border);
      transition: var(--akkoord-transition, transform 0.15s);
    }
    input[role='switch']:checked {
      background: var(--akkoord-color-button);
      border-color: var(--akkoord-color-button);
    }
    input[role='switch']:checked::before {
      transform: translateX(1.25rem);
      background: var(--akkoord-color-button-text);
    }
    ul {
      padding-inline-start: 1.25em;
    }
    /* The purposes of one legal basis on one line, as the banner names them. */
    .basis {
      margin: 0.5em 0 0;
    }
    .titles {
      margin: 0;
      padding: 0;
    }
    .titles li {
      display: inline;
    }
    .titles li + li::before {
      content: ' · ';
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      margin-top: var(--akkoord-space);
    }
    [part='status']:empty {
      margin: 0;
    }
  `,
];
