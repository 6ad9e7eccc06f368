import { css } from 'lit';
import { baseText, choiceButtons, tokens } from '../shared/tokens.js';
import { noticeStateStyles } from '../shared/notice-states.js';

export const styles = [
  tokens,
  baseText,
  noticeStateStyles,
  // The download button looks like every other button of ours.
  choiceButtons,
  css`
    :host {
      display: block;
      --akkoord-color-verified: #116329;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --akkoord-color-verified: #56d364;
      }
    }
    [part='base'] {
      padding: var(--akkoord-space);
    }
    h1,
    h2,
    h3,
    h4,
    h5,
    h6 {
      font-size: 1.125em;
      line-height: 1.25;
      margin: 0 0 0.5em;
    }
    [part='receipt-title'] {
      font-size: 1em;
    }
    a {
      color: var(--akkoord-color-link);
    }
    :focus-visible {
      outline: var(--akkoord-focus-ring-width) solid var(--akkoord-focus-ring-color);
      outline-offset: var(--akkoord-focus-ring-offset);
    }
    [part='status']:empty {
      margin: 0;
    }
    [part='receipts'] {
      list-style: none;
      margin: 0 0 var(--akkoord-space);
      padding: 0;
    }
    [part='receipt'] {
      padding: 0.75em 0;
      border-top: 1px solid var(--akkoord-color-border);
    }
    dl {
      display: grid;
      grid-template-columns: minmax(7em, max-content) 1fr;
      gap: 0.25em 1em;
      margin: 0 0 0.5em;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
    @media (max-width: 30rem) {
      dl {
        grid-template-columns: 1fr;
        gap: 0;
      }
      dd {
        margin-bottom: 0.5em;
      }
    }
    address {
      font-style: normal;
      margin-bottom: 0.5em;
    }
    code {
      font-family: ui-monospace, monospace;
      font-size: 0.875em;
    }
    [part='verification'][data-status='verified'] {
      color: var(--akkoord-color-verified);
      font-weight: 600;
    }
    [part='verification'][data-status='verified']::before {
      content: '✓ ';
    }
    [part='verification'][data-status='failed'] {
      color: var(--akkoord-color-error);
      font-weight: 600;
    }
    [part='verification'][data-status='failed']::before {
      content: '✗ ';
    }
    details > summary {
      cursor: pointer;
      min-height: 1.5rem;
      color: var(--akkoord-color-link);
    }
    details[open] > summary {
      margin-bottom: 0.5em;
    }
    @media print {
      [part='download-button'] {
        display: none;
      }
      details::details-content {
        display: contents;
      }
    }
  `,
];
