import { css } from 'lit';
import { baseText, choiceButtons, documentText, tokens } from '../shared/tokens.js';
import { noticeStateStyles } from '../shared/notice-states.js';

export const styles = [
  tokens,
  baseText,
  documentText,
  noticeStateStyles,
  choiceButtons,
  css`
    :host {
      display: block;
      --akkoord-color-objection: var(--akkoord-color-button);
    }

    ul {
      padding-inline-start: 1.25em;
    }

    /* Art. 21(4): the right to object, clearly and apart from the other rights. */
    .objection {
      margin: var(--akkoord-space) 0 calc(var(--akkoord-space) * 1.5);
      padding: var(--akkoord-space);
      border: 3px solid var(--akkoord-color-objection);
      border-radius: var(--akkoord-radius);
      background: var(--akkoord-color-surface);
    }
    .objection > :first-child {
      margin-top: 0;
    }
    .right {
      padding: calc(var(--akkoord-space) * 0.25) 0 calc(var(--akkoord-space) * 0.75);
      border-block-end: 1px solid var(--akkoord-color-border);
    }
    .article {
      margin-top: -0.25em;
      color: var(--akkoord-color-text-muted);
      font-size: 0.875em;
    }
    .notice-text,
    .note,
    .hint {
      color: var(--akkoord-color-text-muted);
    }
    details > summary {
      cursor: pointer;
      min-height: 1.5rem;
    }
    [part='by-purpose'] {
      margin: var(--akkoord-space) 0;
      padding: calc(var(--akkoord-space) * 0.5) 0;
      border-block: 1px solid var(--akkoord-color-border);
    }
    [part='by-purpose'] > summary {
      font-weight: 600;
    }
    .purposes > li {
      margin-block-end: calc(var(--akkoord-space) * 0.5);
    }
    .purpose-rights {
      margin: 0.25em 0 0;
    }
    .basis {
      display: inline-block;
      padding: 0 0.5em;
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
      background: var(--akkoord-color-surface);
      font-size: 0.875em;
    }
    [part='authority'] {
      padding: calc(var(--akkoord-space) * 0.5) calc(var(--akkoord-space) * 0.75);
      border-inline-start: 4px solid var(--akkoord-color-border);
      background: var(--akkoord-color-surface);
    }
    [part='channel'] {
      margin-block-end: var(--akkoord-space);
    }

    /* Buttons: the form's actions look alike (choiceButtons); the rest are quieter. */
    .secondary {
      min-height: 2.75rem;
      padding: 0.25em 1em;
      border: 2px solid var(--akkoord-color-button);
      border-radius: var(--akkoord-radius);
      background: var(--akkoord-color-background);
      color: var(--akkoord-color-text);
      font: inherit;
      cursor: pointer;
    }
    .secondary:hover {
      background: var(--akkoord-color-surface);
    }
    .choice[disabled] {
      opacity: 0.7;
      cursor: progress;
    }

    form {
      margin: var(--akkoord-space) 0;
      padding: var(--akkoord-space);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    form > :first-child {
      margin-top: 0;
    }
    fieldset {
      margin: 0 0 var(--akkoord-space);
      padding: calc(var(--akkoord-space) * 0.5) var(--akkoord-space);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    legend {
      font-weight: 600;
      padding: 0 0.25em;
    }
    .field {
      margin-block-end: var(--akkoord-space);
    }
    label {
      display: block;
      font-weight: 600;
      margin-block-end: 0.25em;
    }
    .field .hint {
      margin: 0 0 0.25em;
      font-size: 0.9em;
    }
    .required {
      color: var(--akkoord-color-error);
    }
    input,
    select,
    textarea {
      box-sizing: border-box;
      width: 100%;
      max-width: 36rem;
      min-height: 2.75rem;
      padding: 0.375em 0.5em;
      font: inherit;
      color: var(--akkoord-color-text);
      background: var(--akkoord-color-background);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    textarea {
      resize: vertical;
    }
    [aria-invalid='true'] {
      border: 2px solid var(--akkoord-color-error);
    }
    .field-error,
    .form-error {
      margin: 0.25em 0 0;
      color: var(--akkoord-color-error);
      font-weight: 600;
    }
    .form-error {
      margin-block-end: var(--akkoord-space);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    [part='email-text'] {
      max-width: 100%;
      margin-block-end: 0.5rem;
    }
    .online-status:empty,
    .copy-status:empty {
      margin: 0;
    }
    [part='request-id'] {
      font-family: ui-monospace, monospace;
    }

    /* The letter: on screen a page preview, on paper the only thing that prints. */
    .letter {
      box-sizing: border-box;
      max-width: 170mm;
      margin: var(--akkoord-space) 0;
      padding: calc(var(--akkoord-space) * 1.5);
      border: 1px solid var(--akkoord-color-border);
      background: var(--akkoord-color-background);
    }
    .letter .recipient {
      margin: calc(var(--akkoord-space) * 1.5) 0;
    }
    .letter .date {
      text-align: end;
    }
    .letter .message {
      white-space: pre-wrap;
      padding-inline-start: 0.75em;
      border-inline-start: 3px solid var(--akkoord-color-border);
    }
    .signature {
      display: grid;
      gap: 0.25em;
      margin-top: calc(var(--akkoord-space) * 2.5);
      max-width: 18rem;
    }
    .signature .line {
      display: block;
      border-block-end: 1px solid currentColor;
      height: 2.5rem;
    }

    @media print {
      [part='base'] {
        color: #000;
        background: #fff;
      }
      button,
      form,
      [part='by-purpose'] {
        display: none !important;
      }
      /* With a letter prepared, the letter alone. */
      .has-letter > :not([part~='requests']),
      .has-letter [part~='requests'] > :not([part~='letter-section']),
      .has-letter [part~='letter-section'] > :not([part~='letter']) {
        display: none !important;
      }
      .letter {
        max-width: 170mm;
        margin: 0;
        padding: 0;
        border: none;
        color: #000;
        background: #fff;
        font-size: 11pt;
        break-inside: avoid;
      }
      .letter .message {
        border-color: #000;
      }
    }
  `,
];
