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
    /* The embed's box: its width (at most the container's) and its proportions, before and after consent. */
    [part='base'] {
      position: relative;
      box-sizing: border-box;
      inline-size: 100%;
      overflow: hidden;
      border-radius: var(--akkoord-radius);
    }
    [part='placeholder'],
    [part='error'] {
      position: absolute;
      inset: 0;
      box-sizing: border-box;
      margin: 0;
      padding: var(--akkoord-space);
      /* A small box keeps its size: the text scrolls inside it instead of pushing the page down. */
      overflow: auto;
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
    }
  `,
];
