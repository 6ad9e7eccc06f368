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
