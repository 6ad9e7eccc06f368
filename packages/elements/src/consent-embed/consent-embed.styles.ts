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
      --akkoord-embed-background: var(--akkoord-color-surface);
    }
    /*
     * The embed's box: its width (at most the container's) and its proportions (set by the element),
     * the same before and after consent. Where the placeholder's text needs more room than that (a
     * phone's width), the box grows to show all of it, the choices included, rather than hide them
     * behind a scroll; it shrinks back only when the reader has chosen.
     */
    [part='base'] {
      position: relative;
      display: grid;
      box-sizing: border-box;
      inline-size: 100%;
    }
    [part='placeholder'],
    [part='error'] {
      box-sizing: border-box;
      margin: 0;
      padding: var(--akkoord-space);
      background: var(--akkoord-embed-background);
      border: 1px solid var(--akkoord-color-border);
      border-radius: var(--akkoord-radius);
    }
    [part='error'] {
      color: var(--akkoord-color-error);
      font-weight: 600;
    }
    [part='title'] {
      margin: 0 0 0.5em;
      font-weight: 700;
      font-size: 1.125em;
    }
    [part='description'],
    [part='note'] {
      margin: 0 0 0.75em;
    }
    [part='note'] {
      color: var(--akkoord-color-text-muted);
      font-size: 0.875em;
      margin: 0.75em 0 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    [part='frame'] {
      position: absolute;
      inset: 0;
      inline-size: 100%;
      block-size: 100%;
      border: 0;
      border-radius: var(--akkoord-radius);
    }
  `,
];
