/** The styles of the notice's loading and error states (notice-states.ts). */
import { css } from 'lit';

export const noticeStateStyles = css`
  [part='status'] {
    color: var(--akkoord-color-text-muted);
  }
  [part='error'] {
    padding: var(--akkoord-space);
    border: 2px solid var(--akkoord-color-error);
    border-radius: var(--akkoord-radius);
  }
  [part='error'] strong {
    color: var(--akkoord-color-error);
  }
  [part='error-details'] summary {
    cursor: pointer;
  }
  [part='retry-button'] {
    min-height: 2.25rem;
    margin-block-end: calc(var(--akkoord-space) * 0.75);
    padding: 0.25em 1em;
    border: 1px solid var(--akkoord-color-border);
    border-radius: var(--akkoord-radius);
    background: var(--akkoord-color-surface);
    color: var(--akkoord-color-text);
    font: inherit;
    cursor: pointer;
  }
  @media print {
    [part='retry-button'] {
      display: none;
    }
  }
`;
