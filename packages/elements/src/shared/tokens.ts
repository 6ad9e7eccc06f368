/** The shared theme (`theme.ts`) as Lit styles, for the elements that render with Lit. */
import { css, unsafeCSS } from 'lit';
import { CHOICE_BUTTONS, TOKENS } from './theme.js';

export const tokens = unsafeCSS(TOKENS);
export const choiceButtons = unsafeCSS(CHOICE_BUTTONS);

/** The text block every element renders its content in (`part="base"`). */
export const baseText = css`
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    font-family: var(--akkoord-font-family);
    font-size: var(--akkoord-font-size);
    line-height: var(--akkoord-line-height);
    color: var(--akkoord-color-text);
    background: var(--akkoord-color-background);
    overflow-wrap: anywhere;
  }
`;

/**
 * The typography of a document the reader reads through (the notice, the
 * rights): heading rhythm, paragraphs, addresses and links, the same in
 * every element so a page that shows both reads as one text.
 */
export const documentText = css`
  h1,
  h2,
  h3,
  h4,
  h5,
  h6 {
    line-height: 1.25;
    margin: calc(var(--akkoord-space) * 1.5) 0 calc(var(--akkoord-space) * 0.5);
  }
  [part='heading'] {
    font-size: 1.5em;
  }
  p,
  ul,
  ol,
  address {
    margin: 0 0 calc(var(--akkoord-space) * 0.75);
  }
  address {
    font-style: normal;
  }
  a {
    color: var(--akkoord-color-link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  a:hover {
    text-decoration-thickness: 0.15em;
  }
  /* Headings that take focus on navigation are no controls: no ring for them. */
  [tabindex='-1']:focus {
    outline: none;
  }
`;
