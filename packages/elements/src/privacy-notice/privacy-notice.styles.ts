import { css } from 'lit';
import { baseText, documentText, tokens } from '../shared/tokens.js';
import { noticeStateStyles } from '../shared/notice-states.js';

export const styles = [
  tokens,
  baseText,
  documentText,
  noticeStateStyles,
  css`
  :host {
    display: block;
  }
  [part='subheading'] {
    font-size: 1.15em;
  }

  :focus-visible {
    outline: var(--akkoord-focus-ring-width) solid var(--akkoord-focus-ring-color);
    outline-offset: var(--akkoord-focus-ring-offset);
    border-radius: 2px;
  }

  [part='purposes'],
  [part='rights'],
  [part='notable'],
  [part='links'] {
    padding-inline-start: 1.25em;
  }
  [part='purpose'] {
    margin-block-end: calc(var(--akkoord-space) * 0.75);
  }
  [part='purpose'] p {
    margin: 0.25em 0 0;
  }
  [part='purpose-title'] {
    font-weight: 600;
  }
  [part='legal-basis'] {
    display: inline-block;
    margin-inline-start: 0.25em;
    padding: 0 0.5em;
    border: 1px solid var(--akkoord-color-border);
    border-radius: var(--akkoord-radius);
    background: var(--akkoord-color-surface);
    font-size: 0.875em;
  }
  [part='party-role'] {
    margin: var(--akkoord-space) 0 0.25em;
    color: var(--akkoord-color-text-muted);
    font-weight: 600;
  }
  [part='links'] li {
    margin-block-end: 0.5em;
  }

  [part='section'] {
    border-block-end: 1px solid var(--akkoord-color-border);
  }
  [part='section']:first-of-type {
    border-block-start: 1px solid var(--akkoord-color-border);
  }
  [part='section-summary'] {
    display: block;
    position: relative;
    padding: calc(var(--akkoord-space) * 0.75) 0 calc(var(--akkoord-space) * 0.75) 1.75em;
    cursor: pointer;
    list-style: none;
  }
  [part='section-summary']::-webkit-details-marker {
    display: none;
  }
  [part='section-summary']::before {
    content: '';
    position: absolute;
    inset-inline-start: 0.35em;
    top: calc(var(--akkoord-space) * 0.75 + 0.45em);
    width: 0.5em;
    height: 0.5em;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: rotate(-45deg);
    transition: transform 0.15s ease-out;
  }
  [part='section'][open] > [part='section-summary']::before {
    transform: rotate(45deg);
  }
  [part='section-summary']:hover {
    background: var(--akkoord-color-surface);
  }
  [part='section-title'] {
    margin: 0 0 0.25em;
    font-size: 1.15em;
  }
  [part='section-abstract'] {
    margin: 0;
    color: var(--akkoord-color-text-muted);
  }
  [part='section-body'] {
    padding: 0 0 var(--akkoord-space) 1.75em;
  }
  [part='note'] {
    padding: calc(var(--akkoord-space) * 0.5) calc(var(--akkoord-space) * 0.75);
    border-inline-start: 4px solid var(--akkoord-color-border);
    background: var(--akkoord-color-surface);
  }
  [part='footer'] {
    margin-block-start: var(--akkoord-space);
    color: var(--akkoord-color-text-muted);
    font-size: 0.875em;
  }

  @media (prefers-reduced-motion: reduce) {
    [part='section-summary']::before {
      transition: none;
    }
  }

  @media print {
    [part='base'] {
      color: #000;
      background: #fff;
    }
    /* Closed sections hide their content in a ::details-content box; without a box, nothing hides it. */
    details::details-content {
      display: contents;
    }
    [part='section-summary']::before,
    [part='links'] {
      display: none;
    }
  }
`,
];
